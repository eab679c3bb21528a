"""熔断 (禁停撤疏) on both back-ends: the preview against an oracle of its own (every enterprise and hazard point of the
sample tested one by one against the township's outline, the table's sectors written out by hand, the roads as the
network file's lines), the order holding exactly those items, one confirmation per item under concurrent clients,
township scope, permissions, road closures made and lifted, and the printed lists holding every item."""
from __future__ import annotations

import html
import io

import pytest
import shapely
from shapely.geometry import Point, shape
from sqlalchemy import select, text

from services import vocabulary as v
from services.db import read_session
from services.errors import Conflict, FieldError, Forbidden
from services.models import Township
from services.monitoring import control_print, control_reads
from services.monitoring.controls import ControlRequest, confirm_item, close_order, issue_controls, preview_controls
from services.roads.network import roads_geojson
from services.map.area import circle_polygon
from tests.conftest import BACKENDS, _cleanup, call, call_as, prepared, principal_for, read
from tests.services.test_concurrency import race

CITY, RURAL = "500114003", "500114004"  # 城西街道 (most enterprises), and the township with most hazard points
# The default table as the issue words it (an oracle apart from config_controls.py): sector -> categories (None: all).
STOP_ORANGE = {"建筑施工": None, "非煤矿山": None, "人员密集场所": {"古镇古寨"}}
DISPERSE_ORANGE = {"人员密集场所": {"商场超市", "农贸市场", "会展场所"}}
STOP_RED = {"危险化学品": {"生产", "经营(带储存)", "使用"}, "成品油": None, "燃气": None}
DISPERSE_RED = {"人员密集场所": {"餐饮住宿", "民宿", "高层建筑"}}


@pytest.fixture(scope="module", params=BACKENDS)
def sample(request, tmp_path_factory):
    settings = prepared(request.param, tmp_path_factory.mktemp(f"controls-{request.param}"), tmp_path_factory,
                        with_sample=True)
    yield settings
    _cleanup(settings)


def _rows(settings, sql: str, **params):
    with read_session(settings.database_url) as session:
        return session.execute(text(sql), params).all()


def _outline(settings, code: str):
    def load(uow):
        return uow.session.scalar(select(Township.geom).where(Township.code == code))
    return read(settings, load)


def _matches(table: dict, sector: str, category: str) -> bool:
    return sector in table and (table[sector] is None or category in table[sector])


def _oracle(settings, code: str, level: str) -> set[tuple[str, str, int]]:
    outline = _outline(settings, code)
    rank = v.WARNING_COLOUR_LEVELS.index(level)
    orange, red = rank >= v.WARNING_COLOUR_LEVELS.index("橙"), rank >= v.WARNING_COLOUR_LEVELS.index("红")
    expected = set()
    for eid, sector, category, lon, lat in _rows(settings, "SELECT id, sector, category, lon, lat FROM enterprise"):
        if not outline.contains(Point(lon, lat)):
            continue
        if (orange and _matches(STOP_ORANGE, sector, category)) or (red and _matches(STOP_RED, sector, category)):
            expected.add(("停", "enterprises", eid))
        if (orange and _matches(DISPERSE_ORANGE, sector, category)) or \
                (red and _matches(DISPERSE_RED, sector, category)):
            expected.add(("疏", "enterprises", eid))
    if orange:
        roads = [shape(f["geometry"]) for f in roads_geojson(settings)["features"]]
        for hid, people, radius, lon, lat in _rows(
                settings, "SELECT id, threatened_people, influence_radius_m, lon, lat FROM hazard_point"):
            if not outline.contains(Point(lon, lat)):
                continue
            if people > 0:
                expected.add(("撤", "hazards", hid))
            zone = circle_polygon(lon, lat, max(radius, 10.0))
            if any(zone.intersects(road) for road in roads):
                expected.add(("禁", "roads", hid))
    return expected


def _keys(items) -> set[tuple[str, str, int]]:
    return {(i.action, i.layer, i.target_id) for i in items}


@pytest.mark.parametrize("code", [CITY, RURAL])
@pytest.mark.parametrize("level", ["黄", "橙", "红"])
def test_the_preview_lists_what_the_table_says_for_every_site_in_the_township(sample, code, level):
    preview = read(sample, preview_controls, ControlRequest(level=level, townships=[code]))
    expected = _oracle(sample, code, level)
    assert _keys(preview.items) == expected
    if level != "黄":
        assert expected and {a for a, _, _ in expected} >= {"停", "撤"}
    people = _rows(sample, "SELECT id, threatened_people FROM hazard_point")
    assert preview.people == sum(p for hid, p in people if ("撤", "hazards", hid) in expected)
    assert all(i.township_code == code for i in preview.items)  # the sample's points lie in their own township
    contacts = dict((r[0], r[1:]) for r in _rows(sample, "SELECT id, contact_person, contact_phone FROM enterprise"))
    assert all((i.contact_person, i.contact_phone) == contacts[i.target_id]
               for i in preview.items if i.layer == "enterprises")
    assert preview.sample == bool(preview.items)


def test_a_drawn_polygon_and_a_warning_give_their_own_area(sample):
    outline = _outline(sample, CITY)
    drawn = read(sample, preview_controls, ControlRequest(level="红", polygon=shapely.geometry.mapping(outline)))
    by_code = read(sample, preview_controls, ControlRequest(level="红", townships=[CITY]))
    assert _keys(drawn.items) == _keys(by_code.items)
    from services.dispatch.warnings import WarningRequest, issue_warning
    warning = call(sample, issue_warning, WarningRequest(level="橙", hazard_type="滑坡", headline="强降雨",
                                                         townships=[RURAL], include_hazard_monitors=True))
    by_warning = read(sample, preview_controls, ControlRequest(warning_id=warning))
    assert by_warning.level == "橙" and by_warning.hazard_type == "滑坡"
    assert _keys(by_warning.items) == _oracle(sample, RURAL, "橙")


@pytest.mark.parametrize("req, field", [
    (ControlRequest(level="红", townships=["999999999"]), "townships"),
    (ControlRequest(level="紫", townships=[CITY]), "level"),
    (ControlRequest(level="红", polygon={"type": "Polygon", "coordinates": [[[108, 29], [109, 30], [108, 30],
                                                                             [109, 29], [108, 29]]]}), "polygon"),
    (ControlRequest(level="红"), "area"),
    (ControlRequest(level="红", townships=[CITY], warning_id=1), "warning_id"),
])
def test_bad_requests_name_their_field(sample, req, field):
    with pytest.raises(FieldError) as refused:
        read(sample, preview_controls, req)
    assert refused.value.field == field


def test_issuing_stores_exactly_the_previewed_items_and_nothing_at_yellow(sample):
    req = ControlRequest(level="红", townships=[CITY])
    preview = read(sample, preview_controls, req)
    order_id = call(sample, issue_controls, req)
    stored = {(a, layer, tid) for a, layer, tid in _rows(
        sample, "SELECT action, target_layer, target_id FROM control_item WHERE order_id = :o", o=order_id)}
    assert stored == _keys(preview.items) and len(stored) == len(preview.items)
    listed = read(sample, control_reads.list_orders)
    mine = next(o for o in listed if o.id == order_id)
    assert mine.total == len(stored) and mine.confirmed == 0 and mine.sample
    assert {a: p["total"] for a, p in mine.progress.items()} == {a: sum(1 for k in stored if k[0] == a)
                                                                 for a in v.CONTROL_ACTIONS}
    before = _rows(sample, "SELECT count(*) FROM control_order")[0][0]
    with pytest.raises(FieldError) as nothing:
        call(sample, issue_controls, ControlRequest(level="黄", townships=[CITY]))
    assert nothing.value.field == "level"
    assert _rows(sample, "SELECT count(*) FROM control_order")[0][0] == before  # no partial write


def _order(settings, *codes) -> tuple[int, list]:
    order_id = call(settings, issue_controls, ControlRequest(level="红", townships=list(codes)))
    return order_id, list(read(settings, control_reads.order_detail, order_id).items)


def test_concurrent_confirms_of_one_item_one_wins(sample):
    order_id, items = _order(sample, CITY)
    item = next(i for i in items if i.layer == "enterprises")
    outcomes = race(8, lambda n: call(sample, confirm_item, item.id, f"电话确认 {n}", actor=f"duty{n}"))
    won = [o for o in outcomes if o[0] == "ok"]
    assert len(won) == 1
    assert all(isinstance(o[1], Conflict) for o in outcomes if o[0] == "refused")
    (by, note), = _rows(sample, "SELECT confirmed_by, note FROM control_item WHERE id = :i", i=item.id)
    assert note is not None and by is not None
    assert _rows(sample, "SELECT count(*) FROM audit_log WHERE entity = 'control_item' AND entity_key = :k",
                 k=str(item.id))[0][0] == 1
    detail = read(sample, control_reads.order_detail, order_id)
    assert detail.summary.confirmed == 1


def test_township_staff_confirm_only_their_own_townships_items(sample):
    order_id, items = _order(sample, CITY, RURAL)
    home = next(i for i in items if i.township_code == RURAL)
    away = next(i for i in items if i.township_code == CITY)
    staff = principal_for(sample, "township", RURAL)
    with pytest.raises(Forbidden):
        call_as(sample, staff, confirm_item, away.id)
    assert call_as(sample, staff, confirm_item, home.id) is None  # a township user closes no road: recorded only
    seen = call_as(sample, staff, control_reads.order_detail, order_id, write=False)
    assert seen.items and all(i.township_code == RURAL for i in seen.items)
    assert any(o.id == order_id for o in call_as(sample, staff, control_reads.list_orders, write=False))
    other = principal_for(sample, "township", "500114001")
    mine = [o.id for o in call_as(sample, other, control_reads.list_orders, write=False)]
    has_items = _rows(sample, "SELECT count(*) FROM control_item WHERE order_id = :o AND township_code = '500114001'",
                      o=order_id)[0][0]
    assert (order_id in mine) == bool(has_items)


def test_only_the_commander_issues_and_closes(sample):
    req = ControlRequest(level="红", townships=[RURAL])
    duty, commander = principal_for(sample, "duty"), principal_for(sample, "commander")
    assert call_as(sample, duty, preview_controls, req, write=False).items  # duty prepares
    with pytest.raises(Forbidden):
        call_as(sample, duty, issue_controls, req)
    with pytest.raises(Forbidden):
        call_as(sample, principal_for(sample, "viewer"), preview_controls, req, write=False)
    order_id = call_as(sample, commander, issue_controls, req)
    with pytest.raises(Forbidden):
        call_as(sample, duty, close_order, order_id)
    with pytest.raises(Forbidden):
        call_as(sample, principal_for(sample, "planner"), confirm_item,
                read(sample, control_reads.order_detail, order_id).items[0].id)


def test_a_road_item_closes_its_zone_and_closing_the_order_lifts_it(sample):
    order_id, items = _order(sample, RURAL)
    road = next(i for i in items if i.layer == "roads")
    block = call_as(sample, principal_for(sample, "duty"), confirm_item, road.id, "已设卡")
    (active, kind), = _rows(sample, "SELECT active, kind FROM road_block WHERE id = :b", b=block)
    assert bool(active) and kind == "area"
    assert read(sample, control_reads.order_detail, order_id).items[
        [i.id for i in items].index(road.id)].road_block_id == block
    assert call(sample, close_order, order_id) == [block]
    assert not bool(_rows(sample, "SELECT active FROM road_block WHERE id = :b", b=block)[0][0])
    with pytest.raises(Conflict):
        call(sample, close_order, order_id)
    other = next(i for i in items if i.id != road.id)
    with pytest.raises(Conflict) as closed:
        call(sample, confirm_item, other.id)
    assert closed.value.code == "controls.order_closed"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_printed_lists_hold_every_item(sample, lang):
    import docx
    import openpyxl
    order_id, items = _order(sample, CITY)
    call(sample, confirm_item, items[0].id, "ok")
    document = docx.Document(io.BytesIO(read(sample, control_print.order_docx, order_id, lang)))
    cells = {c.text for table in document.tables for row in table.rows for c in row.cells}
    book = openpyxl.load_workbook(io.BytesIO(read(sample, control_print.order_xlsx, order_id, lang)))
    values = {str(c.value) for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value}
    page = read(sample, control_print.order_html, order_id, lang)
    sample_mark = " (示例数据)" if lang == "zh" else " (Sample data)"
    for item in items:
        assert item.name + sample_mark in cells and item.name + sample_mark in values, item.name
        assert html.escape(item.name + sample_mark) in page
        if item.contact_phone:
            assert item.contact_phone in cells and item.contact_phone in values
    text_all = "\n".join(p.text for p in document.paragraphs)
    assert ("示例数据" if lang == "zh" else "Sample data") in text_all
    assert len(document.tables) == sum(1 for a in v.CONTROL_ACTIONS if any(i.action == a for i in items))

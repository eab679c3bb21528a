"""Geocoding (issue 13, point 2): rows without coordinates placed from their address at the village's real location
(村级) or the township's seat (乡镇级), refused when nothing is known; moving a record to its spot is audited."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select, text

from services import vocabulary
from services.data.geocode import gazetteer, place
from services.data.imports import ImportRejected, import_file
from services.data.locations import move_record, unverified_locations
from services.errors import FieldError
from services.models import AuditLog, HazardPoint
from tests.conftest import call, call_as, csv_for, principal_for, read

SHIHUI, ZHUOSHUI = "500114106", "500114112"
GUANHOU = "500114106001"  # 关后社区居民委员会, 石会镇
REAL_SEAT = (108.61234, 29.56789)  # as an imported OpenStreetMap place node would give it


def township_seat(settings, code: str) -> tuple[float, float]:
    from services.db.uow import unit_of_work
    with unit_of_work(settings) as uow:
        return tuple(uow.session.execute(text("SELECT seat_lon, seat_lat FROM township WHERE code = :c"),
                                         {"c": code}).one())


@pytest.fixture
def district(fresh):
    from services.db.uow import unit_of_work
    with unit_of_work(fresh, write=True) as uow:  # 关后社区 has a real location; every other village none
        uow.session.execute(text("UPDATE village SET seat_lon = NULL, seat_lat = NULL"))
        uow.session.execute(text("UPDATE village SET seat_lon = :lon, seat_lat = :lat, seat_is_sample = :f "
                                 "WHERE code = :c"), {"lon": REAL_SEAT[0], "lat": REAL_SEAT[1], "f": False, "c": GUANHOU})
    return fresh


def hazard(code: str, *, address: str = "", township: str = "", village: str = "", lon: str = "", lat: str = ""):
    return {"隐患点编号": code, "名称": f"测试{code}", "灾害类型": "滑坡", "威胁户数": "1", "威胁人数": "3",
            "威胁财产(万元)": "1", "稳定性": "不稳定", "影响半径(米)": "50", "预警等级": "无", "村(社区)": village,
            "地址": address, "乡镇街道": township, "经度": lon, "纬度": lat}


def stored(settings) -> dict[str, tuple]:
    from services.db.uow import unit_of_work
    with unit_of_work(settings) as uow:
        rows = uow.session.execute(select(HazardPoint.code, HazardPoint.location_quality, HazardPoint.lon,
                                          HazardPoint.lat, HazardPoint.township_code, HazardPoint.village))
        return {r[0]: tuple(r[1:]) for r in rows}


def test_addresses_give_their_quality_and_point(district):
    rows = [hazard("G-1", address="黔江区石会镇关后社区3组"),          # a village with a real location
            hazard("G-2", address="石会镇中元村2组"),                  # a village without one: its township's seat
            hazard("G-3", township="濯水"),                            # a township only, by its short name
            hazard("G-4", address="重庆市黔江区石会关后居委"),          # township short name, community form
            hazard("G-5", village="中元村", township="石会镇"),         # the village column
            hazard("G-6", address="某路", lon="108.70", lat="29.40")]   # coordinates given
    call(district, import_file, "hazards", csv_for("hazards", rows), "地址.csv")
    shihui, zhuoshui = township_seat(district, SHIHUI), township_seat(district, ZHUOSHUI)
    got = stored(district)
    assert got["G-1"][:4] == (vocabulary.LOCATION_VILLAGE, *REAL_SEAT, SHIHUI)
    assert got["G-2"][:4] == (vocabulary.LOCATION_TOWNSHIP, *shihui, SHIHUI)
    assert got["G-3"][:4] == (vocabulary.LOCATION_TOWNSHIP, *zhuoshui, ZHUOSHUI)
    assert got["G-4"][:4] == (vocabulary.LOCATION_VILLAGE, *REAL_SEAT, SHIHUI)
    assert got["G-5"][:4] == (vocabulary.LOCATION_TOWNSHIP, *shihui, SHIHUI) and got["G-5"][4] == "中元村村民委员会"
    assert got["G-6"][0] == vocabulary.LOCATION_EXACT and got["G-6"][1:3] == (108.70, 29.40)
    listed = {u.key: u.quality for u in read(district, unverified_locations)}
    assert listed == {"G-1": "村级", "G-2": "乡镇级", "G-3": "乡镇级", "G-4": "村级", "G-5": "乡镇级"}


def test_an_address_naming_nothing_known_is_refused_by_row_and_nothing_is_written(district):
    rows = [hazard("N-1", address="石会镇关后社区"), hazard("N-2", address="某某路88号"),
            hazard("N-3", lon="108.70")]
    with pytest.raises(ImportRejected) as caught:
        call(district, import_file, "hazards", csv_for("hazards", rows), "地址.csv")
    errors = [(e.row, e.column, e.code) for e in caught.value.errors]
    assert errors == [(3, "经度", "unlocated"), (4, "纬度", "required")]
    assert stored(district) == {}


def test_place_prefers_the_longest_name_and_the_row_township(district):
    gz = read(district, gazetteer)
    assert place(gz, "关后社区居民委员会").village_code == GUANHOU
    assert place(gz, "不知道").quality == vocabulary.LOCATION_NONE
    assert place(gz, "城西街道", township_code=SHIHUI).township_code == SHIHUI  # the township column wins


def test_moving_a_record_is_audited_and_makes_it_exact(district):
    call(district, import_file, "hazards", csv_for("hazards", [hazard("M-1", address="石会镇中元村")]), "m.csv")
    record_id = read(district, lambda uow: uow.session.scalar(select(HazardPoint.id).where(HazardPoint.code == "M-1")))
    planner = principal_for(district, "planner")
    moved = call_as(district, planner, move_record, "hazards", record_id, 108.7702, 29.30309)  # into 濯水镇
    assert (moved.quality, moved.previous_quality, moved.township_code) == ("坐标", "乡镇级", ZHUOSHUI)
    assert stored(district)["M-1"][:4] == ("坐标", 108.7702, 29.30309, ZHUOSHUI)
    log = read(district, lambda uow: uow.session.execute(select(
        AuditLog.entity, AuditLog.entity_key, AuditLog.actor, AuditLog.detail).where(AuditLog.action == "relocate")).all())
    assert [tuple(r[:3]) for r in log] == [("hazards", "M-1", planner.actor)]
    assert json.loads(log[0][3])["from"] == "乡镇级"
    assert read(district, unverified_locations) == []


def test_a_move_outside_the_district_or_by_a_viewer_is_refused_and_changes_nothing(district):
    call(district, import_file, "hazards", csv_for("hazards", [hazard("M-2", address="石会镇中元村")]), "m.csv")
    record_id = read(district, lambda uow: uow.session.scalar(select(HazardPoint.id).where(HazardPoint.code == "M-2")))
    with pytest.raises(FieldError) as caught:
        call_as(district, principal_for(district, "planner"), move_record, "hazards", record_id, 100.0, 20.0)
    assert caught.value.field == "lon"
    with pytest.raises(Exception) as refused:
        call_as(district, principal_for(district, "viewer"), move_record, "hazards", record_id, 108.77, 29.30)
    assert getattr(refused.value, "status", None) == 403
    assert stored(district)["M-2"][0] == "乡镇级"

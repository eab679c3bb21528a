"""A small world of live records with known times in 2025 Q3, for the trends and report tests.

Records are made through the services (as users make them), then their times are set by SQL to the instants
below (the services stamp the present). 2025 Q3 in Asia/Shanghai is [2025-06-30T16:00Z, 2025-09-30T16:00Z); every
time here is in the past, so nothing is still pending when a test reads at the present time.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update

from services import vocabulary
from services.data.imports import import_file
from services.db.uow import unit_of_work
from services.dispatch.incidents import IncidentReport, report_incident
from services.dispatch.orders import advance_order, assign_team
from services.dispatch.warnings import WarningRequest, acknowledge, issue_warning
from services.evacuation.moves import record_move
from services.field.patrols import PatrolReport, record_patrol
from services.models import (
    AuditLog,
    DispatchOrder,
    EvacuationMove,
    HazardPatrol,
    HazardPoint,
    RescueTeam,
    Shelter,
    Warning,
    WarningRecipient,
)
from tests.conftest import call, csv_for

UTC = dt.UTC
CX, ZY = "500114003", "500114004"  # 城西街道, 正阳街道
CX_POINT, ZY_POINT = (108.7748, 29.5328), (108.7873, 29.45873)
QUARTER = "2025Q3"
SINCE, UNTIL = dt.datetime(2025, 6, 30, 16, tzinfo=UTC), dt.datetime(2025, 9, 30, 16, tzinfo=UTC)


def at(month: int, day: int, hour: int = 0, minute: float = 0, year: int = 2025) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=UTC) + dt.timedelta(minutes=minute)


# (kind, township point, occurred at): 1 and 7 fall outside the quarter by a minute of local time.
INCIDENTS = [("滑坡", CX_POINT, at(6, 30, 15, 59)), ("滑坡", CX_POINT, at(6, 30, 16)), ("洪涝", CX_POINT, at(7, 15, 3)),
             ("火灾", CX_POINT, at(7, 31, 17, 30)), ("森林火灾", ZY_POINT, at(8, 20, 2)),
             ("道路交通事故", ZY_POINT, at(9, 30, 15, 59)), ("传染病疫情", ZY_POINT, at(9, 30, 16))]
# name: level, hazard type, township, issued, valid hours, 叫应 limit, {recipient: minutes to 叫应 or None}
WARNINGS = {
    "W0": ("蓝", "洪涝", CX, at(6, 29), 144, 15, {"z": None}),
    "W1": ("蓝", "滑坡", CX, at(7, 10, 2), 24, 15, {"a": 5, "b": 20, "c": None}),
    "W2": ("橙", "滑坡", CX, at(7, 10, 8), 24, 15, {"d": 10, "e": 14.5}),
    "W3": ("黄", "滑坡", ZY, at(7, 10, 9), 24, 15, {"f": 3}),
    "W4": ("红", "森林火险", ZY, at(8, 5), 24, 30, {"g": 40, "h": 25}),
    "W5": ("黄", "洪涝", CX, at(7, 1), 24, 15, {"i": None}),
    "W6": ("黄", "滑坡", CX, at(9, 20), 24, 15, {"j": None}),
}
# order: team, incident number (above), created, minutes to arrival (None: set out, not arrived)
ORDERS = [("T1", 0, at(6, 30, 15, 59.5), 20.5), ("T1", 2, at(7, 15, 3, 10), 25), ("T1", 3, at(8, 1), 35),
          ("T2", 3, at(8, 1, 0, 5), None), ("T3", 4, at(8, 20, 2, 30), 61)]
# move: hazard code, people, into the shelter, at
MOVES = [("H-CX", 5, True, at(7, 5, 16, 30)), ("H-CX", 3, False, at(7, 6, 1)), ("H-ZY", 2, False, at(8, 10, 4)),
         ("H-CX", 4, False, at(6, 30, 15))]
# patrol: hazard code, raised to (None: nothing found), at
PATROLS = [("H-CX", "黄", at(8, 1)), ("H-ZY", "黄", at(8, 2)), ("H-CX", "橙", at(10, 5)), ("H-CX", None, at(8, 3))]


def _resources(settings) -> None:
    teams = [("T1", "地质灾害救援", CX_POINT), ("T2", "综合性消防救援", CX_POINT), ("T3", "森林消防", ZY_POINT)]
    call(settings, import_file, "teams", csv_for("teams", [
        {"队伍编号": code, "名称": f"队伍{code}", "队伍类型": kind, "人数": "20", "状态": "待命",
         "经度": str(lon), "纬度": str(lat)} for code, kind, (lon, lat) in teams]), "t.csv")
    hazards = [("H-CX", "滑坡", CX_POINT), ("H-ZY", "森林火险", ZY_POINT)]
    call(settings, import_file, "hazards", csv_for("hazards", [
        {"隐患点编号": code, "名称": f"隐患{code}", "灾害类型": kind, "威胁户数": "3", "威胁人数": "9", "威胁财产(万元)": "5",
         "稳定性": "不稳定", "影响半径(米)": "200", "预警等级": "无", "经度": str(lon), "纬度": str(lat)}
        for code, kind, (lon, lat) in hazards]), "h.csv")
    call(settings, import_file, "shelters", csv_for("shelters", [{
        "场所编号": "S1", "名称": "测试场所", "场所类型": "固定(短期)", "场所级别": "Ⅲ", "依托设施": "学校",
        "有效面积(平方米)": "500", "核定容量(人)": "100", "已安置人数": "0", "不可用位数": "0", "状态": "开放",
        "有饭吃": "是", "有衣穿": "是", "有干净水": "是", "有住处": "是", "有医疗": "是",
        "经度": str(CX_POINT[0]), "纬度": str(CX_POINT[1])}]), "s.csv")


def _warnings(uow) -> None:
    for name, (level, hazard, township, issued, hours, limit, people) in WARNINGS.items():
        warning_id = issue_warning(uow, WarningRequest(level=level, hazard_type=hazard, headline=name,
                                                       townships=[township], include_hazard_monitors=False,
                                                       recipients=[{"name": p} for p in people],
                                                       ack_timeout_min=limit))
        rows = dict(uow.session.execute(select(WarningRecipient.name, WarningRecipient.id).where(
            WarningRecipient.warning_id == warning_id)).all())
        for person, minutes in people.items():
            if minutes is not None:
                acknowledge(uow, warning_id, rows[person])
                uow.session.execute(update(WarningRecipient).where(WarningRecipient.id == rows[person]).values(
                    acknowledged_at=issued + dt.timedelta(minutes=minutes)))
        uow.session.execute(update(Warning).where(Warning.id == warning_id).values(
            issued_at=issued, valid_until=issued + dt.timedelta(hours=hours)))


def _orders(uow, incidents: list[int]) -> None:
    teams = dict(uow.session.execute(select(RescueTeam.code, RescueTeam.id)).all())
    for team, incident, created, minutes in ORDERS:
        order = assign_team(uow, incidents[incident], teams[team])
        advance_order(uow, order, vocabulary.ORDER_DEPARTED)
        if minutes is not None:
            advance_order(uow, order, vocabulary.ORDER_ARRIVED)
            uow.session.flush()
            uow.session.execute(update(AuditLog).where(
                AuditLog.entity == "dispatch_order", AuditLog.entity_key == str(order),
                AuditLog.detail.contains(vocabulary.ORDER_ARRIVED)).values(at=created + dt.timedelta(minutes=minutes)))
            advance_order(uow, order, vocabulary.ORDER_DONE)
        uow.session.execute(update(DispatchOrder).where(DispatchOrder.id == order).values(created_at=created))


def _field(uow) -> None:
    hazards = dict(uow.session.execute(select(HazardPoint.code, HazardPoint.id)).all())
    shelter = uow.session.scalar(select(Shelter.id))
    for code, people, housed, when in MOVES:
        record_move(uow, hazards[code], people, shelter_id=shelter if housed else None)
        uow.session.flush()
        newest = uow.session.scalar(select(EvacuationMove.id).order_by(EvacuationMove.id.desc()).limit(1))
        uow.session.execute(update(EvacuationMove).where(EvacuationMove.id == newest).values(at=when))
    for code, raised, when in PATROLS:
        state = vocabulary.PATROL_CHANGED if raised else vocabulary.PATROL_NORMAL
        patrol = record_patrol(uow, hazards[code], PatrolReport(state=state, raise_to=raised))
        uow.session.execute(update(HazardPatrol).where(HazardPatrol.id == patrol.id).values(at=when))


def build_world(settings) -> dict[str, int]:
    """Make the records of this module in ``settings``' database (geography loaded, no sample)."""
    _resources(settings)
    with unit_of_work(settings, write=True, actor="test") as uow:
        incidents = [report_incident(uow, IncidentReport(title=f"事件{n}", kind=kind, level="Ⅳ", lon=lon, lat=lat,
                                                         occurred_at=when, reporter="test"))
                     for n, (kind, (lon, lat), when) in enumerate(INCIDENTS)]
        _warnings(uow)
        _orders(uow, incidents)
        _field(uow)
    return {"incidents": len(incidents)}

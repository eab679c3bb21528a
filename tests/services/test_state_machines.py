"""Property tests (hypothesis state machines) against plain Python models of the rules, on SQLite and PostGIS.

- occupancy of every shelter equals the people housed by the moves recorded into it, under any sequence of moves
  (and never exceeds its capacity);
- incidents and orders follow their lifecycle tables: an allowed step changes the status and adds one timeline
  line, a refused one changes nothing.
"""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, settings as hsettings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
from sqlalchemy import text

from services import vocabulary
from services.data.imports import import_file
from services.db import read_session
from services.errors import FieldError
from tests.conftest import prepared, BACKENDS, _cleanup, call, csv_for

CITY = (108.7748, 29.5328)
CAPACITY = {"S1": 20, "S2": 35}


@pytest.fixture(scope="module", params=BACKENDS)
def world(request, tmp_path_factory):
    settings = prepared(request.param, tmp_path_factory.mktemp(f"machines-{request.param}"), tmp_path_factory,
                        with_sample=False)
    rows = [{"场所编号": code, "名称": f"场所{code}", "场所类型": "紧急", "场所级别": "Ⅲ", "依托设施": "广场",
             "有效面积(平方米)": "1000", "核定容量(人)": str(cap), "已安置人数": "0", "不可用位数": "0", "状态": "开放",
             "有饭吃": "是", "有衣穿": "是", "有干净水": "是", "有住处": "是", "有医疗": "是",
             "经度": str(CITY[0] + i * 0.001), "纬度": str(CITY[1])} for i, (code, cap) in enumerate(CAPACITY.items())]
    call(settings, import_file, "shelters", csv_for("shelters", rows), "s.csv")
    call(settings, import_file, "hazards", csv_for("hazards", [{
        "隐患点编号": "H1", "名称": "滑坡", "灾害类型": "滑坡", "威胁户数": "10", "威胁人数": "60", "威胁财产(万元)": "1",
        "稳定性": "不稳定", "影响半径(米)": "50", "预警等级": "橙", "经度": str(CITY[0]), "纬度": str(CITY[1] + 0.01)}]),
        "h.csv")
    call(settings, import_file, "teams", csv_for("teams", [{"队伍编号": "T1", "名称": "测试队", "队伍类型": "地质灾害救援",
                                                    "人数": "10", "状态": "待命", "经度": str(CITY[0]),
                                                    "纬度": str(CITY[1])}]), "t.csv")
    yield settings
    _cleanup(settings)


def sql(settings, statement: str, **params):
    with read_session(settings.database_url) as session:
        return session.execute(text(statement), params).all()


def test_occupancy_always_equals_the_housed_moves(world):
    from services.evacuation.moves import record_move
    ids = dict(sql(world, "SELECT code, id FROM shelter"))

    class Moves(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            with read_session(world.database_url) as session:  # a new run starts from empty shelters
                session.execute(text("DELETE FROM evacuation_move"))
                session.execute(text("UPDATE shelter SET occupancy_people = 0"))
                session.commit()
            self.housed = dict.fromkeys(CAPACITY, 0)

        @rule(code=st.sampled_from([*CAPACITY, None]), people=st.integers(1, 25))
        def move(self, code, people):
            free = CAPACITY[code] - self.housed[code] if code else None
            try:
                call(world, record_move, 1, people, shelter_id=ids[code] if code else None)
                accepted = True
            except FieldError as exc:
                assert exc.code == "shelter.full"
                accepted = False
            assert accepted == (code is None or people <= free)
            if accepted and code:
                self.housed[code] += people

        @invariant()
        def occupancy_is_the_ledger(self):
            rows = sql(world, "SELECT s.code, s.occupancy_people, COALESCE(SUM(m.people), 0) FROM shelter s "
                              "LEFT JOIN evacuation_move m ON m.shelter_id = s.id GROUP BY s.code, s.occupancy_people")
            for code, occupancy, ledger in rows:
                assert occupancy == ledger == self.housed[code] <= CAPACITY[code]

    Moves.TestCase.settings = hsettings(max_examples=12, stateful_step_count=12, deadline=None,
                                        suppress_health_check=list(HealthCheck))
    Moves.TestCase().runTest()


def test_incidents_and_orders_follow_their_lifecycles(world):
    from services.dispatch.incidents import IncidentReport, change_status, report_incident
    from services.dispatch.orders import advance_order, assign_team
    team = sql(world, "SELECT id FROM rescue_team WHERE code = 'T1'")[0][0]

    class Lifecycle(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            sql_write(world, "UPDATE dispatch_order SET status = '取消' WHERE status IN ('已派', '出发', '到达')")
            sql_write(world, "UPDATE rescue_team SET status = '待命'")
            self.incident = call(world, report_incident, IncidentReport(
                title="状态机", kind="滑坡", level="Ⅳ", lon=CITY[0], lat=CITY[1],
                occurred_at=dt.datetime.now(dt.timezone.utc), reporter="x"))
            self.status, self.order, self.order_status, self.lines = "接报", None, None, 1

        @rule(to=st.sampled_from(vocabulary.INCIDENT_STATUSES))
        def incident_step(self, to):
            allowed = to in vocabulary.INCIDENT_TRANSITIONS[self.status]
            try:
                call(world, change_status, self.incident, to)
                assert allowed
                self.status, self.lines = to, self.lines + 1
            except FieldError:
                assert not allowed

        @precondition(lambda self: self.order is None)
        @rule()
        def dispatch(self):
            try:
                self.order = call(world, assign_team, self.incident, team)
                assert self.status != "已结束"
                self.order_status, self.lines = "已派", self.lines + 1
            except FieldError as exc:
                assert self.status == "已结束" and exc.code == "incident.closed"

        @precondition(lambda self: self.order is not None)
        @rule(to=st.sampled_from(vocabulary.ORDER_STATUSES))
        def order_step(self, to):
            allowed = to in vocabulary.ORDER_TRANSITIONS[self.order_status]
            try:
                call(world, advance_order, self.order, to)
                assert allowed
                self.order_status, self.lines = to, self.lines + 1
            except FieldError:
                assert not allowed

        @invariant()
        def database_agrees(self):
            status = sql(world, "SELECT status FROM incident WHERE id = :i", i=self.incident)[0][0]
            lines = sql(world, "SELECT COUNT(*) FROM incident_event WHERE incident_id = :i", i=self.incident)[0][0]
            assert (status, lines) == (self.status, self.lines)
            if self.order is not None:
                order = sql(world, "SELECT status FROM dispatch_order WHERE id = :i", i=self.order)[0][0]
                team_status = sql(world, "SELECT status FROM rescue_team WHERE id = :i", i=team)[0][0]
                assert order == self.order_status
                assert team_status == ("出动" if order in vocabulary.ACTIVE_ORDER_STATUSES else "待命")

    Lifecycle.TestCase.settings = hsettings(max_examples=15, stateful_step_count=10, deadline=None,
                                            suppress_health_check=list(HealthCheck))
    Lifecycle.TestCase().runTest()


def sql_write(settings, statement: str) -> None:
    with read_session(settings.database_url) as session:
        session.execute(text(statement))
        session.commit()

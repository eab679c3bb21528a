"""Every read-check-write under concurrent clients, on SQLite and PostGIS: no lost update, one winner, no 500.

Each test starts N threads at a barrier, each running the service in its own unit of work (as N API requests
would), then checks the outcome against a direct SQL count — not against the service's own figures.
"""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import select, text

from services.data.imports import import_file
from services.db import read_session
from services.errors import FieldError
from tests.conftest import call, csv_for

CITY = (108.7748, 29.5328)
THREADS = 8


def race(n: int, work) -> list[tuple[str, object]]:
    """Run ``work(i)`` in ``n`` threads released together; ("ok", value) or ("refused", FieldError) each."""
    barrier, outcomes, lock = threading.Barrier(n), [], threading.Lock()

    def run(i: int) -> None:
        barrier.wait()
        try:
            result = ("ok", work(i))
        except FieldError as exc:
            result = ("refused", exc)
        except Exception as exc:  # noqa: BLE001 — a server error is exactly what these tests look for
            result = ("error", repr(exc))
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not [o for o in outcomes if o[0] == "error"], outcomes
    assert len(outcomes) == n
    return outcomes


def scalar(settings, sql: str, **params):
    with read_session(settings.database_url) as session:
        return session.execute(text(sql), params).scalar()


@pytest.fixture
def shelter_and_hazard(fresh):
    """One open shelter of 30 declared places and one hazard point threatening 100 people."""
    call(fresh, import_file, "shelters", csv_for("shelters", [{
        "场所编号": "S1", "名称": "测试场所", "场所类型": "固定(短期)", "场所级别": "Ⅲ", "依托设施": "学校",
        "有效面积(平方米)": "500", "核定容量(人)": "30", "已安置人数": "0", "不可用位数": "0", "状态": "开放",
        "有饭吃": "是", "有衣穿": "是", "有干净水": "是", "有住处": "是", "有医疗": "是",
        "经度": str(CITY[0]), "纬度": str(CITY[1])}]), "s.csv")
    call(fresh, import_file, "hazards", csv_for("hazards", [{
        "隐患点编号": "H1", "名称": "测试滑坡", "灾害类型": "滑坡", "威胁户数": "30", "威胁人数": "100",
        "威胁财产(万元)": "1", "稳定性": "不稳定", "影响半径(米)": "50", "预警等级": "橙", "监测人": "李监测",
        "监测人电话": "13900000001", "经度": str(CITY[0]), "纬度": str(CITY[1] + 0.005)}]), "h.csv")
    return fresh


def test_moves_from_many_threads_never_overfill_a_shelter_nor_lose_a_person(shelter_and_hazard):
    from services.evacuation.moves import record_move
    settings = shelter_and_hazard
    shelter_id = scalar(settings, "SELECT id FROM shelter WHERE code = 'S1'")

    def five_moves(i: int) -> int:
        done = 0
        for _ in range(5):
            try:
                call(settings, record_move, 1, 1, shelter_id=shelter_id, actor=f"t{i}")
                done += 1
            except FieldError as exc:
                assert exc.code == "shelter.full"
        return done

    outcomes = race(THREADS, five_moves)
    housed = sum(v for _, v in outcomes)
    occupancy = scalar(settings, "SELECT occupancy_people FROM shelter WHERE id = :i", i=shelter_id)
    ledger = scalar(settings, "SELECT SUM(people) FROM evacuation_move WHERE shelter_id = :i", i=shelter_id)
    assert housed == 30 and occupancy == 30 and ledger == 30  # 40 tries, 30 places: every place used once


def test_one_acknowledgement_per_recipient_however_many_press_at_once(shelter_and_hazard):
    from services.dispatch.warnings import WarningRequest, acknowledge, issue_warning
    settings = shelter_and_hazard
    warning_id = call(settings, issue_warning, WarningRequest(level="橙", hazard_type="地质灾害", headline="橙色预警",
                                                              hazard_ids=[1]))
    recipient = scalar(settings, "SELECT id FROM warning_recipient WHERE warning_id = :w", w=warning_id)
    outcomes = race(THREADS, lambda i: call(settings, acknowledge, warning_id, recipient, actor=f"t{i}"))
    assert sorted(kind for kind, _ in outcomes) == ["ok"] + ["refused"] * (THREADS - 1)
    assert all(exc.code == "warning.acknowledged" for kind, exc in outcomes if kind == "refused")
    assert scalar(settings, "SELECT COUNT(*) FROM audit_log WHERE action = 'acknowledge'") == 1


def test_a_warning_is_lifted_once(shelter_and_hazard):
    from services.dispatch.warnings import WarningRequest, issue_warning, lift_warning
    settings = shelter_and_hazard
    warning_id = call(settings, issue_warning, WarningRequest(level="黄", hazard_type="地质灾害", headline="黄色预警",
                                                              hazard_ids=[1]))
    outcomes = race(4, lambda i: call(settings, lift_warning, warning_id, actor=f"t{i}"))
    assert [kind for kind, _ in outcomes].count("ok") == 1
    assert scalar(settings, "SELECT COUNT(*) FROM audit_log WHERE action = 'lift'") == 1


def _incident_with_team(settings) -> tuple[int, int]:
    import datetime as dt

    from services.dispatch.incidents import IncidentReport, report_incident
    call(settings, import_file, "teams", csv_for("teams", [{"队伍编号": "T1", "名称": "测试救援队", "队伍类型": "地质灾害救援",
                                                    "人数": "12", "状态": "待命", "经度": str(CITY[0]),
                                                    "纬度": str(CITY[1])}]), "t.csv")
    incident = call(settings, report_incident, IncidentReport(
        title="测试滑坡", kind="滑坡", level="Ⅳ", lon=CITY[0], lat=CITY[1],
        occurred_at=dt.datetime.now(dt.timezone.utc), reporter="乡镇"))
    return incident, scalar(settings, "SELECT id FROM rescue_team WHERE code = 'T1'")


def test_an_incident_and_an_order_move_one_step_once(shelter_and_hazard):
    from services.dispatch.incidents import change_status
    from services.dispatch.orders import advance_order, assign_team
    settings = shelter_and_hazard
    incident, team = _incident_with_team(settings)
    outcomes = race(4, lambda i: call(settings, change_status, incident, "核实", actor=f"t{i}"))
    assert [kind for kind, _ in outcomes].count("ok") == 1
    order = call(settings, assign_team, incident, team)
    outcomes = race(4, lambda i: call(settings, advance_order, order, "出发", actor=f"t{i}"))
    assert [kind for kind, _ in outcomes].count("ok") == 1
    assert scalar(settings, "SELECT COUNT(*) FROM incident_event WHERE code = 'event.order'") == 1  # → 出发 once
    assert scalar(settings, "SELECT COUNT(*) FROM incident_event WHERE code = 'event.status'") == 1  # → 核实 once


def test_needs_profiles_saved_at_once_get_distinct_versions(fresh):
    from services.supply.needs import DEFAULT_NEEDS, save_profile
    outcomes = race(6, lambda i: call(fresh, save_profile, DEFAULT_NEEDS, note=f"v{i}", actor=f"t{i}"))
    versions = [v for _, v in outcomes]
    assert len(set(versions)) == 6 and [kind for kind, _ in outcomes] == ["ok"] * 6
    assert scalar(fresh, "SELECT COUNT(DISTINCT version) FROM needs_profile") == 6


def test_a_closure_is_lifted_once(fresh):
    from services.roads.closures import block_area, lift_block
    area = {"type": "Polygon", "coordinates": [[[108.77, 29.53], [108.78, 29.53], [108.78, 29.54], [108.77, 29.53]]]}
    block = call(fresh, block_area, area, "测试", actor="duty")
    outcomes = race(4, lambda i: call(fresh, lift_block, block.id, actor=f"t{i}"))
    assert [kind for kind, _ in outcomes].count("ok") == 1
    assert scalar(fresh, "SELECT COUNT(*) FROM audit_log WHERE action = 'lift'") == 1


def test_a_place_closed_by_several_users_at_once_is_closed_once(fresh):
    from services.roads.closures import block_area
    area = {"type": "Polygon", "coordinates": [[[108.77, 29.53], [108.78, 29.53], [108.78, 29.54], [108.77, 29.53]]]}
    outcomes = race(4, lambda i: call(fresh, block_area, area, f"第{i}次", actor=f"t{i}"))
    assert sorted(kind for kind, _ in outcomes) == ["ok", "refused", "refused", "refused"]
    assert {exc.code for kind, exc in outcomes if kind == "refused"} == {"road.already_closed"}
    assert scalar(fresh, "SELECT COUNT(*) FROM road_block") == 1
    assert scalar(fresh, "SELECT COUNT(*) FROM audit_log WHERE action = 'block'") == 1


def test_the_change_counter_counts_every_committed_write_in_order(shelter_and_hazard):
    from services.evacuation.moves import record_move
    settings = shelter_and_hazard
    before = scalar(settings, "SELECT value FROM change_counter")
    race(THREADS, lambda i: call(settings, record_move, 1, 1, actor=f"t{i}"))
    after = scalar(settings, "SELECT value FROM change_counter")
    seqs = [r for r, in read_session_rows(settings, "SELECT change_seq FROM audit_log WHERE action = 'evacuate' "
                                                    "ORDER BY change_seq")]
    assert after - before == THREADS and seqs == list(range(before + 1, after + 1))  # no gap, no repeat


def read_session_rows(settings, sql: str) -> list:
    with read_session(settings.database_url) as session:
        return list(session.execute(text(sql)))


def test_a_poller_never_misses_a_change_committed_out_of_order(fresh):
    """PostgreSQL: an id taken first can commit last; the feed must still show it after what it has seen."""
    if fresh.database_kind != "postgresql":
        pytest.skip("SQLite writers are serialised (BEGIN IMMEDIATE): no two write transactions overlap")
    import datetime as dt

    from services.db.uow import unit_of_work
    from services.dispatch.incidents import IncidentReport, events_since, report_incident
    report = IncidentReport(title="甲", kind="滑坡", level="Ⅳ", lon=CITY[0], lat=CITY[1],
                            occurred_at=dt.datetime.now(dt.timezone.utc), reporter="a")
    with unit_of_work(fresh, write=True, actor="slow") as slow:
        report_incident(slow, report)
        slow.session.flush()  # its rows (and ids) exist, uncommitted
        call(fresh, report_incident, IncidentReport(**{**report.__dict__, "title": "乙"}))  # commits first
        seen = call(fresh, events_since, 0, write=False)
        assert [e["text"][:4] for e in seen] == ["接报：乙"]
    after = call(fresh, events_since, seen[-1]["seq"], write=False)
    assert [e["text"][:4] for e in after] == ["接报：甲"]


def test_direct_sql_agrees_with_the_capacity_rule(shelter_and_hazard):
    """The SQL capacity expression (used by the conditional UPDATEs) equals the Python rule, shelter by shelter."""
    import dataclasses

    from services.evacuation.capacity import capacity_sql, shelter_capacity
    from services.models import Shelter
    rules = dataclasses.replace(shelter_and_hazard.evacuation, area_per_person_by_type={"固定(短期)": 3.3})
    settings = dataclasses.replace(shelter_and_hazard, evacuation=rules)
    with read_session(settings.database_url) as session:
        for declared in (None, 30):
            session.execute(text("UPDATE shelter SET declared_capacity_people = :d"), {"d": declared})
            for area in (0.5, 1.5, 499.9, 500, 1000.05):
                session.execute(text("UPDATE shelter SET effective_area_m2 = :a"), {"a": area})
                declared_now, area_now, kind, in_sql = session.execute(select(
                    Shelter.declared_capacity_people, Shelter.effective_area_m2, Shelter.shelter_type,
                    capacity_sql(settings))).one()
                assert area_now == area and in_sql == shelter_capacity(settings, declared_now, area_now, kind)
        session.rollback()
    assert scalar(settings, "SELECT declared_capacity_people FROM shelter") == 30  # the rollback undid the probes


def test_two_offices_importing_the_same_new_records_at_once_both_succeed(fresh):
    """The second import sees the first's rows and updates them: no unique-key failure after the checks passed."""
    rows = [{"场所编号": f"N{i}", "名称": f"新场所{i}", "场所类型": "紧急", "场所级别": "Ⅲ", "依托设施": "广场",
             "有效面积(平方米)": "300", "核定容量(人)": "", "已安置人数": "0", "不可用位数": "0", "状态": "开放",
             "有饭吃": "是", "有衣穿": "是", "有干净水": "是", "有住处": "是", "有医疗": "是",
             "经度": str(CITY[0] + i * 0.0005), "纬度": str(CITY[1])} for i in range(40)]
    content = csv_for("shelters", rows)
    outcomes = race(4, lambda i: call(fresh, import_file, "shelters", content, f"office{i}.csv", actor=f"office{i}"))
    results = [value for kind, value in outcomes]
    assert [kind for kind, _ in outcomes] == ["ok"] * 4
    assert sorted(r.created for r in results) == [0, 0, 0, 40] and all(r.rows == 40 for r in results)
    assert scalar(fresh, "SELECT COUNT(*) FROM shelter") == 40


def test_two_stock_takings_of_one_depot_at_once_leave_one_of_them(fresh):
    call(fresh, import_file, "depots", csv_for("depots", [{"储备库编号": "D1", "名称": "测试库", "级别": "区级",
                                                  "库容(立方米)": "100", "经度": str(CITY[0]),
                                                  "纬度": str(CITY[1])}]), "d.csv")
    takes = [csv_for("stock", [{"储备库编号": "D1", "物资编码": code, "数量": str(10 * (i + 1)), "最低库存": "0",
                                "有效期至": ""} for code in ("FOOD-RICE", "WATER-BOTTLED")]) for i in range(4)]
    outcomes = race(4, lambda i: call(fresh, import_file, "stock", takes[i], f"take{i}.csv"))
    assert [kind for kind, _ in outcomes] == ["ok"] * 4
    quantities = [q for q, in read_session_rows(fresh, "SELECT quantity FROM stock_line ORDER BY item_code")]
    assert len(quantities) == 2 and quantities[0] == quantities[1]  # one whole stock-taking, not a mixture

"""Timeline events as catalogue codes: written with code + params, read in both languages, and migration 0009
turns the Chinese texts of older databases back into codes (and the downgrade writes the same texts again)."""
from __future__ import annotations

import datetime as dt

from alembic import command
from sqlalchemy import text

from services.data.imports import import_file
from services.db import get_engine
from services.db.schema import alembic_config
from services.dispatch.incidents import IncidentReport, change_status, events_since, incident_detail, report_incident
from services.dispatch.orders import advance_order, assign_team
from tests.conftest import call, csv_for

NOW = dt.datetime(2026, 11, 25, 6, 5, tzinfo=dt.timezone.utc)


def _world(settings) -> tuple[int, int]:
    call(settings, import_file, "teams", csv_for("teams", [
        {"队伍编号": "T1", "名称": "城西：一队", "队伍类型": "地质灾害救援", "人数": "20", "状态": "待命",
         "经度": "108.7748", "纬度": "29.5328"}]), "t.csv")
    incident = call(settings, report_incident, IncidentReport(
        title="城西（二组）滑坡：续报", kind="滑坡", level="Ⅳ", lon=108.7748, lat=29.5328, occurred_at=NOW,
        reporter="城西街道值班员"))
    call(settings, change_status, incident, "核实")
    call(settings, change_status, incident, "处置中", note="已确认 → 需转移：12 人")
    with get_engine(settings.database_url).connect() as conn:
        team_id = conn.execute(text("SELECT id FROM rescue_team")).scalar()
    order = call(settings, assign_team, incident, team_id)
    call(settings, advance_order, order, "出发")
    return incident, order


# What the services wrote before timeline codes, for the events of _world: the independent oracle.
LEGACY_TEXTS = ["接报：城西（二组）滑坡：续报（滑坡，Ⅳ级）", "接报 → 核实", "核实 → 处置中：已确认 → 需转移：12 人",
                "派遣 城西：一队", "城西：一队：已派 → 出发"]


def _rows(settings, sql: str) -> list:
    with get_engine(settings.database_url).connect() as conn:
        return list(conn.execute(text(sql)))


def test_events_are_codes_with_params_read_in_both_languages(fresh):
    incident, _ = _world(fresh)
    timeline = call(fresh, incident_detail, incident)["timeline"]
    assert [e["code"] for e in timeline] == ["event.report", "event.status", "event.status_note", "event.dispatch",
                                             "event.order"]
    assert [e["text"] for e in timeline] == LEGACY_TEXTS  # Chinese as the services always wrote it
    assert timeline[2]["params"] == {"before": "核实", "status": "处置中", "note": "已确认 → 需转移：12 人"}
    assert [e["text_en"] for e in timeline] == [
        "Reported: 城西（二组）滑坡：续报 (Landslide, level IV)", "Reported → Verified",
        "Verified → Being handled: 已确认 → 需转移：12 人", "Dispatched 城西：一队", "城西：一队: Assigned → On the way"]
    feed = call(fresh, events_since, 0)
    assert {k for k in feed[0]} >= {"id", "seq", "kind", "code", "params", "text", "text_en", "actor", "at"}
    stored = _rows(fresh, "SELECT code FROM incident_event ORDER BY id")
    assert [r[0] for r in stored] == [e["code"] for e in timeline]  # the code is what the database holds


def test_migration_turns_legacy_texts_into_codes_and_back(fresh):
    incident, _ = _world(fresh)
    config = alembic_config(fresh.database_url)
    command.downgrade(config, "0008")
    texts = [r[0] for r in _rows(fresh, "SELECT text FROM incident_event ORDER BY id")]
    assert texts == LEGACY_TEXTS  # the downgrade writes what the old code wrote
    odd = [("note", "电话通知乡镇（无模板）"), ("status", "接报 → 未知状态"), ("order", "派遣"),
           ("report", "接报：没有括号的旧格式")]
    with get_engine(fresh.database_url).begin() as conn:
        for kind, legacy in odd:
            conn.execute(text("INSERT INTO incident_event (incident_id, at, actor, kind, text, change_seq) "
                              "SELECT incident_id, at, actor, :kind, :text, change_seq FROM incident_event "
                              "WHERE id = (SELECT MIN(id) FROM incident_event)"), {"kind": kind, "text": legacy})
    command.upgrade(config, "head")
    timeline = call(fresh, incident_detail, incident)["timeline"]
    assert [e["text"] for e in timeline] == LEGACY_TEXTS + [legacy for _, legacy in odd]
    assert [e["code"] for e in timeline] == ["event.report", "event.status", "event.status_note", "event.dispatch",
                                             "event.order"] + ["event.text"] * len(odd)
    assert timeline[0]["params"] == {"title": "城西（二组）滑坡：续报", "kind": "滑坡", "level": "Ⅳ"}
    assert timeline[4]["params"] == {"team": "城西：一队", "before": "已派", "status": "出发"}
    assert timeline[-1]["params"] == {"text": "接报：没有括号的旧格式"} and timeline[-1]["text_en"] == "接报：没有括号的旧格式"
    assert timeline[2]["text_en"].startswith("Verified → Being handled: ")

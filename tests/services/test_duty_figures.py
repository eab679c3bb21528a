"""The duty view's figures on both back-ends: teams out are the teams with an active order (not the roster's
出动 status); the evacuation card names each of its numbers."""
from __future__ import annotations

import datetime as dt
import json

from services.data.imports import import_file
from services.dispatch.duty import duty_figures
from services.dispatch.incidents import IncidentReport, report_incident
from services.dispatch.orders import advance_order, assign_team
from tests.conftest import call, csv_for, read

CITY = (108.7748, 29.5328)


def _teams(settings) -> dict[str, int]:
    from sqlalchemy import text

    from services.db import read_session
    call(settings, import_file, "teams", csv_for("teams", [
        {"队伍编号": code, "名称": f"测试队{code}", "队伍类型": "地质灾害救援", "人数": "20", "状态": status,
         "经度": str(CITY[0]), "纬度": str(CITY[1])} for code, status in (("T1", "出动"), ("T2", "待命"))]), "t.csv")
    with read_session(settings.database_url) as session:
        return dict(session.execute(text("SELECT code, id FROM rescue_team")).all())


def test_teams_out_count_only_teams_with_an_active_order(fresh):
    teams = _teams(fresh)
    assert read(fresh, duty_figures)["teams_out"] == 0  # T1 is 出动 on the roster but has no order
    incident = call(fresh, report_incident, IncidentReport(title="城西滑坡", kind="滑坡", level="Ⅳ", lon=CITY[0],
                                                           lat=CITY[1], occurred_at=dt.datetime.now(dt.timezone.utc),
                                                           reporter="r"))
    order = call(fresh, assign_team, incident, teams["T2"])
    figures = read(fresh, duty_figures)
    assert figures["teams_out"] == 1 and figures["active_orders"] == 1
    call(fresh, advance_order, order, "取消")
    assert read(fresh, duty_figures)["teams_out"] == 0


def test_the_evacuation_card_names_each_number(fresh):
    import sys

    from dashboard.app import create_app
    create_app(fresh)
    figures = sys.modules["pages.duty"]._figures
    f = {"incidents_by_level": {"Ⅰ": 0, "Ⅱ": 0, "Ⅲ": 0, "Ⅳ": 1}, "recipients_waiting": 0, "recipients_escalated": 0,
         "teams_out": 2, "people_moved": 0, "people_evacuated": 92, "places_free": 100866, "target_people": 3000}
    zh = json.dumps([c.to_plotly_json() for c in figures(f, "zh")], ensure_ascii=False, default=str)
    for label, value in (("已转移", "0 人"), ("已安置", "92 人"), ("空余床位", "100,866 人"), ("转移目标", "3,000 人")):
        assert label in zh and value in zh
    en = json.dumps([c.to_plotly_json() for c in figures(f, "en")], default=str)
    for label in ("moved", "housed", "places free", "target", "Teams out (with an active order)"):
        assert label in en

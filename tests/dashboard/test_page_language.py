"""Pages in English: the duty view's timeline, feed, orders, warnings and dispatch rows show English labels of the
vocabulary values (kinds, levels, statuses, colours); only names and texts typed by people stay as written."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from dashboard.app import create_app
from services.data.imports import import_file
from services.db.uow import unit_of_work
from services.dispatch.incidents import IncidentReport, change_status, report_incident
from services.dispatch.orders import advance_order, assign_team
from services.dispatch.warnings import WarningRequest, issue_warning
from tests.conftest import call, csv_for

CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
NOW = dt.datetime(2026, 11, 25, 6, 5, tzinfo=dt.timezone.utc)


def _texts(component) -> list[str]:
    """Every string a Dash component tree shows."""
    if isinstance(component, str):
        return [component]
    if isinstance(component, (list, tuple)):
        return [s for c in component for s in _texts(c)]
    children = getattr(component, "children", None)
    return _texts(children) if children is not None else []


@pytest.fixture
def duty(fresh):
    call(fresh, import_file, "teams", csv_for("teams", [
        {"队伍编号": f"T{i}", "名称": f"Team {i}", "队伍类型": "地质灾害救援", "人数": "20", "状态": "待命",
         "经度": "108.7748", "纬度": "29.5328"} for i in (1, 2)]), "t.csv")
    incident = call(fresh, report_incident, IncidentReport(title="Landslide at Chengxi", kind="滑坡", level="Ⅳ",
                                                           lon=108.7748, lat=29.5328, occurred_at=NOW, reporter="duty"))
    call(fresh, change_status, incident, "核实", actor="duty")
    order = call(fresh, assign_team, incident, 1, actor="duty")
    call(fresh, advance_order, order, "出发", actor="duty")
    call(fresh, issue_warning, WarningRequest(level="橙", hazard_type="地质灾害", headline="Orange alert",
                                              townships=["500114003"], recipients=[{"name": "Li"}]), actor="duty")
    app = create_app(fresh)
    with app.server.app_context():
        import sys
        page = sys.modules["pages.duty"]  # as Dash loaded it: importing dashboard.pages.duty would register /duty twice
        yield fresh, page, incident


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_duty_view_speaks_the_page_language(duty, lang):
    settings, page, incident = duty
    with unit_of_work(settings) as uow:
        _, figures, table, feed, _, _, orders, warnings = page._redraw(uow, -1, lang)
        teams = page.recommend_teams(uow, incident)
        dispatch = page._dispatch_view(uow, incident, teams, None, lang)
    shown = _texts([figures, table, feed, orders, warnings, dispatch])
    joined = "\n".join(shown)
    if lang == "en":
        assert not [s for s in shown if CJK.search(s)], [s for s in shown if CJK.search(s)][:5]
        for expected in ("Landslide", "level IV", "Verified", "Reported → Verified", "Dispatched Team 1",
                         "Team 1: Assigned → On the way", "Orange · Orange alert", "Geological-hazard rescue",
                         "On the way"):
            assert expected in joined, expected
    else:
        for expected in ("滑坡", "Ⅳ级", "核实", "接报 → 核实", "派遣 Team 1", "Team 1：已派 → 出发", "橙色 · Orange alert",
                         "地质灾害救援", "：出发"):
            assert expected in joined, expected


def test_map_filters_and_export_legends_label_vocabulary_values_in_english():
    from dashboard.components.map_panel import _dropdown
    from services.map.export_html import _layer_legend
    dropdown = _dropdown(("hazards", "warning_level"), "en").children[1]
    assert [o["label"] for o in dropdown.options] == ["None", "Blue", "Yellow", "Orange", "Red"]
    assert [o["value"] for o in dropdown.options] == ["无", "蓝", "黄", "橙", "红"]  # what the API filters on
    assert [label for _, label in _layer_legend("teams", {}, "en")] == ["Standby", "Deployed", "Resting"]
    assert [label for _, label in _layer_legend("enterprises", {"risk_level": ("重大",)}, "zh")] == ["重大"]

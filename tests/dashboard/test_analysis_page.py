"""The 分析研判 page through its own callbacks, on both back-ends: every figure shown equals a count made directly
from the database (by township, sector and level), filters change them, the Excel export holds the same rows,
the report links carry the choice, and township staff are refused.
"""
from __future__ import annotations

import io
import json
from urllib.parse import parse_qs, urlparse

import pytest
from openpyxl import load_workbook
from sqlalchemy import text

from dashboard.app import create_app
from services.db import read_session
from tests.conftest import signed_in

HOME = "500114001"


@pytest.fixture(scope="module")
def app(seeded):
    application = create_app(seeded)
    application.server.test_client().get("/_dash-dependencies")  # registers the pages' callbacks
    return application


def _sql(settings, sql: str, **params) -> list[tuple]:
    with read_session(settings.database_url) as session:
        return [tuple(r) for r in session.execute(text(sql), params)]


def run(app, client, first_output: str, values: dict[str, object], *, status: int = 200):
    """Run the callback whose first output is ``first_output`` with ``values`` by "id.property"; its answer."""
    key = next(k for k in app.callback_map if k.lstrip(".").startswith(first_output + "."))
    spec = app.callback_map[key]
    item = lambda d: {"id": d["id"], "property": d["property"], "value": values.get(f"{d['id']}.{d['property']}")}
    outputs = [{"id": o.split(".")[0], "property": o.split(".")[1]} for o in key.strip(".").split("...")]
    body = {"output": key, "outputs": outputs if len(outputs) > 1 else outputs[0],
            "inputs": [item(d) for d in spec["inputs"]], "state": [item(d) for d in spec["state"]],
            "changedPropIds": [f"{d['id']}.{d['property']}" for d in spec["inputs"][:1]]}
    answer = client.post("/_dash-update-component", json=body)
    assert answer.status_code == status, answer.get_data(as_text=True)[:500]
    return answer.get_json()["response"] if status == 200 else None


FILTERS = {"an-measure.value": "risk", "an-scheme.value": "natural_breaks",
           "an-density-measure.value": "threatened_people", "an-lang.data": "zh"}


def _grid(response, holder: str, title: str) -> list[dict]:
    """The rows of the DataTable titled ``title`` in the children of ``holder``."""
    for wrap in response[holder]["children"]:
        heading, grid = wrap["props"]["children"][:2]
        if heading["props"]["children"] == title:
            return grid["props"]["data"]
    raise AssertionError(f"no table {title!r}")


def test_every_figure_equals_a_direct_count_and_follows_the_filters(app, seeded):
    client = signed_in(app.server.test_client(), seeded, "planner")
    shown = run(app, client, "an-cards", FILTERS)
    cards = json.dumps(shown["an-cards"]["children"], ensure_ascii=False)
    (enterprises,), = _sql(seeded, "SELECT count(*) FROM enterprise")
    (people,), = _sql(seeded, "SELECT sum(threatened_people) FROM hazard_point")
    assert f"{enterprises:,}" in cards and f"{people:,}" in cards
    rows = _grid(shown, "an-tables-dist", "各乡镇风险要素")
    by_township = dict(_sql(seeded, "SELECT t.name, count(e.id) FROM township t LEFT JOIN enterprise e "
                                    "ON e.township_code = t.code GROUP BY t.name"))
    assert {r["c0"]: r["c1"] for r in rows[:-1]} == by_township and rows[-1]["c1"] == enterprises
    majors = dict(_sql(seeded, "SELECT t.name, count(*) FROM enterprise e JOIN township t ON t.code = e.township_code"
                               " WHERE e.risk_level = '重大' GROUP BY t.name"))
    assert {r["c0"]: r["c2"] for r in rows[:-1] if r["c2"]} == majors

    gas = run(app, client, "an-cards", {**FILTERS, "an-township.value": [HOME], "an-sector.value": ["燃气"]})
    matrix = _grid(gas, "an-tables-dist", "乡镇 × 行业企业数")
    (home_gas,), = _sql(seeded, "SELECT count(*) FROM enterprise WHERE township_code = :t AND sector = '燃气'", t=HOME)
    assert len(matrix) == 2 and matrix[-1]["c1"] == home_gas  # one township and the totals row
    hazards = _grid(gas, "an-tables-dist", "乡镇 × 灾种隐患点数")
    (home_hazards,), = _sql(seeded, "SELECT count(*) FROM hazard_point WHERE township_code = :t", t=HOME)
    assert hazards[-1][f"c{len(hazards[-1]) - 1}"] == home_hazards
    assert gas["an-townships"]["hideout"]["values"].keys() >= {HOME}


def test_the_ranking_shows_every_township_once_and_the_map_shades_by_it(app, seeded):
    client = signed_in(app.server.test_client(), seeded, "commander")
    shown = run(app, client, "an-cards", FILTERS)
    ranking = _grid(shown, "an-tables-risk", "综合风险指数排名")
    (townships,), = _sql(seeded, "SELECT count(*) FROM township")
    assert len(ranking) == townships and [r["c0"] for r in ranking] == sorted(r["c0"] for r in ranking)
    values = shown["an-townships"]["hideout"]["values"]
    assert len(values) == townships
    assert abs(max(values.values()) - ranking[0]["c2"]) < 1e-4  # the darkest township is the first ranked
    breaks = shown["an-townships"]["hideout"]["breaks"]
    assert breaks == sorted(breaks) and len(set(breaks)) == len(breaks)


def test_the_excel_export_holds_the_rows_shown(app, seeded):
    client = signed_in(app.server.test_client(), seeded, "planner")
    values = {**FILTERS, "an-export.n_clicks": 1, "an-period.value": "30d", "an-variant.value": "general"}
    download = run(app, client, "an-download", values)["an-download"]["data"]
    import base64
    book = load_workbook(io.BytesIO(base64.b64decode(download["content"])))
    assert {"各乡镇风险要素", "综合风险指数排名", "指标与权重"} <= set(book.sheetnames)
    sheet = book["各乡镇风险要素"]
    (enterprises,), = _sql(seeded, "SELECT count(*) FROM enterprise")
    assert sheet.cell(sheet.max_row, 2).value == enterprises


def test_trends_and_report_links_follow_the_period_and_townships(app, seeded):
    client = signed_in(app.server.test_client(), seeded, "planner")
    choice = {"an-township.value": [HOME], "an-period.value": "quarter:2026Q3", "an-variant.value": "fire",
              "an-lang.data": "zh"}
    links = run(app, client, "an-report-docx", choice)
    query = parse_qs(urlparse(links["an-report-docx"]["href"]).query)
    assert query == {"period": ["quarter"], "quarter": ["2026Q3"], "townships": [HOME], "variant": ["fire"],
                     "lang": ["zh"]}
    assert links["an-dates"]["disabled"] is True
    assert client.get(links["an-report-xlsx"]["href"]).status_code == 200
    assert "an-fig-incidents" not in run(app, client, "an-fig-incidents", choice)  # drawn only on its tab
    shown = run(app, client, "an-fig-incidents", {**choice, "an-tabs.value": "trends"})
    assert _grid(shown, "an-tables-trend", "突发事件（按月、按类别）") and shown["an-fig-incidents"]["figure"]
    bad = {"an-period.value": "custom", "an-dates.start_date": "2026-12-02", "an-dates.end_date": "2026-12-01",
           "an-lang.data": "en", "an-tabs.value": "trends"}
    assert "since" in json.dumps(run(app, client, "an-fig-incidents", bad)["an-trend-message"]["children"])
    refused = run(app, client, "an-report-docx", bad)
    assert refused["an-report-docx"]["href"] == "" and refused["an-dates"]["disabled"] is False


def test_township_staff_are_refused_the_analysis(app, seeded):
    client = signed_in(app.server.test_client(), seeded, "township", HOME)
    run(app, client, "an-cards", FILTERS, status=403)
    run(app, client, "an-fig-incidents", {"an-lang.data": "zh"}, status=403)
    viewer = signed_in(app.server.test_client(), seeded, "viewer")
    assert run(app, viewer, "an-cards", FILTERS)["an-cards"]["children"]
    assert viewer.get("/api/v1/analysis/report.docx?period=30d").status_code == 403  # reports are analysis.run


def test_the_coverage_tab_shows_the_services_gaps_and_maps_them(app, seeded):
    from services.analysis.coverage import CoverageQuery, coverage
    from tests.conftest import read
    client = signed_in(app.server.test_client(), seeded, "planner")
    values = {"an-tabs.value": "coverage", "an-cov-mode.value": "drive", "an-cov-minutes.value": "30",
              "an-lang.data": "zh"}
    shown = run(app, client, "an-cov-tables", values)
    report = read(seeded, coverage, CoverageQuery())
    beyond = {p.code for p in report.points if p.shelter.drive.minutes is None or p.shelter.drive.minutes > 30}
    assert {f["properties"]["code"] for f in shown["an-gaps"]["data"]["features"]} == beyond
    totals = _grid(shown, "an-cov-tables", "全区：距最近开放避难场所的时间")
    (people,), = _sql(seeded, "SELECT sum(threatened_people) FROM hazard_point")
    hazard_drive = next(r for r in totals if r["c0"] == "隐患点" and r["c1"] == "车行")
    assert hazard_drive["c3"] == people  # every threatened person counted once
    teams = _grid(shown, "an-cov-tables", "救援队伍 30 分钟到达（地面救援标准）")
    (points,), = _sql(seeded, "SELECT count(*) FROM hazard_point")
    assert sum(r["c1"] for r in teams) == points
    assert "an-gaps" not in run(app, client, "an-cov-tables", {**values, "an-tabs.value": "distribution"})


def test_a_siting_run_puts_its_sites_on_the_map_and_only_planners_run_it(app, seeded):
    client = signed_in(app.server.test_client(), seeded, "planner")
    values = {"an-site-run.n_clicks": 1, "an-site-facility.value": "shelter", "an-site-k.value": 2,
              "an-site-minutes.value": 30, "an-site-objective.value": "coverage", "an-site-mode.value": "drive",
              "an-site-sources.value": ["seats"], "an-lang.data": "zh"}
    shown = run(app, client, "an-site-result", values)
    sites = shown["an-sites"]["data"]["features"]
    assert 1 <= len(sites) <= 2 and [s["properties"]["order"] for s in sites] == list(range(1, len(sites) + 1))
    rows = _grid({"x": {"children": shown["an-site-result"]["children"][1:]}}, "x", "建议新址及新增覆盖")
    assert rows[0]["c1"] == "选址前" and rows[-1]["c4"] == rows[0]["c4"] + sum(r["c3"] for r in rows[1:])
    bad = run(app, client, "an-site-result", {**values, "an-site-k.value": 99})
    assert "k" in json.dumps(bad["an-site-result"]["children"], ensure_ascii=False)
    run(app, signed_in(app.server.test_client(), seeded, "duty"), "an-site-result", values, status=403)


def test_a_remembered_answer_is_dropped_when_a_record_changes(app, seeded):
    """The page remembers answers per change number: a head count written through the API shows at once."""
    client = signed_in(app.server.test_client(), seeded, "commander")
    before = _grid(run(app, client, "an-cards", FILTERS), "an-tables-dist", "各乡镇风险要素")
    (shelter, township, kept), = _sql(seeded, "SELECT s.id, t.name, s.occupancy_people FROM shelter s JOIN township t "
                                              "ON t.code = s.township_code WHERE s.status <> '关闭' ORDER BY s.id LIMIT 1")
    free = next(r["c11"] for r in before if r["c0"] == township)
    assert client.post(f"/api/v1/shelters/{shelter}/occupancy", json={"occupancy_people": kept + 7}).status_code == 200
    after = _grid(run(app, client, "an-cards", FILTERS), "an-tables-dist", "各乡镇风险要素")
    assert next(r["c11"] for r in after if r["c0"] == township) == free - 7
    assert client.post(f"/api/v1/shelters/{shelter}/occupancy", json={"occupancy_people": kept}).status_code == 200

"""/api/v1/analysis/trends, report.docx and report.xlsx on both back-ends: the answers against the world of
tests/services/trend_world.py, the downloads against the trends answer, bad parameters named, roles held."""
from __future__ import annotations

import pytest

from dashboard.api.models import XLSX
from dashboard.api.models.reports import DOCX
from dashboard.app import create_app
from services.text import t, term
from tests.conftest import prepared, BACKENDS, _cleanup, signed_in
from tests.services.test_report import docx_tables, shown, xlsx_tables
from tests.services.trend_world import CX, QUARTER, build_world

QUARTERLY = f"period=quarter&quarter={QUARTER}"


@pytest.fixture(scope="module", params=BACKENDS)
def world(request, tmp_path_factory):
    settings = prepared(request.param, tmp_path_factory.mktemp(f"reports-api-{request.param}"), tmp_path_factory,
                        with_sample=False)
    build_world(settings)
    yield settings
    _cleanup(settings)


@pytest.fixture(scope="module")
def app(world):
    return create_app(world).server


def client(app, role="planner", township=None):
    return signed_in(app.test_client(), app.config["QJ_SETTINGS"], role, township)


def test_trends_answer_the_world(app):
    answer = client(app).get(f"/api/v1/analysis/trends?{QUARTERLY}")
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    assert body["period"] == {"kind": "quarter", "since": "2025-06-30T16:00:00+00:00",
                              "until": "2025-09-30T16:00:00+00:00", "timezone": "Asia/Shanghai", "quarter": QUARTER}
    assert body["incidents"]["total"] == 5 and body["moves"]["people"] == 10
    overall = body["warnings"]["overall"]
    assert (overall["recipients"], overall["in_time_share"], overall["median_ack_min"], overall["escalations"]) == \
        (10, 0.5, 14.5, 2)
    assert body["dispatch"]["overall"]["median_arrival_min"] == 35
    home = client(app).get(f"/api/v1/analysis/trends?{QUARTERLY}&townships={CX}&variant=general").get_json()
    assert home["townships"] == [CX] and home["incidents"]["total"] == 3
    custom = client(app).get("/api/v1/analysis/trends?since=2025-07-10&until=2025-07-10").get_json()
    assert custom["period"]["kind"] == "custom" and custom["warnings"]["overall"]["warnings"] == 3


@pytest.mark.parametrize(("query", "parameter"), [
    ("since=2025-07-02&until=2025-07-01", "since"), (f"{QUARTERLY}&townships={CX},500114999", "townships"),
    ("period=year", "period"), ("period=quarter&quarter=2025Q5", "quarter"), ("period=7d&since=2025-07-01", "since"),
    ("since=2025-13-01", "since"), ("since=1999-12-31", "since"), ("variant=flood", "variant"),
    ("since=2015-01-01&until=2025-01-01", "until"), ("colour=red", "colour")])
def test_bad_parameters_are_named(app, query, parameter):
    for path in ("trends", "report.docx", "report.xlsx"):
        answer = client(app).get(f"/api/v1/analysis/{path}?{query}")
        assert answer.status_code == 400, (path, query)
        body = answer.get_json()
        assert body["parameter"] == parameter and body["reason"] and body["reason_en"], (path, body)
    assert client(app).get("/api/v1/analysis/report.docx?lang=fr").get_json()["parameter"] == "lang"


def _rows_of_trends(body, lang="zh") -> dict[str, dict[str, list]]:
    """From the trends answer (JSON): each level's and each team kind's figures as the report must show them."""
    def percent(share):
        return None if share is None else round(share * 100, 1)
    levels = {term(f["level"], lang): [f["warnings"], f["recipients"], f["acknowledged"], f["in_time"], f["pending"],
                                       percent(f["in_time_share"]), f["median_ack_min"], f["escalations"]]
              for f in body["warnings"]["by_level"]}
    kinds = {term(f["team_kind"], lang): [f["orders"], f["arrived"], f["median_arrival_min"]]
             for f in body["dispatch"]["by_team_kind"]}
    towns = {f["township_name"]: [f["count"]] for f in body["incidents"]["by_township"]}
    return {t("report.table.warnings_by_level", lang): levels, t("report.table.arrivals_by_team_kind", lang): kinds,
            t("report.table.incidents_by_township", lang): towns}


def test_the_downloads_hold_the_numbers_of_the_trends_answer(app):
    planner = client(app)
    body = planner.get(f"/api/v1/analysis/trends?{QUARTERLY}").get_json()
    word = planner.get(f"/api/v1/analysis/report.docx?{QUARTERLY}")
    assert word.status_code == 200 and word.mimetype == DOCX
    assert "attachment" in word.headers["Content-Disposition"] and "filename*=UTF-8''" in word.headers[
        "Content-Disposition"]
    excel = planner.get(f"/api/v1/analysis/report.xlsx?{QUARTERLY}")
    assert excel.status_code == 200 and excel.mimetype == XLSX
    in_word, in_excel = docx_tables(word.data), xlsx_tables(excel.data)
    for title, rows in _rows_of_trends(body).items():
        word_rows = {row[0]: row[1:] for row in in_word[title][1:]}
        excel_rows = {row[0]: row[1:] for row in in_excel[title][1:]}
        for label, values in rows.items():
            if title == t("report.table.incidents_by_township"):  # the count is the last column
                assert word_rows[label][-1] == str(values[0]) and excel_rows[label][-1] == values[0]
                continue
            assert word_rows[label][:len(values)] == [shown(v) for v in values], (title, label)
            assert excel_rows[label][:len(values)] == values, (title, label)


def test_the_english_fire_report(app):
    answer = client(app, "commander").get(f"/api/v1/analysis/report.docx?{QUARTERLY}&variant=fire&lang=en")
    assert answer.status_code == 200
    tables = docx_tables(answer.data)
    assert t("report.table.fire_enterprises", "en") in tables and tables[t("report.table.moves_by_day", "en")][-1] \
        == ["Total", "1", "2", "0"]


def test_who_may_read_trends_and_make_reports(app):
    for role, trends_status, report_status in (("viewer", 200, 403), ("duty", 200, 403), ("planner", 200, 200),
                                               ("admin", 200, 200)):
        user = client(app, role)
        assert user.get(f"/api/v1/analysis/trends?{QUARTERLY}").status_code == trends_status, role
        assert user.get(f"/api/v1/analysis/report.xlsx?{QUARTERLY}").status_code == report_status, role
    staff = client(app, "township", CX)
    assert staff.get(f"/api/v1/analysis/trends?{QUARTERLY}").status_code == 403
    assert app.test_client().get(f"/api/v1/analysis/trends?{QUARTERLY}").status_code == 401

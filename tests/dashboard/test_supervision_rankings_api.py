"""/api/v1/supervision/rankings, bulletin.docx and rankings.xlsx on both back-ends: the answers against the history of
tests/services/ranking_world.py, the documents against the JSON answer, bad parameters named, roles and township
scope held, the routes in the OpenAPI document."""
from __future__ import annotations

import io
from decimal import Decimal
from urllib.parse import unquote

import docx
import pytest

from dashboard.api.models import XLSX
from dashboard.api.models.reports import DOCX
from dashboard.app import create_app
from services.supervision.bulletin import percent
from services.text import t
from tests.conftest import BACKENDS, _cleanup, prepared, signed_in
from tests.services import ranking_world as W
from tests.services.test_report import docx_tables, xlsx_tables

BASE = "/api/v1/supervision/rankings"
WORDS = {"year": 2026, "month": 7, "month_en": "July"}


@pytest.fixture(scope="module", params=BACKENDS)
def world(request, tmp_path_factory):
    settings = prepared(request.param, tmp_path_factory.mktemp(f"rankings-api-{request.param}"), tmp_path_factory,
                        with_sample=False)
    W.build_world(settings)
    yield settings
    _cleanup(settings)


@pytest.fixture(scope="module")
def app(world):
    return create_app(world).server


def client(app, role="planner", township=None):
    return signed_in(app.test_client(), app.config["QJ_SETTINGS"], role, township)


def _figures(row: dict) -> dict:
    return {k: (Decimal(v) if k == "penalty_yuan" else v) for k, v in row.items()
            if k not in ("rank", "key", "name", "name_en", "in_time_share")}


@pytest.mark.parametrize("by", ["sector", "township", "department"])
def test_the_rankings_answer_the_history(app, by):
    answer = client(app, "viewer").get(f"{BASE}?month={W.MONTH}&by={by}")
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    assert (body["month"], body["by"], body["starts_on"], body["ends_on"], body["as_of"], body["sample"]) == \
        (W.MONTH, by, "2026-07-01", "2026-07-31", "2026-07-31", False)
    wanted = W.expected(by)
    for row in body["rows"]:
        if row["key"] in wanted:
            assert _figures(row) == wanted[row["key"]], row
        else:
            assert not any(_figures(row).values()), row
    assert body["totals"] == {"inspections": 4, "dangers_found": 6, "dangers_closed": 4, "closed_in_time": 2,
                              "in_time_share": 0.5, "overdue": 3, "penalties": 4, "penalty_yuan": "1234.86"}
    assert body["major_overdue_total"] == 2 and len(body["major_overdue"]) == 2
    assert [r["rank"] for r in body["rows"]] == sorted(r["rank"] for r in body["rows"])


@pytest.mark.parametrize(("query", "parameter"), [
    ("month=2026-13", "month"), ("month=26-07", "month"), ("", "month"), ("month=2099-01", "month"),
    ("month=2026-07&by=county", "by"), ("month=2026-07&township=123", "township"),
    ("month=2026-07&township=500114999", "township"), ("month=2026-07&colour=red", "colour")])
def test_bad_parameters_are_named(app, query, parameter):
    for path in ("", "/bulletin.docx", ".xlsx"):
        if parameter == "by" and path:
            continue  # the documents always show sector and township
        answer = client(app).get(f"{BASE}{path}?{query}")
        assert answer.status_code == 400, (path, query, answer.status_code)
        body = answer.get_json()
        assert body["parameter"] == parameter and body["reason"] and body["reason_en"], (path, body)
    assert client(app).get(f"{BASE}/bulletin.docx?month=2026-07&lang=fr").get_json()["parameter"] == "lang"


def test_township_staff_get_their_own_township(app):
    staff = client(app, "township", W.CX)
    body = staff.get(f"{BASE}?month={W.MONTH}&by=township").get_json()
    assert [r["key"] for r in body["rows"]] == [W.CX] and body["township_code"] == W.CX
    assert _figures(body["rows"][0]) == W.expected("township", towns=(W.CX,))[W.CX]
    assert body["major_overdue_total"] == 1
    other = staff.get(f"{BASE}?month={W.MONTH}&township={W.ZY}")
    assert other.status_code == 403 and other.get_json()["parameter"] == "township_code"
    assert staff.get(f"{BASE}/bulletin.docx?month={W.MONTH}&township={W.ZY}").status_code == 403
    document = staff.get(f"{BASE}/bulletin.docx?month={W.MONTH}")
    assert document.status_code == 200
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(document.data)).paragraphs)
    assert t("ranking.line_scope", scope="城西街道") in text


def test_nobody_signed_in_is_refused(app):
    assert app.test_client().get(f"{BASE}?month={W.MONTH}").status_code == 401


def _expected_cells(body: dict, lang: str = "zh") -> list[list[str]]:
    def cells(f):
        share = percent(f["in_time_share"])
        return [str(f["inspections"]), str(f["dangers_found"]), str(f["dangers_closed"]), str(f["closed_in_time"]),
                "—" if share is None else f"{share:.1f}", str(f["overdue"]), str(f["penalties"]), f["penalty_yuan"]]
    rows = [[str(r["rank"]), r["name_en"] if lang == "en" else r["name"], *cells(r)] for r in body["rows"]]
    return rows + [[t("ranking.col.total", lang), "", *cells(body["totals"])]]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_bulletin_document_shows_the_json_figures(app, lang):
    body = client(app).get(f"{BASE}?month={W.MONTH}&by=sector").get_json()
    answer = client(app).get(f"{BASE}/bulletin.docx?month={W.MONTH}&lang={lang}")
    assert answer.status_code == 200 and answer.mimetype == DOCX
    disposition = answer.headers["Content-Disposition"]
    assert 'filename="supervision_bulletin_2026-07.docx"' in disposition
    if lang == "zh":
        assert unquote(disposition.split("''", 1)[1]).endswith("（2026年7月）.docx")
    tables = docx_tables(answer.data)
    assert tables[t("ranking.table_sector", lang, **WORDS)][1:] == _expected_cells(body, lang)
    major = tables[t("ranking.table_major", lang, as_of="2026-07-31")]
    assert {row[0] for row in major[1:]} == {d["code"] for d in body["major_overdue"]}


def test_the_workbook_shows_the_json_figures(app):
    body = client(app).get(f"{BASE}?month={W.MONTH}&by=township").get_json()
    answer = client(app).get(f"{BASE}.xlsx?month={W.MONTH}")
    assert answer.status_code == 200 and answer.mimetype == XLSX
    rows = xlsx_tables(answer.data)[t("ranking.table_township", **WORDS)]
    by_key = {r["name"]: r for r in body["rows"]}
    for got in rows[1:-1]:
        want = by_key[got[1]]
        assert got[0] == want["rank"] and got[2:9] == [
            want["inspections"], want["dangers_found"], want["dangers_closed"], want["closed_in_time"],
            percent(want["in_time_share"]), want["overdue"], want["penalties"]]
        assert Decimal(str(got[9])).quantize(Decimal("0.01")) == Decimal(want["penalty_yuan"])
    assert len(rows) == len(body["rows"]) + 2  # header, the townships, the total


def test_the_routes_are_in_the_openapi_document(app):
    doc = client(app).get("/api/v1/openapi.json").get_json()
    listed = doc["paths"][BASE]["get"]
    assert {p["name"] for p in listed["parameters"]} == {"month", "by", "township"}
    assert {"400", "403"} <= set(listed["responses"])
    assert DOCX in doc["paths"][f"{BASE}/bulletin.docx"]["get"]["responses"]["200"]["content"]
    assert XLSX in doc["paths"][f"{BASE}.xlsx"]["get"]["responses"]["200"]["content"]

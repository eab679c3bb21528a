"""The report's distribution, risk-index and coverage sections against the API's own answers, on both back-ends:
the Word tables (by caption) and the workbook's sheets hold the numbers the analysis routes return."""
from __future__ import annotations

import pytest

from dashboard.app import create_app
from tests.conftest import signed_in
from tests.services.test_report import docx_tables, xlsx_tables

QUERY = "period=30d&lang=zh"


@pytest.fixture(scope="module")
def client(seeded):
    return signed_in(create_app(seeded).server.test_client(), seeded, "planner")


@pytest.fixture(scope="module")
def documents(client):
    word = client.get(f"/api/v1/analysis/report.docx?{QUERY}")
    book = client.get(f"/api/v1/analysis/report.xlsx?{QUERY}")
    assert word.status_code == 200 and book.status_code == 200
    return docx_tables(word.data), xlsx_tables(book.data)


def test_the_distribution_tables_hold_the_apis_counts(client, documents):
    word, book = documents
    api = client.get("/api/v1/analysis/distribution").get_json()
    expected = {r["name"]: r["enterprises"]["total"] for r in api["townships"]}
    rows = word["各乡镇风险要素"]
    assert {r[0]: int(r[1].replace(",", "")) for r in rows[1:-1]} == expected
    assert int(rows[-1][1].replace(",", "")) == api["totals"]["enterprises"]["total"]
    sheet = book["各乡镇风险要素"]  # numbers as numbers; the total row, then the table's note
    assert {r[0]: r[1] for r in sheet[1:] if r[0] in expected} == expected
    assert next(r for r in sheet if r[0] == "合计")[1] == api["totals"]["enterprises"]["total"]
    hazards = next(r for r in book["乡镇 × 灾种隐患点数"] if r[0] == "合计")
    assert hazards[-1] == api["township_hazard_type"]["total"]


def test_the_ranking_and_the_coverage_hold_the_apis_figures(client, documents):
    word, book = documents
    index = client.get("/api/v1/analysis/risk-index").get_json()["townships"]
    ranking = book["综合风险指数排名"]
    assert [r[1] for r in ranking[1:]] == [t["name"] for t in index]
    assert word["综合风险指数排名"][1][1] == index[0]["name"]
    gaps = client.get("/api/v1/analysis/coverage").get_json()["shelter_gap_totals"]
    drive = next(g for g in gaps if g["kind"] == "hazard" and g["mode"] == "drive")
    row = next(r for r in book["全区：距最近开放避难场所的时间"][1:] if r[:2] == ["隐患点", "车行"])
    assert row[2:] == [drive["points"], drive["people"], drive["beyond_15_min"], drive["beyond_30_min"],
                       drive["beyond_60_min"], drive["unreachable_people"]]

"""GET /api/v1/analysis/distribution and /risk-index on both back-ends: the numbers equal SQL counts, filters
apply, bad parameters answer 400 naming the parameter, and township staff are refused (analysis.read)."""
from __future__ import annotations

import pytest
from sqlalchemy import text

from dashboard.app import create_app
from services.analysis.risk_index import INPUTS
from services.db import get_engine
from tests.conftest import signed_in

DISTRIBUTION, RISK_INDEX = "/api/v1/analysis/distribution", "/api/v1/analysis/risk-index"


@pytest.fixture(scope="module")
def server(seeded):
    return create_app(seeded).server


@pytest.fixture(scope="module")
def planner(server, seeded):
    return signed_in(server.test_client(), seeded, "planner")


def _sql(settings, statement: str, **params) -> list[tuple]:
    with get_engine(settings.database_url).connect() as conn:
        return [tuple(r) for r in conn.execute(text(statement), params)]


def test_distribution_counts_equal_sql(planner, seeded):
    answer = planner.get(DISTRIBUTION + "?classes=4&scheme=natural_breaks&cell_m=3000")
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    matrix = body["township_sector"]
    oracle = {(t, s, lv): n for t, s, lv, n in _sql(
        seeded, "SELECT township_code, sector, risk_level, count(*) FROM enterprise "
                "GROUP BY township_code, sector, risk_level")}
    for i, town in enumerate(matrix["rows"]):
        for j, sector in enumerate(matrix["columns"]):
            for level, cells in matrix["by_level"].items():
                assert cells[i][j] == oracle.get((town, sector, level), 0)
    assert body["totals"]["enterprises"]["total"] == sum(oracle.values()) == matrix["total"]
    assert body["totals"]["hazards"]["threatened_people"] == _sql(
        seeded, "SELECT sum(threatened_people) FROM hazard_point")[0][0]
    assert body["scheme"] == "natural_breaks" and all(len(cs) <= 4 for cs in body["classes"].values())
    assert body["density"]["cell_m"] == 3000 and body["density"]["crs"] == "EPSG:4545"
    assert sum(f["properties"]["enterprises"] for f in body["density"]["features"]["features"]) == sum(oracle.values())


def test_distribution_filters(planner, seeded):
    url = DISTRIBUTION + "?township=500114001,500114002&sector=燃气,成品油&risk_level=重大,较大&hazard_type=滑坡"
    body = planner.get(url).get_json()
    assert body["filters"]["township"] == ["500114001", "500114002"]
    assert [r["code"] for r in body["townships"]] == ["500114001", "500114002"]
    assert body["township_sector"]["columns"] == ["燃气", "成品油"]
    [(expected,)] = _sql(seeded, "SELECT count(*) FROM enterprise WHERE township_code IN ('500114001', '500114002') "
                                 "AND sector IN ('燃气', '成品油') AND risk_level IN ('重大', '较大')")
    assert body["totals"]["enterprises"]["total"] == expected
    [(slides,)] = _sql(seeded, "SELECT count(*) FROM hazard_point WHERE township_code IN ('500114001', '500114002') "
                               "AND hazard_type = '滑坡'")
    assert body["totals"]["hazards"]["total"] == slides == body["township_hazard_type"]["total"]


@pytest.mark.parametrize("query, parameter", [
    ("township=500114999", "township"), ("sector=烟花", "sector"), ("risk_level=极高", "risk_level"),
    ("hazard_type=火山", "hazard_type"), ("warning_level=紫", "warning_level"), ("classes=1", "classes"),
    ("classes=10", "classes"), ("classes=x", "classes"), ("cell_m=10", "cell_m"), ("cell_m=1e9", "cell_m"),
    ("cell_m=nan", "cell_m"), ("scheme=equal", "scheme"), ("colour=red", "colour"),
    ("township=" + "1" * 700, "township"),
])
def test_bad_distribution_parameters_are_named(planner, query, parameter):
    answer = planner.get(f"{DISTRIBUTION}?{query}")
    assert answer.status_code == 400, (query, answer.status_code)
    body = answer.get_json()
    assert body["parameter"] == parameter and body["reason"] and body["reason_en"], body


def test_risk_index_ranking_with_its_method(planner):
    answer = planner.get(RISK_INDEX)
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    assert [t["rank"] for t in body["townships"]] == sorted(t["rank"] for t in body["townships"])
    assert len(body["townships"]) == 30 and body["formula_en"].startswith("risk = hazard")
    assert [i["input"] for i in body["inputs"]] == list(INPUTS)
    assert all(i["label"] and i["label_en"] and i["description_en"] for i in body["inputs"])
    assert {f["factor"] for f in body["factors"]} == {"hazard", "exposure", "vulnerability", "capacity"}
    by_factor: dict[str, float] = {}
    for i in body["inputs"]:
        by_factor[i["factor"]] = by_factor.get(i["factor"], 0) + i["weight"]
    assert by_factor == pytest.approx(dict.fromkeys(by_factor, 1.0))
    some = planner.get(RISK_INDEX + "?township=500114249,500114001").get_json()["townships"]
    ranks = {t["code"]: t["rank"] for t in body["townships"]}
    assert {t["code"]: t["rank"] for t in some} == {c: ranks[c] for c in ("500114001", "500114249")}
    for query, parameter in (("township=500114999", "township"), ("sort=risk", "sort")):
        bad = planner.get(f"{RISK_INDEX}?{query}")
        assert bad.status_code == 400 and bad.get_json()["parameter"] == parameter


@pytest.mark.parametrize("role, status", [("township", 403), ("viewer", 200), ("commander", 200)])
def test_analysis_is_read_by_every_role_but_township_staff(server, seeded, role, status):
    client = signed_in(server.test_client(), seeded, role, "500114001" if role == "township" else None)
    for url in (DISTRIBUTION + "?cell_m=5000", RISK_INDEX):
        assert client.get(url).status_code == status, (role, url)

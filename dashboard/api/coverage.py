"""/api/v1 endpoints of the coverage and siting analysis (分析研判: 覆盖盲区, 选址)."""
from __future__ import annotations

from flask import Blueprint, jsonify, request

from dashboard.api.models import body, parse, parse_query, query, responds
from dashboard.api.models.coverage import (
    AnalysisCoverage,
    AnalysisSiting,
    CoverageParams,
    SitingBody,
)
from dashboard.api.support import app_settings, json_body, unit
from services.analysis.coverage import coverage as coverage_report
from services.analysis.siting import prepare, solve
from services.supply.solver_slots import PlannerBusy

coverage_api = Blueprint("coverage_api", __name__)


@coverage_api.errorhandler(PlannerBusy)
def _planner_busy(exc: PlannerBusy):
    """Every solver slot stayed taken: 503 with the reason, and when to try again."""
    response = jsonify({"error": "busy", "reason": exc.reason, "reason_en": exc.reason_en})
    response.status_code = 503
    response.headers["Retry-After"] = str(max(1, round(exc.retry_after_s)))
    return response


@coverage_api.get("/api/v1/analysis/coverage")
@query(CoverageParams)
@responds(AnalysisCoverage, errors=(400, 503))
def coverage():
    """Road travel times (walking, driving) from every hazard point and village seat to the nearest open shelter
    with free places, standby rescue team and depot, closures honoured; people beyond 15/30/60 min of a shelter by
    township, townships short of the 30-minute ground-rescue standard, shelters too small for their hazard points."""
    req = parse_query(CoverageParams, request.args)
    with unit() as uow:
        return coverage_report(uow, req.query())


@coverage_api.post("/api/v1/analysis/siting")
@body(SitingBody)
@responds(AnalysisSiting, errors=(400, 415, 503))
def siting():
    """Propose up to ``k`` new shelters, rescue bases or depots among the candidates: the most threatened people
    within ``minutes`` by road (``coverage``, MCLP) or the fewest person-minutes (``p-median``), optionally under
    ``capacity_people`` per new site; solved exactly, with the score before and after and what each site adds."""
    raw = json_body()
    req = parse(SitingBody, raw)
    with unit() as uow:
        inputs = prepare(uow, req.query())
    return solve(app_settings(), inputs)  # solved after the unit closed: no transaction held while it runs

"""/api/v1/monitoring (thresholds, assignments, evaluation): 风险感知's thresholds of hazard points and stations,
which stations watch a point, and what the rule would propose now (read only)."""
from __future__ import annotations

from flask import Blueprint, request

from dashboard.api.models import body, parse, parse_query, query, responds
from dashboard.api.models import monitoring_rules as M
from dashboard.api.support import json_body, unit
from services.clock import now_utc
from services.monitoring import assignments as S
from services.monitoring import thresholds as TH
from services.monitoring.rules import current_candidates

monitoring_rules_api = Blueprint("monitoring_rules_api", __name__)
ROOT = "/api/v1/monitoring"
READ_ERRORS = (400, 403, 404, 503)
WRITE_ERRORS = (400, 403, 404, 409, 415, 503)


@monitoring_rules_api.get(f"{ROOT}/thresholds")
@query(M.ThresholdQuery)
@responds(M.ThresholdList, errors=READ_ERRORS)
def thresholds():
    """The thresholds of a hazard point (with its effective ones), of a station, or all; township staff: theirs."""
    q = parse_query(M.ThresholdQuery, request.args)
    with unit() as uow:
        rows = TH.list_thresholds(uow, hazard=q.hazard, station=q.station, limit=q.limit, offset=q.offset)
        effective = TH.effective_thresholds(uow, q.hazard) if q.hazard and not q.station else None
    answer = {"thresholds": [r.to_json() for r in rows]}
    if effective is not None:
        answer["effective"] = [e.to_json() for e in effective]
    return answer


@monitoring_rules_api.put(f"{ROOT}/thresholds")
@body(M.ThresholdsSet)
@responds(M.ThresholdList, errors=WRITE_ERRORS)
def set_thresholds():
    """Set thresholds (new or replacing the owner's value of the metric), all or nothing."""
    req = parse(M.ThresholdsSet, json_body())
    items = [TH.ThresholdInput(i.metric, i.value, i.hazard, i.station) for i in req.thresholds]
    with unit(write=True) as uow:
        rows = TH.set_thresholds(uow, items)
    return {"thresholds": [r.to_json() for r in rows]}


@monitoring_rules_api.delete(f"{ROOT}/thresholds")
@query(M.ThresholdRemoveQuery)
@responds(M.ThresholdRemoved, errors=READ_ERRORS)
def remove_threshold():
    """Remove one threshold (``metric`` of ``hazard`` or of ``station``); 404 when there is none."""
    q = parse_query(M.ThresholdRemoveQuery, request.args)
    with unit(write=True) as uow:
        TH.remove_threshold(uow, q.metric, hazard=q.hazard, station=q.station)
    return {"owner": q.hazard or q.station, "metric": q.metric}


@monitoring_rules_api.get(f"{ROOT}/assignments")
@query(M.AssignmentQuery)
@responds(M.AssignmentList, errors=READ_ERRORS)
def assignments():
    """The stations watching one hazard point, assigned by a person or the nearest of their kind."""
    q = parse_query(M.AssignmentQuery, request.args)
    with unit() as uow:
        return {"assignments": [a.to_json() for a in S.assignments_of(uow, q.hazard)]}


@monitoring_rules_api.post(f"{ROOT}/assignments")
@body(M.AssignmentCreate)
@responds(M.AssignmentOut, 201, errors=WRITE_ERRORS)
def assign():
    """Assign a station to watch a hazard point; it replaces the point's nearest station of that kind."""
    req = parse(M.AssignmentCreate, json_body())
    with unit(write=True) as uow:
        return S.assign_station(uow, req.hazard, req.station).to_json()


@monitoring_rules_api.delete(f"{ROOT}/assignments")
@query(M.AssignmentRemoveQuery)
@responds(M.AssignmentRemoved, errors=READ_ERRORS)
def unassign():
    """Remove a station assigned by a person; the point falls back to the nearest station of that kind."""
    q = parse_query(M.AssignmentRemoveQuery, request.args)
    with unit(write=True) as uow:
        return {"removed": S.unassign_station(uow, q.hazard, q.station)}


@monitoring_rules_api.post(f"{ROOT}/assignments/recompute")
@responds(M.Recomputed, errors=(403, 503))
def recompute():
    """Recompute every hazard point's nearest stations (within the configured radius, by kind)."""
    with unit(write=True) as uow:
        return S.assign_by_distance(uow).to_json()


def _metric(m) -> dict:
    return {"metric": m.metric, "station_id": m.station_id, "observed": m.observed, "threshold": m.threshold,
            "ratio": m.ratio, "observed_at": m.observed_at.isoformat(), "complete": m.complete}


@monitoring_rules_api.get(f"{ROOT}/evaluation")
@query(M.EvaluationQuery)
@responds(M.Evaluation, errors=READ_ERRORS)
def evaluation():
    """What the rule would propose now from the live readings, per hazard point (township staff: theirs)."""
    q = parse_query(M.EvaluationQuery, request.args)
    at = now_utc()
    with unit() as uow:
        candidates, names = current_candidates(uow, q.hazard, now=at)
    return {"at": at.isoformat(), "candidates": [
        {"hazard_id": c.hazard_point_id, "hazard_code": names[c.hazard_point_id][0],
         "hazard_name": names[c.hazard_point_id][1], "level": c.level, "decisive": _metric(c.decisive),
         "metrics": [_metric(m) for m in c.metrics]} for c in candidates]}

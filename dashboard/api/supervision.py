"""安全监管 API (issue 14): hidden dangers and their closed loop, inspections, penalties, cases, risk points and
the enterprise record, under /api/v1/supervision/. Township staff read and report for their own township."""
from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint, request

from dashboard.api.models import body, parse, parse_query, query, responds
from dashboard.api.models.supervision import (
    CaseOut,
    DangerCreate,
    DangerDetail,
    DangerList,
    DangerQuery,
    EnterpriseQuery,
    EnterpriseRecordOut,
    FlaggedCases,
    InspectionCreate,
    InspectionList,
    InspectionOut,
    PenaltyCreate,
    PenaltyList,
    PenaltyOut,
    RecheckCreate,
    Rectification,
    Reopen,
    RiskLevelOut,
    RiskLevelSet,
    RiskPointCreate,
    RiskPointOut,
    RiskPointRemoved,
    Submission,
)
from dashboard.api.field import photo_answers, received_photos
from dashboard.api.models.field import PhotoList
from dashboard.api.support import json_body, unit
from services.field.photos import attach_photos, photos_of
from services.supervision import dangers as D
from services.supervision.cases import case_of, flagged_cases
from services.supervision.enterprise_record import enterprise_record
from services.supervision.inspections import (
    Finding,
    InspectionInput,
    PenaltyInput,
    inspections_of,
    penalties_of,
    record_inspection,
    record_penalty,
)
from services.supervision.risk_points import (
    RiskPointInput,
    add_risk_point,
    remove_risk_point,
    set_department_level,
)
from services.text import both

supervision_api = Blueprint("supervision_api", __name__)
ROOT = "/api/v1/supervision"
WRITE_ERRORS = (400, 403, 404, 409, 415, 503)


@supervision_api.get(f"{ROOT}/dangers")
@query(DangerQuery)
@responds(DangerList, errors=(400, 403, 503))
def dangers():
    """Hidden dangers, most late first; ``status=open`` lists the open ones, each with its ``enterprise_id``."""
    q = parse_query(DangerQuery, request.args)
    with unit() as uow:
        total, rows = D.list_dangers(uow, status=q.status, enterprise_id=q.enterprise_id, township_code=q.township,
                                     limit=q.limit, offset=q.offset)
    return {"total": total, "dangers": [r.to_json() for r in rows]}


@supervision_api.post(f"{ROOT}/dangers")
@body(DangerCreate)
@responds(DangerDetail, 201, errors=WRITE_ERRORS, links={"danger_id": "id"})
def create_danger():
    """Record a hidden danger (enterprise self-check, department inspection, public report or campaign)."""
    req = parse(DangerCreate, json_body())
    with unit(write=True) as uow:
        row = D.record_danger(uow, D.DangerInput(**req.model_dump()))
    return {**row.to_json(), "rechecks": [], "photos": []}


def _detail(uow, danger_id: int) -> dict:
    return {**D.danger_row(uow, danger_id).to_json(), "rechecks": D.rechecks_of(uow, danger_id),
            "photos": photo_answers(photos_of(uow, "danger", danger_id))}


@supervision_api.get(f"{ROOT}/dangers/<id:danger_id>")
@responds(DangerDetail, errors=(403, 404, 503))
def danger(danger_id: int):
    """A hidden danger with its acceptance checks and its photos (隐患照片, each with the address of its file)."""
    with unit() as uow:
        return _detail(uow, danger_id)


@supervision_api.post(f"{ROOT}/dangers/<id:danger_id>/photos")
@responds(PhotoList, 201, errors=(400, 403, 404, 413, 415, 503))
def danger_photos_upload(danger_id: int):
    """Attach photos to a hidden danger (隐患照片; multipart field ``photos``; JPEG, PNG or WebP, within the caps)."""
    uploads = received_photos()  # the body capped before it is read: photos per record × bytes per photo
    with unit(write=True) as uow:
        stored = attach_photos(uow, "danger", danger_id, uploads)
    return {"photos": photo_answers(stored)}


@supervision_api.post(f"{ROOT}/dangers/<id:danger_id>/rectification")
@body(Rectification)
@responds(DangerDetail, errors=WRITE_ERRORS)
def rectification(danger_id: int):
    """待整改 → 整改中: who rectifies, the measures, the funds and (if changed) the deadline."""
    req = parse(Rectification, json_body())
    with unit(write=True) as uow:
        D.start_rectification(uow, danger_id, **req.model_dump())
        return _detail(uow, danger_id)


@supervision_api.post(f"{ROOT}/dangers/<id:danger_id>/submission")
@body(Submission)
@responds(DangerDetail, errors=WRITE_ERRORS)
def submission(danger_id: int):
    """Rectified: → 待验收, awaiting the acceptance check."""
    req = parse(Submission, json_body())
    with unit(write=True) as uow:
        D.submit_for_acceptance(uow, danger_id, req.note)
        return _detail(uow, danger_id)


@supervision_api.post(f"{ROOT}/dangers/<id:danger_id>/rechecks")
@body(RecheckCreate)
@responds(DangerDetail, 201, errors=WRITE_ERRORS)
def recheck(danger_id: int):
    """整改复查 / 验收 by someone other than the reporter: passed → 已销号, failed → 整改中."""
    req = parse(RecheckCreate, json_body())
    with unit(write=True) as uow:
        D.accept_check(uow, danger_id, **req.model_dump())
        return _detail(uow, danger_id)


@supervision_api.post(f"{ROOT}/dangers/<id:danger_id>/reopen")
@body(Reopen)
@responds(DangerDetail, errors=WRITE_ERRORS)
def reopen(danger_id: int):
    """A closed-off danger that came back: → 整改中 with a new deadline."""
    req = parse(Reopen, json_body())
    with unit(write=True) as uow:
        D.reopen(uow, danger_id, reason=req.reason, deadline=req.deadline)
        return _detail(uow, danger_id)


@supervision_api.get(f"{ROOT}/inspections")
@query(EnterpriseQuery)
@responds(InspectionList, errors=(400, 403, 404, 503))
def inspections():
    """An enterprise's inspections, newest first, each with the dangers it found."""
    q = parse_query(EnterpriseQuery, request.args)
    with unit() as uow:
        return {"inspections": [i.to_json() for i in inspections_of(uow, q.enterprise_id)]}


@supervision_api.post(f"{ROOT}/inspections")
@body(InspectionCreate)
@responds(InspectionOut, 201, errors=WRITE_ERRORS, links={"inspection_id": "id"})
def create_inspection():
    """检查诊断: an inspection and its findings (each a hidden danger), written together or not at all."""
    req = parse(InspectionCreate, json_body())
    data = req.model_dump()
    data["items"] = tuple(data["items"])
    data["findings"] = tuple(Finding(**f) for f in data["findings"])
    with unit(write=True) as uow:
        return record_inspection(uow, InspectionInput(**data)).to_json()


@supervision_api.get(f"{ROOT}/inspections/<id:inspection_id>/case")
@responds(CaseOut, errors=(403, 404, 503))
def case(inspection_id: int):
    """The case's timeline 检查诊断 → 行政处罚 → 整改复查 and the steps missing after a deadline."""
    with unit() as uow:
        found = case_of(uow, inspection_id)
    answer = asdict(found)
    answer["flags"] = [{**f, **dict(zip(("reason", "reason_en"), both(f["code"], **f)))} for f in answer["flags"]]
    return answer


@supervision_api.get(f"{ROOT}/cases/flagged")
@responds(FlaggedCases, errors=(403, 503))
def flagged():
    """Cases missing a step after a deadline (an open danger past it, or a major one without a penalty)."""
    with unit() as uow:
        return {"cases": flagged_cases(uow)}


@supervision_api.get(f"{ROOT}/penalties")
@query(EnterpriseQuery)
@responds(PenaltyList, errors=(400, 403, 404, 503))
def penalties():
    q = parse_query(EnterpriseQuery, request.args)
    with unit() as uow:
        return {"penalties": [p.to_json() for p in penalties_of(uow, q.enterprise_id)]}


@supervision_api.post(f"{ROOT}/penalties")
@body(PenaltyCreate)
@responds(PenaltyOut, 201, errors=WRITE_ERRORS)
def create_penalty():
    """行政处罚: a decision (unique number, type, amount in yuan as an exact decimal, date)."""
    req = parse(PenaltyCreate, json_body())
    with unit(write=True) as uow:
        return record_penalty(uow, PenaltyInput(**req.model_dump())).to_json()


@supervision_api.get(f"{ROOT}/enterprises/<id:enterprise_id>")
@responds(EnterpriseRecordOut, errors=(403, 404, 503))
def enterprise(enterprise_id: int):
    """An enterprise's supervision record: level, risk points, open dangers, inspections, penalties, cards."""
    with unit() as uow:
        return enterprise_record(uow, enterprise_id).to_json()


@supervision_api.post(f"{ROOT}/enterprises/<id:enterprise_id>/risk-points")
@body(RiskPointCreate)
@responds(RiskPointOut, 201, errors=WRITE_ERRORS, links={"risk_point_id": "id"})
def create_risk_point(enterprise_id: int):
    """A risk point graded by LS or LEC; the enterprise's level follows its highest point."""
    req = parse(RiskPointCreate, json_body())
    with unit(write=True) as uow:
        return add_risk_point(uow, enterprise_id, RiskPointInput(**req.model_dump())).to_json()


@supervision_api.delete(f"{ROOT}/risk-points/<id:risk_point_id>")
@responds(RiskPointRemoved, errors=(403, 404, 503))
def delete_risk_point(risk_point_id: int):
    """Remove a risk point; the enterprise's level follows the points left."""
    with unit(write=True) as uow:
        remove_risk_point(uow, risk_point_id)
    return {"removed": risk_point_id}


@supervision_api.put(f"{ROOT}/enterprises/<id:enterprise_id>/risk-level")
@body(RiskLevelSet)
@responds(RiskLevelOut, errors=WRITE_ERRORS)
def risk_level(enterprise_id: int):
    """The supervising department sets the level (or hands it back to the risk points with null)."""
    req = parse(RiskLevelSet, json_body())
    with unit(write=True) as uow:
        return {"risk_level": set_department_level(uow, enterprise_id, req.risk_level)}

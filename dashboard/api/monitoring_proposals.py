"""/api/v1/monitoring/proposals: 风险感知's warning proposals (预警建议). Everyone of staff reads them (township staff
their township's); the duty officer confirms (the commander for 红) or rejects them with a reason. Proposals are
made by the rule (services/monitoring/rules.py → services/monitoring/proposals.py), never posted."""
from __future__ import annotations

from flask import Blueprint, request

from dashboard.api.models import body, parse, parse_query, query, responds
from dashboard.api.models.monitoring_proposals import (
    ConfirmRequest,
    DecisionOut,
    ProposalList,
    ProposalOut,
    ProposalQuery,
    RejectRequest,
    proposal_out,
)
from dashboard.api.dispatch import send_messages
from dashboard.api.support import json_body, unit
from services.monitoring.proposal_reads import list_proposals, proposal_detail
from services.monitoring.proposals import confirm, reject

monitoring_proposals_api = Blueprint("monitoring_proposals_api", __name__)
ROOT = "/api/v1/monitoring/proposals"


@monitoring_proposals_api.get(ROOT)
@query(ProposalQuery)
@responds(ProposalList, errors=(400, 403, 503))
def proposals():
    """Proposals of a status (待确认 by default: the open ones, red first), live or of a drill."""
    req = parse_query(ProposalQuery, request.args)
    with unit() as uow:
        rows = list_proposals(uow, req.status, req.drill_id, req.limit)
    return {"proposals": [proposal_out(v) for v in rows]}


@monitoring_proposals_api.get(f"{ROOT}/<id:proposal_id>")
@responds(ProposalOut, errors=(403, 404, 503))
def proposal(proposal_id: int):
    """One proposal with the readings that caused it, whatever its status."""
    with unit() as uow:
        return proposal_out(proposal_detail(uow, proposal_id))


def _decided(uow, decision) -> dict:
    return {"proposal": proposal_out(proposal_detail(uow, decision.proposal_id)), "warning_id": decision.warning_id,
            "plan_id": decision.plan_id, "plan_people": decision.plan_people,
            "plan_assigned": decision.plan_assigned}


@monitoring_proposals_api.post(f"{ROOT}/<id:proposal_id>/confirm")
@body(ConfirmRequest)
@responds(DecisionOut, errors=(400, 403, 404, 409, 415, 503))
def confirm_proposal(proposal_id: int):
    """Confirm an open proposal: the point's level rises, a warning with 叫应 goes to its monitors and township
    staff, and for 橙/红 an evacuation plan for its threatened people is saved. A red one is the commander's (403
    otherwise); one decided or raised meanwhile answers 409."""
    req = parse(ConfirmRequest, json_body())
    with unit(write=True) as uow:
        decided = _decided(uow, confirm(uow, proposal_id, req.note))
    if decided["warning_id"]:
        send_messages(decided["warning_id"])  # after the commit, as for a warning issued by hand
    return decided


@monitoring_proposals_api.post(f"{ROOT}/<id:proposal_id>/reject")
@body(RejectRequest)
@responds(DecisionOut, errors=(400, 403, 404, 409, 415, 503))
def reject_proposal(proposal_id: int):
    """Reject an open proposal with a reason (400 without one)."""
    req = parse(RejectRequest, json_body())
    with unit(write=True) as uow:
        return _decided(uow, reject(uow, proposal_id, req.reason))

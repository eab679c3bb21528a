"""What the duty view, the map and the API read of warning proposals (预警建议): open ones with their hazard point
(name, township, threatened people, current level) and their evidence; township staff see their township's only."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import select

from services import vocabulary
from services.db.uow import UnitOfWork
from services.errors import NotFound
from services.models import HazardPoint, MonitoringStation, Township, WarningProposal
from services.monitoring.proposals import ProposalError


@dataclass(frozen=True)
class Evidence:
    """One metric behind a proposal as the rule saw it."""

    metric: str
    station_id: int
    station_code: str | None
    observed: float
    threshold: float
    ratio: float
    observed_at: dt.datetime
    complete: bool


@dataclass(frozen=True)
class ProposalView:
    """A proposal with its hazard point; ``evidence`` starts with the decisive metric."""

    id: int
    drill_id: int
    hazard_point_id: int
    hazard_code: str
    hazard_name: str
    hazard_type: str
    township_code: str
    township_name: str
    township_name_en: str
    threatened_people: int
    current_level: str
    lon: float
    lat: float
    level: str
    status: str
    metric: str
    station_code: str | None
    observed: float
    threshold: float
    ratio: float
    observed_at: dt.datetime
    evidence: tuple[Evidence, ...]
    created_at: dt.datetime
    level_at: dt.datetime | None
    decided_at: dt.datetime | None
    decided_by: str | None
    reason: str | None
    warning_id: int | None
    plan_id: int | None

    @property
    def colour(self) -> str:
        return vocabulary.WARNING_COLOURS.get(self.level, vocabulary.ALERT_RING)


def _evidence(raw: str | None) -> tuple[Evidence, ...]:
    items = json.loads(raw) if raw else []
    return tuple(Evidence(e["metric"], e["station_id"], e.get("station_code"), e["observed"], e["threshold"],
                          e["ratio"], dt.datetime.fromisoformat(e["observed_at"]), bool(e.get("complete", True)))
                 for e in items)


def _query():
    return (select(WarningProposal, HazardPoint, Township.name, Township.name_en, MonitoringStation.code)
            .join(HazardPoint, HazardPoint.id == WarningProposal.hazard_point_id)
            .join(Township, Township.code == HazardPoint.township_code)
            .outerjoin(MonitoringStation, MonitoringStation.id == WarningProposal.station_id))


def _view(p: WarningProposal, h: HazardPoint, name: str, name_en: str, station: str | None) -> ProposalView:
    return ProposalView(p.id, p.drill_id, h.id, h.code, h.name, h.hazard_type, h.township_code, name, name_en,
                        h.threatened_people, h.warning_level, h.lon, h.lat, p.level, p.status, p.metric, station,
                        p.observed, p.threshold, p.ratio, p.observed_at, _evidence(p.evidence), p.created_at,
                        p.level_at, p.decided_at, p.decided_by, p.reason, p.warning_id, p.plan_id)


def list_proposals(uow: UnitOfWork, status: str | None = vocabulary.PROPOSAL_OPEN, drill_id: int = 0,
                   limit: int = 200, hazard_point_id: int | None = None) -> list[ProposalView]:
    """Proposals of ``status`` (None: any), the highest level first then the newest; township staff: their own."""
    uow.principal.require("monitoring.read")
    if status is not None and status not in vocabulary.PROPOSAL_STATUSES:
        raise ProposalError.of("status", "proposal.status_invalid", status=status,
                               allowed="/".join(vocabulary.PROPOSAL_STATUSES))
    stmt = _query().where(WarningProposal.drill_id == drill_id)
    if status is not None:
        stmt = stmt.where(WarningProposal.status == status)
    if hazard_point_id is not None:
        stmt = stmt.where(WarningProposal.hazard_point_id == hazard_point_id)
    home = uow.principal.township_filter()
    if home is not None:
        stmt = stmt.where(HazardPoint.township_code == home)
    rows = uow.session.execute(stmt.order_by(WarningProposal.id.desc()).limit(limit)).all()
    views = [_view(*row) for row in rows]
    rank = {v: i for i, v in enumerate(vocabulary.WARNING_LEVELS)}
    return sorted(views, key=lambda v: (-rank[v.level], -v.id)) if status == vocabulary.PROPOSAL_OPEN else views


def open_proposals(uow: UnitOfWork, drill_id: int = 0) -> list[ProposalView]:
    """The proposals waiting for a decision (待确认), red first."""
    return list_proposals(uow, vocabulary.PROPOSAL_OPEN, drill_id)


def open_proposal_of(uow: UnitOfWork, hazard_point_id: int) -> ProposalView | None:
    """The live open proposal of one hazard point (the map's details), or None."""
    found = list_proposals(uow, vocabulary.PROPOSAL_OPEN, 0, 1, hazard_point_id)
    return found[0] if found else None


def proposal_detail(uow: UnitOfWork, proposal_id: int) -> ProposalView:
    """One proposal, whatever its status; township staff only their township's (403 for another's)."""
    uow.principal.require("monitoring.read")
    row = uow.session.execute(_query().where(WarningProposal.id == proposal_id)).first()
    if row is None:
        raise NotFound.of("id", "proposal.not_found", id=proposal_id)
    view = _view(*row)
    uow.principal.require_township("monitoring.read", view.township_code)
    return view

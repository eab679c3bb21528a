"""What confirming a warning proposal does (services/monitoring/proposals.py): the hazard point's level raised, the
warning with 叫应 issued through the existing machinery, and for 橙/红 an evacuation plan for its threatened people.
Each runs in the caller's unit of work, after the conditional UPDATE that decided the proposal."""
from __future__ import annotations

from sqlalchemy import update

from services import vocabulary
from services.db import audit
from services.db.uow import UnitOfWork
from services.dispatch.warnings import WarningRequest, issue_warning
from services.evacuation.plans import save_plan
from services.evacuation.scenario import Scenario
from services.models import HazardPoint, WarningProposal
from services.text import t

GEOLOGICAL = vocabulary.HAZARD_TYPES[:4]  # 滑坡 崩塌 泥石流 地面塌陷: a 地质灾害 warning; the others keep their type


def raise_level(uow: UnitOfWork, hazard: HazardPoint, level: str) -> bool:
    """The point's warning level up to ``level``, never down (a conditional UPDATE); audited when it rose."""
    below = [v for v in vocabulary.WARNING_LEVELS
             if vocabulary.WARNING_LEVELS.index(v) < vocabulary.WARNING_LEVELS.index(level)]
    before = hazard.warning_level
    row = uow.session.execute(update(HazardPoint).where(HazardPoint.id == hazard.id,
                                                        HazardPoint.warning_level.in_(below))
                              .values(warning_level=level).returning(HazardPoint.id)).first()
    uow.session.expire(hazard, ["warning_level"])
    if row is None:
        return False
    audit.record(uow.session, actor=uow.actor, action="raise_level", entity="hazard_point", entity_key=hazard.code,
                 detail={"from": before, "to": level, "by": "warning_proposal"})
    return True


def warning_hazard_type(hazard_type: str) -> str:
    return vocabulary.WARNING_DEFAULT_HAZARD if hazard_type in GEOLOGICAL else hazard_type


def issue_for(uow: UnitOfWork, proposal: WarningProposal, hazard: HazardPoint) -> int:
    """The warning of a confirmed proposal: its level, the point's zone, the point's monitors included (and the
    township staff of the townships the zone reaches, as issue_warning adds them)."""
    from services.monitoring.proposals import headline
    return issue_warning(uow, WarningRequest(
        level=proposal.level, hazard_type=warning_hazard_type(hazard.hazard_type),
        headline=headline(hazard.name, proposal.metric, proposal.observed, proposal.threshold, proposal.level)[:200],
        hazard_ids=[hazard.id], include_hazard_monitors=True))


def plan_for(uow: UnitOfWork, hazard: HazardPoint, level: str) -> tuple[int, int, int]:
    """A saved evacuation plan for the point's threatened people (the 疏散安置 computation: min-cost flow to open
    shelters with free places on road time); returns (plan id, people, people assigned a place)."""
    saved = save_plan(uow, Scenario(name=t("proposal.plan_name", hazard=hazard.name, level=level)[:100],
                                    hazard_ids=[hazard.id]))
    return saved.id, saved.plan.totals.people, saved.plan.totals.assigned

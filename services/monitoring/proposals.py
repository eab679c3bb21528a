"""Warning proposals (预警建议) of 风险感知: the rule's verdicts become proposals the duty officer confirms or rejects.

``raise_proposals`` turns the rule's ``Candidate``s into proposals, one open (待确认) per hazard point and drill (a
partial unique index holds it; concurrent raisers meet in ``INSERT … ON CONFLICT DO NOTHING`` and conditional
UPDATEs). ``confirm`` issues the warning with 叫应 through services/dispatch/warnings.py, raises the point's level
and, for 橙/红, saves an evacuation plan for the point's threatened people; ``reject`` needs a reason. A red proposal
left unanswered ``settings.monitoring.auto_confirm_red_min`` minutes confirms itself (``auto_confirm_due``), as the
system: the duty view runs it on each refresh that finds one due, and ``raise_proposals`` after each batch, so it
happens while anyone watches or readings arrive. Every decision is a conditional UPDATE on ``status = '待确认'``:
two confirms at once make exactly one warning. Reads are in services/monitoring/proposal_reads.py.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.sql import text

from services import vocabulary
from services.accounts.permissions import SYSTEM
from services.clock import now_utc
from services.db import audit
from services.db.uow import UnitOfWork
from services.errors import Conflict, FieldError, NotFound
from services.models import HazardPoint, MonitoringStation, WarningProposal
from services.monitoring.types import Candidate
from services.text import t, term

log = logging.getLogger(__name__)
RANK = {level: i for i, level in enumerate(vocabulary.WARNING_LEVELS)}
OPEN = vocabulary.PROPOSAL_OPEN
DECISION_WORDS = (vocabulary.PROPOSAL_CONFIRMED, vocabulary.PROPOSAL_AUTO)
PLANNED_LEVELS = (vocabulary.WARNING_ORANGE, vocabulary.WARNING_RED)  # 橙/红: move the threatened people
REASON_MAX = 500


class ProposalError(FieldError):
    """A proposal that cannot be decided as asked."""


@dataclass(frozen=True)
class ProposalChange:
    """What ``raise_proposals`` did for one candidate: ``created``, ``raised``, ``refreshed`` or ``none`` (already
    warned at that level, or an open proposal is higher); ``lapsed`` for an open proposal no longer a candidate."""

    hazard_point_id: int
    action: str
    proposal_id: int | None = None
    level: str | None = None


@dataclass(frozen=True)
class Decision:
    """A decided proposal: its new status, and the warning and plan a confirmation made (None otherwise)."""

    proposal_id: int
    status: str
    level: str
    warning_id: int | None = None
    plan_id: int | None = None
    plan_people: int = 0
    plan_assigned: int = 0


def _below(level: str) -> list[str]:
    return [v for v in vocabulary.WARNING_LEVELS if RANK[v] < RANK[level]]


def evidence_json(candidate: Candidate, station_codes: dict[int, str]) -> str:
    """Every metric the rule evaluated (the decisive one first): metric, station, observed, threshold, ratio, time
    (UTC, ISO) and whether its window was complete."""
    metrics = [candidate.decisive, *(m for m in candidate.metrics if m != candidate.decisive)]
    return json.dumps([{"metric": m.metric, "station_id": m.station_id, "station_code": station_codes.get(m.station_id),
                        "observed": m.observed, "threshold": m.threshold, "ratio": round(m.ratio, 4),
                        "observed_at": m.observed_at.astimezone(dt.timezone.utc).isoformat(), "complete": m.complete}
                       for m in metrics], ensure_ascii=False)


def _values(candidate: Candidate, codes: dict[int, str], now: dt.datetime) -> dict:
    d = candidate.decisive
    return {"station_id": d.station_id, "metric": d.metric, "observed": d.observed, "threshold": d.threshold,
            "ratio": d.ratio, "observed_at": d.observed_at, "evidence": evidence_json(candidate, codes),
            "updated_at": now}


def _insert(uow: UnitOfWork, row: dict) -> int | None:
    """INSERT … ON CONFLICT DO NOTHING on the partial unique index (one open proposal per drill and point)."""
    maker = pg_insert if uow.dialect == "postgresql" else sqlite_insert
    stmt = maker(WarningProposal).values(**row).on_conflict_do_nothing(
        index_elements=["drill_id", "hazard_point_id"], index_where=text(f"status = '{OPEN}'"))
    return uow.session.execute(stmt.returning(WarningProposal.id)).scalar()


def _one(uow: UnitOfWork, candidate: Candidate, codes: dict[int, str], now: dt.datetime) -> ProposalChange:
    h, level, drill = candidate.hazard_point_id, candidate.level, candidate.drill_id
    if level not in vocabulary.WARNING_COLOUR_LEVELS:
        raise ProposalError.of("level", "proposal.level_invalid", level=level)
    point = uow.session.execute(select(HazardPoint.warning_level, HazardPoint.name).where(HazardPoint.id == h)).first()
    if point is None:
        raise NotFound.of("hazard_point_id", "proposal.hazard_unknown", id=h)
    current, name = point
    if drill == 0 and RANK[current] >= RANK[level]:
        return ProposalChange(h, "none")  # warned at that level already: nothing to propose
    values = _values(candidate, codes, now)
    mine = (WarningProposal.drill_id == drill, WarningProposal.hazard_point_id == h, WarningProposal.status == OPEN)
    for _ in range(3):  # a concurrent raiser may insert between our UPDATEs and our INSERT: look again
        raised = uow.session.execute(update(WarningProposal).where(*mine, WarningProposal.level.in_(_below(level)))
                                     .values(level=level, level_at=now, **values)
                                     .returning(WarningProposal.id)).scalar()
        if raised is not None:
            _audit(uow, "raise", raised, candidate, name)
            return ProposalChange(h, "raised", raised, level)
        # equal: the newest evidence, not audited (the level, what the duty officer decides on, did not change)
        same = uow.session.execute(update(WarningProposal).where(*mine, WarningProposal.level == level)
                                   .values(**values).returning(WarningProposal.id)).scalar()
        if same is not None:
            return ProposalChange(h, "refreshed", same, level)
        higher = uow.session.scalar(select(WarningProposal.id).where(*mine))
        if higher is not None:
            return ProposalChange(h, "none", higher)
        if _rejected_lately(uow, candidate, now):
            return ProposalChange(h, "none")  # the duty officer said no to this level a moment ago
        made = _insert(uow, {"drill_id": drill, "hazard_point_id": h, "level": level, "status": OPEN,
                             "created_at": now, "level_at": now, **values})
        if made is not None:
            _audit(uow, "propose", made, candidate, name)
            return ProposalChange(h, "created", made, level)
    return ProposalChange(h, "none")


def _rejected_lately(uow: UnitOfWork, c: Candidate, now: dt.datetime) -> bool:
    """Whether a proposal of the point at this level or higher was rejected within ``reject_quiet_min`` minutes."""
    quiet = uow.settings.monitoring.reject_quiet_min
    if quiet <= 0:
        return False
    at_or_above = [v for v in vocabulary.WARNING_LEVELS if RANK[v] >= RANK[c.level]]
    return uow.session.scalar(select(WarningProposal.id).where(
        WarningProposal.drill_id == c.drill_id, WarningProposal.hazard_point_id == c.hazard_point_id,
        WarningProposal.status == vocabulary.PROPOSAL_REJECTED, WarningProposal.level.in_(at_or_above),
        WarningProposal.decided_at > now - dt.timedelta(minutes=quiet)).limit(1)) is not None


def _audit(uow: UnitOfWork, action: str, proposal_id: int, c: Candidate, hazard: str) -> None:
    d = c.decisive
    audit.record(uow.session, actor=uow.actor, action=action, entity="warning_proposal", entity_key=str(proposal_id),
                 detail={"hazard_point_id": c.hazard_point_id, "hazard": hazard, "level": c.level, "metric": d.metric,
                         "observed": d.observed, "threshold": d.threshold, "ratio": round(d.ratio, 4),
                         "drill_id": c.drill_id})


def raise_proposals(uow: UnitOfWork, candidates: Iterable[Candidate], *, evaluated: Iterable[int] = (),
                    drill_id: int = 0, now: dt.datetime | None = None) -> list[ProposalChange]:
    """Make or raise the proposals of ``candidates`` (one per hazard point: the highest level wins) in the caller's
    writing unit; open proposals of ``evaluated`` points (of ``drill_id``) that are no longer candidates lapse
    (已失效: the readings went back below the threshold and its decisive reading is older than ``lapse_after_min``).
    Audited per proposal made, raised or lapsed; the audit rows move the change counter, so an open duty view shows them at its next poll.

    The caller (the readings ingest, a drill replay) holds its own permission: proposing is the rule's act.
    """
    now = now or now_utc()
    best: dict[tuple[int, int], Candidate] = {}
    for c in candidates:
        key = (c.drill_id, c.hazard_point_id)
        if key not in best or RANK.get(c.level, -1) > RANK.get(best[key].level, -1):
            best[key] = c
    stations = {m.station_id for c in best.values() for m in (c.decisive, *c.metrics)}
    codes = dict(uow.session.execute(select(MonitoringStation.id, MonitoringStation.code)
                                     .where(MonitoringStation.id.in_(stations))).all()) if stations else {}
    changes = [_one(uow, c, codes, now) for _, c in sorted(best.items())]
    quiet = sorted(set(evaluated) - {h for d, h in best if d == drill_id})
    if quiet:
        lapsed = uow.session.execute(
            update(WarningProposal).where(WarningProposal.drill_id == drill_id, WarningProposal.status == OPEN,
                                          WarningProposal.hazard_point_id.in_(quiet),
                                          WarningProposal.observed_at < now - dt.timedelta(
                                              minutes=uow.settings.monitoring.lapse_after_min))
            .values(status=vocabulary.PROPOSAL_LAPSED, decided_at=now, decided_by=audit.SYSTEM_ACTOR, updated_at=now)
            .returning(WarningProposal.id, WarningProposal.hazard_point_id, WarningProposal.level)).all()
        names = dict(uow.session.execute(select(HazardPoint.id, HazardPoint.name)
                                         .where(HazardPoint.id.in_([h for _, h, _ in lapsed]))).all()) if lapsed else {}
        for pid, h, level in lapsed:
            audit.record(uow.session, actor=uow.actor, action="lapse", entity="warning_proposal", entity_key=str(pid),
                         detail={"hazard_point_id": h, "hazard": names.get(h, ""), "level": level})
            changes.append(ProposalChange(h, "lapsed", pid, level))
    if any(c.action in ("created", "raised") for c in changes):
        auto_confirm_due(uow, now)
    return changes


def _decide(uow: UnitOfWork, proposal: WarningProposal, status: str, now: dt.datetime, *, by: str,
            reason: str | None = None, extra=()) -> None:
    """The conditional UPDATE that decides: still open and still at the level the decider saw, or a 409."""
    done = uow.session.execute(
        update(WarningProposal).where(WarningProposal.id == proposal.id, WarningProposal.status == OPEN,
                                      WarningProposal.level == proposal.level, *extra)
        .values(status=status, decided_at=now, decided_by=by[:80], reason=reason, updated_at=now)
        .returning(WarningProposal.id)).scalar()
    if done is None:
        uow.session.expire(proposal)
        fresh = uow.session.get(WarningProposal, proposal.id)
        if fresh.status != OPEN:
            raise Conflict.of("id", "proposal.decided", id=proposal.id, status=term(fresh.status),
                              by=fresh.decided_by or "")
        raise Conflict.of("id", "proposal.changed", id=proposal.id, level=fresh.level)


def _proposal(uow: UnitOfWork, proposal_id: int) -> WarningProposal:
    proposal = uow.session.get(WarningProposal, proposal_id)
    if proposal is None:
        raise NotFound.of("id", "proposal.not_found", id=proposal_id)
    return proposal


def confirm(uow: UnitOfWork, proposal_id: int, note: str | None = None, *, now: dt.datetime | None = None) -> Decision:
    """Confirm an open proposal (``warning.issue``; a red one is the commander's, ``warning.confirm_red``): the
    point's level rises to the proposal's (never lowered), a warning with 叫应 goes to its monitors and the staff of
    the townships its zone reaches, and for 橙/红 an evacuation plan for its threatened people is saved. A drill's
    proposal is only recorded (a drill never warns anyone). One transaction; audited."""
    uow.principal.require("warning.issue")
    proposal = _proposal(uow, proposal_id)
    if proposal.level == vocabulary.WARNING_RED:
        uow.principal.require("warning.confirm_red")
    note = (note or "").strip() or None
    if note is not None and len(note) > REASON_MAX:
        raise ProposalError.of("note", "proposal.reason_long", limit=REASON_MAX)
    now = now or now_utc()
    _decide(uow, proposal, vocabulary.PROPOSAL_CONFIRMED, now, by=uow.actor, reason=note)
    return _carry_out(uow, proposal, vocabulary.PROPOSAL_CONFIRMED)


def reject(uow: UnitOfWork, proposal_id: int, reason: str | None, *, now: dt.datetime | None = None) -> Decision:
    """Reject an open proposal with a reason (``warning.issue``; a red one ``warning.confirm_red``). Audited."""
    uow.principal.require("warning.issue")
    proposal = _proposal(uow, proposal_id)
    if proposal.level == vocabulary.WARNING_RED:
        uow.principal.require("warning.confirm_red")
    reason = (reason or "").strip()
    if not reason:
        raise ProposalError.of("reason", "proposal.reason_required")
    if len(reason) > REASON_MAX:
        raise ProposalError.of("reason", "proposal.reason_long", limit=REASON_MAX)
    _decide(uow, proposal, vocabulary.PROPOSAL_REJECTED, now or now_utc(), by=uow.actor, reason=reason)
    audit.record(uow.session, actor=uow.actor, action="reject", entity="warning_proposal", entity_key=str(proposal.id),
                 detail={"hazard_point_id": proposal.hazard_point_id, "level": proposal.level, "reason": reason,
                         "hazard": uow.session.get(HazardPoint, proposal.hazard_point_id).name})
    return Decision(proposal.id, vocabulary.PROPOSAL_REJECTED, proposal.level)


def due_count(uow: UnitOfWork, now: dt.datetime | None = None) -> int:
    """How many red proposals wait past the configured minutes (0 when auto-confirm is off): a reading unit asks
    this first, so that only a refresh with something due opens a writing one."""
    cutoff = _cutoff(uow, now)
    if cutoff is None:
        return 0
    return int(uow.session.scalar(select(func.count()).select_from(WarningProposal).where(*_due(cutoff))) or 0)


def _cutoff(uow: UnitOfWork, now: dt.datetime | None) -> dt.datetime | None:
    minutes = uow.settings.monitoring.auto_confirm_red_min
    return None if minutes <= 0 else (now or now_utc()) - dt.timedelta(minutes=minutes)


def _due(cutoff: dt.datetime):
    return (WarningProposal.drill_id == 0, WarningProposal.status == OPEN,
            WarningProposal.level == vocabulary.WARNING_RED,
            or_(WarningProposal.level_at <= cutoff,
                WarningProposal.level_at.is_(None) & (WarningProposal.created_at <= cutoff)))


def auto_confirm_due(uow: UnitOfWork, now: dt.datetime | None = None) -> list[Decision]:
    """Confirm, as the system (自动确认), every live red proposal red for longer than ``auto_confirm_red_min``
    minutes; nothing when that is 0. Safe to run concurrently: each is decided by the conditional UPDATE, so a
    proposal is confirmed once and its warning issued once. Audited as ``auto_confirm`` by the system."""
    now = now or now_utc()
    cutoff = _cutoff(uow, now)
    if cutoff is None:
        return []
    system = dataclasses.replace(uow, principal=SYSTEM, actor=audit.SYSTEM_ACTOR)
    decisions = []
    due = uow.session.scalars(select(WarningProposal).where(*_due(cutoff)).order_by(WarningProposal.id)).all()
    for proposal in due:
        try:
            # a savepoint each: one that cannot be carried out (no recipient in its zone) stays open for a person,
            # and never undoes the caller's work (the readings batch this runs after)
            with uow.session.begin_nested():
                _decide(system, proposal, vocabulary.PROPOSAL_AUTO, now, by=audit.SYSTEM_ACTOR,
                        extra=(or_(WarningProposal.level_at <= cutoff, WarningProposal.level_at.is_(None)),))
                decisions.append(_carry_out(system, proposal, vocabulary.PROPOSAL_AUTO))
        except FieldError as exc:  # decided or raised by someone else meanwhile (409), or not possible now
            log.warning("proposal %s not auto-confirmed: %s", proposal.id, exc)
    return decisions


def _carry_out(uow: UnitOfWork, proposal: WarningProposal, status: str) -> Decision:
    """What a confirmation does, after the UPDATE that decided it: level, warning, plan, and the audit row."""
    from services.monitoring.proposal_actions import issue_for, plan_for, raise_level
    session = uow.session
    hazard = session.get(HazardPoint, proposal.hazard_point_id)
    warning_id = plan_id = None
    people = assigned = 0
    if proposal.drill_id == 0:
        raise_level(uow, hazard, proposal.level)
        warning_id = issue_for(uow, proposal, hazard)
        if proposal.level in PLANNED_LEVELS and hazard.threatened_people > 0:
            plan_id, people, assigned = plan_for(uow, hazard, proposal.level)
        session.execute(update(WarningProposal).where(WarningProposal.id == proposal.id)
                        .values(warning_id=warning_id, plan_id=plan_id))
    audit.record(session, actor=uow.actor, action="auto_confirm" if status == vocabulary.PROPOSAL_AUTO else "confirm",
                 entity="warning_proposal", entity_key=str(proposal.id),
                 detail={"hazard_point_id": hazard.id, "hazard": hazard.name, "level": proposal.level,
                         "warning_id": warning_id,
                         "plan_id": plan_id, "drill_id": proposal.drill_id})
    return Decision(proposal.id, status, proposal.level, warning_id, plan_id, people, assigned)


def headline(hazard_name: str, metric: str, observed: float, threshold: float, level: str, lang: str = "zh") -> str:
    """The warning's headline: the point, the reading and the level (stored in zh, as CAP's text is)."""
    return t("proposal.headline", lang, hazard=hazard_name, metric=t(f"proposal.metric.{metric}", lang),
             observed=f"{observed:g}", threshold=f"{threshold:g}", level=term(level, lang))

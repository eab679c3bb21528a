"""The 叫应 board: each recipient of each warning in force, with their state, and the duty officer's escalation.

A recipient is ``acknowledged`` (confirmed), ``escalated`` (not confirmed, and the duty officer took it further up:
called their superior), ``overdue`` (not confirmed past the warning's timeout: shown red until someone acts) or
``waiting``. The officer acknowledges on a recipient's behalf (confirmed by phone) with
``services.dispatch.warnings.acknowledge``; ``escalate`` records the escalation, once, by a conditional UPDATE.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from sqlalchemy import exists, select, update

from services.clock import as_utc
from services.db import audit
from services.db.uow import UnitOfWork
from services.dispatch.warnings import active_warnings
from services.errors import Conflict, NotFound
from services.models import Warning, WarningRecipient, utcnow

ACKNOWLEDGED, ESCALATED, OVERDUE, WAITING = "acknowledged", "escalated", "overdue", "waiting"


@dataclass(frozen=True)
class RecipientState:
    id: int
    warning_id: int
    name: str
    role: str
    phone: str | None
    state: str
    deadline: dt.datetime
    acknowledged_at: dt.datetime | None
    escalated_at: dt.datetime | None
    escalated_by: str | None

    @property
    def alarm(self) -> bool:
        """Red on the board: not confirmed past the timeout (escalated or not)."""
        return self.state in (OVERDUE, ESCALATED)

    def to_json(self) -> dict:
        d = asdict(self)
        return {**d, **{k: v.isoformat() for k, v in d.items() if isinstance(v, dt.datetime)}, "alarm": self.alarm}


@dataclass(frozen=True)
class WarningBoard:
    warning_id: int
    level: str
    headline: str
    recipients: list[RecipientState]

    def to_json(self) -> dict:
        return {"warning_id": self.warning_id, "level": self.level, "headline": self.headline,
                "recipients": [r.to_json() for r in self.recipients]}


def _state(r: WarningRecipient, deadline: dt.datetime, now: dt.datetime) -> str:
    if r.acknowledged_at is not None:
        return ACKNOWLEDGED
    if r.escalated_at is not None:
        return ESCALATED
    return OVERDUE if now > deadline else WAITING


def ack_board(uow: UnitOfWork, now: dt.datetime | None = None) -> list[WarningBoard]:
    """The warnings in force (township staff: those reaching their township), newest first, each with its
    recipients: the overdue and escalated first, then waiting, then confirmed."""
    now = as_utc(now or dt.datetime.now(dt.timezone.utc))
    warnings = active_warnings(uow, now=now)
    if not warnings:
        return []
    rows = uow.session.scalars(select(WarningRecipient).where(
        WarningRecipient.warning_id.in_([w["id"] for w in warnings])).order_by(WarningRecipient.id)).all()
    deadlines = {w.id: as_utc(w.issued_at) + dt.timedelta(minutes=w.ack_timeout_min)
                 for w in uow.session.scalars(select(Warning).where(Warning.id.in_([w["id"] for w in warnings])))}
    order = {OVERDUE: 0, ESCALATED: 1, WAITING: 2, ACKNOWLEDGED: 3}
    boards = []
    for w in warnings:
        people = [RecipientState(r.id, r.warning_id, r.name, r.role, r.phone,
                                 _state(r, deadlines[r.warning_id], now), deadlines[r.warning_id],
                                 as_utc(r.acknowledged_at) if r.acknowledged_at else None,
                                 as_utc(r.escalated_at) if r.escalated_at else None, r.escalated_by)
                  for r in rows if r.warning_id == w["id"]]
        people.sort(key=lambda p: (order[p.state], p.id))
        boards.append(WarningBoard(w["id"], w["level"], w["headline"], people))
    return boards


def escalate(uow: UnitOfWork, warning_id: int, recipient_id: int) -> None:
    """Record that the duty officer escalated a recipient who has not confirmed (once, while the warning is in
    force); two officers at once: one records it, the other is told it is done."""
    uow.principal.require("warning.issue")
    live = exists().where(Warning.id == warning_id, Warning.lifted_at.is_(None), Warning.valid_until > utcnow())
    done = uow.session.execute(
        update(WarningRecipient).where(WarningRecipient.id == recipient_id, WarningRecipient.warning_id == warning_id,
                                       WarningRecipient.acknowledged_at.is_(None),
                                       WarningRecipient.escalated_at.is_(None), live)
        .values(escalated_at=utcnow(), escalated_by=uow.actor[:80]).returning(WarningRecipient.name)).first()
    if done is None:
        recipient = uow.session.get(WarningRecipient, recipient_id)
        if recipient is None or recipient.warning_id != warning_id:
            raise NotFound.of("recipient_id", "recipient.not_found")
        if recipient.acknowledged_at is not None:
            raise Conflict.of("recipient_id", "warning.acknowledged", name=recipient.name)
        if recipient.escalated_at is not None:
            raise Conflict.of("recipient_id", "warning.escalated_already", name=recipient.name,
                              by=recipient.escalated_by or "")
        raise Conflict.of("id", "warning.inactive", id=warning_id)
    audit.record(uow.session, actor=uow.actor, action="escalate", entity="warning", entity_key=str(warning_id),
                 detail={"recipient": done.name})

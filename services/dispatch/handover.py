"""交接班 (shift handover): the note a duty officer leaves for the next, shown first on the duty view until the
next officer marks it read (接班). Writing and reading are duty work (``incident.manage``); both are audited and
move the change counter, so every open duty view shows the new note, or that it was taken over, at once.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from sqlalchemy import select, update

from services.clock import as_utc
from services.db import audit
from services.db.uow import UnitOfWork
from services.errors import Conflict, FieldError, NotFound
from services.models import ShiftHandover, utcnow

MAX_NOTE = 4000


@dataclass(frozen=True)
class Handover:
    id: int
    written_at: dt.datetime
    author: str
    note: str
    read_at: dt.datetime | None
    read_by: str | None

    def to_json(self) -> dict:
        d = asdict(self)
        return {**d, "written_at": self.written_at.isoformat(),
                "read_at": self.read_at.isoformat() if self.read_at else None}


def _handover(row: ShiftHandover) -> Handover:
    return Handover(row.id, as_utc(row.written_at), row.author, row.note,
                    as_utc(row.read_at) if row.read_at else None, row.read_by)


def write_handover(uow: UnitOfWork, note: str) -> int:
    """Leave a handover note (what is open, what to watch); returns its id."""
    uow.principal.require("incident.manage")
    text = (note or "").strip()
    if not text:
        raise FieldError.of("note", "handover.note_required")
    if len(text) > MAX_NOTE:
        raise FieldError.of("note", "handover.note_long", limit=MAX_NOTE)
    row = ShiftHandover(author=uow.actor[:80], note=text, written_at=utcnow())
    uow.session.add(row)
    uow.session.flush()
    audit.record(uow.session, actor=uow.actor, action="handover", entity="shift_handover", entity_key=str(row.id))
    return row.id


def latest_handover(uow: UnitOfWork) -> Handover | None:
    """The newest handover note (read or not), or None."""
    uow.principal.require("incident.manage")
    row = uow.session.scalars(select(ShiftHandover).order_by(ShiftHandover.id.desc()).limit(1)).first()
    return _handover(row) if row is not None else None


def handover(uow: UnitOfWork, handover_id: int) -> Handover | None:
    """One handover note by its id, or None."""
    uow.principal.require("incident.manage")
    row = uow.session.get(ShiftHandover, handover_id)
    return _handover(row) if row is not None else None


def take_over(uow: UnitOfWork, handover_id: int) -> None:
    """The next officer has read the note (接班); once: a second reader is told who took over."""
    uow.principal.require("incident.manage")
    done = uow.session.execute(update(ShiftHandover).where(ShiftHandover.id == handover_id,
                                                           ShiftHandover.read_at.is_(None))
                               .values(read_at=utcnow(), read_by=uow.actor[:80]).returning(ShiftHandover.id)).first()
    if done is None:
        row = uow.session.get(ShiftHandover, handover_id)
        if row is None:
            raise NotFound.of("id", "handover.not_found", id=handover_id)
        raise Conflict.of("id", "handover.taken_over", by=row.read_by or "")
    audit.record(uow.session, actor=uow.actor, action="take_over", entity="shift_handover",
                 entity_key=str(handover_id))

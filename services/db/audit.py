"""The audit log and the change counter: every write records who did what, in the same transaction as the write.

Each write transaction that records a change takes the next change number (``change_counter``) as its last
statement before COMMIT, holding that row's lock until the commit: numbers are therefore committed in order on
PostgreSQL as on SQLite, and a live view that has seen number N has seen every change up to N. (Ids from a
sequence are not enough: on PostgreSQL id 7 can commit before id 6.)
"""
from __future__ import annotations

import json
from typing import Any

from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from services.models import AuditLog, ChangeCounter

SYSTEM_ACTOR = "system"
_PENDING = "qj_change_rows"
_LIMITS = {"actor": 80, "action": 20, "entity": 40, "entity_key": 80}


def _clip(value: str | None, limit: int) -> str | None:
    """Audit text fits its column: a long file name is recorded shortened, never refused after the write."""
    if value is None:
        return None
    value = value.replace("\x00", "")
    return value if len(value) <= limit else value[: limit - 1] + "…"


def record(session: Session, *, actor: str, action: str, entity: str, entity_key: str | None = None,
           detail: dict[str, Any] | None = None, counted: bool = True) -> AuditLog:
    """Add an audit row to ``session``; it commits or rolls back with the write it describes.

    ``counted=False`` for rows that change no record a live view shows (a sign-in): they take no change number.
    """
    row = AuditLog(actor=_clip(actor or SYSTEM_ACTOR, _LIMITS["actor"]), action=_clip(action, _LIMITS["action"]),
                   entity=_clip(entity, _LIMITS["entity"]), entity_key=_clip(entity_key, _LIMITS["entity_key"]),
                   detail=json.dumps(detail, ensure_ascii=False, default=str) if detail else None)
    session.add(row)
    if counted:
        track_change(session, row)
    return row


def track_change(session: Session, row) -> None:
    """Give ``row`` (which has a ``change_seq`` column) the transaction's change number when it commits."""
    session.info.setdefault(_PENDING, []).append(row)


@event.listens_for(Session, "before_commit")
def _number_the_change(session: Session) -> None:
    rows = session.info.pop(_PENDING, None)
    if not rows:
        return
    session.flush()  # every other statement first, so the counter's lock is the last one taken
    seq = session.execute(update(ChangeCounter).where(ChangeCounter.id == 1)
                          .values(value=ChangeCounter.value + 1).returning(ChangeCounter.value)).scalar_one()
    for row in rows:
        row.change_seq = seq


@event.listens_for(Session, "after_rollback")
def _forget_changes(session: Session) -> None:
    session.info.pop(_PENDING, None)


def change_counter(session: Session) -> int:
    """The number of the last committed change (0 on a new database)."""
    return int(session.scalar(select(ChangeCounter.value).where(ChangeCounter.id == 1)) or 0)


def recent(session: Session, limit: int = 20) -> list[AuditLog]:
    """The newest audit rows first."""
    return list(session.scalars(select(AuditLog).order_by(AuditLog.id.desc()).limit(limit)))

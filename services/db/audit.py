"""The audit log: every write records who did what, in the same transaction as the write."""
from __future__ import annotations

import json
from typing import Any

from sqlalchemy.orm import Session

from services.models import AuditLog

SYSTEM_ACTOR = "system"


def record(session: Session, *, actor: str, action: str, entity: str, entity_key: str | None = None,
           detail: dict[str, Any] | None = None) -> None:
    """Add an audit row to ``session``; it commits or rolls back with the write it describes."""
    session.add(AuditLog(
        actor=actor or SYSTEM_ACTOR, action=action, entity=entity, entity_key=entity_key,
        detail=json.dumps(detail, ensure_ascii=False, default=str) if detail else None,
    ))


def recent(session: Session, limit: int = 20) -> list[AuditLog]:
    """The newest audit rows first."""
    from sqlalchemy import select
    return list(session.scalars(select(AuditLog).order_by(AuditLog.id.desc()).limit(limit)))

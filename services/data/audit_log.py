"""The audit log as its readers see it: each row's action, entity, key and parameters, with the actor's name.

The catalogue (services/text/display.py, ``audit.<entity>.<action>``) turns an entry into a sentence; the rows
themselves stay as written (codes and stored values), so a sentence reads in either language.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from sqlalchemy import select

from services.db.audit import recent
from services.db.uow import UnitOfWork
from services.models import UserAccount

LINK_ACTOR = "link:"  # an acknowledgement through a recipient's link names the recipient (services.dispatch.ack_links)


@dataclass(frozen=True)
class AuditEntry:
    at: dt.datetime
    actor: str                  # the account (or "seed", "system", "link:<recipient>")
    actor_name: str | None      # the account's display name, when it is one
    action: str
    entity: str
    key: str | None
    params: dict = field(default_factory=dict)  # the row's detail, as written


def _detail(text: str | None) -> dict:
    try:
        value = json.loads(text) if text else {}
    except ValueError:  # a detail cut at its column's length: the sentence does without it
        return {}
    return value if isinstance(value, dict) else {}


def audit_entries(uow: UnitOfWork, limit: int = 20) -> list[AuditEntry]:
    """The newest audit rows first, each with its actor's display name (one query for the names)."""
    rows = recent(uow.session, limit)
    actors = {r.actor for r in rows}
    names = dict(uow.session.execute(select(UserAccount.username, UserAccount.display_name)
                                     .where(UserAccount.username.in_(actors))).all()) if actors else {}
    return [AuditEntry(r.at, r.actor, names.get(r.actor), r.action, r.entity, r.entity_key, _detail(r.detail))
            for r in rows]

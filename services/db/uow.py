"""The unit of work: one session and one transaction, opened at the edge and passed into services.

An API handler, a callback, a CLI command or a job opens ``with unit_of_work(settings, write=True, actor=…) as
uow:`` and hands ``uow`` to every service it calls; services compose inside it and never open a session of
their own. A writing unit commits on success and rolls back on any error (SQLite: ``BEGIN IMMEDIATE``, the write
lock taken before the first read); a reading one sees one snapshot and is rolled back at the end.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from config import Settings
from services.accounts.context import request_principal
from services.accounts.permissions import SYSTEM, Principal
from services.db.audit import SYSTEM_ACTOR
from services.db.engine import new_session


@dataclass
class UnitOfWork:
    """What a service needs from its caller: the deployment's settings, the open session and who acts.

    ``principal`` is the signed-in user or token (role and township) that services check permissions and
    township scope against; a CLI command, a job or a test acts as ``SYSTEM`` (every permission).
    """

    settings: Settings
    session: Session
    actor: str = SYSTEM_ACTOR
    write: bool = False
    principal: Principal = field(default=SYSTEM)

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``: for the few statements the two write differently."""
        return self.session.get_bind().dialect.name


@contextmanager
def unit_of_work(settings: Settings, *, write: bool = False, actor: str | None = None,
                 principal: Principal | None = None) -> Iterator[UnitOfWork]:
    """One transaction for one request, callback, command or job.

    Who acts: ``principal`` if given, else the signed-in user of the request being served (set by the web
    layer's guard), else SYSTEM. Within a request the audit log names that user, whatever ``actor`` says.
    """
    from_request = principal or request_principal()
    principal = from_request or SYSTEM
    actor = from_request.actor if from_request is not None else (actor or SYSTEM_ACTOR)
    session = new_session(settings.database_url, write=write)
    try:
        if write:
            with session.begin():
                yield UnitOfWork(settings, session, actor, True, principal)
        else:
            session.begin()
            try:
                yield UnitOfWork(settings, session, actor, False, principal)
            finally:
                session.rollback()
    finally:
        session.close()

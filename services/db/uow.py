"""The unit of work: one session and one transaction, opened at the edge and passed into services.

An API handler, a callback, a CLI command or a job opens ``with unit_of_work(settings, write=True, actor=…) as
uow:`` and hands ``uow`` to every service it calls; services compose inside it and never open a session of
their own. A writing unit commits on success and rolls back on any error (SQLite: ``BEGIN IMMEDIATE``, the write
lock taken before the first read); a reading one sees one snapshot and is rolled back at the end.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy.orm import Session

from config import Settings
from services.db.audit import SYSTEM_ACTOR
from services.db.engine import new_session


@dataclass
class UnitOfWork:
    """What a service needs from its caller: the deployment's settings, the open session and who acts."""

    settings: Settings
    session: Session
    actor: str = SYSTEM_ACTOR
    write: bool = False

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``: for the few statements the two write differently."""
        return self.session.get_bind().dialect.name


@contextmanager
def unit_of_work(settings: Settings, *, write: bool = False, actor: str = SYSTEM_ACTOR) -> Iterator[UnitOfWork]:
    """One transaction for one request, callback, command or job."""
    session = new_session(settings.database_url, write=write)
    try:
        if write:
            with session.begin():
                yield UnitOfWork(settings, session, actor, True)
        else:
            session.begin()
            try:
                yield UnitOfWork(settings, session, actor, False)
            finally:
                session.rollback()
    finally:
        session.close()

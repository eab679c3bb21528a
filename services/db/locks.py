"""Serialising one kind of write across processes, inside the caller's unit of work.

PostgreSQL: a transaction-scoped advisory lock named by a string, held until the unit commits or rolls back.
SQLite needs none: a writing unit begins with ``BEGIN IMMEDIATE``, which already serialises every writer.
"""
from __future__ import annotations

import zlib

from sqlalchemy import func, select

from services.db.uow import UnitOfWork


def transaction_lock(uow: UnitOfWork, name: str) -> None:
    """Wait until no other unit holds ``name``, then hold it to the end of this one."""
    if uow.dialect == "postgresql":
        key = zlib.crc32(name.encode()) & 0x7FFFFFFF
        uow.session.execute(select(func.pg_advisory_xact_lock(key)))

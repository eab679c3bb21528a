"""The audit log: one row per write."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from services.db import Base, UTCDateTime
from services.models.common import utcnow


class AuditLog(Base):
    """One row per write: who did what to which records, when (UTC)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(20))
    entity: Mapped[str] = mapped_column(String(40))
    entity_key: Mapped[str | None] = mapped_column(String(80))
    detail: Mapped[str | None] = mapped_column(Text)
    # The change number of the transaction that wrote the row (see services.db.audit): commit order.
    change_seq: Mapped[int | None] = mapped_column(BigInteger, index=True)


class ChangeCounter(Base):
    """One row: the number of the last committed write transaction, the live views' change counter.

    Each write transaction takes the next number as its last statement, under the row's lock, so numbers are
    committed in order on every back-end; a poller that has seen N has seen every change up to N.
    """

    __tablename__ = "change_counter"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    value: Mapped[int] = mapped_column(BigInteger, default=0)

"""Incidents with their timeline, dispatch orders, and warnings with their recipients (叫应)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from services import vocabulary
from services.db import Base, Geometry, UTCDateTime
from services.models.common import _gist, _one_of, utcnow


class Incident(Base):
    """突发事件: reported, checked, handled, closed; every change is an IncidentEvent on its timeline."""

    __tablename__ = "incident"
    __table_args__ = (
        _one_of("category", vocabulary.INCIDENT_TYPES), _one_of("kind", vocabulary.INCIDENT_KINDS),
        _one_of("level", vocabulary.INCIDENT_LEVELS), _one_of("status", vocabulary.INCIDENT_STATUSES),
        CheckConstraint("dead >= 0 AND injured >= 0 AND missing >= 0 AND people_affected >= 0",
                        name="counts_non_negative"),
        _gist("incident"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(10))
    kind: Mapped[str] = mapped_column(String(20))
    level: Mapped[str] = mapped_column(String(2))
    status: Mapped[str] = mapped_column(String(4), index=True, default=vocabulary.INCIDENT_REPORTED)
    occurred_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    reported_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    reporter: Mapped[str] = mapped_column(String(80))
    lon: Mapped[float] = mapped_column(Float)
    lat: Mapped[float] = mapped_column(Float)
    geom = mapped_column(Geometry("POINT"), nullable=False)
    township_code: Mapped[str] = mapped_column(ForeignKey("township.code"), index=True)
    dead: Mapped[int] = mapped_column(Integer, default=0)
    injured: Mapped[int] = mapped_column(Integer, default=0)
    missing: Mapped[int] = mapped_column(Integer, default=0)
    people_affected: Mapped[int] = mapped_column(Integer, default=0)
    description: Mapped[str | None] = mapped_column(Text)


class IncidentEvent(Base):
    """One line of an incident's timeline (status change, note, order) or a patrol of a hazard point (巡查, with
    ``patrol_id`` instead of ``incident_id``); together they are the live change feed.

    What happened is a catalogue code with its parameters (services/text/dispatch.py), rendered in the reader's
    language; a note typed by a person is a parameter (``note``), kept as typed.
    """

    __tablename__ = "incident_event"
    __table_args__ = (
        CheckConstraint("(incident_id IS NULL) <> (patrol_id IS NULL)", name="event_one_record"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incident.id", ondelete="CASCADE"), index=True)
    patrol_id: Mapped[int | None] = mapped_column(ForeignKey("hazard_patrol.id", ondelete="CASCADE"), index=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(20))
    code: Mapped[str] = mapped_column(String(40))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    change_seq: Mapped[int | None] = mapped_column(BigInteger, index=True)  # the feed's order (services.db.audit)


_ACTIVE = "status IN ({})".format(", ".join(f"'{s}'" for s in vocabulary.ACTIVE_ORDER_STATUSES))


class DispatchOrder(Base):
    """派遣指令: a team sent to an incident, 已派 → 出发 → 到达 → 完成 (or 取消).

    A partial unique index allows one active order per team, so two dispatchers racing for the same team
    cannot both win, whatever the server processes.
    """

    __tablename__ = "dispatch_order"
    __table_args__ = (
        _one_of("status", vocabulary.ORDER_STATUSES),
        Index("uq_dispatch_order_active_team", "team_id", unique=True, sqlite_where=text(_ACTIVE),
              postgresql_where=text(_ACTIVE)),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id", ondelete="CASCADE"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("rescue_team.id"))
    status: Mapped[str] = mapped_column(String(4), default=vocabulary.ORDER_SENT)
    actor: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    eta_s: Mapped[float | None] = mapped_column(Float)


class Warning(Base):
    """预警: a colour level for a hazard type over an area, valid until a time, to be acknowledged (叫应)."""

    __tablename__ = "warning"
    __table_args__ = (_one_of("level", vocabulary.WARNING_COLOUR_LEVELS),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    level: Mapped[str] = mapped_column(String(2))
    hazard_type: Mapped[str] = mapped_column(String(20))
    headline: Mapped[str] = mapped_column(String(200))
    area_description: Mapped[str] = mapped_column(String(500))
    area = mapped_column(Geometry("GEOMETRY"))
    issued_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    valid_until: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    issued_by: Mapped[str] = mapped_column(String(80))
    ack_timeout_min: Mapped[int] = mapped_column(Integer, default=15)
    lifted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    lifted_by: Mapped[str | None] = mapped_column(String(80))


class WarningRecipient(Base):
    """A responsible person a warning must reach; ``acknowledged_at`` is the 叫应.

    ``user_id`` names the account of a township user whose township the warning reaches: they acknowledge their
    own row with one tap on the phone page. Named people (no account) have none, and use their personal link.
    """

    __tablename__ = "warning_recipient"
    __table_args__ = (UniqueConstraint("warning_id", "user_id", name="uq_warning_recipient_user"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    warning_id: Mapped[int] = mapped_column(ForeignKey("warning.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    role: Mapped[str] = mapped_column(String(40))
    phone: Mapped[str | None] = mapped_column(String(30))
    acknowledged_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    # The personal 叫应 link's random part (services/dispatch/ack_links.py): valid while the warning is in force.
    ack_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"), index=True)
    # 升级: the duty officer took a recipient who has not confirmed further up (called their superior), once.
    escalated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    escalated_by: Mapped[str | None] = mapped_column(String(80))


class ShiftHandover(Base):
    """交接班: the note a duty officer leaves for the next; shown first on the duty view until someone reads it."""

    __tablename__ = "shift_handover"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    written_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    author: Mapped[str] = mapped_column(String(80))
    note: Mapped[str] = mapped_column(Text)
    read_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    read_by: Mapped[str | None] = mapped_column(String(80))

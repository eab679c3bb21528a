"""熔断 (circuit-breaker) orders of a warning area: the controls 禁、停、撤、疏 issued at a level, one item per site,
road zone or hazard point, ticked off as each confirms (issue 15 point 4).

An order keeps its area (WGS-84) and what it was issued for; its items copy the target's name, sector, township
and contact at issue time, so the list prints as it was sent even if the records change later. ``drill_id`` 0 is
live; a drill's orders never mix with the live ones.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql import false, text

from services import vocabulary
from services.db import Base, Geometry, UTCDateTime
from services.models.common import _one_of, utcnow


class ControlOrder(Base):
    """A 熔断/管控 order: the controls of a level over an area, issued by the commander, closed when lifted."""

    __tablename__ = "control_order"
    __table_args__ = (
        _one_of("level", vocabulary.WARNING_COLOUR_LEVELS),
        CheckConstraint("drill_id >= 0", name="drill_id_non_negative"),
        CheckConstraint("(closed_at IS NULL) = (closed_by IS NULL)", name="closed_with_whom"),
        Index("ix_control_order_open", "drill_id", "closed_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    drill_id: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    warning_id: Mapped[int | None] = mapped_column(ForeignKey("warning.id", ondelete="SET NULL"), index=True)
    level: Mapped[str] = mapped_column(String(2))
    hazard_type: Mapped[str] = mapped_column(String(20))
    area = mapped_column(Geometry("GEOMETRY"), nullable=False)
    area_description: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(80))
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    closed_by: Mapped[str | None] = mapped_column(String(80))


class ControlItem(Base):
    """One control of an order: 禁 the roads of a hazard zone, 停 a site, 撤 a hazard point's people, 疏 a crowded
    place; confirmed once (``confirmed_at``) by the duty officer or the township's staff, with a note."""

    __tablename__ = "control_item"
    __table_args__ = (
        _one_of("action", vocabulary.CONTROL_ACTIONS),
        _one_of("target_layer", vocabulary.CONTROL_TARGETS),
        UniqueConstraint("order_id", "action", "target_layer", "target_id", name="uq_control_item_target"),
        CheckConstraint("(confirmed_at IS NULL) = (confirmed_by IS NULL)", name="confirmed_with_whom"),
        CheckConstraint("people IS NULL OR people >= 0", name="people_non_negative"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("control_order.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(2))
    target_layer: Mapped[str] = mapped_column(String(12))
    target_id: Mapped[int] = mapped_column(Integer)  # enterprise or hazard point (roads: the zone's hazard point)
    name: Mapped[str] = mapped_column(String(200))
    sector: Mapped[str | None] = mapped_column(String(20))  # an enterprise's sector, a hazard point's type
    category: Mapped[str | None] = mapped_column(String(20))
    township_code: Mapped[str] = mapped_column(ForeignKey("township.code"), index=True)
    contact_person: Mapped[str | None] = mapped_column(String(50))
    contact_phone: Mapped[str | None] = mapped_column(String(30))
    people: Mapped[int | None] = mapped_column(Integer)  # 撤: the threatened people to move
    detail: Mapped[str | None] = mapped_column(String(300))  # 禁: the roads through the zone, by name
    is_sample: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    confirmed_by: Mapped[str | None] = mapped_column(String(80))
    note: Mapped[str | None] = mapped_column(String(500))
    road_block_id: Mapped[int | None] = mapped_column(ForeignKey("road_block.id", ondelete="SET NULL"))

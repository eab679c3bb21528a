"""Evacuation records: needs profiles, saved plans and people moved from the field."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from services.db import Base, UTCDateTime
from services.models.common import utcnow


class NeedsProfile(Base):
    """One version of the relief needs profile (五有 per person), kept so plans can say which they used."""

    __tablename__ = "needs_profile"

    version: Mapped[int] = mapped_column(Integer, primary_key=True)  # from a sequence, never max + 1
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor: Mapped[str] = mapped_column(String(80))
    note: Mapped[str | None] = mapped_column(String(200))
    entries: Mapped[str] = mapped_column(Text)  # JSON list, see services/supply/needs.py


class EvacuationPlan(Base):
    """A saved evacuation plan: its scenario (inputs) and result, to reopen and compare."""

    __tablename__ = "evacuation_plan"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(100))
    people: Mapped[int] = mapped_column(Integer)
    assigned: Mapped[int] = mapped_column(Integer)
    scenario: Mapped[str] = mapped_column(Text)  # JSON of services.evacuation_plan.Scenario
    result: Mapped[str] = mapped_column(Text)    # JSON of the plan


class EvacuationMove(Base):
    """People moved away from a hazard point (转移), and into a shelter if they arrived at one (安置)."""

    __tablename__ = "evacuation_move"
    __table_args__ = (CheckConstraint("people > 0", name="people_positive"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor: Mapped[str] = mapped_column(String(80))
    hazard_id: Mapped[int] = mapped_column(ForeignKey("hazard_point.id"), index=True)
    shelter_id: Mapped[int | None] = mapped_column(ForeignKey("shelter.id"))
    people: Mapped[int] = mapped_column(Integer)

"""Field work of township staff: patrols of hazard points (巡查) and the photos taken with a report or a patrol."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from services import vocabulary
from services.db import Base, UTCDateTime
from services.models.common import _one_of, utcnow

PHOTO_TYPES = ("image/jpeg", "image/png", "image/webp")


class HazardPatrol(Base):
    """巡查: one visit to a hazard point — what was found, the crack width measured, and a level it raised.

    ``level_before`` is the point's warning level when the patrol was recorded; ``raised_to`` is set only when
    this patrol raised it (a patrol never lowers a level: services/field/patrols.py).
    """

    __tablename__ = "hazard_patrol"
    __table_args__ = (
        _one_of("state", vocabulary.PATROL_STATES),
        _one_of("level_before", vocabulary.WARNING_LEVELS),
        CheckConstraint("raised_to IS NULL OR raised_to IN ({})".format(
            ", ".join(f"'{v}'" for v in vocabulary.WARNING_COLOUR_LEVELS)), name="raised_to_allowed"),
        CheckConstraint("crack_width_mm IS NULL OR (crack_width_mm >= 0 AND crack_width_mm <= 10000)",
                        name="crack_width_range"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    hazard_id: Mapped[int] = mapped_column(ForeignKey("hazard_point.id", ondelete="CASCADE"), index=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor: Mapped[str] = mapped_column(String(80))
    state: Mapped[str] = mapped_column(String(4))
    crack_width_mm: Mapped[float | None] = mapped_column(Float)
    note: Mapped[str | None] = mapped_column(Text)
    level_before: Mapped[str] = mapped_column(String(4))
    raised_to: Mapped[str | None] = mapped_column(String(4))


class Photo(Base):
    """A photo of one incident, one patrol or one hidden danger (隐患照片), stored as a file under the instance folder
    (``stored_name``); exactly one of the three is set.

    ``content_type``, ``width_px`` and ``height_px`` are what decoding the bytes found, not what the upload claimed.
    """

    __tablename__ = "photo"
    __table_args__ = (
        CheckConstraint("(CASE WHEN incident_id IS NULL THEN 0 ELSE 1 END"
                        " + CASE WHEN patrol_id IS NULL THEN 0 ELSE 1 END"
                        " + CASE WHEN danger_id IS NULL THEN 0 ELSE 1 END) = 1", name="one_record"),
        _one_of("content_type", PHOTO_TYPES),
        CheckConstraint("size_bytes > 0 AND width_px > 0 AND height_px > 0", name="size_positive"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incident.id", ondelete="CASCADE"), index=True)
    patrol_id: Mapped[int | None] = mapped_column(ForeignKey("hazard_patrol.id", ondelete="CASCADE"), index=True)
    danger_id: Mapped[int | None] = mapped_column(ForeignKey("hidden_danger.id", ondelete="CASCADE"), index=True)
    stored_name: Mapped[str] = mapped_column(String(120), unique=True)
    original_name: Mapped[str | None] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(20))
    size_bytes: Mapped[int] = mapped_column(Integer)
    width_px: Mapped[int] = mapped_column(Integer)
    height_px: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    uploaded_by: Mapped[str] = mapped_column(String(80))

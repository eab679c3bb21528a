"""风险感知 (issue 15): the readings of monitoring stations, the thresholds they are judged by, which stations watch
which hazard point, and the warning proposals a rule makes for the duty officer to confirm or reject.

Readings are stored in UTC, one row per station, kind and time. ``drill_id`` is 0 for live data. A drill (演练)
replays readings under its own number, so its readings and proposals never mix with the live ones. Kinds and
metrics are English codes, because the API speaks them; their labels are in the catalogue.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, CheckConstraint, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql import text

from services import vocabulary
from services.db import Base, UTCDateTime
from services.models.common import _one_of, utcnow


class Reading(Base):
    """One measurement of a station: rainfall in mm over the interval ending at ``at``, or an instantaneous water
    level (m), displacement (mm), crack width (mm), wind speed (m/s) or temperature (°C) at ``at``."""

    __tablename__ = "reading"
    __table_args__ = (
        _one_of("kind", vocabulary.READING_KINDS),
        # Also the index rolling sums read: one station's rows of a kind in time order (the only index: ingest speed).
        UniqueConstraint("drill_id", "station_id", "kind", "at", name="uq_reading_station_kind_at"),
        CheckConstraint("drill_id >= 0", name="drill_id_non_negative"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    drill_id: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    station_id: Mapped[int] = mapped_column(ForeignKey("monitoring_station.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    value: Mapped[float] = mapped_column(Float)
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Threshold(Base):
    """A critical value (临界雨量 over 1 h / 3 h / 24 h, 警戒水位 / 保证水位, displacement rate) of one hazard point,
    or of one station (inherited by the hazard points it watches unless the point has its own for the metric)."""

    __tablename__ = "threshold"
    __table_args__ = (
        _one_of("metric", vocabulary.THRESHOLD_METRICS),
        CheckConstraint("(hazard_point_id IS NULL) <> (station_id IS NULL)", name="one_owner"),
        CheckConstraint("value > 0", name="value_positive"),
        UniqueConstraint("hazard_point_id", "station_id", "metric", name="uq_threshold_owner_metric"),
        # The constraint above never fires (one owner column is always NULL, and NULLs are distinct): these two
        # partial indexes hold "one value per owner and metric" and are what the upsert's ON CONFLICT names.
        Index("uq_threshold_hazard_metric", "hazard_point_id", "metric", unique=True,
              sqlite_where=text("hazard_point_id IS NOT NULL"), postgresql_where=text("hazard_point_id IS NOT NULL")),
        Index("uq_threshold_station_metric", "station_id", "metric", unique=True,
              sqlite_where=text("station_id IS NOT NULL"), postgresql_where=text("station_id IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    hazard_point_id: Mapped[int | None] = mapped_column(ForeignKey("hazard_point.id", ondelete="CASCADE"), index=True)
    station_id: Mapped[int | None] = mapped_column(ForeignKey("monitoring_station.id", ondelete="CASCADE"),
                                                   index=True)
    metric: Mapped[str] = mapped_column(String(24))
    value: Mapped[float] = mapped_column(Float)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    updated_by: Mapped[str] = mapped_column(String(80))


class HazardStation(Base):
    """A station watching a hazard point: assigned by a person (``explicit``) or as the nearest station of its kind
    within the configured distance (``distance``, recomputed when stations or points change)."""

    __tablename__ = "hazard_station"
    __table_args__ = (
        _one_of("assigned", vocabulary.STATION_ASSIGNMENTS),
        UniqueConstraint("hazard_point_id", "station_id", name="uq_hazard_station"),
        CheckConstraint("distance_m >= 0", name="distance_non_negative"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    hazard_point_id: Mapped[int] = mapped_column(ForeignKey("hazard_point.id", ondelete="CASCADE"), index=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("monitoring_station.id", ondelete="CASCADE"), index=True)
    assigned: Mapped[str] = mapped_column(String(10))
    distance_m: Mapped[float] = mapped_column(Float)


class WarningProposal(Base):
    """A warning level a rule proposes for a hazard point, with the reading that caused it, until the duty officer
    confirms it (a warning is issued) or rejects it with a reason; a red one may confirm itself (configuration).

    At most one proposal of a hazard point is open (待确认) per drill: a partial unique index holds it.
    """

    __tablename__ = "warning_proposal"
    __table_args__ = (
        _one_of("level", vocabulary.WARNING_COLOUR_LEVELS),
        _one_of("status", vocabulary.PROPOSAL_STATUSES),
        _one_of("metric", vocabulary.THRESHOLD_METRICS),
        CheckConstraint("drill_id >= 0", name="drill_id_non_negative"),
        CheckConstraint(f"(status = '{vocabulary.PROPOSAL_OPEN}') = (decided_at IS NULL)",
                        name="decided_when_decided"),
        Index("uq_warning_proposal_open", "drill_id", "hazard_point_id", unique=True,
              sqlite_where=text(f"status = '{vocabulary.PROPOSAL_OPEN}'"),
              postgresql_where=text(f"status = '{vocabulary.PROPOSAL_OPEN}'")),
        Index("ix_warning_proposal_status", "drill_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    drill_id: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    hazard_point_id: Mapped[int] = mapped_column(ForeignKey("hazard_point.id", ondelete="CASCADE"), index=True)
    level: Mapped[str] = mapped_column(String(2))
    status: Mapped[str] = mapped_column(String(4), default=vocabulary.PROPOSAL_OPEN)
    # The reading that decided the level: which station and metric, the observed value, the threshold, their ratio.
    station_id: Mapped[int | None] = mapped_column(ForeignKey("monitoring_station.id", ondelete="SET NULL"))
    metric: Mapped[str] = mapped_column(String(24))
    observed: Mapped[float] = mapped_column(Float)
    threshold: Mapped[float] = mapped_column(Float)
    ratio: Mapped[float] = mapped_column(Float)
    observed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    evidence: Mapped[str | None] = mapped_column(Text)  # JSON: every metric's value, threshold and ratio
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    # When the proposal reached its current level (made, or raised): a red one's wait for an answer counts from here.
    level_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), default=utcnow)
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    decided_by: Mapped[str | None] = mapped_column(String(80))
    reason: Mapped[str | None] = mapped_column(String(500))
    warning_id: Mapped[int | None] = mapped_column(ForeignKey("warning.id", ondelete="SET NULL"))
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("evacuation_plan.id", ondelete="SET NULL"))

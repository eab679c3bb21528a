"""Risks on the map: enterprises under supervision, hazard points and the stations that watch them."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Float,
    Index,
    Integer,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql import false, text

from services import vocabulary
from services.db import Base, UTCDateTime
from services.models.common import PointFeature, _gist, _one_of


class Enterprise(PointFeature, Base):
    """企业 under risk-graded supervision (风险分级管控)."""

    __tablename__ = "enterprise"
    __table_args__ = (
        _one_of("location_quality", vocabulary.LOCATION_QUALITIES),
        _one_of("sector", vocabulary.ENTERPRISE_SECTORS),
        _one_of("category", vocabulary.ENTERPRISE_CATEGORIES),
        _one_of("scale", vocabulary.ENTERPRISE_SCALES),
        _one_of("risk_level", vocabulary.RISK_LEVELS),
        _one_of("duty_card_status", vocabulary.DUTY_CARD_STATUSES),
        CheckConstraint("open_hidden_dangers >= 0", name="open_hidden_dangers_non_negative"),
        CheckConstraint("length(credit_code) = 18", name="credit_code_length"),
        _gist("enterprise"),
        Index("ix_enterprise_is_sample", "is_sample"),  # "are sample enterprises counted": an EXISTS, not a scan
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    credit_code: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    sector: Mapped[str] = mapped_column(String(20), index=True)
    category: Mapped[str] = mapped_column(String(20))
    scale: Mapped[str] = mapped_column(String(10))
    risk_level: Mapped[str] = mapped_column(String(4), index=True)
    duty_card_status: Mapped[str] = mapped_column(String(10))
    open_hidden_dangers: Mapped[int] = mapped_column(Integer, default=0)
    industrial_park: Mapped[str | None] = mapped_column(String(100))
    # The level is the highest of the risk points' unless the supervising department set it (then kept as set).
    risk_level_by_department: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    duty_pilot: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())  # 一线责任制 试点企业


class HazardPoint(PointFeature, Base):
    """地质灾害及洪涝隐患点 (landslide, debris flow, waterlogging point, dangerous reservoir, …)."""

    __tablename__ = "hazard_point"
    __table_args__ = (
        _one_of("location_quality", vocabulary.LOCATION_QUALITIES),
        _one_of("hazard_type", vocabulary.HAZARD_TYPES),
        _one_of("stability", vocabulary.HAZARD_STABILITY),
        _one_of("warning_level", vocabulary.WARNING_LEVELS),
        CheckConstraint("threatened_households >= 0 AND threatened_people >= 0", name="threatened_non_negative"),
        CheckConstraint("influence_radius_m >= 0", name="influence_radius_non_negative"),
        _gist("hazard_point"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    hazard_type: Mapped[str] = mapped_column(String(10), index=True)
    threatened_households: Mapped[int] = mapped_column(Integer)
    threatened_people: Mapped[int] = mapped_column(Integer)
    threatened_property_10k_yuan: Mapped[float] = mapped_column(Float)
    stability: Mapped[str] = mapped_column(String(10))
    influence_radius_m: Mapped[float] = mapped_column(Float)
    warning_level: Mapped[str] = mapped_column(String(4), index=True)
    village: Mapped[str | None] = mapped_column(String(80))


class MonitoringStation(PointFeature, Base):
    """监测站点: hydrology, rain gauge, geological hazard, earthquake, weather, forest fire."""

    __tablename__ = "monitoring_station"
    __table_args__ = (
        _one_of("location_quality", vocabulary.LOCATION_QUALITIES),
        _one_of("kind", vocabulary.STATION_KINDS),
        _one_of("status", vocabulary.STATION_STATUSES),
        _gist("monitoring_station"),
        CheckConstraint("interval_min BETWEEN 1 AND 1440", name="interval_range"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(4))
    # 风险感知: the station reports every ``interval_min`` minutes; silent past interval × N (configuration) it is shown
    # 离线. ``last_reading_at`` is the newest live reading's time (kept by the ingest, in the same transaction).
    interval_min: Mapped[int] = mapped_column(Integer, default=60, server_default=text("60"))
    last_reading_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

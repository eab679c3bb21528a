"""ORM models of the one database (一库): geography, risks, resources and the audit log.

Geometries are WGS-84. Controlled vocabularies (services/domain.py) are enforced by CHECK constraints
in the database as well as by the importer.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean, CheckConstraint, Date, DateTime, Float, ForeignKey, Index, Integer, String, Text,
    UniqueConstraint, text,
)
from sqlalchemy.orm import Mapped, mapped_column

from services import domain
from services.db import Base, Geometry


def _one_of(column: str, values) -> CheckConstraint:
    quoted = ", ".join("'" + v.replace("'", "''") + "'" for v in values)
    return CheckConstraint(f"{column} IN ({quoted})", name=f"{column}_allowed")


def _gist(table: str, column: str = "geom") -> Index:
    return Index(f"ix_{table}_{column}_gist", column, postgresql_using="gist").ddl_if(dialect="postgresql")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class AdminArea(Base):
    """A county boundary: the served district and its neighbours (cross-county linkage)."""

    __tablename__ = "admin_area"
    __table_args__ = (_one_of("role", ("district", "neighbour")), _gist("admin_area"))

    adcode: Mapped[str] = mapped_column(String(12), primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    name_en: Mapped[str] = mapped_column(String(80))
    role: Mapped[str] = mapped_column(String(12))
    source: Mapped[str] = mapped_column(String(200))
    geom = mapped_column(Geometry("MULTIPOLYGON"), nullable=False)


class Township(Base):
    """乡镇街道 with its official 9-digit code; its polygon may be approximate."""

    __tablename__ = "township"
    __table_args__ = (
        _one_of("kind", ("街道", "镇", "乡")),
        CheckConstraint("population IS NULL OR population >= 0", name="population_non_negative"),
        _gist("township"),
    )

    code: Mapped[str] = mapped_column(String(9), primary_key=True)
    name: Mapped[str] = mapped_column(String(50), unique=True)
    name_en: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(4))
    seat_lon: Mapped[float] = mapped_column(Float)
    seat_lat: Mapped[float] = mapped_column(Float)
    seat_approximate: Mapped[bool] = mapped_column(Boolean, default=False)
    seat_source: Mapped[str] = mapped_column(String(200))
    approximate: Mapped[bool] = mapped_column(Boolean, default=True)
    population: Mapped[int | None] = mapped_column(Integer)
    population_is_sample: Mapped[bool] = mapped_column(Boolean, default=False)
    geom = mapped_column(Geometry("MULTIPOLYGON"), nullable=False)


class Village(Base):
    """村/社区 with its official 12-digit code."""

    __tablename__ = "village"

    code: Mapped[str] = mapped_column(String(12), primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    township_code: Mapped[str] = mapped_column(ForeignKey("township.code"), index=True)


class PointFeature:
    """Columns shared by every feature shown as a point on the map."""

    lon: Mapped[float] = mapped_column(Float)
    lat: Mapped[float] = mapped_column(Float)
    geom = mapped_column(Geometry("POINT"), nullable=False)
    address: Mapped[str | None] = mapped_column(String(200))
    township_code: Mapped[str] = mapped_column(ForeignKey("township.code"), index=True)
    contact_person: Mapped[str | None] = mapped_column(String(50))
    contact_phone: Mapped[str | None] = mapped_column(String(30))
    is_sample: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


class Enterprise(PointFeature, Base):
    """企业 under risk-graded supervision (风险分级管控)."""

    __tablename__ = "enterprise"
    __table_args__ = (
        _one_of("sector", domain.ENTERPRISE_SECTORS),
        _one_of("category", domain.ENTERPRISE_CATEGORIES),
        _one_of("scale", domain.ENTERPRISE_SCALES),
        _one_of("risk_level", domain.RISK_LEVELS),
        _one_of("duty_card_status", domain.DUTY_CARD_STATUSES),
        CheckConstraint("open_hidden_dangers >= 0", name="open_hidden_dangers_non_negative"),
        CheckConstraint("length(credit_code) = 18", name="credit_code_length"),
        _gist("enterprise"),
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


class HazardPoint(PointFeature, Base):
    """地质灾害及洪涝隐患点 (landslide, debris flow, waterlogging point, dangerous reservoir, …)."""

    __tablename__ = "hazard_point"
    __table_args__ = (
        _one_of("hazard_type", domain.HAZARD_TYPES),
        _one_of("stability", domain.HAZARD_STABILITY),
        _one_of("warning_level", domain.WARNING_LEVELS),
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


class Shelter(PointFeature, Base):
    """应急避难场所 (GB 51143-2015 type, GB 21734-2008 class) with its 五有 facilities."""

    __tablename__ = "shelter"
    __table_args__ = (
        _one_of("shelter_type", domain.SHELTER_TYPES),
        _one_of("shelter_class", domain.SHELTER_CLASSES),
        _one_of("site_kind", domain.SHELTER_SITES),
        _one_of("status", domain.SHELTER_STATUSES),
        CheckConstraint("effective_area_m2 > 0", name="effective_area_positive"),
        CheckConstraint("occupancy_people >= 0 AND blocked_places >= 0", name="occupancy_non_negative"),
        CheckConstraint("declared_capacity_people IS NULL OR declared_capacity_people >= 0",
                        name="declared_capacity_non_negative"),
        _gist("shelter"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    shelter_type: Mapped[str] = mapped_column(String(10))
    shelter_class: Mapped[str] = mapped_column(String(2))
    site_kind: Mapped[str] = mapped_column(String(10))
    effective_area_m2: Mapped[float] = mapped_column(Float)
    declared_capacity_people: Mapped[int | None] = mapped_column(Integer)
    occupancy_people: Mapped[int] = mapped_column(Integer, default=0)
    blocked_places: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(4))
    has_food: Mapped[bool] = mapped_column(Boolean)
    has_clothing: Mapped[bool] = mapped_column(Boolean)
    has_water: Mapped[bool] = mapped_column(Boolean)
    has_shelter: Mapped[bool] = mapped_column(Boolean)
    has_medical: Mapped[bool] = mapped_column(Boolean)


class Depot(PointFeature, Base):
    """物资储备库 at district or township level."""

    __tablename__ = "depot"
    __table_args__ = (
        _one_of("level", domain.DEPOT_LEVELS),
        CheckConstraint("capacity_m3 >= 0", name="capacity_non_negative"),
        _gist("depot"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(4))
    capacity_m3: Mapped[float] = mapped_column(Float)


class SupplyItem(Base):
    """An item of the relief supply catalogue, with the 五有 class it serves."""

    __tablename__ = "supply_item"
    __table_args__ = (_one_of("supply_class", domain.SUPPLY_CLASSES),)

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    unit: Mapped[str] = mapped_column(String(10))
    supply_class: Mapped[str] = mapped_column(String(10))
    unit_weight_kg: Mapped[float] = mapped_column(Float)
    unit_volume_m3: Mapped[float] = mapped_column(Float)
    shelf_life_days: Mapped[int | None] = mapped_column(Integer)


class StockLine(Base):
    """A quantity of one catalogue item held at one depot (one batch when expiry dates differ)."""

    __tablename__ = "stock_line"
    __table_args__ = (
        CheckConstraint("quantity >= 0 AND minimum_quantity >= 0", name="quantity_non_negative"),
        UniqueConstraint("depot_id", "item_code", "expires_on", name="uq_stock_batch"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    depot_id: Mapped[int] = mapped_column(ForeignKey("depot.id", ondelete="CASCADE"), index=True)
    item_code: Mapped[str] = mapped_column(ForeignKey("supply_item.code"))
    quantity: Mapped[float] = mapped_column(Float)
    minimum_quantity: Mapped[float] = mapped_column(Float, default=0)
    expires_on: Mapped[dt.date | None] = mapped_column(Date)
    is_sample: Mapped[bool] = mapped_column(Boolean, default=False)


class RescueTeam(PointFeature, Base):
    """救援队伍 with its base (驻地) as location."""

    __tablename__ = "rescue_team"
    __table_args__ = (
        _one_of("kind", domain.TEAM_KINDS),
        _one_of("status", domain.TEAM_STATUSES),
        CheckConstraint("members > 0", name="members_positive"),
        _gist("rescue_team"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), index=True)
    members: Mapped[int] = mapped_column(Integer)
    specialties: Mapped[str | None] = mapped_column(String(200))
    equipment: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(4))


class Vehicle(Base):
    """A vehicle of a depot or a team, with its payload for supply routing."""

    __tablename__ = "vehicle"
    __table_args__ = (
        _one_of("kind", domain.VEHICLE_KINDS),
        _one_of("status", domain.VEHICLE_STATUSES),
        CheckConstraint("payload_kg >= 0 AND volume_m3 >= 0", name="load_non_negative"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plate: Mapped[str] = mapped_column(String(20), unique=True)
    kind: Mapped[str] = mapped_column(String(10))
    depot_id: Mapped[int | None] = mapped_column(ForeignKey("depot.id", ondelete="SET NULL"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("rescue_team.id", ondelete="SET NULL"))
    payload_kg: Mapped[float] = mapped_column(Float)
    volume_m3: Mapped[float] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(4))
    is_sample: Mapped[bool] = mapped_column(Boolean, default=False)


class MonitoringStation(PointFeature, Base):
    """监测站点: hydrology, rain gauge, geological hazard, earthquake, weather, forest fire."""

    __tablename__ = "monitoring_station"
    __table_args__ = (
        _one_of("kind", domain.STATION_KINDS),
        _one_of("status", domain.STATION_STATUSES),
        _gist("monitoring_station"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(4))


class AuditLog(Base):
    """One row per write: who did what to which records, when (UTC)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(20))
    entity: Mapped[str] = mapped_column(String(40))
    entity_key: Mapped[str | None] = mapped_column(String(80))
    detail: Mapped[str | None] = mapped_column(Text)


class NeedsProfile(Base):
    """One version of the relief needs profile (五有 per person), kept so plans can say which they used."""

    __tablename__ = "needs_profile"

    version: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor: Mapped[str] = mapped_column(String(80))
    note: Mapped[str | None] = mapped_column(String(200))
    entries: Mapped[str] = mapped_column(Text)  # JSON list, see services/supplies.py


class EvacuationPlan(Base):
    """A saved evacuation plan: its scenario (inputs) and result, to reopen and compare."""

    __tablename__ = "evacuation_plan"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(100))
    people: Mapped[int] = mapped_column(Integer)
    assigned: Mapped[int] = mapped_column(Integer)
    scenario: Mapped[str] = mapped_column(Text)  # JSON of services.evacuation_plan.Scenario
    result: Mapped[str] = mapped_column(Text)    # JSON of the plan


class RoadBlock(Base):
    """A road closure (道路阻断): a road segment or an area, active until lifted; every route honours it."""

    __tablename__ = "road_block"
    __table_args__ = (_one_of("kind", ("segment", "area")), _gist("road_block"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(String(200))
    geom = mapped_column(Geometry("GEOMETRY"), nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    lifted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    lifted_by: Mapped[str | None] = mapped_column(String(80))


class Incident(Base):
    """突发事件: reported, checked, handled, closed; every change is an IncidentEvent on its timeline."""

    __tablename__ = "incident"
    __table_args__ = (
        _one_of("category", domain.INCIDENT_TYPES), _one_of("kind", domain.INCIDENT_KINDS),
        _one_of("level", domain.INCIDENT_LEVELS), _one_of("status", domain.INCIDENT_STATUSES),
        CheckConstraint("dead >= 0 AND injured >= 0 AND missing >= 0 AND people_affected >= 0",
                        name="counts_non_negative"),
        _gist("incident"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(10))
    kind: Mapped[str] = mapped_column(String(20))
    level: Mapped[str] = mapped_column(String(2))
    status: Mapped[str] = mapped_column(String(4), index=True, default="接报")
    occurred_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    reported_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
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
    """One line of an incident's timeline (status change, note, order); also the live change feed."""

    __tablename__ = "incident_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id", ondelete="CASCADE"), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)


class DispatchOrder(Base):
    """派遣指令: a team sent to an incident, 已派 → 出发 → 到达 → 完成 (or 取消).

    A partial unique index allows one active order per team, so two dispatchers racing for the same team
    cannot both win, whatever the server processes.
    """

    __tablename__ = "dispatch_order"
    __table_args__ = (
        _one_of("status", domain.ORDER_STATUSES),
        Index("uq_dispatch_order_active_team", "team_id", unique=True,
              sqlite_where=text("status IN ('已派', '出发', '到达')"),
              postgresql_where=text("status IN ('已派', '出发', '到达')")),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id", ondelete="CASCADE"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("rescue_team.id"))
    status: Mapped[str] = mapped_column(String(4), default="已派")
    actor: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    eta_s: Mapped[float | None] = mapped_column(Float)


class Warning(Base):
    """预警: a colour level for a hazard type over an area, valid until a time, to be acknowledged (叫应)."""

    __tablename__ = "warning"
    __table_args__ = (_one_of("level", ("蓝", "黄", "橙", "红")),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    level: Mapped[str] = mapped_column(String(2))
    hazard_type: Mapped[str] = mapped_column(String(20))
    headline: Mapped[str] = mapped_column(String(200))
    area_description: Mapped[str] = mapped_column(String(500))
    area = mapped_column(Geometry("GEOMETRY"))
    issued_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    valid_until: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    issued_by: Mapped[str] = mapped_column(String(80))
    ack_timeout_min: Mapped[int] = mapped_column(Integer, default=15)
    lifted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    lifted_by: Mapped[str | None] = mapped_column(String(80))


class WarningRecipient(Base):
    """A responsible person a warning must reach; ``acknowledged_at`` is the 叫应."""

    __tablename__ = "warning_recipient"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    warning_id: Mapped[int] = mapped_column(ForeignKey("warning.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    role: Mapped[str] = mapped_column(String(40))
    phone: Mapped[str | None] = mapped_column(String(30))
    acknowledged_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class EvacuationMove(Base):
    """People moved away from a hazard point (转移), and into a shelter if they arrived at one (安置)."""

    __tablename__ = "evacuation_move"
    __table_args__ = (CheckConstraint("people > 0", name="people_positive"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor: Mapped[str] = mapped_column(String(80))
    hazard_id: Mapped[int] = mapped_column(ForeignKey("hazard_point.id"), index=True)
    shelter_id: Mapped[int | None] = mapped_column(ForeignKey("shelter.id"))
    people: Mapped[int] = mapped_column(Integer)

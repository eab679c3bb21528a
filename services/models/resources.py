"""Emergency resources (一库): shelters, depots and their stock, rescue teams and vehicles."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from services import vocabulary
from services.db import Base
from services.models.common import PointFeature, _gist, _one_of


class Shelter(PointFeature, Base):
    """应急避难场所 (GB 51143-2015 type, GB 21734-2008 class) with its 五有 facilities."""

    __tablename__ = "shelter"
    __table_args__ = (
        _one_of("location_quality", vocabulary.LOCATION_QUALITIES),
        _one_of("shelter_type", vocabulary.SHELTER_TYPES),
        _one_of("shelter_class", vocabulary.SHELTER_CLASSES),
        _one_of("site_kind", vocabulary.SHELTER_SITES),
        _one_of("status", vocabulary.SHELTER_STATUSES),
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
        _one_of("location_quality", vocabulary.LOCATION_QUALITIES),
        _one_of("level", vocabulary.DEPOT_LEVELS),
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
    __table_args__ = (_one_of("supply_class", vocabulary.SUPPLY_CLASSES),)

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    unit: Mapped[str] = mapped_column(String(10))
    supply_class: Mapped[str] = mapped_column(String(10))
    unit_weight_kg: Mapped[float] = mapped_column(Float)
    unit_volume_m3: Mapped[float] = mapped_column(Float)
    shelf_life_days: Mapped[int | None] = mapped_column(Integer)


# Stock is counted: quantities are exact decimals (below 10¹² units, to the thousandth), never binary floats.
# PostgreSQL stores NUMERIC. SQLite has no decimal storage: it keeps a double and SQLAlchemy hands it back rounded
# to the scale, which gives the exact decimal back because NUMERIC(15, 3) has at most 15 significant digits (a
# double holds 15); sums stay exact while the rounding error of the sum is below half a thousandth (an import line
# is at most 10⁹, so any realistic number of lines).
QUANTITY = Numeric(15, 3)
QUANTITY_SCALE = 3


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
    quantity: Mapped[Decimal] = mapped_column(QUANTITY)
    minimum_quantity: Mapped[Decimal] = mapped_column(QUANTITY, default=Decimal(0))
    expires_on: Mapped[dt.date | None] = mapped_column(Date)
    is_sample: Mapped[bool] = mapped_column(Boolean, default=False)


class RescueTeam(PointFeature, Base):
    """救援队伍 with its base (驻地) as location."""

    __tablename__ = "rescue_team"
    __table_args__ = (
        _one_of("location_quality", vocabulary.LOCATION_QUALITIES),
        _one_of("kind", vocabulary.TEAM_KINDS),
        _one_of("status", vocabulary.TEAM_STATUSES),
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
        _one_of("kind", vocabulary.VEHICLE_KINDS),
        _one_of("status", vocabulary.VEHICLE_STATUSES),
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
    driver_name: Mapped[str | None] = mapped_column(String(50))   # 驾驶员, printed on the dispatch sheet
    driver_phone: Mapped[str | None] = mapped_column(String(30))
    is_sample: Mapped[bool] = mapped_column(Boolean, default=False)

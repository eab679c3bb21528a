"""Administrative areas of the served county: its boundary, neighbours, townships and villages."""
from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Integer,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from services import vocabulary
from services.db import Base, Geometry
from services.models.common import _gist, _one_of


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
        _one_of("kind", vocabulary.TOWNSHIP_KINDS),
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
    """村/社区 with its official 12-digit code; its seat (村委会/居委会) and population where known.

    The gazetteer has neither: the sample (data/generate_villages.py) gives both, flagged as sample (示例数据).
    """

    __tablename__ = "village"
    __table_args__ = (
        CheckConstraint("population IS NULL OR population >= 0", name="village_population_non_negative"),
    )

    code: Mapped[str] = mapped_column(String(12), primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    township_code: Mapped[str] = mapped_column(ForeignKey("township.code"), index=True)
    seat_lon: Mapped[float | None] = mapped_column(Float)
    seat_lat: Mapped[float | None] = mapped_column(Float)
    seat_is_sample: Mapped[bool] = mapped_column(Boolean, default=False)
    population: Mapped[int | None] = mapped_column(Integer)
    population_is_sample: Mapped[bool] = mapped_column(Boolean, default=False)

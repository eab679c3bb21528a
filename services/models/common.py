"""What the model modules share: vocabulary CHECKs, GiST indexes, UTC now and the point-feature columns."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from services import vocabulary
from services.db import Geometry, UTCDateTime


def _one_of(column: str, values) -> CheckConstraint:
    quoted = ", ".join("'" + v.replace("'", "''") + "'" for v in values)
    return CheckConstraint(f"{column} IN ({quoted})", name=f"{column}_allowed")


def _gist(table: str, column: str = "geom") -> Index:
    return Index(f"ix_{table}_{column}_gist", column, postgresql_using="gist").ddl_if(dialect="postgresql")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class PointFeature:
    """Columns shared by every feature shown as a point on the map."""

    lon: Mapped[float] = mapped_column(Float)
    lat: Mapped[float] = mapped_column(Float)
    geom = mapped_column(Geometry("POINT"), nullable=False)
    address: Mapped[str | None] = mapped_column(String(200))
    # 坐标 / 村级 / 乡镇级 (services.vocabulary.LOCATION_QUALITIES): a point found from the address is 待核实
    location_quality: Mapped[str] = mapped_column(String(12), default=vocabulary.LOCATION_EXACT,
                                                  server_default=vocabulary.LOCATION_EXACT)
    township_code: Mapped[str] = mapped_column(ForeignKey("township.code"), index=True)
    contact_person: Mapped[str | None] = mapped_column(String(50))
    contact_phone: Mapped[str | None] = mapped_column(String(30))
    is_sample: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

"""Road closures (道路阻断) honoured by every route."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    Index,
    Integer,
    String,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from services.db import Base, Geometry, UTCDateTime
from services.models.common import _gist, _one_of, utcnow


class RoadBlock(Base):
    """A road closure (道路阻断): a road segment or an area, active until lifted; every route honours it."""

    __tablename__ = "road_block"
    __table_args__ = (
        _one_of("kind", ("segment", "area")),
        _gist("road_block"),
        # One active closure per place: a second closure of the same segment or area is refused by the database.
        Index("uq_road_block_active_key", "closure_key", unique=True, sqlite_where=text("active"),
              postgresql_where=text("active")),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(String(200))
    geom = mapped_column(Geometry("GEOMETRY"), nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    lifted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    lifted_by: Mapped[str | None] = mapped_column(String(80))
    closure_key: Mapped[str | None] = mapped_column(String(40))  # services.roads.closures.closure_key

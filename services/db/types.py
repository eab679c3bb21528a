"""Column types shared by SQLite and PostGIS: WGS-84 geometries and aware UTC times.

On PostgreSQL geometries are PostGIS ``geometry(…, 4326)`` columns with GiST indexes; on SQLite (no
SpatiaLite here) they are WKT text. Either way the ORM hands out shapely geometries in WGS-84.
"""
from __future__ import annotations

import datetime as dt

import shapely
from sqlalchemy import DateTime, Text
from sqlalchemy.types import TypeDecorator, UserDefinedType

SRID = 4326


class UTCDateTime(TypeDecorator):
    """An instant, stored in UTC and always handed out aware (SQLite keeps no zone; PostgreSQL timestamptz).

    A naive value is refused: every time in the product is aware, made by ``services.clock``.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column; use an aware time")
        return value.astimezone(dt.timezone.utc)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=dt.timezone.utc) if value.tzinfo is None else value.astimezone(dt.timezone.utc)

    def __repr__(self) -> str:
        return "UTCDateTime()"


class Geometry(TypeDecorator):
    """A WGS-84 geometry: PostGIS geometry on PostgreSQL, WKT text elsewhere; shapely in Python."""

    impl = Text
    cache_ok = True

    def __init__(self, geometry_type: str = "GEOMETRY"):
        super().__init__()
        self.geometry_type = geometry_type.upper()

    def load_dialect_impl(self, dialect):
        if dialect.name == "postgresql":
            return dialect.type_descriptor(_PostGISGeometry(self.geometry_type))
        return dialect.type_descriptor(Text())

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if isinstance(value, str):
            wkt = value
        else:
            if self.geometry_type == "MULTIPOLYGON" and value.geom_type == "Polygon":
                value = shapely.MultiPolygon([value])
            wkt = shapely.to_wkt(value, rounding_precision=7, trim=True)
        return f"SRID={SRID};{wkt}" if dialect.name == "postgresql" else wkt

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if not isinstance(value, str):
            return value  # PostGIS: already decoded by _PostGISGeometry
        return shapely.from_wkt(value)

    def __repr__(self) -> str:
        return f"Geometry({self.geometry_type!r})"


class _PostGISGeometry(UserDefinedType):
    """``geometry(<type>, 4326)``: text EWKT in, binary WKB out."""

    cache_ok = True

    def __init__(self, geometry_type: str):
        self.geometry_type = geometry_type

    def get_col_spec(self, **kw) -> str:
        return f"geometry({self.geometry_type}, {SRID})"

    def bind_expression(self, bindvalue):
        from sqlalchemy import func
        return func.ST_GeomFromEWKT(bindvalue, type_=self)

    def column_expression(self, col):
        from sqlalchemy import func
        return func.ST_AsBinary(col, type_=self)

    def result_processor(self, dialect, coltype):
        def process(value):
            if value is None:
                return None
            return shapely.from_wkb(bytes.fromhex(value) if isinstance(value, str) else bytes(value))
        return process



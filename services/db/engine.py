"""Database engine, sessions and the geometry column type shared by SQLite and PostGIS.

On PostgreSQL geometries are PostGIS ``geometry(…, 4326)`` columns with GiST indexes; on SQLite (no
SpatiaLite here) they are WKT text. Either way the ORM hands out shapely geometries in WGS-84.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

import shapely
from sqlalchemy import Engine, Text, create_engine, event
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator, UserDefinedType

SRID = 4326


class Base(DeclarativeBase):
    pass


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


@lru_cache(maxsize=8)
def get_engine(url: str) -> Engine:
    """One engine per database URL for the life of the process."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()
    else:
        engine = create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)
    return engine


@lru_cache(maxsize=8)
def _session_factory(url: str) -> sessionmaker[Session]:
    return sessionmaker(bind=get_engine(url), expire_on_commit=False)


def new_session(url: str) -> Session:
    return _session_factory(url)()


@contextmanager
def transaction(url: str) -> Iterator[Session]:
    """A session inside one transaction: committed on success, rolled back on any error."""
    session = new_session(url)
    try:
        with session.begin():
            yield session
    finally:
        session.close()


@contextmanager
def read_session(url: str) -> Iterator[Session]:
    session = new_session(url)
    try:
        yield session
    finally:
        session.close()

"""The engine per database URL, and how a transaction begins on each back-end.

SQLite: pysqlite sends BEGIN only before the first write, so a read-check-write could read outside the
transaction; the driver's own transaction handling is switched off and SQLAlchemy's ``begin`` event sends
``BEGIN IMMEDIATE`` for writing units of work (the write lock is taken before the first read) and a plain
``BEGIN`` for reading ones (SQLAlchemy's documented recipe for pysqlite). PostgreSQL: READ COMMITTED for
writes (counters change by conditional UPDATE), REPEATABLE READ for reads, so a page's figures come from one
snapshot.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker



class Base(DeclarativeBase):
    pass


@lru_cache(maxsize=8)
def get_engine(url: str) -> Engine:
    """One engine per database URL for the life of the process."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):
            dbapi_connection.isolation_level = None  # SQLAlchemy, not pysqlite, says when a transaction begins
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn):
            mode = conn.get_execution_options().get(WRITE_OPTION)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if mode else "BEGIN")
    else:
        engine = create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20, pool_timeout=10,
                               connect_args={"connect_timeout": 5})
    return engine


WRITE_OPTION = "qj_write"


@lru_cache(maxsize=16)
def _session_factory(url: str, write: bool) -> sessionmaker[Session]:
    engine = get_engine(url)
    if engine.dialect.name == "sqlite":
        bind = engine.execution_options(**{WRITE_OPTION: write})
    else:
        bind = engine.execution_options(isolation_level="READ COMMITTED" if write else "REPEATABLE READ")
    return sessionmaker(bind=bind, expire_on_commit=False)


def new_session(url: str, *, write: bool = True) -> Session:
    """A session whose transactions begin as writes (SQLite: BEGIN IMMEDIATE) or as snapshot reads."""
    return _session_factory(url, write)()


@contextmanager
def transaction(url: str) -> Iterator[Session]:
    """A writing session inside one transaction: committed on success, rolled back on any error."""
    session = new_session(url, write=True)
    try:
        with session.begin():
            yield session
    finally:
        session.close()


@contextmanager
def read_session(url: str) -> Iterator[Session]:
    """A reading session: every query sees one snapshot of the database until it closes."""
    session = new_session(url, write=False)
    try:
        yield session
    finally:
        session.close()

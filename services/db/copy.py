"""A copy of the whole database: what a drill (演练, issue 15) runs against, so the live records are never touched.

The copy is made table by table through the models (so SQLite → SQLite, PostgreSQL → PostgreSQL and across both
work alike), from one snapshot of the source (a read transaction; REPEATABLE READ on PostgreSQL) into a new
database migrated to the same revision, in one transaction on the target. Tables named in ``skip`` are left empty
(the live readings: a drill replays its own).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import create_engine, delete, func, insert, inspect, select, text
from sqlalchemy.engine import make_url

from services.db.engine import Base, get_engine
from services.db.schema import upgrade

BATCH = 2000
# What a copy leaves out unless asked: the live readings (a drill replays its own) and the API tokens (a drill's
# clients sign in to the copy's server with their accounts; a stolen live token must not open the copy).
DEFAULT_SKIP = ("reading", "api_token")
_NAME = re.compile(r"^[a-z0-9_]{1,40}$")


@dataclass(frozen=True)
class CopyReport:
    target_url: str
    rows: dict[str, int]


def drill_database_url(source_url: str, name: str, instance_dir) -> str:
    """Where the copy of ``name`` lives: ``instance/drill-<name>.sqlite3`` beside a SQLite database, a database
    ``<source>_drill_<name>`` on the same PostgreSQL server."""
    if not _NAME.match(name):
        raise ValueError(f"drill name {name!r}: 1–40 of a–z, 0–9 and _")
    url = make_url(source_url)
    if url.get_backend_name() == "sqlite":
        return f"sqlite:///{instance_dir / f'drill-{name}.sqlite3'}"
    return url.set(database=f"{url.database}_drill_{name}").render_as_string(hide_password=False)


def create_empty(target_url: str) -> None:
    """A new, empty database at ``target_url`` (an existing one is dropped first: a drill starts from now)."""
    url = make_url(target_url)
    if url.get_backend_name() == "sqlite":
        from pathlib import Path
        path = Path(url.database)
        get_engine(target_url).dispose()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{url.database}"'))
    finally:
        admin.dispose()


def copy_database(source_url: str, target_url: str, *, skip: tuple[str, ...] = DEFAULT_SKIP) -> CopyReport:
    """Copy every row of ``source_url`` into a new database at ``target_url``; return the rows copied per table."""
    create_empty(target_url)
    upgrade(target_url)
    source, target = get_engine(source_url), get_engine(target_url)
    tables = [t for t in Base.metadata.sorted_tables if inspect(source).has_table(t.name)]
    copied: dict[str, int] = {}
    read_options = {"isolation_level": "REPEATABLE READ"} if source.dialect.name == "postgresql" else {}
    with source.connect().execution_options(**read_options) as src, src.begin(), target.begin() as dst:
        for table in reversed(tables):  # what the migrations put in (counters, kinds) gives way to the source's
            dst.execute(delete(table))
        for table in tables:
            if table.name in skip:
                continue
            count = 0
            result = src.execution_options(stream_results=True, yield_per=BATCH).execute(select(table))
            for chunk in result.mappings().partitions(BATCH):
                dst.execute(insert(table), [dict(row) for row in chunk])
                count += len(chunk)
            copied[table.name] = count
        if target.dialect.name == "postgresql":
            _reset_sequences(dst, tables)
    return CopyReport(target_url, copied)


def _reset_sequences(conn, tables) -> None:
    """After rows were inserted with their ids, each serial sequence continues after the highest id."""
    for table in tables:
        for column in table.primary_key.columns:
            if not column.autoincrement or column.type.python_type is not int:
                continue
            sequence = conn.execute(text("SELECT pg_get_serial_sequence(:t, :c)"),
                                    {"t": table.name, "c": column.name}).scalar()
            if sequence:
                highest = conn.execute(select(func.max(column))).scalar()
                conn.execute(text("SELECT setval(:s, :v, :called)"),
                             {"s": sequence, "v": highest or 1, "called": highest is not None})

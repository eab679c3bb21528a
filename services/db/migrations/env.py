"""Alembic environment: migrates the database named by the ``sqlalchemy.url`` option."""
from __future__ import annotations

import geoalchemy2  # noqa: F401  (lets reflection recognise PostGIS geometry columns)
from alembic import context

from services import models  # noqa: F401  (registers every table on Base.metadata)
from services.db import Base, get_engine


def _render_item(type_, obj, autogen_context):
    if type_ == "type" and obj.__class__.__module__.startswith("services.db"):
        autogen_context.imports.add("import services.db")
        return f"services.db.{obj!r}"
    return False


def _include_object_for(dialect_name: str):
    def include(obj, name, type_, reflected, compare_to):
        if type_ == "table" and name == "spatial_ref_sys":  # owned by the PostGIS extension
            return False
        # GiST indexes are PostgreSQL-only (Index.ddl_if); other back-ends never have them.
        return not (type_ == "index" and str(name).endswith("_gist") and dialect_name != "postgresql")
    return include


def _sqlite_foreign_keys(connection, on: bool) -> None:
    """SQLite changes a table's constraints by rebuilding it (batch mode), and with foreign keys on, dropping the old
    table fails while other tables point at it. SQLite's documented procedure for such changes (ALTER TABLE, "making
    other kinds of table schema changes") turns them off outside the transaction and checks them afterwards."""
    connection.connection.driver_connection.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")


def _sqlite_foreign_key_problems(connection) -> list:
    return connection.connection.driver_connection.execute("PRAGMA foreign_key_check").fetchall()


def run_migrations_online() -> None:
    url = context.config.get_main_option("sqlalchemy.url")
    given = context.config.attributes.get("connection")
    connectable = given or get_engine(url).connect()
    rebuilds = connectable.dialect.name == "sqlite" and not connectable.in_transaction()
    if rebuilds:
        _sqlite_foreign_keys(connectable, False)
    try:
        _migrate(connectable)
        if rebuilds and (problems := _sqlite_foreign_key_problems(connectable)):
            raise RuntimeError(f"foreign keys broken by the migration: {problems[:5]}")
    finally:
        if rebuilds:
            _sqlite_foreign_keys(connectable, True)
        if given is None:
            connectable.close()


def _migrate(connectable) -> None:
    context.configure(
        connection=connectable,
        target_metadata=Base.metadata,
        render_item=_render_item,
        include_object=_include_object_for(connectable.dialect.name),
        compare_type=True,
        render_as_batch=connectable.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()

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


def run_migrations_online() -> None:
    url = context.config.get_main_option("sqlalchemy.url")
    connectable = context.config.attributes.get("connection") or get_engine(url).connect()
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
    if "connection" not in context.config.attributes:
        connectable.close()


run_migrations_online()

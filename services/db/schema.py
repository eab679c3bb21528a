"""Creating and upgrading the database schema with Alembic (migrations in services/db/migrations)."""
from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import inspect, text

from services.db import get_engine

_MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def ensure_postgis(database_url: str) -> None:
    """Create the PostGIS extension if the database is PostgreSQL and lacks it."""
    engine = get_engine(database_url)
    if engine.dialect.name != "postgresql":
        return
    with engine.begin() as conn:
        conn.execute(text("CREATE EXTENSION IF NOT EXISTS postgis"))


def upgrade(database_url: str) -> None:
    """Bring the schema to the newest migration (creates every table on an empty database)."""
    if database_url.startswith("sqlite:///"):
        Path(database_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    ensure_postgis(database_url)
    command.upgrade(alembic_config(database_url), "head")


def has_schema(database_url: str) -> bool:
    return inspect(get_engine(database_url)).has_table("alembic_version")

"""The Alembic migrations build exactly the models' schema, with spatial indexes on PostGIS."""
from __future__ import annotations

from alembic import command
from sqlalchemy import inspect, text

from services.db import get_engine
from services.db.schema import alembic_config, upgrade

SPATIAL_TABLES = {"admin_area", "township", "enterprise", "hazard_point", "shelter", "depot", "rescue_team",
                  "monitoring_station", "road_block", "incident"}


def test_migrations_match_the_models(fresh):
    command.check(alembic_config(fresh.database_url))  # raises if autogenerate would change anything
    upgrade(fresh.database_url)  # idempotent on an up-to-date database
    tables = set(inspect(get_engine(fresh.database_url)).get_table_names())
    assert SPATIAL_TABLES | {"audit_log", "stock_line", "supply_item", "vehicle", "village"} <= tables


def test_geometry_columns_are_postgis_with_gist_indexes(fresh):
    if fresh.database_kind != "postgresql":
        return  # SQLite stores WKT text; nothing spatial to check there
    with get_engine(fresh.database_url).connect() as conn:
        columns = dict(conn.execute(text(
            "SELECT f_table_name, srid FROM geometry_columns WHERE f_geometry_column = 'geom'")).all())
        gist = set(conn.execute(text(
            "SELECT tablename FROM pg_indexes WHERE indexdef ILIKE '%USING gist%'")).scalars())
    assert set(columns) == SPATIAL_TABLES and set(columns.values()) == {4326}
    assert gist == SPATIAL_TABLES

"""One active road closure per place: a key of the closed geometry, unique among active closures.

Active closures recorded before this revision get their key here (a repeated one keeps none, so the index can
be built; it stays listed and can be lifted as before).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05 10:30:00
"""
from __future__ import annotations

import hashlib

import shapely
import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def _key(kind: str, geometry) -> str:
    """services.roads.closures.closure_key as of this revision."""
    wkt = shapely.to_wkt(shapely.normalize(geometry), rounding_precision=7, trim=True)
    return hashlib.sha256(f"{kind}:{wkt}".encode()).hexdigest()[:40]


def upgrade() -> None:
    with op.batch_alter_table('road_block', schema=None) as batch_op:
        batch_op.add_column(sa.Column('closure_key', sa.String(length=40), nullable=True))
    bind = op.get_bind()
    geometry = "ST_AsText(geom)" if bind.dialect.name == "postgresql" else "geom"
    seen: set[str] = set()
    for block_id, kind, wkt in bind.execute(sa.text(
            f"SELECT id, kind, {geometry} FROM road_block WHERE active ORDER BY id")).all():
        key = _key(kind, shapely.from_wkt(wkt))
        if key not in seen:
            seen.add(key)
            bind.execute(sa.text("UPDATE road_block SET closure_key = :key WHERE id = :id"),
                         {"key": key, "id": block_id})
    with op.batch_alter_table('road_block', schema=None) as batch_op:
        batch_op.create_index('uq_road_block_active_key', ['closure_key'], unique=True,
                              sqlite_where=sa.text('active'), postgresql_where=sa.text('active'))


def downgrade() -> None:
    with op.batch_alter_table('road_block', schema=None) as batch_op:
        batch_op.drop_index('uq_road_block_active_key', sqlite_where=sa.text('active'),
                            postgresql_where=sa.text('active'))
        batch_op.drop_column('closure_key')

"""Road closures (segments or areas) that every route honours.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 13:48:30.831925
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import services.db

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('road_block',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=80), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('geom', services.db.Geometry('GEOMETRY'), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('lifted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('lifted_by', sa.String(length=80), nullable=True),
    sa.CheckConstraint("kind IN ('segment', 'area')", name='kind_allowed'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('road_block', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_road_block_active'), ['active'], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        op.create_index("ix_road_block_geom_gist", "road_block", ["geom"], postgresql_using="gist")


def downgrade() -> None:
    with op.batch_alter_table('road_block', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_road_block_active'))

    op.drop_table('road_block')

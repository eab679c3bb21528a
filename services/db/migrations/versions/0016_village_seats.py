"""Villages get a seat (seat_lon, seat_lat) and a population, each flagged when it is sample data (示例数据).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04 10:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('village', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seat_lon', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('seat_lat', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('seat_is_sample', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('population', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('population_is_sample', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.create_check_constraint('village_population_non_negative',
                                         'population IS NULL OR population >= 0')


def downgrade() -> None:
    with op.batch_alter_table('village', schema=None) as batch_op:
        batch_op.drop_constraint('village_population_non_negative', type_='check')
        batch_op.drop_column('population_is_sample')
        batch_op.drop_column('population')
        batch_op.drop_column('seat_is_sample')
        batch_op.drop_column('seat_lat')
        batch_op.drop_column('seat_lon')

"""Geocoding (issue 13, point 2): how well each located record's point is known, 坐标 / 村级 / 乡镇级.

Revision ID: 0019_location_quality
Revises: 0018_driver
Create Date: 2026-12-05 09:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0019_location_quality'
down_revision = '0018_driver'
branch_labels = None
depends_on = None

TABLES = ('enterprise', 'hazard_point', 'monitoring_station', 'shelter', 'depot', 'rescue_team')
QUALITIES = ('坐标', '村级', '乡镇级')


def upgrade() -> None:
    allowed = "location_quality IN (" + ", ".join(f"'{q}'" for q in QUALITIES) + ")"
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('location_quality', sa.String(length=12), nullable=False,
                                          server_default=QUALITIES[0]))
            batch_op.create_check_constraint('location_quality_allowed', allowed)


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint('location_quality_allowed', type_='check')
            batch_op.drop_column('location_quality')

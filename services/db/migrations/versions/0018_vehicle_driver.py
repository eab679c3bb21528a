"""Supply dispatch (issue 12, point 3): a vehicle's driver and the driver's phone, printed on the dispatch sheet.

Revision ID: 0018_driver
Revises: 0017_duty
Create Date: 2026-12-04 10:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0018_driver'
down_revision = '0017_duty'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('vehicle', schema=None) as batch_op:
        batch_op.add_column(sa.Column('driver_name', sa.String(length=50), nullable=True))
        batch_op.add_column(sa.Column('driver_phone', sa.String(length=30), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('vehicle', schema=None) as batch_op:
        batch_op.drop_column('driver_phone')
        batch_op.drop_column('driver_name')

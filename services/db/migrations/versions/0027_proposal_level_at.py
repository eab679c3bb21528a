"""风险感知 proposals: when a proposal reached its current level (``level_at``), so that a red proposal's wait for an
answer (auto-confirm after N minutes) counts from the moment it became red, not from when it was first made 黄.

Revision ID: 0027_proposal_level_at
Revises: 0026_monitoring
Create Date: 2026-12-07 23:40:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import services.db

revision = '0027_proposal_level_at'
down_revision = '0026_monitoring'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('warning_proposal', schema=None) as batch_op:
        batch_op.add_column(sa.Column('level_at', services.db.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('warning_proposal', schema=None) as batch_op:
        batch_op.drop_column('level_at')

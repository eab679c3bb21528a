"""The duty view (issue 12, point 4): a warning recipient can be escalated (升级) by the duty officer, and the
shift handover note (交接班) the next officer reads first.

Revision ID: 0017_duty
Revises: 0016
Create Date: 2026-12-03 16:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import services.db

revision = '0017_duty'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('warning_recipient', schema=None) as batch_op:
        batch_op.add_column(sa.Column('escalated_at', services.db.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('escalated_by', sa.String(length=80), nullable=True))
    op.create_table('shift_handover',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('written_at', services.db.UTCDateTime(), nullable=False),
    sa.Column('author', sa.String(length=80), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('read_at', services.db.UTCDateTime(), nullable=True),
    sa.Column('read_by', sa.String(length=80), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )


def downgrade() -> None:
    op.drop_table('shift_handover')
    with op.batch_alter_table('warning_recipient', schema=None) as batch_op:
        batch_op.drop_column('escalated_by')
        batch_op.drop_column('escalated_at')

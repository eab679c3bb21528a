"""Warnings (预警) and their recipients, whose acknowledgement is the 叫应.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 14:22:23.790968
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import services.db

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('warning',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('level', sa.String(length=2), nullable=False),
    sa.Column('hazard_type', sa.String(length=20), nullable=False),
    sa.Column('headline', sa.String(length=200), nullable=False),
    sa.Column('area_description', sa.String(length=500), nullable=False),
    sa.Column('area', services.db.Geometry('GEOMETRY'), nullable=True),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('valid_until', sa.DateTime(timezone=True), nullable=False),
    sa.Column('issued_by', sa.String(length=80), nullable=False),
    sa.Column('ack_timeout_min', sa.Integer(), nullable=False),
    sa.Column('lifted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('lifted_by', sa.String(length=80), nullable=True),
    sa.CheckConstraint("level IN ('蓝', '黄', '橙', '红')", name='level_allowed'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('warning_recipient',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('warning_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('role', sa.String(length=40), nullable=False),
    sa.Column('phone', sa.String(length=30), nullable=True),
    sa.Column('acknowledged_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['warning_id'], ['warning.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('warning_recipient', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_warning_recipient_warning_id'), ['warning_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('warning_recipient', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_warning_recipient_warning_id'))

    op.drop_table('warning_recipient')
    op.drop_table('warning')

"""熔断 (issue 15 point 4): control orders of a warning area at a level (禁、停、撤、疏), with one item per site, road
zone or hazard point and its contact, confirmed once each; a drill's orders apart from the live ones.

Revision ID: 0028_controls
Revises: 0027_proposal_level_at
Create Date: 2026-12-07 23:23:40.318338
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import services.db

revision = '0028_controls'
down_revision = '0027_proposal_level_at'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('control_order',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('drill_id', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('warning_id', sa.Integer(), nullable=True),
    sa.Column('level', sa.String(length=2), nullable=False),
    sa.Column('hazard_type', sa.String(length=20), nullable=False),
    sa.Column('area', services.db.Geometry('GEOMETRY'), nullable=False),
    sa.Column('area_description', sa.String(length=500), nullable=False),
    sa.Column('created_at', services.db.UTCDateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=80), nullable=False),
    sa.Column('closed_at', services.db.UTCDateTime(), nullable=True),
    sa.Column('closed_by', sa.String(length=80), nullable=True),
    sa.CheckConstraint("level IN ('蓝', '黄', '橙', '红')", name='level_allowed'),
    sa.CheckConstraint('(closed_at IS NULL) = (closed_by IS NULL)', name='closed_with_whom'),
    sa.CheckConstraint('drill_id >= 0', name='drill_id_non_negative'),
    sa.ForeignKeyConstraint(['warning_id'], ['warning.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('control_order', schema=None) as batch_op:
        batch_op.create_index('ix_control_order_open', ['drill_id', 'closed_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_control_order_warning_id'), ['warning_id'], unique=False)

    op.create_table('control_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=2), nullable=False),
    sa.Column('target_layer', sa.String(length=12), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('sector', sa.String(length=20), nullable=True),
    sa.Column('category', sa.String(length=20), nullable=True),
    sa.Column('township_code', sa.String(length=9), nullable=False),
    sa.Column('contact_person', sa.String(length=50), nullable=True),
    sa.Column('contact_phone', sa.String(length=30), nullable=True),
    sa.Column('people', sa.Integer(), nullable=True),
    sa.Column('detail', sa.String(length=300), nullable=True),
    sa.Column('is_sample', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('confirmed_at', services.db.UTCDateTime(), nullable=True),
    sa.Column('confirmed_by', sa.String(length=80), nullable=True),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('road_block_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("action IN ('禁', '停', '撤', '疏')", name='action_allowed'),
    sa.CheckConstraint("target_layer IN ('enterprises', 'hazards', 'roads')", name='target_layer_allowed'),
    sa.CheckConstraint('(confirmed_at IS NULL) = (confirmed_by IS NULL)', name='confirmed_with_whom'),
    sa.CheckConstraint('people IS NULL OR people >= 0', name='people_non_negative'),
    sa.ForeignKeyConstraint(['order_id'], ['control_order.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['road_block_id'], ['road_block.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['township_code'], ['township.code'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('order_id', 'action', 'target_layer', 'target_id', name='uq_control_item_target')
    )
    with op.batch_alter_table('control_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_control_item_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_control_item_township_code'), ['township_code'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('control_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_control_item_township_code'))
        batch_op.drop_index(batch_op.f('ix_control_item_order_id'))

    op.drop_table('control_item')
    with op.batch_alter_table('control_order', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_control_order_warning_id'))
        batch_op.drop_index('ix_control_order_open')

    op.drop_table('control_order')

"""Evacuation progress: people moved from hazard points, and into shelters.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 14:37:55.184865
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('evacuation_move',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=80), nullable=False),
    sa.Column('hazard_id', sa.Integer(), nullable=False),
    sa.Column('shelter_id', sa.Integer(), nullable=True),
    sa.Column('people', sa.Integer(), nullable=False),
    sa.CheckConstraint('people > 0', name='people_positive'),
    sa.ForeignKeyConstraint(['hazard_id'], ['hazard_point.id'], ),
    sa.ForeignKeyConstraint(['shelter_id'], ['shelter.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('evacuation_move', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evacuation_move_hazard_id'), ['hazard_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('evacuation_move', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evacuation_move_hazard_id'))

    op.drop_table('evacuation_move')

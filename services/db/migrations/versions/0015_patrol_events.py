"""Patrols of hazard points in the live feed: a feed event names an incident or a patrol (incident_event.patrol_id).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03 15:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('incident_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('patrol_id', sa.Integer(), nullable=True))
        batch_op.alter_column('incident_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_index(batch_op.f('ix_incident_event_patrol_id'), ['patrol_id'], unique=False)
        batch_op.create_foreign_key('fk_incident_event_patrol_id_hazard_patrol', 'hazard_patrol', ['patrol_id'],
                                    ['id'], ondelete='CASCADE')
        batch_op.create_check_constraint('event_one_record', '(incident_id IS NULL) <> (patrol_id IS NULL)')


def downgrade() -> None:
    op.execute("DELETE FROM incident_event WHERE incident_id IS NULL")  # patrol lines: no place for them before
    with op.batch_alter_table('incident_event', schema=None) as batch_op:
        batch_op.drop_constraint('event_one_record', type_='check')
        batch_op.drop_constraint('fk_incident_event_patrol_id_hazard_patrol', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_incident_event_patrol_id'))
        batch_op.alter_column('incident_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('patrol_id')

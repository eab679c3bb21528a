"""Photos of hidden dangers (issue 14 point 2, 隐患照片): a photo belongs to exactly one incident, patrol or hidden
danger; a danger's photos go with it.

Revision ID: 0024_danger_photos
Revises: 0023_public_reports
Create Date: 2026-12-07 10:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0024_danger_photos'
down_revision = '0023_public_reports'
branch_labels = None
depends_on = None

ONE_BEFORE = '(incident_id IS NULL) <> (patrol_id IS NULL)'
ONE = ('(CASE WHEN incident_id IS NULL THEN 0 ELSE 1 END + CASE WHEN patrol_id IS NULL THEN 0 ELSE 1 END'
       ' + CASE WHEN danger_id IS NULL THEN 0 ELSE 1 END) = 1')


def upgrade() -> None:
    with op.batch_alter_table('photo', schema=None) as batch_op:
        batch_op.add_column(sa.Column('danger_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_photo_danger_id'), ['danger_id'], unique=False)
        batch_op.create_foreign_key('fk_photo_danger_id_hidden_danger', 'hidden_danger', ['danger_id'], ['id'],
                                    ondelete='CASCADE')
        batch_op.drop_constraint('one_record', type_='check')
        batch_op.create_check_constraint('one_record', ONE)


def downgrade() -> None:
    op.execute('DELETE FROM photo WHERE danger_id IS NOT NULL')  # the older schema has no place for them
    with op.batch_alter_table('photo', schema=None) as batch_op:
        batch_op.drop_constraint('one_record', type_='check')
        batch_op.create_check_constraint('one_record', ONE_BEFORE)
        batch_op.drop_constraint('fk_photo_danger_id_hidden_danger', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_photo_danger_id'))
        batch_op.drop_column('danger_id')

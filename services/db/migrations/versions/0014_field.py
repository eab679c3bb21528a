"""Field work: patrols of hazard points (hazard_patrol), photos of incidents and patrols (photo), and township
accounts as warning recipients (warning_recipient.user_id).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 12:30:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import services.db

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('hazard_patrol',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('hazard_id', sa.Integer(), nullable=False),
    sa.Column('at', services.db.UTCDateTime(), nullable=False),
    sa.Column('actor', sa.String(length=80), nullable=False),
    sa.Column('state', sa.String(length=4), nullable=False),
    sa.Column('crack_width_mm', sa.Float(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('level_before', sa.String(length=4), nullable=False),
    sa.Column('raised_to', sa.String(length=4), nullable=True),
    sa.CheckConstraint("level_before IN ('无', '蓝', '黄', '橙', '红')", name='level_before_allowed'),
    sa.CheckConstraint("raised_to IS NULL OR raised_to IN ('蓝', '黄', '橙', '红')", name='raised_to_allowed'),
    sa.CheckConstraint("state IN ('正常', '异常', '危险')", name='state_allowed'),
    sa.CheckConstraint('crack_width_mm IS NULL OR (crack_width_mm >= 0 AND crack_width_mm <= 10000)', name='crack_width_range'),
    sa.ForeignKeyConstraint(['hazard_id'], ['hazard_point.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('hazard_patrol', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hazard_patrol_hazard_id'), ['hazard_id'], unique=False)

    op.create_table('photo',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=True),
    sa.Column('patrol_id', sa.Integer(), nullable=True),
    sa.Column('stored_name', sa.String(length=120), nullable=False),
    sa.Column('original_name', sa.String(length=200), nullable=True),
    sa.Column('content_type', sa.String(length=20), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('width_px', sa.Integer(), nullable=False),
    sa.Column('height_px', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('uploaded_at', services.db.UTCDateTime(), nullable=False),
    sa.Column('uploaded_by', sa.String(length=80), nullable=False),
    sa.CheckConstraint("content_type IN ('image/jpeg', 'image/png', 'image/webp')", name='content_type_allowed'),
    sa.CheckConstraint('(incident_id IS NULL) <> (patrol_id IS NULL)', name='one_record'),
    sa.CheckConstraint('size_bytes > 0 AND width_px > 0 AND height_px > 0', name='size_positive'),
    sa.ForeignKeyConstraint(['incident_id'], ['incident.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['patrol_id'], ['hazard_patrol.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('stored_name')
    )
    with op.batch_alter_table('photo', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_photo_incident_id'), ['incident_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_photo_patrol_id'), ['patrol_id'], unique=False)

    with op.batch_alter_table('warning_recipient', schema=None) as batch_op:
        batch_op.add_column(sa.Column('user_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_warning_recipient_user_id'), ['user_id'], unique=False)
        batch_op.create_unique_constraint('uq_warning_recipient_user', ['warning_id', 'user_id'])
        batch_op.create_foreign_key('fk_warning_recipient_user_id_user_account', 'user_account', ['user_id'], ['id'], ondelete='SET NULL')



def downgrade() -> None:
    with op.batch_alter_table('warning_recipient', schema=None) as batch_op:
        batch_op.drop_constraint('fk_warning_recipient_user_id_user_account', type_='foreignkey')
        batch_op.drop_constraint('uq_warning_recipient_user', type_='unique')
        batch_op.drop_index(batch_op.f('ix_warning_recipient_user_id'))
        batch_op.drop_column('user_id')

    with op.batch_alter_table('photo', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_photo_patrol_id'))
        batch_op.drop_index(batch_op.f('ix_photo_incident_id'))

    op.drop_table('photo')
    with op.batch_alter_table('hazard_patrol', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hazard_patrol_hazard_id'))

    op.drop_table('hazard_patrol')

"""风险感知 (issue 15): station readings (UTC, idempotent on drill, station, kind and time), thresholds of hazard
points or stations, which stations watch which hazard point, warning proposals (one open per hazard point and
drill), and each station's reporting interval and newest reading.

Revision ID: 0026_monitoring
Revises: 0025_supervision_indexes
Create Date: 2026-12-07 23:19:28.519057
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import services.db

revision = '0026_monitoring'
down_revision = '0025_supervision_indexes'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('hazard_station',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('hazard_point_id', sa.Integer(), nullable=False),
    sa.Column('station_id', sa.Integer(), nullable=False),
    sa.Column('assigned', sa.String(length=10), nullable=False),
    sa.Column('distance_m', sa.Float(), nullable=False),
    sa.CheckConstraint("assigned IN ('explicit', 'distance')", name='assigned_allowed'),
    sa.CheckConstraint('distance_m >= 0', name='distance_non_negative'),
    sa.ForeignKeyConstraint(['hazard_point_id'], ['hazard_point.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['station_id'], ['monitoring_station.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('hazard_point_id', 'station_id', name='uq_hazard_station')
    )
    with op.batch_alter_table('hazard_station', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hazard_station_hazard_point_id'), ['hazard_point_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hazard_station_station_id'), ['station_id'], unique=False)

    op.create_table('reading',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('drill_id', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('station_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('at', services.db.UTCDateTime(), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('received_at', services.db.UTCDateTime(), nullable=False),
    sa.CheckConstraint("kind IN ('rainfall', 'water_level', 'displacement', 'crack_width', 'wind_speed', 'temperature')", name='kind_allowed'),
    sa.CheckConstraint('drill_id >= 0', name='drill_id_non_negative'),
    sa.ForeignKeyConstraint(['station_id'], ['monitoring_station.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('drill_id', 'station_id', 'kind', 'at', name='uq_reading_station_kind_at')
    )
    op.create_table('threshold',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('hazard_point_id', sa.Integer(), nullable=True),
    sa.Column('station_id', sa.Integer(), nullable=True),
    sa.Column('metric', sa.String(length=24), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('updated_at', services.db.UTCDateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=80), nullable=False),
    sa.CheckConstraint("metric IN ('rain_1h', 'rain_3h', 'rain_24h', 'water_warning', 'water_guarantee', 'displacement_rate', 'crack_width')", name='metric_allowed'),
    sa.CheckConstraint('(hazard_point_id IS NULL) <> (station_id IS NULL)', name='one_owner'),
    sa.CheckConstraint('value > 0', name='value_positive'),
    sa.ForeignKeyConstraint(['hazard_point_id'], ['hazard_point.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['station_id'], ['monitoring_station.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('hazard_point_id', 'station_id', 'metric', name='uq_threshold_owner_metric')
    )
    with op.batch_alter_table('threshold', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_threshold_hazard_point_id'), ['hazard_point_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_threshold_station_id'), ['station_id'], unique=False)

    op.create_table('warning_proposal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('drill_id', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('hazard_point_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.String(length=2), nullable=False),
    sa.Column('status', sa.String(length=4), nullable=False),
    sa.Column('station_id', sa.Integer(), nullable=True),
    sa.Column('metric', sa.String(length=24), nullable=False),
    sa.Column('observed', sa.Float(), nullable=False),
    sa.Column('threshold', sa.Float(), nullable=False),
    sa.Column('ratio', sa.Float(), nullable=False),
    sa.Column('observed_at', services.db.UTCDateTime(), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=True),
    sa.Column('created_at', services.db.UTCDateTime(), nullable=False),
    sa.Column('updated_at', services.db.UTCDateTime(), nullable=False),
    sa.Column('decided_at', services.db.UTCDateTime(), nullable=True),
    sa.Column('decided_by', sa.String(length=80), nullable=True),
    sa.Column('reason', sa.String(length=500), nullable=True),
    sa.Column('warning_id', sa.Integer(), nullable=True),
    sa.Column('plan_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("(status = '待确认') = (decided_at IS NULL)", name='decided_when_decided'),
    sa.CheckConstraint("level IN ('蓝', '黄', '橙', '红')", name='level_allowed'),
    sa.CheckConstraint("metric IN ('rain_1h', 'rain_3h', 'rain_24h', 'water_warning', 'water_guarantee', 'displacement_rate', 'crack_width')", name='metric_allowed'),
    sa.CheckConstraint("status IN ('待确认', '已确认', '已驳回', '自动确认', '已失效')", name='status_allowed'),
    sa.CheckConstraint('drill_id >= 0', name='drill_id_non_negative'),
    sa.ForeignKeyConstraint(['hazard_point_id'], ['hazard_point.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['plan_id'], ['evacuation_plan.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['station_id'], ['monitoring_station.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['warning_id'], ['warning.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('warning_proposal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_warning_proposal_hazard_point_id'), ['hazard_point_id'], unique=False)
        batch_op.create_index('ix_warning_proposal_status', ['drill_id', 'status'], unique=False)
        batch_op.create_index('uq_warning_proposal_open', ['drill_id', 'hazard_point_id'], unique=True, sqlite_where=sa.text("status = '待确认'"), postgresql_where=sa.text("status = '待确认'"))

    with op.batch_alter_table('monitoring_station', schema=None) as batch_op:
        batch_op.add_column(sa.Column('interval_min', sa.Integer(), server_default=sa.text('60'), nullable=False))
        batch_op.create_check_constraint('interval_range', 'interval_min BETWEEN 1 AND 1440')
        batch_op.add_column(sa.Column('last_reading_at', services.db.UTCDateTime(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('monitoring_station', schema=None) as batch_op:
        batch_op.drop_constraint('interval_range', type_='check')
        batch_op.drop_column('last_reading_at')
        batch_op.drop_column('interval_min')

    with op.batch_alter_table('warning_proposal', schema=None) as batch_op:
        batch_op.drop_index('uq_warning_proposal_open', sqlite_where=sa.text("status = '待确认'"), postgresql_where=sa.text("status = '待确认'"))
        batch_op.drop_index('ix_warning_proposal_status')
        batch_op.drop_index(batch_op.f('ix_warning_proposal_hazard_point_id'))

    op.drop_table('warning_proposal')
    with op.batch_alter_table('threshold', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_threshold_station_id'))
        batch_op.drop_index(batch_op.f('ix_threshold_hazard_point_id'))

    op.drop_table('threshold')
    op.drop_table('reading')
    with op.batch_alter_table('hazard_station', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hazard_station_station_id'))
        batch_op.drop_index(batch_op.f('ix_hazard_station_hazard_point_id'))

    op.drop_table('hazard_station')

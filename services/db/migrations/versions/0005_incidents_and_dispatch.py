"""Incidents with their timeline, and dispatch orders (one active order per team).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 14:20:43.736644
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import services.db

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('incident',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('category', sa.String(length=10), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('level', sa.String(length=2), nullable=False),
    sa.Column('status', sa.String(length=4), nullable=False),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reported_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reporter', sa.String(length=80), nullable=False),
    sa.Column('lon', sa.Float(), nullable=False),
    sa.Column('lat', sa.Float(), nullable=False),
    sa.Column('geom', services.db.Geometry('POINT'), nullable=False),
    sa.Column('township_code', sa.String(length=9), nullable=False),
    sa.Column('dead', sa.Integer(), nullable=False),
    sa.Column('injured', sa.Integer(), nullable=False),
    sa.Column('missing', sa.Integer(), nullable=False),
    sa.Column('people_affected', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.CheckConstraint("category IN ('自然灾害', '事故灾难', '公共卫生事件', '社会安全事件')", name='category_allowed'),
    sa.CheckConstraint("kind IN ('滑坡', '崩塌', '泥石流', '地面塌陷', '洪涝', '森林火灾', '地震', '气象灾害', '危化品事故', '火灾', '道路交通事故', '矿山事故', '建筑施工事故', '燃气事故', '特种设备事故', '传染病疫情', '食物中毒', '群体性事件', '其他社会安全事件')", name='kind_allowed'),
    sa.CheckConstraint("level IN ('Ⅰ', 'Ⅱ', 'Ⅲ', 'Ⅳ')", name='level_allowed'),
    sa.CheckConstraint("status IN ('接报', '核实', '处置中', '已结束')", name='status_allowed'),
    sa.CheckConstraint('dead >= 0 AND injured >= 0 AND missing >= 0 AND people_affected >= 0', name='counts_non_negative'),
    sa.ForeignKeyConstraint(['township_code'], ['township.code'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('incident', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incident_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_incident_township_code'), ['township_code'], unique=False)

    op.create_table('dispatch_order',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=4), nullable=False),
    sa.Column('actor', sa.String(length=80), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('eta_s', sa.Float(), nullable=True),
    sa.CheckConstraint("status IN ('已派', '出发', '到达', '完成', '取消')", name='status_allowed'),
    sa.ForeignKeyConstraint(['incident_id'], ['incident.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['team_id'], ['rescue_team.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('dispatch_order', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dispatch_order_incident_id'), ['incident_id'], unique=False)
        batch_op.create_index('uq_dispatch_order_active_team', ['team_id'], unique=True, sqlite_where=sa.text("status IN ('已派', '出发', '到达')"), postgresql_where=sa.text("status IN ('已派', '出发', '到达')"))

    op.create_table('incident_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=80), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['incident_id'], ['incident.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('incident_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incident_event_incident_id'), ['incident_id'], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        op.create_index("ix_incident_geom_gist", "incident", ["geom"], postgresql_using="gist")


def downgrade() -> None:
    with op.batch_alter_table('incident_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_incident_event_incident_id'))

    op.drop_table('incident_event')
    with op.batch_alter_table('dispatch_order', schema=None) as batch_op:
        batch_op.drop_index('uq_dispatch_order_active_team', sqlite_where=sa.text("status IN ('已派', '出发', '到达')"), postgresql_where=sa.text("status IN ('已派', '出发', '到达')"))
        batch_op.drop_index(batch_op.f('ix_dispatch_order_incident_id'))

    op.drop_table('dispatch_order')
    with op.batch_alter_table('incident', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_incident_township_code'))
        batch_op.drop_index(batch_op.f('ix_incident_status'))

    op.drop_table('incident')

"""Initial schema: geography, enterprises, hazards, shelters, depots and stock, teams, vehicles,
monitoring stations and the audit log.

Revision ID: 0001
Revises: 
Create Date: 2026-11-25 12:40:44.434628
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import services.db

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


GIST_TABLES = ('admin_area', 'township', 'depot', 'enterprise', 'hazard_point', 'monitoring_station', 'rescue_team', 'shelter',)


def upgrade() -> None:
    op.create_table('admin_area',
    sa.Column('adcode', sa.String(length=12), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('name_en', sa.String(length=80), nullable=False),
    sa.Column('role', sa.String(length=12), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.Column('geom', services.db.Geometry('MULTIPOLYGON'), nullable=False),
    sa.CheckConstraint("role IN ('district', 'neighbour')", name='role_allowed'),
    sa.PrimaryKeyConstraint('adcode')
    )

    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=80), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('entity', sa.String(length=40), nullable=False),
    sa.Column('entity_key', sa.String(length=80), nullable=True),
    sa.Column('detail', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_at'), ['at'], unique=False)

    op.create_table('supply_item',
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('unit', sa.String(length=10), nullable=False),
    sa.Column('supply_class', sa.String(length=10), nullable=False),
    sa.Column('unit_weight_kg', sa.Float(), nullable=False),
    sa.Column('unit_volume_m3', sa.Float(), nullable=False),
    sa.Column('shelf_life_days', sa.Integer(), nullable=True),
    sa.CheckConstraint("supply_class IN ('food', 'clothing', 'water', 'shelter', 'medical', 'rescue', 'other')", name='supply_class_allowed'),
    sa.PrimaryKeyConstraint('code')
    )
    op.create_table('township',
    sa.Column('code', sa.String(length=9), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('name_en', sa.String(length=80), nullable=False),
    sa.Column('kind', sa.String(length=4), nullable=False),
    sa.Column('seat_lon', sa.Float(), nullable=False),
    sa.Column('seat_lat', sa.Float(), nullable=False),
    sa.Column('seat_approximate', sa.Boolean(), nullable=False),
    sa.Column('seat_source', sa.String(length=200), nullable=False),
    sa.Column('approximate', sa.Boolean(), nullable=False),
    sa.Column('population', sa.Integer(), nullable=True),
    sa.Column('population_is_sample', sa.Boolean(), nullable=False),
    sa.Column('geom', services.db.Geometry('MULTIPOLYGON'), nullable=False),
    sa.CheckConstraint("kind IN ('街道', '镇', '乡')", name='kind_allowed'),
    sa.CheckConstraint('population IS NULL OR population >= 0', name='population_non_negative'),
    sa.PrimaryKeyConstraint('code'),
    sa.UniqueConstraint('name')
    )

    op.create_table('depot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('level', sa.String(length=4), nullable=False),
    sa.Column('capacity_m3', sa.Float(), nullable=False),
    sa.Column('lon', sa.Float(), nullable=False),
    sa.Column('lat', sa.Float(), nullable=False),
    sa.Column('geom', services.db.Geometry('POINT'), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=True),
    sa.Column('township_code', sa.String(length=9), nullable=False),
    sa.Column('contact_person', sa.String(length=50), nullable=True),
    sa.Column('contact_phone', sa.String(length=30), nullable=True),
    sa.Column('is_sample', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("level IN ('区级', '乡镇级')", name='level_allowed'),
    sa.CheckConstraint('capacity_m3 >= 0', name='capacity_non_negative'),
    sa.ForeignKeyConstraint(['township_code'], ['township.code'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code')
    )
    with op.batch_alter_table('depot', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_depot_township_code'), ['township_code'], unique=False)

    op.create_table('enterprise',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('credit_code', sa.String(length=18), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('sector', sa.String(length=20), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('scale', sa.String(length=10), nullable=False),
    sa.Column('risk_level', sa.String(length=4), nullable=False),
    sa.Column('duty_card_status', sa.String(length=10), nullable=False),
    sa.Column('open_hidden_dangers', sa.Integer(), nullable=False),
    sa.Column('industrial_park', sa.String(length=100), nullable=True),
    sa.Column('lon', sa.Float(), nullable=False),
    sa.Column('lat', sa.Float(), nullable=False),
    sa.Column('geom', services.db.Geometry('POINT'), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=True),
    sa.Column('township_code', sa.String(length=9), nullable=False),
    sa.Column('contact_person', sa.String(length=50), nullable=True),
    sa.Column('contact_phone', sa.String(length=30), nullable=True),
    sa.Column('is_sample', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("category IN ('生产', '经营(带储存)', '经营(无储存)', '使用', '加油站', '油库', '燃气经营', '天然气餐饮', '液化气餐饮', '露天矿山', '地下矿山', '尾矿库', '冶金', '有色', '建材', '机械', '轻工', '纺织', '烟草', '商贸', '房屋建筑', '市政工程', '交通工程', '水利工程', '商场超市', '农贸市场', '餐饮住宿', '民宿', '会展场所', '高层建筑', '古镇古寨', '再生资源回收', '报废汽车回收拆解')", name='category_allowed'),
    sa.CheckConstraint("duty_card_status IN ('未启动', '建设中', '已完成')", name='duty_card_status_allowed'),
    sa.CheckConstraint("risk_level IN ('重大', '较大', '一般', '低')", name='risk_level_allowed'),
    sa.CheckConstraint("scale IN ('规上', '限上', '其他')", name='scale_allowed'),
    sa.CheckConstraint("sector IN ('危险化学品', '成品油', '燃气', '非煤矿山', '工贸', '建筑施工', '人员密集场所', '再生资源')", name='sector_allowed'),
    sa.CheckConstraint('length(credit_code) = 18', name='credit_code_length'),
    sa.CheckConstraint('open_hidden_dangers >= 0', name='open_hidden_dangers_non_negative'),
    sa.ForeignKeyConstraint(['township_code'], ['township.code'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('credit_code')
    )
    with op.batch_alter_table('enterprise', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enterprise_risk_level'), ['risk_level'], unique=False)
        batch_op.create_index(batch_op.f('ix_enterprise_sector'), ['sector'], unique=False)
        batch_op.create_index(batch_op.f('ix_enterprise_township_code'), ['township_code'], unique=False)

    op.create_table('hazard_point',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('hazard_type', sa.String(length=10), nullable=False),
    sa.Column('threatened_households', sa.Integer(), nullable=False),
    sa.Column('threatened_people', sa.Integer(), nullable=False),
    sa.Column('threatened_property_10k_yuan', sa.Float(), nullable=False),
    sa.Column('stability', sa.String(length=10), nullable=False),
    sa.Column('influence_radius_m', sa.Float(), nullable=False),
    sa.Column('warning_level', sa.String(length=4), nullable=False),
    sa.Column('village', sa.String(length=80), nullable=True),
    sa.Column('lon', sa.Float(), nullable=False),
    sa.Column('lat', sa.Float(), nullable=False),
    sa.Column('geom', services.db.Geometry('POINT'), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=True),
    sa.Column('township_code', sa.String(length=9), nullable=False),
    sa.Column('contact_person', sa.String(length=50), nullable=True),
    sa.Column('contact_phone', sa.String(length=30), nullable=True),
    sa.Column('is_sample', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("hazard_type IN ('滑坡', '崩塌', '泥石流', '地面塌陷', '洪涝', '易涝点', '病险水库', '森林火险')", name='hazard_type_allowed'),
    sa.CheckConstraint("stability IN ('稳定', '基本稳定', '不稳定')", name='stability_allowed'),
    sa.CheckConstraint("warning_level IN ('无', '蓝', '黄', '橙', '红')", name='warning_level_allowed'),
    sa.CheckConstraint('influence_radius_m >= 0', name='influence_radius_non_negative'),
    sa.CheckConstraint('threatened_households >= 0 AND threatened_people >= 0', name='threatened_non_negative'),
    sa.ForeignKeyConstraint(['township_code'], ['township.code'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code')
    )
    with op.batch_alter_table('hazard_point', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hazard_point_hazard_type'), ['hazard_type'], unique=False)
        batch_op.create_index(batch_op.f('ix_hazard_point_township_code'), ['township_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_hazard_point_warning_level'), ['warning_level'], unique=False)

    op.create_table('monitoring_station',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=4), nullable=False),
    sa.Column('lon', sa.Float(), nullable=False),
    sa.Column('lat', sa.Float(), nullable=False),
    sa.Column('geom', services.db.Geometry('POINT'), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=True),
    sa.Column('township_code', sa.String(length=9), nullable=False),
    sa.Column('contact_person', sa.String(length=50), nullable=True),
    sa.Column('contact_phone', sa.String(length=30), nullable=True),
    sa.Column('is_sample', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('水文', '雨量', '地质灾害', '地震', '气象', '森林防火')", name='kind_allowed'),
    sa.CheckConstraint("status IN ('正常', '离线')", name='status_allowed'),
    sa.ForeignKeyConstraint(['township_code'], ['township.code'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code')
    )
    with op.batch_alter_table('monitoring_station', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_monitoring_station_township_code'), ['township_code'], unique=False)

    op.create_table('rescue_team',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('members', sa.Integer(), nullable=False),
    sa.Column('specialties', sa.String(length=200), nullable=True),
    sa.Column('equipment', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=4), nullable=False),
    sa.Column('lon', sa.Float(), nullable=False),
    sa.Column('lat', sa.Float(), nullable=False),
    sa.Column('geom', services.db.Geometry('POINT'), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=True),
    sa.Column('township_code', sa.String(length=9), nullable=False),
    sa.Column('contact_person', sa.String(length=50), nullable=True),
    sa.Column('contact_phone', sa.String(length=30), nullable=True),
    sa.Column('is_sample', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('综合性消防救援', '森林消防', '地质灾害救援', '水域救援', '危化救援', '矿山救援', '医疗救护', '乡镇综合救援', '社会救援', '民兵应急')", name='kind_allowed'),
    sa.CheckConstraint("status IN ('待命', '出动', '休整')", name='status_allowed'),
    sa.CheckConstraint('members > 0', name='members_positive'),
    sa.ForeignKeyConstraint(['township_code'], ['township.code'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code')
    )
    with op.batch_alter_table('rescue_team', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rescue_team_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_rescue_team_township_code'), ['township_code'], unique=False)

    op.create_table('shelter',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('shelter_type', sa.String(length=10), nullable=False),
    sa.Column('shelter_class', sa.String(length=2), nullable=False),
    sa.Column('site_kind', sa.String(length=10), nullable=False),
    sa.Column('effective_area_m2', sa.Float(), nullable=False),
    sa.Column('declared_capacity_people', sa.Integer(), nullable=True),
    sa.Column('occupancy_people', sa.Integer(), nullable=False),
    sa.Column('blocked_places', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=4), nullable=False),
    sa.Column('has_food', sa.Boolean(), nullable=False),
    sa.Column('has_clothing', sa.Boolean(), nullable=False),
    sa.Column('has_water', sa.Boolean(), nullable=False),
    sa.Column('has_shelter', sa.Boolean(), nullable=False),
    sa.Column('has_medical', sa.Boolean(), nullable=False),
    sa.Column('lon', sa.Float(), nullable=False),
    sa.Column('lat', sa.Float(), nullable=False),
    sa.Column('geom', services.db.Geometry('POINT'), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=True),
    sa.Column('township_code', sa.String(length=9), nullable=False),
    sa.Column('contact_person', sa.String(length=50), nullable=True),
    sa.Column('contact_phone', sa.String(length=30), nullable=True),
    sa.Column('is_sample', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("shelter_class IN ('Ⅰ', 'Ⅱ', 'Ⅲ')", name='shelter_class_allowed'),
    sa.CheckConstraint("shelter_type IN ('紧急', '固定(短期)', '固定(中期)', '固定(长期)', '中心')", name='shelter_type_allowed'),
    sa.CheckConstraint("site_kind IN ('学校', '广场', '体育场馆', '公园', '社区服务中心', '村委会', '其他')", name='site_kind_allowed'),
    sa.CheckConstraint("status IN ('开放', '关闭', '已满')", name='status_allowed'),
    sa.CheckConstraint('declared_capacity_people IS NULL OR declared_capacity_people >= 0', name='declared_capacity_non_negative'),
    sa.CheckConstraint('effective_area_m2 > 0', name='effective_area_positive'),
    sa.CheckConstraint('occupancy_people >= 0 AND blocked_places >= 0', name='occupancy_non_negative'),
    sa.ForeignKeyConstraint(['township_code'], ['township.code'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code')
    )
    with op.batch_alter_table('shelter', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shelter_township_code'), ['township_code'], unique=False)

    op.create_table('village',
    sa.Column('code', sa.String(length=12), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('township_code', sa.String(length=9), nullable=False),
    sa.ForeignKeyConstraint(['township_code'], ['township.code'], ),
    sa.PrimaryKeyConstraint('code')
    )
    with op.batch_alter_table('village', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_village_township_code'), ['township_code'], unique=False)

    op.create_table('stock_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('depot_id', sa.Integer(), nullable=False),
    sa.Column('item_code', sa.String(length=40), nullable=False),
    sa.Column('quantity', sa.Float(), nullable=False),
    sa.Column('minimum_quantity', sa.Float(), nullable=False),
    sa.Column('expires_on', sa.Date(), nullable=True),
    sa.Column('is_sample', sa.Boolean(), nullable=False),
    sa.CheckConstraint('quantity >= 0 AND minimum_quantity >= 0', name='quantity_non_negative'),
    sa.ForeignKeyConstraint(['depot_id'], ['depot.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['item_code'], ['supply_item.code'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('depot_id', 'item_code', 'expires_on', name='uq_stock_batch')
    )
    with op.batch_alter_table('stock_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stock_line_depot_id'), ['depot_id'], unique=False)

    op.create_table('vehicle',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plate', sa.String(length=20), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('depot_id', sa.Integer(), nullable=True),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('payload_kg', sa.Float(), nullable=False),
    sa.Column('volume_m3', sa.Float(), nullable=False),
    sa.Column('status', sa.String(length=4), nullable=False),
    sa.Column('is_sample', sa.Boolean(), nullable=False),
    sa.CheckConstraint("kind IN ('货车', '皮卡', '客车', '救护车', '消防车', '越野车')", name='kind_allowed'),
    sa.CheckConstraint("status IN ('可用', '出动', '维修')", name='status_allowed'),
    sa.CheckConstraint('payload_kg >= 0 AND volume_m3 >= 0', name='load_non_negative'),
    sa.ForeignKeyConstraint(['depot_id'], ['depot.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['team_id'], ['rescue_team.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('plate')
    )
    # Spatial indexes exist only where geometries are PostGIS columns.
    if op.get_bind().dialect.name == "postgresql":
        for table in GIST_TABLES:
            op.create_index(f"ix_{table}_geom_gist", table, ["geom"], postgresql_using="gist")


def downgrade() -> None:
    op.drop_table('vehicle')
    with op.batch_alter_table('stock_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stock_line_depot_id'))

    op.drop_table('stock_line')
    with op.batch_alter_table('village', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_village_township_code'))

    op.drop_table('village')
    with op.batch_alter_table('shelter', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shelter_township_code'))

    op.drop_table('shelter')
    with op.batch_alter_table('rescue_team', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rescue_team_township_code'))
        batch_op.drop_index(batch_op.f('ix_rescue_team_kind'))

    op.drop_table('rescue_team')
    with op.batch_alter_table('monitoring_station', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_monitoring_station_township_code'))

    op.drop_table('monitoring_station')
    with op.batch_alter_table('hazard_point', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hazard_point_warning_level'))
        batch_op.drop_index(batch_op.f('ix_hazard_point_township_code'))
        batch_op.drop_index(batch_op.f('ix_hazard_point_hazard_type'))

    op.drop_table('hazard_point')
    with op.batch_alter_table('enterprise', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enterprise_township_code'))
        batch_op.drop_index(batch_op.f('ix_enterprise_sector'))
        batch_op.drop_index(batch_op.f('ix_enterprise_risk_level'))

    op.drop_table('enterprise')
    with op.batch_alter_table('depot', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_depot_township_code'))

    op.drop_table('depot')

    op.drop_table('township')
    op.drop_table('supply_item')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_at'))

    op.drop_table('audit_log')

    op.drop_table('admin_area')

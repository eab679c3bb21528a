"""Work-safety supervision (issue 14): risk points, hidden dangers, inspections, penalties, rechecks, public
reports, campaigns and the 两单两卡 cards; enterprises gain 资质以上, a department-set level and the pilot flag.

Revision ID: 0021_supervision
Revises: 0020_township_kinds
Create Date: 2026-12-04 15:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import services.db

revision = '0021_supervision'
down_revision = '0020_township_kinds'
branch_labels = None
depends_on = None

SCALES_BEFORE = ('规上', '限上', '其他')
SCALES = ('规上', '限上', '资质以上', '其他')
CARDS = ('岗位风险清单', '岗位职责清单', '岗位操作卡', '岗位应急处置卡')
# The one status of before becomes the four cards' status: 未启动 → 未编制, 建设中 → 已编制, 已完成 → 已应用.
CARD_FROM_SUMMARY = {'未启动': '未编制', '建设中': '已编制', '已完成': '已应用'}


def _scales(values) -> str:
    return "scale IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def upgrade() -> None:
    op.create_table('campaign',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('sectors', sa.String(length=200), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('is_sample', sa.Boolean(), nullable=False),
    sa.CheckConstraint('ends_on >= starts_on', name='period_ordered'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    op.create_table('campaign_target',
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('campaign_id', 'enterprise_id')
    )
    with op.batch_alter_table('campaign_target', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_campaign_target_enterprise_id'), ['enterprise_id'], unique=False)

    op.create_table('duty_card',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('card', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=4), nullable=False),
    sa.Column('updated_on', sa.Date(), nullable=True),
    sa.CheckConstraint("card IN ('岗位风险清单', '岗位职责清单', '岗位操作卡', '岗位应急处置卡')", name='card_allowed'),
    sa.CheckConstraint("status IN ('未编制', '已编制', '已培训', '已应用')", name='status_allowed'),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('enterprise_id', 'card', name='uq_duty_card')
    )
    with op.batch_alter_table('duty_card', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_duty_card_enterprise_id'), ['enterprise_id'], unique=False)

    op.create_table('inspection',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=30), nullable=True),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('inspected_on', sa.Date(), nullable=False),
    sa.Column('inspectors', sa.String(length=200), nullable=False),
    sa.Column('department', sa.String(length=100), nullable=True),
    sa.Column('items', sa.Text(), nullable=True),
    sa.Column('campaign_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_by', sa.String(length=80), nullable=False),
    sa.Column('created_at', services.db.UTCDateTime(), nullable=False),
    sa.Column('is_sample', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code')
    )
    with op.batch_alter_table('inspection', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inspection_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inspection_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inspection_inspected_on'), ['inspected_on'], unique=False)

    op.create_table('risk_point',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('method', sa.String(length=4), nullable=False),
    sa.Column('likelihood', sa.Float(), nullable=False),
    sa.Column('exposure', sa.Float(), nullable=True),
    sa.Column('severity', sa.Float(), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('level', sa.String(length=4), nullable=False),
    sa.Column('measures', sa.Text(), nullable=True),
    sa.Column('control_tier', sa.String(length=4), nullable=False),
    sa.Column('responsible_person', sa.String(length=50), nullable=True),
    sa.Column('updated_at', services.db.UTCDateTime(), nullable=False),
    sa.CheckConstraint("(method = 'LS') = (exposure IS NULL)", name='exposure_for_lec_only'),
    sa.CheckConstraint("control_tier IN ('企业', '车间', '班组')", name='control_tier_allowed'),
    sa.CheckConstraint("kind IN ('场所', '设备设施', '作业活动')", name='kind_allowed'),
    sa.CheckConstraint("level IN ('重大', '较大', '一般', '低')", name='level_allowed'),
    sa.CheckConstraint("method IN ('LS', 'LEC')", name='method_allowed'),
    sa.CheckConstraint('likelihood > 0 AND severity > 0 AND score > 0', name='factors_positive'),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('risk_point', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_risk_point_enterprise_id'), ['enterprise_id'], unique=False)

    op.create_table('hidden_danger',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=30), nullable=True),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.String(length=4), nullable=False),
    sa.Column('source', sa.String(length=8), nullable=False),
    sa.Column('self_check_cycle', sa.String(length=2), nullable=True),
    sa.Column('inspection_id', sa.Integer(), nullable=True),
    sa.Column('campaign_id', sa.Integer(), nullable=True),
    sa.Column('found_on', sa.Date(), nullable=False),
    sa.Column('found_by', sa.String(length=100), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=True),
    sa.Column('responsible_person', sa.String(length=50), nullable=True),
    sa.Column('measures', sa.Text(), nullable=True),
    sa.Column('funds_yuan', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('supervising_leader', sa.String(length=50), nullable=True),
    sa.Column('status', sa.String(length=4), nullable=False),
    sa.Column('reported_by', sa.String(length=80), nullable=False),
    sa.Column('created_at', services.db.UTCDateTime(), nullable=False),
    sa.Column('rectifying_at', services.db.UTCDateTime(), nullable=True),
    sa.Column('submitted_at', services.db.UTCDateTime(), nullable=True),
    sa.Column('closed_at', services.db.UTCDateTime(), nullable=True),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('reopened_count', sa.Integer(), nullable=False),
    sa.Column('is_sample', sa.Boolean(), nullable=False),
    sa.CheckConstraint("(status = '已销号') = (closed_at IS NOT NULL)", name='closed_when_closed'),
    sa.CheckConstraint("level IN ('一般', '重大')", name='level_allowed'),
    sa.CheckConstraint("self_check_cycle IS NULL OR self_check_cycle IN ('日', '周', '月')", name='self_check_cycle_allowed'),
    sa.CheckConstraint("source IN ('企业自查', '部门检查', '群众举报', '专项整治')", name='source_allowed'),
    sa.CheckConstraint("status IN ('待整改', '整改中', '待验收', '已销号')", name='status_allowed'),
    sa.CheckConstraint('deadline >= found_on', name='deadline_after_found'),
    sa.CheckConstraint('funds_yuan IS NULL OR funds_yuan >= 0', name='funds_non_negative'),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['inspection_id'], ['inspection.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code')
    )
    with op.batch_alter_table('hidden_danger', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hidden_danger_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hidden_danger_closed_on'), ['closed_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_hidden_danger_deadline'), ['deadline'], unique=False)
        batch_op.create_index(batch_op.f('ix_hidden_danger_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hidden_danger_found_on'), ['found_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_hidden_danger_inspection_id'), ['inspection_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hidden_danger_source'), ['source'], unique=False)
        batch_op.create_index(batch_op.f('ix_hidden_danger_status'), ['status'], unique=False)

    op.create_table('penalty',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('decision_no', sa.String(length=60), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('inspection_id', sa.Integer(), nullable=True),
    sa.Column('penalty_type', sa.String(length=12), nullable=False),
    sa.Column('amount_yuan', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('decided_on', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_by', sa.String(length=80), nullable=False),
    sa.Column('created_at', services.db.UTCDateTime(), nullable=False),
    sa.Column('is_sample', sa.Boolean(), nullable=False),
    sa.CheckConstraint("penalty_type <> '罚款' OR amount_yuan > 0", name='fine_has_amount'),
    sa.CheckConstraint("penalty_type IN ('警告', '通报批评', '罚款', '没收违法所得', '暂扣许可证件', '降低资质等级', '吊销许可证件', '限制开展生产经营活动', '责令停产停业', '责令关闭', '限制从业')", name='penalty_type_allowed'),
    sa.CheckConstraint('amount_yuan IS NULL OR amount_yuan >= 0', name='amount_non_negative'),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['inspection_id'], ['inspection.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('decision_no')
    )
    with op.batch_alter_table('penalty', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_penalty_decided_on'), ['decided_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_penalty_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_penalty_inspection_id'), ['inspection_id'], unique=False)

    op.create_table('public_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=20), nullable=False),
    sa.Column('submitted_at', services.db.UTCDateTime(), nullable=False),
    sa.Column('source_key', sa.String(length=64), nullable=False),
    sa.Column('township_code', sa.String(length=9), nullable=True),
    sa.Column('enterprise_name', sa.String(length=200), nullable=True),
    sa.Column('enterprise_id', sa.Integer(), nullable=True),
    sa.Column('place', sa.String(length=200), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('contact', sa.String(length=60), nullable=True),
    sa.Column('photo_name', sa.String(length=120), nullable=True),
    sa.Column('status', sa.String(length=4), nullable=False),
    sa.Column('verified_by', sa.String(length=80), nullable=True),
    sa.Column('verified_at', services.db.UTCDateTime(), nullable=True),
    sa.Column('outcome', sa.Text(), nullable=True),
    sa.Column('danger_id', sa.Integer(), nullable=True),
    sa.Column('reward_status', sa.String(length=4), nullable=False),
    sa.Column('reward_yuan', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.CheckConstraint("reward_status IN ('不适用', '待发放', '已发放')", name='reward_status_allowed'),
    sa.CheckConstraint("status IN ('待核实', '属实', '不属实')", name='status_allowed'),
    sa.CheckConstraint('reward_yuan IS NULL OR reward_yuan >= 0', name='reward_non_negative'),
    sa.ForeignKeyConstraint(['danger_id'], ['hidden_danger.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['township_code'], ['township.code'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('reference')
    )
    with op.batch_alter_table('public_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_public_report_source_key'), ['source_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_public_report_submitted_at'), ['submitted_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_public_report_township_code'), ['township_code'], unique=False)

    op.create_table('recheck',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('danger_id', sa.Integer(), nullable=False),
    sa.Column('checked_on', sa.Date(), nullable=False),
    sa.Column('checked_by', sa.String(length=100), nullable=False),
    sa.Column('passed', sa.Boolean(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('actor', sa.String(length=80), nullable=False),
    sa.Column('created_at', services.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['danger_id'], ['hidden_danger.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('recheck', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recheck_danger_id'), ['danger_id'], unique=False)

    with op.batch_alter_table('enterprise', schema=None) as batch_op:
        batch_op.add_column(sa.Column('risk_level_by_department', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
        batch_op.add_column(sa.Column('duty_pilot', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.drop_constraint('scale_allowed', type_='check')
        batch_op.create_check_constraint('scale_allowed', _scales(SCALES))
    # Enterprises that exist keep their level as the department set it (they have no risk points yet).
    op.execute("UPDATE enterprise SET risk_level_by_department = true")
    for summary, status in CARD_FROM_SUMMARY.items():
        for card in CARDS:
            op.execute(sa.text("INSERT INTO duty_card (enterprise_id, card, status) SELECT id, :card, :status "
                               "FROM enterprise WHERE duty_card_status = :summary")
                       .bindparams(card=card, status=status, summary=summary))


def downgrade() -> None:
    op.execute("UPDATE enterprise SET scale = '其他' WHERE scale = '资质以上'")
    with op.batch_alter_table('enterprise', schema=None) as batch_op:
        batch_op.drop_constraint('scale_allowed', type_='check')
        batch_op.create_check_constraint('scale_allowed', _scales(SCALES_BEFORE))
        batch_op.drop_column('duty_pilot')
        batch_op.drop_column('risk_level_by_department')
    for table in ('recheck', 'public_report', 'penalty', 'hidden_danger', 'risk_point', 'inspection',
                  'duty_card', 'campaign_target', 'campaign'):
        op.drop_table(table)

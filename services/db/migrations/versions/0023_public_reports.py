"""有奖举报 (issue 14, point 6): a report may be a duplicate (重复); its photo's decoded type; a reward only for a
true report and always with its amount; verified exactly when no longer 待核实; an index on the status.

Revision ID: 0023_public_reports
Revises: 0022_enterprise_accounts
Create Date: 2026-12-06 10:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0023_public_reports'
down_revision = '0022_enterprise_accounts'
branch_labels = None
depends_on = None

STATUSES_BEFORE = ('待核实', '属实', '不属实')
STATUSES = ('待核实', '属实', '不属实', '重复')
CHECKS = {
    'photo_type_allowed': "photo_type IS NULL OR photo_type IN ('image/jpeg', 'image/png', 'image/webp')",
    'photo_complete': '(photo_name IS NULL) = (photo_type IS NULL)',
    'reward_for_true_reports': "reward_status = '不适用' OR status = '属实'",
    'reward_has_amount': "(reward_status = '不适用') = (reward_yuan IS NULL)",
    'verified_when_verified': "(status = '待核实') = (verified_at IS NULL)",
}


def _statuses(values) -> str:
    return "status IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def upgrade() -> None:
    with op.batch_alter_table('public_report', schema=None) as batch_op:
        batch_op.add_column(sa.Column('photo_type', sa.String(length=20), nullable=True))
        batch_op.drop_constraint('status_allowed', type_='check')
        batch_op.create_check_constraint('status_allowed', _statuses(STATUSES))
        for name, condition in CHECKS.items():
            batch_op.create_check_constraint(name, condition)
        batch_op.create_index(batch_op.f('ix_public_report_status'), ['status'], unique=False)


def downgrade() -> None:
    op.execute("UPDATE public_report SET status = '不属实' WHERE status = '重复'")
    with op.batch_alter_table('public_report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_public_report_status'))
        for name in CHECKS:
            batch_op.drop_constraint(name, type_='check')
        batch_op.drop_constraint('status_allowed', type_='check')
        batch_op.create_check_constraint('status_allowed', _statuses(STATUSES_BEFORE))
        batch_op.drop_column('photo_type')

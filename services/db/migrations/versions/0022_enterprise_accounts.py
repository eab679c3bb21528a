"""Enterprise accounts (issue 14 point 10): an enterprise reports its own hidden dangers (企业自查) and their
rectification through the API; its account carries the enterprise it speaks for.

Revision ID: 0022_enterprise_accounts
Revises: 0021_supervision
Create Date: 2026-12-06 22:30:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0022_enterprise_accounts'
down_revision = '0021_supervision'
branch_labels = None
depends_on = None

ROLES_BEFORE = ('admin', 'commander', 'duty', 'planner', 'township', 'viewer')
ROLES = ROLES_BEFORE + ('enterprise',)


def _allowed(roles) -> str:
    return "role IN (" + ", ".join(f"'{r}'" for r in roles) + ")"


def upgrade() -> None:
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('enterprise_id', sa.Integer(), nullable=True))
        batch_op.create_index('ix_user_account_enterprise_id', ['enterprise_id'])
        batch_op.create_foreign_key('fk_user_account_enterprise_id_enterprise', 'enterprise', ['enterprise_id'],
                                    ['id'])
        batch_op.drop_constraint('role_allowed', type_='check')
        batch_op.create_check_constraint('role_allowed', _allowed(ROLES))
        batch_op.create_check_constraint('enterprise_role_has_enterprise',
                                         "(role = 'enterprise') = (enterprise_id IS NOT NULL)")


def downgrade() -> None:
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_constraint('enterprise_role_has_enterprise', type_='check')
        batch_op.drop_constraint('role_allowed', type_='check')
        batch_op.create_check_constraint('role_allowed', _allowed(ROLES_BEFORE))
        batch_op.drop_constraint('fk_user_account_enterprise_id_enterprise', type_='foreignkey')
        batch_op.drop_index('ix_user_account_enterprise_id')
        batch_op.drop_column('enterprise_id')

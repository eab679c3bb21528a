"""Any county by one setting (issue 13, point 4): every township kind of the national gazetteer.

Revision ID: 0020_township_kinds
Revises: 0019_location_quality
Create Date: 2026-12-05 10:00:00
"""
from __future__ import annotations

from alembic import op

revision = '0020_township_kinds'
down_revision = '0019_location_quality'
branch_labels = None
depends_on = None

KINDS = ('街道', '镇', '乡', '民族乡', '苏木', '民族苏木', '乡级单位')


def _allowed(kinds) -> str:
    return "kind IN (" + ", ".join(f"'{k}'" for k in kinds) + ")"


def upgrade() -> None:
    with op.batch_alter_table('township', schema=None) as batch_op:
        batch_op.drop_constraint('kind_allowed', type_='check')
        batch_op.create_check_constraint('kind_allowed', _allowed(KINDS))


def downgrade() -> None:
    with op.batch_alter_table('township', schema=None) as batch_op:
        batch_op.drop_constraint('kind_allowed', type_='check')
        batch_op.create_check_constraint('kind_allowed', _allowed(KINDS[:3]))

"""Stock quantities as exact decimals: NUMERIC(15, 3) instead of double precision.

A stock-taking of 0.1 and 0.2 of one item is 0.3, not 0.30000000000000004. On PostgreSQL existing values are
cast (and so rounded to the thousandth); SQLite has no decimal storage, and the table is rebuilt with the new
declared type (its values are handed back rounded to the scale by SQLAlchemy).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 10:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

COLUMNS = ("quantity", "minimum_quantity")


def upgrade() -> None:
    with op.batch_alter_table('stock_line', schema=None) as batch_op:
        for column in COLUMNS:
            batch_op.alter_column(column, existing_type=sa.Float(), type_=sa.Numeric(15, 3), existing_nullable=False)


def downgrade() -> None:
    with op.batch_alter_table('stock_line', schema=None) as batch_op:
        for column in COLUMNS:
            batch_op.alter_column(column, existing_type=sa.Numeric(15, 3), type_=sa.Float(), existing_nullable=False)

"""Indexes on the sample flag of enterprises, inspections, hidden dangers and penalties: the rankings' and
bulletins' "are sample records (示例数据) counted" is an EXISTS that scanned each table (about 55 ms on a year of
20,000 enterprises and 100,000 dangers, bench/supervision_rankings.py) and now reads one index entry.

Revision ID: 0025_supervision_indexes
Revises: 0024_danger_photos
Create Date: 2026-12-06 22:40:00
"""
from __future__ import annotations

from alembic import op

revision = '0025_supervision_indexes'
down_revision = '0024_danger_photos'
branch_labels = None
depends_on = None

TABLES = ('enterprise', 'inspection', 'hidden_danger', 'penalty')


def upgrade() -> None:
    for table in TABLES:  # plain CREATE INDEX on SQLite too (no batch: the tables are not rebuilt)
        op.create_index(f'ix_{table}_is_sample', table, ['is_sample'], unique=False)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_index(f'ix_{table}_is_sample', table_name=table)

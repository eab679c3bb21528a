"""One threshold per owner and metric, really: the unique constraint (hazard_point_id, station_id, metric) of
0026 never fires because one owner column is always NULL (NULLs are distinct in a unique index on SQLite and on
PostgreSQL 15 by default). Two partial unique indexes hold it, one per owner kind; the upsert names them.

Revision ID: 0029_threshold_owner_unique
Revises: 0028_controls
Create Date: 2026-12-07 23:40:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0029_threshold_owner_unique'
down_revision = '0028_controls'
branch_labels = None
depends_on = None


def upgrade() -> None:
    for owner in ('hazard_point', 'station'):
        where = sa.text(f'{owner}_id IS NOT NULL')
        op.create_index(f'uq_threshold_{owner.split("_")[0]}_metric', 'threshold', [f'{owner}_id', 'metric'],
                        unique=True, sqlite_where=where, postgresql_where=where)


def downgrade() -> None:
    for name in ('uq_threshold_station_metric', 'uq_threshold_hazard_metric'):
        op.drop_index(name, table_name='threshold')

"""Change counter committed in order, change numbers on audit rows and timeline events, profile versions from a
sequence.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 09:30:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('change_counter',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('value', sa.BigInteger(), nullable=False),
    sa.CheckConstraint('id = 1', name='single_row'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('change_seq', sa.BigInteger(), nullable=True))
        batch_op.create_index(batch_op.f('ix_audit_log_change_seq'), ['change_seq'], unique=False)
    with op.batch_alter_table('incident_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('change_seq', sa.BigInteger(), nullable=True))
        batch_op.create_index(batch_op.f('ix_incident_event_change_seq'), ['change_seq'], unique=False)
    # Rows written before this revision: their audit id is their number; timeline events join the last one.
    op.execute("UPDATE audit_log SET change_seq = id")
    op.execute("INSERT INTO change_counter (id, value) SELECT 1, COALESCE(MAX(id), 0) FROM audit_log")
    op.execute("UPDATE incident_event SET change_seq = (SELECT value FROM change_counter WHERE id = 1)")
    if op.get_bind().dialect.name == "postgresql":  # SQLite's INTEGER PRIMARY KEY numbers rows already
        op.execute("CREATE SEQUENCE needs_profile_version_seq OWNED BY needs_profile.version")
        op.execute("SELECT setval('needs_profile_version_seq', COALESCE((SELECT MAX(version) FROM needs_profile), 0) + 1,"
                   " false)")
        op.execute("ALTER TABLE needs_profile ALTER COLUMN version SET DEFAULT nextval('needs_profile_version_seq')")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE needs_profile ALTER COLUMN version DROP DEFAULT")
        op.execute("DROP SEQUENCE needs_profile_version_seq")
    with op.batch_alter_table('incident_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_incident_event_change_seq'))
        batch_op.drop_column('change_seq')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_change_seq'))
        batch_op.drop_column('change_seq')
    op.drop_table('change_counter')

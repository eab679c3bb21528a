"""Personal 叫应 links: a random token per warning recipient.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 12:00:00
"""
from __future__ import annotations

import secrets

import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('warning_recipient', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ack_token', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_warning_recipient_ack_token'), ['ack_token'])
    # Recipients of warnings issued before this revision get their link too.
    bind = op.get_bind()
    ids = [row[0] for row in bind.execute(sa.text("SELECT id FROM warning_recipient WHERE ack_token IS NULL"))]
    for recipient_id in ids:
        bind.execute(sa.text("UPDATE warning_recipient SET ack_token = :t WHERE id = :i"),
                     {"t": secrets.token_urlsafe(24), "i": recipient_id})


def downgrade() -> None:
    with op.batch_alter_table('warning_recipient', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_warning_recipient_ack_token'), type_='unique')
        batch_op.drop_column('ack_token')

"""Timeline events as catalogue codes with parameters instead of Chinese text.

Existing rows whose text matches one of the templates the services wrote are turned back into code + params
(a note typed after a status change becomes the ``note`` param); any other text is kept as it was, as the
``text`` param of the code ``event.text``. The downgrade writes the Chinese text back from the same templates.
The templates and status lists are copied here as they were: a migration must not change with the code.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 12:00:00
"""
from __future__ import annotations

import re

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

INCIDENT_STATUSES = ("接报", "核实", "处置中", "已结束")
ORDER_STATUSES = ("已派", "出发", "到达", "完成", "取消")
LEVELS = ("Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ")
TEMPLATES = {  # code → the Chinese text the services wrote (and the downgrade writes again)
    "event.report": "接报：{title}（{kind}，{level}级）",
    "event.status": "{before} → {status}",
    "event.status_note": "{before} → {status}：{note}",
    "event.dispatch": "派遣 {team}",
    "event.order": "{team}：{before} → {status}",
    "event.text": "{text}",
}
_INCIDENT = "|".join(INCIDENT_STATUSES)
_ORDER = "|".join(ORDER_STATUSES)
PATTERNS = (  # (event kind, code, pattern); the first that matches the whole text wins
    ("report", "event.report", re.compile(rf"接报：(?P<title>.*)（(?P<kind>[^（），]+)，(?P<level>{'|'.join(LEVELS)})级）",
                                          re.S)),
    ("status", "event.status_note", re.compile(rf"(?P<before>{_INCIDENT}) → (?P<status>{_INCIDENT})：(?P<note>.*)", re.S)),
    ("status", "event.status", re.compile(rf"(?P<before>{_INCIDENT}) → (?P<status>{_INCIDENT})")),
    ("order", "event.order", re.compile(rf"(?P<team>.+)：(?P<before>{_ORDER}) → (?P<status>{_ORDER})", re.S)),
    ("order", "event.dispatch", re.compile(r"派遣 (?P<team>.+)", re.S)),
)

event = sa.table("incident_event", sa.column("id", sa.Integer), sa.column("kind", sa.String),
                 sa.column("text", sa.Text), sa.column("code", sa.String), sa.column("params", sa.JSON))


def code_and_params(kind: str, text: str) -> tuple[str, dict]:
    """The code and params a legacy text was written from; ``event.text`` with the text when none fits."""
    for pattern_kind, code, pattern in PATTERNS:
        match = pattern.fullmatch(text) if pattern_kind == kind else None
        if match:
            return code, match.groupdict()
    return "event.text", {"text": text}


def upgrade() -> None:
    with op.batch_alter_table('incident_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('code', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('params', sa.JSON(), nullable=True))
    bind = op.get_bind()
    for row in bind.execute(sa.select(event.c.id, event.c.kind, event.c.text)).all():
        code, params = code_and_params(row.kind, row.text or "")
        bind.execute(event.update().where(event.c.id == row.id).values(code=code, params=params))
    with op.batch_alter_table('incident_event', schema=None) as batch_op:
        batch_op.alter_column('code', existing_type=sa.String(length=40), nullable=False)
        batch_op.alter_column('params', existing_type=sa.JSON(), nullable=False)
        batch_op.drop_column('text')


def downgrade() -> None:
    with op.batch_alter_table('incident_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('text', sa.Text(), nullable=True))
    bind = op.get_bind()
    for row in bind.execute(sa.select(event.c.id, event.c.code, event.c.params)).all():
        template = TEMPLATES.get(row.code, "{text}")
        try:
            text = template.format(**(row.params or {}))
        except (KeyError, IndexError):
            text = str(row.params or "")
        bind.execute(event.update().where(event.c.id == row.id).values(text=text))
    with op.batch_alter_table('incident_event', schema=None) as batch_op:
        batch_op.alter_column('text', existing_type=sa.Text(), nullable=False)
        batch_op.drop_column('params')
        batch_op.drop_column('code')

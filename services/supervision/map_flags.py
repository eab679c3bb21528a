"""What 一张图 marks on an enterprise from its hidden dangers: a ring for an overdue or a major (重大) open one.

``overdue`` outranks ``major`` (an overdue danger is the more urgent call); both are computed in SQL, for the
layer's points at once, against today's date in the deployment's zone.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import case, func, or_, select

from services import vocabulary
from services.models import Enterprise, HiddenDanger

FLAGS = ("overdue", "major")
OVERDUE, MAJOR = FLAGS


def _open():
    return HiddenDanger.status.in_(vocabulary.DANGER_OPEN_STATUSES)


def danger_flags(session, today: dt.date) -> dict[int, str]:
    """Enterprise id → ``overdue`` or ``major``, for enterprises with such an open danger (others are absent)."""
    late = func.sum(case((HiddenDanger.deadline < today, 1), else_=0))
    major = func.sum(case((HiddenDanger.level == vocabulary.DANGER_MAJOR, 1), else_=0))
    rows = session.execute(select(HiddenDanger.enterprise_id, late, major).where(_open())
                           .group_by(HiddenDanger.enterprise_id)).all()
    return {firm: OVERDUE if (n_late or 0) > 0 else MAJOR for firm, n_late, n_major in rows
            if (n_late or 0) > 0 or (n_major or 0) > 0}


def danger_condition(values: tuple[str, ...], today: dt.date):
    """The layer filter ``danger=overdue,major``: enterprises with an open danger that is late, or major."""
    which = []
    if OVERDUE in values:
        which.append(HiddenDanger.deadline < today)
    if MAJOR in values:
        which.append(HiddenDanger.level == vocabulary.DANGER_MAJOR)
    return (select(HiddenDanger.id).where(HiddenDanger.enterprise_id == Enterprise.id, _open(), or_(*which))
            .exists())

"""Analyses remembered per database state: the same question asked again before anything changed (the change
counter every write transaction bumps, services/db/audit.py) is answered from memory.

A planner's page asks the same district-wide questions on every visit; the answers only change when a record
does. The key holds the database, its change number and the arguments; a few recent answers are kept.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from services.db import audit
from services.db.uow import UnitOfWork

T = TypeVar("T")
_KEPT = 24
_answers: OrderedDict[tuple, object] = OrderedDict()
_lock = threading.Lock()


def remembered(uow: UnitOfWork, name: str, compute: Callable[[], T], *args: Hashable) -> T:
    """``compute()``'s answer for ``name`` and ``args`` at the database's current change number.

    The caller checks permissions before asking (an answer is shared by everyone who may read it).
    """
    key = (uow.settings.database_url, audit.change_counter(uow.session), name, args)
    with _lock:
        if key in _answers:
            _answers.move_to_end(key)
            return _answers[key]  # type: ignore[return-value]
    answer = compute()
    with _lock:
        _answers[key] = answer
        while len(_answers) > _KEPT:
            _answers.popitem(last=False)
    return answer


def forget() -> None:
    """Drop every remembered answer (tests that change records behind the services' back)."""
    with _lock:
        _answers.clear()

"""Bounded route solving: at most N PyVRP solves at once per process, a few more wait briefly, the rest get 503.

Solves run inside request threads (up to 60 s each) until the background-jobs issue moves them to workers;
this keeps them from taking every server thread. A solve holds no database transaction: its inputs are read in a
unit of work that is closed before the slot is taken (services/supply/routes.py). Limits come from ``Settings.route_solver``.
"""
from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from config import RouteSolverLimits, Settings
from services.text import both


class PlannerBusy(Exception):
    """Every solver slot is taken and the wait ran out; the caller should try again shortly (HTTP 503)."""

    code = "planner.busy"

    def __init__(self, retry_after_s: float):
        self.reason, self.reason_en = both(self.code)
        super().__init__(self.reason_en)
        self.retry_after_s = retry_after_s


class _Gate:
    def __init__(self, limits: RouteSolverLimits):
        self.running = threading.BoundedSemaphore(limits.slots)                   # solving now
        self.admitted = threading.BoundedSemaphore(limits.slots + limits.queue)   # solving or waiting
        self.holders = 0                                                          # solving or waiting
        self.lock = threading.Lock()

    def count(self, change: int) -> None:
        with self.lock:
            self.holders += change


_GATES: dict[RouteSolverLimits, _Gate] = {}
_GATES_LOCK = threading.Lock()


def _gate(limits: RouteSolverLimits) -> _Gate:
    with _GATES_LOCK:
        if limits not in _GATES:
            _GATES[limits] = _Gate(limits)
        return _GATES[limits]


@contextmanager
def solver_slot(settings: Settings) -> Iterator[None]:
    """Hold one solver slot for the ``with`` block; raise PlannerBusy if none frees up in time.

    A request beyond ``slots + queue`` is refused at once; one within waits up to ``wait_s`` for a slot.
    """
    limits = settings.route_solver
    gate = _gate(limits)
    if not gate.admitted.acquire(blocking=False):
        raise PlannerBusy(limits.wait_s)
    gate.count(+1)
    try:
        if not gate.running.acquire(timeout=limits.wait_s):
            raise PlannerBusy(limits.wait_s)
        try:
            yield
        finally:
            gate.running.release()
    finally:
        gate.count(-1)
        gate.admitted.release()


def solves_in_progress(settings: Settings) -> int:
    """How many route plans of this process are solving or waiting for a slot now."""
    return _gate(settings.route_solver).holders

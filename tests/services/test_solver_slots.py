"""Route solves are bounded: N at once, a few waiting a bounded time, the rest refused (two threads, tiny limits)."""
from __future__ import annotations

import dataclasses
import threading
import time

import pytest

from config import RouteSolverLimits, load_settings
from services.supply.solver_slots import PlannerBusy, solver_slot, solves_in_progress


def _settings(**limits):
    return dataclasses.replace(load_settings(), route_solver=RouteSolverLimits(**limits))


def _hold(settings, started: threading.Event, release: threading.Event, outcome: list) -> threading.Thread:
    def run():
        try:
            with solver_slot(settings):
                started.set()
                release.wait(10)
            outcome.append("solved")
        except PlannerBusy:
            outcome.append("busy")
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def _wait_for(condition, timeout_s: float = 5.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_a_second_solve_waits_its_bounded_time_then_is_refused():
    settings = _settings(slots=1, queue=1, wait_s=0.3)
    started, release, outcome = threading.Event(), threading.Event(), []
    holder = _hold(settings, started, release, outcome)
    assert started.wait(5)
    began = time.monotonic()
    with pytest.raises(PlannerBusy) as busy, solver_slot(settings):
        pytest.fail("got a slot that was taken")
    assert 0.25 <= time.monotonic() - began < 3
    assert busy.value.reason == "规划任务繁忙，请稍后重试" and "busy" in busy.value.reason_en
    release.set()
    holder.join(5)
    assert outcome == ["solved"]
    with solver_slot(settings):  # free again
        pass


def test_a_waiting_solve_gets_the_slot_and_one_beyond_the_queue_is_refused_at_once():
    settings = _settings(slots=1, queue=1, wait_s=10)
    started, release, first = threading.Event(), threading.Event(), []
    holder = _hold(settings, started, release, first)
    assert started.wait(5)
    waiter_started, waiter_release, second = threading.Event(), threading.Event(), []
    waiter = _hold(settings, waiter_started, waiter_release, second)
    _wait_for(lambda: solves_in_progress(settings) == 2)  # one solving, one waiting
    began = time.monotonic()
    with pytest.raises(PlannerBusy), solver_slot(settings):
        pass
    assert time.monotonic() - began < 1  # the queue was full: no wait
    release.set()
    assert waiter_started.wait(5)  # the waiting one got the slot as soon as it freed
    waiter_release.set()
    holder.join(5)
    waiter.join(5)
    assert first == ["solved"] and second == ["solved"] and solves_in_progress(settings) == 0


def test_two_slots_let_two_solves_run_together():
    settings = _settings(slots=2, queue=0, wait_s=0.1)
    events = [(threading.Event(), threading.Event(), []) for _ in range(2)]
    threads = [_hold(settings, started, release, out) for started, release, out in events]
    assert all(started.wait(5) for started, _, _ in events)
    with pytest.raises(PlannerBusy), solver_slot(settings):
        pass
    for _, release, _ in events:
        release.set()
    for thread in threads:
        thread.join(5)
    assert [out for _, _, out in events] == [["solved"], ["solved"]]

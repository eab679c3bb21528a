"""The replay's schedule (services/monitoring/replay.py): times moved by whole hours to the start, batches of one
time each due at (at − first) / speed, delivered in order on a simulated clock, late ones at once, stoppable."""
from __future__ import annotations

import datetime as dt
import threading

import pytest

from services.monitoring.replay import ReplayReading, run, schedule

CST = dt.timezone(dt.timedelta(hours=8))


def _r(code, minute, value=1.0):
    return ReplayReading(code, "rainfall", dt.datetime(2026, 7, 1, 20, 0, tzinfo=CST) + dt.timedelta(minutes=minute),
                         value)


def test_times_move_by_whole_hours_and_batches_are_due_at_speed():
    readings = [_r("B", 10), _r("A", 5), _r("A", 10), _r("A", 65)]
    start = dt.datetime(2026, 12, 7, 23, 41, 12, tzinfo=dt.timezone.utc)
    batches = schedule(readings, start, speed=60)
    # 20:05 +08:00 is 12:05 UTC; moved to the start's hour (23:00 UTC) it is 23:05 — 11 hours later, minutes kept
    assert [b.at for b in batches] == [dt.datetime(2026, 12, 7, 23, m, tzinfo=dt.timezone.utc) for m in (5, 10)] \
        + [dt.datetime(2026, 12, 8, 0, 5, tzinfo=dt.timezone.utc)]
    assert [b.due_s for b in batches] == [0.0, 5.0, 60.0]  # 5 and 60 minutes of storm at 60 × real time
    assert [[(r.station, r.at.minute) for r in b.readings] for b in batches] == [[("A", 5)], [("A", 10), ("B", 10)],
                                                                                [("A", 5)]]


def test_run_delivers_on_time_in_order_and_can_stop():
    now = [0.0]
    delivered = []
    batches = schedule([_r("A", m) for m in (5, 10, 15, 20)], dt.datetime(2026, 7, 1, 12, tzinfo=dt.timezone.utc),
                       speed=30)

    def sleep(seconds):
        now[0] += seconds

    def deliver(batch):
        delivered.append((round(now[0], 3), batch.at.minute))
        if batch.at.minute == 10:
            raise ValueError("station QJ-X unknown")

    state = run(batches, deliver, clock=lambda: now[0], sleep=sleep)
    assert delivered == [(0.0, 5), (10.0, 10), (20.0, 15), (30.0, 20)]  # 5 storm minutes = 10 s at 30 ×
    assert state.finished and state.delivered_batches == 4 and state.reached.minute == 20
    assert state.errors == ["2026-07-01T12:10:00+00:00: station QJ-X unknown"]
    stop = threading.Event()
    stop.set()
    assert run(batches, deliver, stop=stop, clock=lambda: now[0], sleep=sleep).delivered_batches == 0


def test_bad_schedules_are_refused():
    with pytest.raises(ValueError):
        schedule([_r("A", 5)], dt.datetime(2026, 7, 1), speed=60)
    with pytest.raises(ValueError):
        schedule([_r("A", 5)], dt.datetime(2026, 7, 1, tzinfo=dt.timezone.utc), speed=0)
    assert schedule([], dt.datetime(2026, 7, 1, tzinfo=dt.timezone.utc), speed=1) == []


def test_batches_of_a_window_are_due_at_their_newest_time():
    readings = [_r("A", m) for m in (5, 10, 15, 20, 35, 65)]
    batches = schedule(readings, dt.datetime(2026, 7, 1, 12, tzinfo=dt.timezone.utc), speed=60, every_min=30)
    # windows from the first reading (20:05): [20:05, 20:35) [20:35, 21:05) [21:05, …)
    assert [[r.at.minute for r in b.readings] for b in batches] == [[5, 10, 15, 20], [35], [5]]
    assert [b.due_s for b in batches] == [15.0, 30.0, 60.0] and [b.at.minute for b in batches] == [20, 35, 5]

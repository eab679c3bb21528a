"""Replaying a file of readings at a chosen speed (演练, issue 15 point 6): a past storm, or the sample's synthetic one.

The readings are moved in time as one block, so the file's first reading falls in the hour the replay starts
(whole hours keep every station's readings on its interval's minutes), and delivered in batches of one time each:
a batch is due ``(at − first) / speed`` seconds after the start. At speed 60 an hour of the storm passes in a
minute. ``deliver`` (ingest, evaluate, raise proposals: services/monitoring/drills.py) receives each batch; the
clock and the sleep are parameters, so the schedule is tested without waiting.
"""
from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass, field, replace
from itertools import groupby
from typing import Callable


@dataclass(frozen=True)
class ReplayReading:
    station: str
    kind: str
    at: dt.datetime  # aware
    value: float
    unit: str | None = None


@dataclass(frozen=True)
class Batch:
    due_s: float                      # seconds after the replay's start
    at: dt.datetime                   # the (moved) time of every reading in it
    readings: tuple[ReplayReading, ...]


@dataclass
class ReplayState:
    """Where a replay is: batches delivered, readings delivered, the storm time reached, and whether it stopped."""

    total_batches: int
    delivered_batches: int = 0
    delivered_readings: int = 0
    reached: dt.datetime | None = None
    finished: bool = False
    errors: list[str] = field(default_factory=list)


def schedule(readings: list[ReplayReading], start: dt.datetime, speed: float, every_min: int = 0) -> list[Batch]:
    """The batches of a replay starting at ``start`` (aware) at ``speed`` (0.1–3600 × real time): one per time, or
    with ``every_min`` one per that many minutes of storm (a gateway forwarding every half hour), due and stamped
    at its newest reading's time."""
    if not 0.1 <= speed <= 3600:
        raise ValueError(f"replay speed {speed}: 0.1–3600")
    if start.tzinfo is None or any(r.at.tzinfo is None for r in readings):
        raise ValueError("replay times must be aware")
    if not readings:
        return []
    ordered = sorted(readings, key=lambda r: (r.at, r.station, r.kind))
    first = ordered[0].at
    hour = start.astimezone(dt.timezone.utc).replace(minute=0, second=0, microsecond=0)
    shift = hour - first.astimezone(dt.timezone.utc).replace(minute=0, second=0, microsecond=0)
    def window(r: ReplayReading):
        return r.at if every_min <= 0 else (r.at - first) // dt.timedelta(minutes=every_min)

    batches = []
    for _, group in groupby(ordered, key=window):
        group = list(group)
        newest = group[-1].at
        batches.append(Batch((newest - first).total_seconds() / speed, (newest + shift).astimezone(dt.timezone.utc),
                             tuple(replace(r, at=(r.at + shift).astimezone(dt.timezone.utc)) for r in group)))
    return batches


def run(batches: list[Batch], deliver: Callable[[Batch], None], *, stop: threading.Event | None = None,
        clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep,
        state: ReplayState | None = None) -> ReplayState:
    """Deliver each batch when it is due (late ones at once, in order); ``stop`` ends the replay between batches.

    A batch that ``deliver`` refuses is recorded in ``state.errors`` and the replay goes on: a drill is not stopped
    by one bad line of a storm file (the refusal says which)."""
    state = state or ReplayState(len(batches))
    stop = stop or threading.Event()
    began = clock()
    for batch in batches:
        while not stop.is_set():
            wait = batch.due_s - (clock() - began)
            if wait <= 0:
                break
            sleep(min(wait, 0.5))
        if stop.is_set():
            break
        try:
            deliver(batch)
        except Exception as exc:  # noqa: BLE001 — the drill goes on; the refusal is kept to be shown
            state.errors.append(f"{batch.at.isoformat()}: {exc}")
        state.delivered_batches += 1
        state.delivered_readings += len(batch.readings)
        state.reached = batch.at
    state.finished = True
    return state

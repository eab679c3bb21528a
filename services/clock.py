"""Time in one place: instants are aware UTC; the deployment's zone (default Asia/Shanghai) is used to show them.

Naive input from a user (a form, a spreadsheet) is local time in that zone, as written.
"""
from __future__ import annotations

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo

DEFAULT_ZONE = "Asia/Shanghai"
SHOWN = "%Y-%m-%d %H:%M"


_SHIFT = [dt.timedelta(0)]  # the test clock: how far "now" is moved (services/clock.py shift_for_tests)


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc) + _SHIFT[0]


def real_now_utc() -> dt.datetime:
    """The machine's time, whatever the test clock says."""
    return dt.datetime.now(dt.timezone.utc)


def shift_for_tests(delta: dt.timedelta) -> None:
    """Move this process's clock by ``delta`` from the real time (a test's "three days later"); ``timedelta(0)``
    puts it back. Only tests call this: deadlines and overdue are then judged at the moved time."""
    _SHIFT[0] = delta


def follow_replay(at: dt.datetime) -> None:
    """A drill's process (services/monitoring/drills.py) lives in its storm's time: "now" becomes ``at`` (a replayed
    batch's time) and runs on from there until the next batch. Only a drill's process calls this."""
    _SHIFT[0] = as_utc(at) - dt.datetime.now(dt.timezone.utc)


@lru_cache(maxsize=8)
def zone(name: str = DEFAULT_ZONE) -> ZoneInfo:
    return ZoneInfo(name)


def local_zone(settings) -> ZoneInfo:
    """The deployment's zone (``QJ_TIMEZONE``)."""
    return zone(getattr(settings, "timezone", DEFAULT_ZONE))


def to_local(at: dt.datetime, settings) -> dt.datetime:
    return as_utc(at).astimezone(local_zone(settings))


def format_local(at: dt.datetime | str | None, settings, fmt: str = SHOWN) -> str:
    """An instant (or its ISO text) as the users read it: ``2026-11-24 14:05`` in the deployment's zone."""
    if at is None:
        return ""
    if isinstance(at, str):
        at = dt.datetime.fromisoformat(at)
    return to_local(at, settings).strftime(fmt)


def local_today(settings, now: dt.datetime | None = None) -> dt.date:
    """Today's date in the deployment's zone (stock expiry, the day of an export)."""
    return to_local(now or now_utc(), settings).date()


def as_utc(at: dt.datetime) -> dt.datetime:
    """An aware instant in UTC; a naive one is taken as UTC (how it was stored)."""
    return at.replace(tzinfo=dt.timezone.utc) if at.tzinfo is None else at.astimezone(dt.timezone.utc)


def from_user(at: dt.datetime, settings) -> dt.datetime:
    """A time a user wrote: naive means the deployment's local time; returned in UTC."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=local_zone(settings))
    return at.astimezone(dt.timezone.utc)

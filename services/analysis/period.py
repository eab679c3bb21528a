"""The period an analysis covers: the last 24 h, 7 d or 30 d, a calendar quarter, or a custom range.

Calendar things (a quarter, a day, a month, a date typed without a time) are read in the deployment's zone
(``QJ_TIMEZONE``, services/clock.py); the period itself is two aware UTC instants, ``since`` included and
``until`` excluded.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from services.clock import as_utc, from_user, local_zone, now_utc, to_local, zone
from services.errors import FieldError

PERIOD_KINDS = ("24h", "7d", "30d", "quarter", "custom")
ROLLING = {"24h": dt.timedelta(hours=24), "7d": dt.timedelta(days=7), "30d": dt.timedelta(days=30)}
DEFAULT_KIND = "30d"
QUARTER = re.compile(r"^(\d{4})Q([1-4])$")


class PeriodError(FieldError):
    """A period that cannot be analysed (since after until, an unknown quarter, too long)."""


@dataclass(frozen=True)
class Period:
    """``[since, until)`` in UTC; ``quarter`` ("2026Q4") when the period is one calendar quarter."""

    kind: str
    since: dt.datetime
    until: dt.datetime
    timezone: str
    quarter: str | None = None

    def to_json(self) -> dict:
        return {"kind": self.kind, "since": self.since.isoformat(), "until": self.until.isoformat(),
                "timezone": self.timezone, "quarter": self.quarter}

    def contains(self, at: dt.datetime) -> bool:
        return self.since <= as_utc(at) < self.until

    def local(self, at: dt.datetime) -> dt.datetime:
        return as_utc(at).astimezone(zone(self.timezone))

    def months(self) -> list[str]:
        """Every calendar month (local) the period touches, as ``2026-10``, in order."""
        first, last = self.local(self.since), self.local(self.until - dt.timedelta(microseconds=1))
        months, year, month = [], first.year, first.month
        while (year, month) <= (last.year, last.month):
            months.append(f"{year:04d}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return months

    def days(self) -> list[str]:
        """Every calendar day (local) the period touches, as ``2026-10-03``, in order."""
        first = self.local(self.since).date()
        last = self.local(self.until - dt.timedelta(microseconds=1)).date()
        return [(first + dt.timedelta(days=n)).isoformat() for n in range((last - first).days + 1)]

    def month_of(self, at: dt.datetime) -> str:
        return self.local(at).strftime("%Y-%m")

    def day_of(self, at: dt.datetime) -> str:
        return self.local(at).date().isoformat()


def _local_midnight(day: dt.date, settings) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=local_zone(settings)).astimezone(dt.UTC)


def _instant(value: dt.date | dt.datetime, settings, *, end: bool) -> dt.datetime:
    """A typed time in UTC: a date alone is the start of that local day (for ``until``: the end of it)."""
    if isinstance(value, dt.datetime):
        return from_user(value, settings)
    return _local_midnight(value + dt.timedelta(days=1) if end else value, settings)


def quarter_period(settings, quarter: str) -> Period:
    """The calendar quarter ``2026Q4`` (local): from 1 October 00:00 to 1 January 00:00."""
    match = QUARTER.match(quarter or "")
    if match is None or not 2000 <= int(match.group(1)) <= 2099:
        raise PeriodError.of("quarter", "period.quarter_invalid", value=quarter)
    year, number = int(match.group(1)), int(match.group(2))
    start = dt.date(year, 3 * number - 2, 1)
    end = dt.date(year + 1, 1, 1) if number == 4 else dt.date(year, 3 * number + 1, 1)
    return Period("quarter", _local_midnight(start, settings), _local_midnight(end, settings),
                  settings.timezone, f"{year}Q{number}")


def current_quarter(settings, now: dt.datetime | None = None) -> str:
    """The calendar quarter (local) that ``now`` falls in, as ``2026Q4``."""
    local = to_local(now or now_utc(), settings)
    return f"{local.year}Q{(local.month - 1) // 3 + 1}"


def resolve_period(settings, kind: str | None = None, *, since: dt.date | dt.datetime | None = None,
                   until: dt.date | dt.datetime | None = None, quarter: str | None = None,
                   now: dt.datetime | None = None) -> Period:
    """The period a request asks for; raises PeriodError naming the parameter at fault.

    ``kind`` None: ``custom`` when ``since`` or ``until`` is given, ``quarter`` when ``quarter`` is, else the
    last 30 days. ``quarter`` without a value is the current one. ``custom`` needs ``since``; ``until`` defaults
    to now.
    """
    now = as_utc(now or now_utc())
    kind = kind or ("custom" if since or until else "quarter" if quarter else DEFAULT_KIND)
    if kind not in PERIOD_KINDS:
        raise PeriodError.of("period", "period.kind_invalid", value=kind, allowed=", ".join(PERIOD_KINDS))
    if kind != "custom" and (since or until):
        raise PeriodError.of("since" if since else "until", "period.custom_only", kind=kind)
    if kind != "quarter" and quarter:
        raise PeriodError.of("quarter", "period.quarter_only", kind=kind)
    if kind in ROLLING:
        return Period(kind, now - ROLLING[kind], now, settings.timezone)
    if kind == "quarter":
        return quarter_period(settings, quarter or current_quarter(settings, now))
    if since is None:
        raise PeriodError.of("since", "period.since_required")
    start, end = _instant(since, settings, end=False), _instant(until, settings, end=True) if until else now
    if start >= end:
        raise PeriodError.of("since", "period.since_after_until")
    limit = settings.analysis.max_period_days
    if end - start > dt.timedelta(days=limit):
        raise PeriodError.of("until", "period.too_long", days=limit)
    return Period("custom", start, end, settings.timezone)

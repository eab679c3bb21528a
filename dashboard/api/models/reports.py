"""Request and response models of the analysis trends and reports (/api/v1/analysis/trends, report.docx/.xlsx)."""
from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field
from pydantic_core import PydanticCustomError

from dashboard.api.models import (
    EARLIEST,
    LATEST,
    Number,
    Reply,
    Request,
    Text,
    Timestamp,
)
from services.analysis.period import PERIOD_KINDS
from services.analysis.trends import VARIANTS

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MAX_TOWNSHIPS = 100
_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _date_or_time(value):
    """``2026-10-01`` is a calendar day (read as local midnight; as ``until``, the end of that day); anything
    else is an instant (ISO 8601; without an offset, local time). Between 2000 and 2100."""
    if isinstance(value, str) and _DATE_ONLY.match(value.strip()):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise PydanticCustomError("datetime_parsing", "not a valid date") from None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        if not EARLIEST.date() <= value < LATEST.date():
            raise PydanticCustomError("time_range", "the time must be between 2000 and 2100")
    elif isinstance(value, dt.datetime):
        probe = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
        if not EARLIEST <= probe <= LATEST:
            raise PydanticCustomError("time_range", "the time must be between 2000 and 2100")
    return value



Moment = Annotated[dt.datetime | dt.date, BeforeValidator(_date_or_time)]


class TrendsQuery(Request):
    period: Literal[PERIOD_KINDS] | None = Field(  # type: ignore[valid-type]
        default=None, description="24h, 7d, 30d (the default), quarter, or custom (with since and until)")
    since: Moment | None = Field(default=None, description="start of a custom period: a date or an ISO time")
    until: Moment | None = Field(default=None, description="end of a custom period (a date: to the end of it); "
                                                           "default now")
    quarter: Text(6) | None = Field(
        default=None, description="with period=quarter: which one, e.g. 2026Q4 (default: the current one)")
    townships: Text(10 * MAX_TOWNSHIPS) | None = Field(
        default=None, description="comma-separated 9-digit township codes (default: the whole district)")
    variant: Literal[VARIANTS] = Field(  # type: ignore[valid-type]
        default="general", description="general, or fire (the fire situation analysis: fire incidents and hazards)")

    def township_codes(self) -> list[str]:
        return [c.strip() for c in (self.townships or "").split(",") if c.strip()]


class ReportQuery(TrendsQuery):
    lang: Literal["zh", "en"] = "zh"


class TrendPeriod(Reply):
    kind: str
    since: Timestamp
    until: Timestamp
    timezone: str
    quarter: str | None


class TrendTally(Reply):
    key: str
    count: int


class TrendTownshipTally(Reply):
    township_code: str
    township_name: str
    count: int


class TrendIncidentCount(Reply):
    month: str
    category: str
    kind: str
    township_code: str
    count: int


class TrendIncidents(Reply):
    """Incidents by local month, category, kind and township (``by_month``: the cells that are not zero)."""

    total: int
    months: list[str]
    by_month: list[TrendIncidentCount]
    by_category: list[TrendTally]
    by_kind: list[TrendTally]
    by_township: list[TrendTownshipTally]


class TrendAcks(Reply):
    """Warnings of one level (``level`` null: all) and their recipients' 叫应; shares and medians are null
    when there is nothing to divide."""

    level: str | None
    warnings: int
    recipients: int
    acknowledged: int
    in_time: int
    pending: int
    in_time_share: Number | None
    median_ack_min: Number | None
    escalations: int


class TrendWarnings(Reply):
    overall: TrendAcks
    by_level: list[TrendAcks]
    patrol_raises: int
    limit_min_by_level: dict[str, Number]


class TrendArrivals(Reply):
    team_kind: str | None
    orders: int
    arrived: int
    median_arrival_min: Number | None
    mean_arrival_min: Number | None
    max_arrival_min: Number | None


class TrendDispatch(Reply):
    overall: TrendArrivals
    by_team_kind: list[TrendArrivals]


class TrendMoveDay(Reply):
    day: str
    moves: int
    people: int
    housed: int


class TrendMoves(Reply):
    moves: int
    people: int
    housed: int
    by_day: list[TrendMoveDay]


class Trends(Reply):
    """Incidents, warnings and 叫应, dispatch to arrival and evacuation moves over the period."""

    period: TrendPeriod
    townships: list[str]
    variant: str
    incidents: TrendIncidents
    warnings: TrendWarnings
    dispatch: TrendDispatch
    moves: TrendMoves

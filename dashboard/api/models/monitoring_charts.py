"""Request and response models of the station and hazard charts (风险感知, issue 15 point 5)."""
from __future__ import annotations

from typing import Literal

from pydantic import Field

from dashboard.api.models import Reply, Request, Text, Timestamp


class ChartQuery(Request):
    """One station (``station``, its code) or one hazard point (``hazard``, its code), not both."""

    station: Text(40, 1) | None = Field(default=None, description="a monitoring station's code")
    hazard: Text(40, 1) | None = Field(default=None, description="a hazard point's code: its watching stations' "
                                                                 "readings against its effective thresholds")
    hours: int = Field(default=24, description="the window before now, in hours: 24 or 72 (another is refused by "
                                               "the service, naming ``hours``)")


class ChartPoint(Reply):
    at: Timestamp
    value: float | None = Field(description="null where a rate has no baseline 24 h back")


class ChartLineOut(Reply):
    """A station's readings of a kind (``role`` reading), a rolling rain sum (sum_1h, sum_3h, sum_24h: over the
    readings with T − W < at ≤ T) or the displacement rate (rate_24h, mm/24h), oldest first."""

    station: str
    station_name: str
    kind: str
    role: Literal["reading", "sum_1h", "sum_3h", "sum_24h", "rate_24h"]
    unit: str
    points: list[ChartPoint]


class ChartThresholdOut(Reply):
    """A threshold that applies, drawn on the ``kind`` panel; ``station`` its station (null: the point's own)."""

    metric: str
    value: float
    unit: str
    kind: str
    station: str | None


class ChartOut(Reply):
    """The series of the chart over [from, to); ``kinds`` are those with readings in the window (none: empty)."""

    subject: Literal["station", "hazard"]
    code: str
    name: str
    hours: int
    start: Timestamp = Field(alias="from")
    end: Timestamp = Field(alias="to")
    kinds: list[str]
    lines: list[ChartLineOut]
    thresholds: list[ChartThresholdOut]

"""Request and response models of 风险感知's station readings: a batch in, the stations' status, one series."""
from __future__ import annotations

from typing import Literal

from pydantic import Field

from dashboard.api.models import Reply, Request, Text, Timestamp, When
from services import vocabulary

Kind = Literal[vocabulary.READING_KINDS]  # type: ignore[valid-type]


class ReadingIn(Request):
    """One reading. ``value`` is in the kind's unit (rainfall mm over the station's interval ending at ``at``, water
    level m, displacement and crack width mm, wind speed m/s, temperature °C) unless ``unit`` names another one
    convertible to it (cm, m, mm; km/h, kn; K)."""

    station: Text(40, 1) = Field(description="the station's code")
    at: Timestamp = Field(description="ISO 8601 with its zone (2026-07-02T08:00+08:00 or …Z); a naive time is "
                                      "refused, as is one more than 5 minutes ahead")
    kind: Kind
    value: float = Field(allow_inf_nan=False)
    unit: Text(20) | None = None


class ReadingsBatch(Request):
    """A batch, stored all or nothing (any refusal stores none of it); idempotent on station, kind and time."""

    readings: list[ReadingIn] = Field(min_length=1, description="at most QJ_MONITORING_MAX_BATCH (50,000) readings")
    drill_id: int = Field(default=0, ge=0, le=2**31 - 1, description="0: live data; a drill its own number")


class IngestAnswer(Reply):
    """What the batch did: readings stored, duplicates of stored ones (not stored again), the stations it named."""

    drill_id: int
    received: int
    stored: int
    duplicates: int
    stations: list[str]
    newest: Timestamp | None
    evaluated: int = Field(description="hazard points the batch's stations watch, evaluated by the rule after it")
    proposals: dict[str, int] = Field(description="warning proposals the rule made: created, raised, refreshed, "
                                                  "lapsed (only those that happened)")


class StationsQuery(Request):
    township: Text(9) | None = Field(default=None, description="one township's stations; township staff always "
                                                               "see their own")


class LatestOut(Reply):
    kind: str
    unit: str
    at: Timestamp
    value: float


class StationOut(Reply):
    """A station: ``status`` derived from its newest reading (离线 when silent for longer than its interval × the
    configured number), ``recorded_status`` as recorded (kept by a station that never reported)."""

    id: int
    code: str
    name: str
    kind: str
    township_code: str
    township_name: str
    interval_min: int
    status: str
    recorded_status: str
    last_reading_at: Timestamp | None
    measures: list[str]
    latest: list[LatestOut]


class StationList(Reply):
    """Stations in code order, their status judged at ``now``."""

    now: Timestamp
    offline_intervals: int
    stations: list[StationOut]


class ReadingsQuery(Request):
    kind: Kind
    start: When | None = Field(default=None, alias="from", description="from this time (inclusive; default: 24 h "
                                                                       "before ``to``); naive: the configured zone")
    end: When | None = Field(default=None, alias="to", description="until this time (exclusive; default: now)")


class ReadingPoint(Reply):
    at: Timestamp
    value: float


class SeriesOut(Reply):
    """One station's readings of one kind in time order (at most 50,000: ``truncated`` says more were there)."""

    station: str
    kind: str
    unit: str
    start: Timestamp = Field(alias="from")
    end: Timestamp = Field(alias="to")
    truncated: bool
    readings: list[ReadingPoint]

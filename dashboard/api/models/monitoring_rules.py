"""Request and response models of 风险感知's thresholds, station assignments and the rule's current verdicts."""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from dashboard.api.models import Number, Reply, Request, Text, Timestamp
from services import vocabulary

Metric = Literal[vocabulary.THRESHOLD_METRICS]  # type: ignore[valid-type]
Level = Literal[vocabulary.WARNING_COLOUR_LEVELS]  # type: ignore[valid-type]
Code = Text(40, 1)
MAX_ITEMS = 10_000


class ThresholdQuery(Request):
    """``hazard`` (a hazard point's code) or ``station`` (a station's code); neither: every threshold."""

    hazard: Code | None = None
    station: Code | None = None
    limit: Annotated[int, Field(ge=1, le=5000)] = 5000
    offset: Annotated[int, Field(ge=0, le=10_000_000)] = 0


class ThresholdItem(Request):
    """One threshold: of a hazard point (``hazard``) or of a station (``station``, inherited by the points it
    watches); ``value`` in the metric's unit (mm for rainfall and crack width, m for water levels, mm per 24 h)."""

    hazard: Code | None = None
    station: Code | None = None
    metric: Metric
    value: Annotated[float, Field(gt=0, allow_inf_nan=False)]


class ThresholdsSet(Request):
    """Thresholds to set, all or nothing (the first bad item is named as ``thresholds.<n>.<field>``)."""

    thresholds: Annotated[list[ThresholdItem], Field(min_length=1, max_length=MAX_ITEMS)]


class ThresholdOut(Reply):
    owner: Literal["hazard", "station"]
    code: str
    metric: str
    value: float
    unit: str
    updated_at: Timestamp
    updated_by: str


class EffectiveOut(Reply):
    """What a hazard point is judged by for a metric: its own value or a watching station's (``station``)."""

    metric: str
    value: float
    source: Literal["hazard", "station"]
    station: str | None


class ThresholdList(Reply):
    """The thresholds asked for; with ``hazard``, also the point's effective ones (own, else inherited)."""

    thresholds: list[ThresholdOut]
    effective: list[EffectiveOut] | None = None


class ThresholdRemoveQuery(Request):
    hazard: Code | None = None
    station: Code | None = None
    metric: Metric


class ThresholdRemoved(Reply):
    owner: str
    metric: str


class AssignmentCreate(Request):
    """A station assigned by a person to watch a hazard point (it replaces the nearest station of its kind)."""

    hazard: Code
    station: Code


class AssignmentQuery(Request):
    hazard: Code


class AssignmentRemoveQuery(Request):
    hazard: Code
    station: Code


class AssignmentOut(Reply):
    hazard_code: str
    station_code: str
    station_kind: str
    assigned: Literal[vocabulary.STATION_ASSIGNMENTS]  # type: ignore[valid-type]
    distance_m: float


class AssignmentList(Reply):
    assignments: list[AssignmentOut]


class AssignmentRemoved(Reply):
    removed: int


class Recomputed(Reply):
    """The nearest-station rows before (``removed``) and after (``added``), and the rows by station kind."""

    removed: int
    added: int
    by_kind: dict[str, int]


class EvaluationQuery(Request):
    hazard: Code | None = None


class MetricOut(Reply):
    """One metric as the rule saw it: the observed value from one station, its threshold and their ratio;
    ``complete`` false when the rainfall window had missing intervals (the sum counts the readings present)."""

    metric: str
    station_id: int
    observed: Number
    threshold: Number
    ratio: Number
    observed_at: Timestamp
    complete: bool


class CandidateOut(Reply):
    hazard_id: int
    hazard_code: str
    hazard_name: str
    level: Level
    decisive: MetricOut
    metrics: list[MetricOut]


class Evaluation(Reply):
    """What the rule would propose now (nothing is stored): one candidate per hazard point above a band."""

    at: Timestamp
    candidates: list[CandidateOut]

"""What the parts of 风险感知 hand each other: the rule's verdict on a hazard point (readings → rules → proposals)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class MetricValue:
    """One metric of a hazard point as the rule saw it: the observed value (a rolling rainfall sum, the latest
    water level, a displacement rate) from one station, its threshold and their ratio. ``complete`` is False when
    the window had missing intervals (the sum counts only the readings present)."""

    metric: str
    station_id: int
    observed: float
    threshold: float
    observed_at: dt.datetime
    complete: bool = True
    # The rule's ratio where it is not observed / threshold: a water level is judged on its stage against 警戒水位
    # and 保证水位 (services/monitoring/rules.py), since a level of 318 m is 0.99 × a warning level of 321 m.
    stage_ratio: float | None = None

    @property
    def ratio(self) -> float:
        return self.stage_ratio if self.stage_ratio is not None else self.observed / self.threshold


@dataclass(frozen=True)
class Candidate:
    """The level the rule proposes for a hazard point, decided by ``decisive`` (the metric of the highest ratio);
    ``metrics`` holds every metric that was evaluated (the evidence shown with the proposal)."""

    hazard_point_id: int
    level: str
    decisive: MetricValue
    metrics: tuple[MetricValue, ...] = field(default_factory=tuple)
    drill_id: int = 0

"""The rules of 风险感知 (issue 15) as configuration, beside config.py (which reads them from QJ_MONITORING_*
variables; used by services/monitoring/).

The default rule follows mountain-torrent practice (山洪灾害预警): a reading near or at its critical value
(临界雨量, 警戒水位) proposes 黄, one to two times it 橙, above twice it 红. ``bands`` lists (lowest ratio, level)
from the highest level down; a ratio under the lowest band proposes nothing.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from config_controls import ControlTable, control_table_from_env

from services import vocabulary

DEFAULT_BANDS: tuple[tuple[float, str], ...] = (
    (2.0, vocabulary.WARNING_RED),      # above 2 × the threshold
    (1.0, vocabulary.WARNING_ORANGE),   # 1–2 ×
    (0.9, vocabulary.WARNING_YELLOW),   # near (within 10 %) or at the threshold
)


@dataclass(frozen=True)
class MonitoringRules:
    """``bands``: ratio to the threshold → proposed level. A station is 离线 when silent for longer than
    ``offline_intervals`` × its interval. A hazard point without an explicit station is watched by the nearest
    station of each kind within ``assign_radius_m``. A red proposal unanswered for ``auto_confirm_red_min`` minutes
    confirms itself (0: never, the default), recorded as 自动确认. After a rejection the point is proposed again at that
    level or lower only ``reject_quiet_min`` minutes later (a higher level is proposed at once)."""

    bands: tuple[tuple[float, str], ...] = DEFAULT_BANDS
    offline_intervals: int = 3
    assign_radius_m: float = 5000.0
    auto_confirm_red_min: int = 0
    max_batch: int = 50_000  # readings one POST /readings may carry
    reject_quiet_min: int = 60
    controls: ControlTable = field(default_factory=ControlTable)  # 熔断: 禁停撤疏 by level (config_controls.py)
    # services/monitoring/rules.py: an instantaneous reading (water level, displacement, crack width) counts while
    # it is at most ``fresh_intervals`` intervals old; a water level at or above 保证水位 proposes at least
    # ``guarantee_level``; a displacement rate needs a reading within ``rate_baseline_tolerance_min`` of T − 24 h.
    fresh_intervals: int = 2
    guarantee_level: str = vocabulary.WARNING_ORANGE
    rate_baseline_tolerance_min: int = 360
    # An open proposal whose point is no longer a candidate lapses (已失效) only once its decisive reading is this
    # old: a slope stays dangerous for hours after the rain, and a proposal must not vanish before anyone saw it.
    lapse_after_min: int = 360
    water_span_m: float = 1.0  # a water level's stage span when a station has only one of 警戒水位 / 保证水位

    def __post_init__(self):
        ratios = [r for r, _ in self.bands]
        if not self.bands or ratios != sorted(ratios, reverse=True) or len(set(ratios)) != len(ratios) \
                or any(r <= 0 for r in ratios) \
                or any(level not in vocabulary.WARNING_COLOUR_LEVELS for _, level in self.bands):
            raise ValueError(f"monitoring bands refused: {self.bands!r} (ratios positive, descending, distinct; "
                             f"levels among {vocabulary.WARNING_COLOUR_LEVELS})")
        if not 1 <= self.offline_intervals <= 1000 or not 0 < self.assign_radius_m <= 100_000 \
                or not 0 <= self.auto_confirm_red_min <= 24 * 60 or not 1 <= self.max_batch <= 1_000_000 \
                or not 0 <= self.reject_quiet_min <= 7 * 24 * 60:
            raise ValueError(f"monitoring rules refused: offline after {self.offline_intervals} intervals (1–1000), "
                             f"radius {self.assign_radius_m} m (0–100 km), auto-confirm {self.auto_confirm_red_min} "
                             f"min (0–1440), batch {self.max_batch} (1–1,000,000), quiet after a rejection "
                             f"{self.reject_quiet_min} min (0–10080)")
        if not 1 <= self.fresh_intervals <= 100 or self.guarantee_level not in vocabulary.WARNING_COLOUR_LEVELS \
                or not 1 <= self.rate_baseline_tolerance_min <= 24 * 60 or not 0 < self.water_span_m <= 100 \
                or not 0 <= self.lapse_after_min <= 7 * 24 * 60:
            raise ValueError(f"monitoring rules refused: readings fresh for {self.fresh_intervals} intervals (1–100), "
                             f"保证水位 level {self.guarantee_level!r}, displacement baseline within "
                             f"{self.rate_baseline_tolerance_min} min (1–1440), water span {self.water_span_m} m (0–100), "
                             f"lapse after {self.lapse_after_min} min (0–10080)")

    def level_for(self, ratio: float) -> str | None:
        """The level a ratio to the threshold proposes, or None below the lowest band."""
        for lowest, level in self.bands:
            if ratio >= lowest:
                return level
        return None


def monitoring_rules_from_env(env) -> MonitoringRules:
    """The rules from QJ_MONITORING_BANDS (JSON ``[[2.0, "红"], [1.0, "橙"], [0.9, "黄"]]``), _OFFLINE_INTERVALS,
    _ASSIGN_RADIUS_M, _AUTO_CONFIRM_RED_MIN, _MAX_BATCH, _REJECT_QUIET_MIN, _FRESH_INTERVALS, _GUARANTEE_LEVEL and
    _RATE_BASELINE_TOLERANCE_MIN, _WATER_SPAN_M, _LAPSE_AFTER_MIN, and the 熔断 table from QJ_CONTROLS_RULES (``env(name, default)``)."""
    raw = env("QJ_MONITORING_BANDS", "")
    bands = tuple((float(r), str(level)) for r, level in json.loads(raw)) if raw.strip() else DEFAULT_BANDS
    return MonitoringRules(bands, int(env("QJ_MONITORING_OFFLINE_INTERVALS", "3")),
                           float(env("QJ_MONITORING_ASSIGN_RADIUS_M", "5000")),
                           int(env("QJ_MONITORING_AUTO_CONFIRM_RED_MIN", "0")),
                           int(env("QJ_MONITORING_MAX_BATCH", "50000")),
                           int(env("QJ_MONITORING_REJECT_QUIET_MIN", "60")), control_table_from_env(env),
                           fresh_intervals=int(env("QJ_MONITORING_FRESH_INTERVALS", "2")),
                           guarantee_level=env("QJ_MONITORING_GUARANTEE_LEVEL", vocabulary.WARNING_ORANGE),
                           rate_baseline_tolerance_min=int(env("QJ_MONITORING_RATE_BASELINE_TOLERANCE_MIN", "360")),
                           water_span_m=float(env("QJ_MONITORING_WATER_SPAN_M", "1.0")),
                           lapse_after_min=int(env("QJ_MONITORING_LAPSE_AFTER_MIN", "360")))

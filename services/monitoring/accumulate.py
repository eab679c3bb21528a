"""Rolling rainfall sums, latest readings and rates over station readings, vectorised with numpy (no SQL).

Times are seconds (any epoch, floats); stations are dense indexes 0..n−1. The rules (services/monitoring/rules.py)
get the sums from one SQL aggregate; these functions are the same arithmetic over arrays, for replays and as the
tests' oracle, and the pieces both share (expected counts, freshness, rates, bands, the worst of each group).

Rainfall readings are the amount over the interval ending at their time, so the sum over a window of length W ending
at T takes the readings with T − W < at ≤ T: a reading exactly at T − W belongs to the window before. A missing
interval adds nothing but makes the sum incomplete: fewer readings than ⌊W / interval⌋.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

DAY_S = 86_400.0


def window_totals(station: np.ndarray, at_s: np.ndarray, value: np.ndarray, n_stations: int, end_s: float,
                  windows_s: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    """Per station and window, the sum of the readings with ``end_s − w < at ≤ end_s`` and their count.

    Returns ``(sums, counts)``, each of shape (n_stations, len(windows_s)); a station without readings has 0, 0.
    """
    station, at_s, value = np.asarray(station, dtype=np.int64), np.asarray(at_s, float), np.asarray(value, float)
    sums = np.zeros((n_stations, len(windows_s)))
    counts = np.zeros((n_stations, len(windows_s)), dtype=np.int64)
    for j, window in enumerate(windows_s):
        inside = (at_s > end_s - window) & (at_s <= end_s)
        sums[:, j] = np.bincount(station[inside], weights=value[inside], minlength=n_stations)
        counts[:, j] = np.bincount(station[inside], minlength=n_stations)
    return sums, counts


def expected_counts(interval_min: np.ndarray, windows_s: Sequence[float]) -> np.ndarray:
    """The readings a window should hold: ⌊W / interval⌋ per station (shape (n, len(windows_s)))."""
    interval_s = np.asarray(interval_min, float)[:, None] * 60.0
    return np.floor(np.asarray(windows_s, float)[None, :] / interval_s + 1e-9).astype(np.int64)


def latest(station: np.ndarray, at_s: np.ndarray, value: np.ndarray, n_stations: int, end_s: float,
           max_age_s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each station's newest reading with ``end_s − max_age < at ≤ end_s`` (``max_age_s`` per station).

    Returns ``(value, at_s)``, NaN where a station has none that fresh (an older one is not evaluated).
    """
    station, at_s, value = np.asarray(station, dtype=np.int64), np.asarray(at_s, float), np.asarray(value, float)
    keep = (at_s <= end_s) & (at_s > end_s - np.asarray(max_age_s, float)[station])
    out_value, out_at = np.full(n_stations, np.nan), np.full(n_stations, np.nan)
    if keep.any():
        s, t, v = station[keep], at_s[keep], value[keep]
        order = np.lexsort((t, s))  # by station, then time: the last of each station's run is its newest
        s, t, v = s[order], t[order], v[order]
        last = np.r_[s[1:] != s[:-1], True]
        out_value[s[last]], out_at[s[last]] = v[last], t[last]
    return out_value, out_at


def nearest_to(station: np.ndarray, at_s: np.ndarray, value: np.ndarray, n_stations: int, target_s: float,
               tolerance_s: float) -> tuple[np.ndarray, np.ndarray]:
    """Each station's reading nearest ``target_s`` within ± ``tolerance_s`` (the earlier one on a tie).

    Returns ``(value, at_s)``, NaN where none is that near."""
    station, at_s, value = np.asarray(station, dtype=np.int64), np.asarray(at_s, float), np.asarray(value, float)
    gap = np.abs(at_s - target_s)
    keep = gap <= tolerance_s
    out_value, out_at = np.full(n_stations, np.nan), np.full(n_stations, np.nan)
    if keep.any():
        s, t, v, g = station[keep], at_s[keep], value[keep], gap[keep]
        order = np.lexsort((t, g, s))  # by station, then distance from the target, then the earlier
        s, t, v = s[order], t[order], v[order]
        first = np.r_[True, s[1:] != s[:-1]]
        out_value[s[first]], out_at[s[first]] = v[first], t[first]
    return out_value, out_at


def rate_per_day(start_value: np.ndarray, start_s: np.ndarray, end_value: np.ndarray,
                 end_s: np.ndarray) -> np.ndarray:
    """The magnitude of the change from start to end, scaled to 24 h: |Δvalue| × 86,400 / Δt (NaN when Δt ≤ 0).

    Scaling by the real span is how a gap is handled: a baseline found 26 h back gives (change over 26 h) × 24/26."""
    span = np.asarray(end_s, float) - np.asarray(start_s, float)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.abs(np.asarray(end_value, float) - np.asarray(start_value, float)) * DAY_S / span
    return np.where(span > 0, rate, np.nan)


def band_index(ratios: np.ndarray, bands: Sequence[tuple[float, str]]) -> np.ndarray:
    """The index in ``bands`` (lowest ratio, level; highest first) each ratio falls in, −1 below the lowest.

    The same verdict as ``MonitoringRules.level_for``: a ratio exactly at a band's lowest ratio is in that band."""
    lows = np.array([low for low, _ in bands], float)[::-1]  # ascending
    position = np.searchsorted(lows, np.asarray(ratios, float), side="right")  # bands at or below the ratio
    index = len(bands) - position
    return np.where((position > 0) & np.isfinite(ratios), index, -1)


def best_of_groups(group: np.ndarray, score: np.ndarray) -> np.ndarray:
    """The position of the highest ``score`` in each group (the first such on a tie), groups in ascending order."""
    group, score = np.asarray(group), np.asarray(score, float)
    if group.size == 0:
        return np.zeros(0, dtype=np.int64)
    order = np.lexsort((-score, group))  # lexsort is stable: the first of equal scores stays first
    g = group[order]
    return order[np.r_[True, g[1:] != g[:-1]]]

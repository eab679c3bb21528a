"""The accumulation arithmetic of 风险感知 (services/monitoring/accumulate.py) against plain loops: window sums with
their edges, freshness, the reading nearest a time, rates, bands and the best of each group (no database)."""
from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from config_monitoring import MonitoringRules
from services.monitoring import accumulate as A

END = 1_000_000.0


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(-26 * 12, 3), st.floats(0, 50)), max_size=60))
def test_window_sums_are_the_readings_in_the_half_open_window(readings):
    station = np.array([s for s, _, _ in readings], dtype=int)
    at = np.array([END + k * 300.0 for _, k, _ in readings])  # on the 5-minute grid: edges are hit often
    value = np.array([v for _, _, v in readings])
    windows = (3600.0, 10800.0, 86400.0)
    sums, counts = A.window_totals(station, at, value, 4, END, windows)
    for s in range(4):
        for j, w in enumerate(windows):
            inside = [v for (st_, k, v) in readings if st_ == s and END - w < END + k * 300.0 <= END]
            assert counts[s, j] == len(inside) and abs(sums[s, j] - sum(inside)) < 1e-9


def test_expected_counts_latest_and_nearest():
    assert A.expected_counts(np.array([5, 10, 60, 7]), (3600, 86400)).tolist() == [[12, 288], [6, 144], [1, 24],
                                                                                   [8, 205]]
    station, at, value = np.array([0, 0, 1, 1, 2]), np.array([END - 100, END - 50, END - 7200, END + 5, END]), \
        np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    v, t = A.latest(station, at, value, 4, END, np.array([600.0, 7200.0, 60.0, 60.0]))
    # station 0: the newer of two; 1: exactly 7200 s old is out and END+5 is the future; 2: at END is in; 3: none
    assert np.array_equal(v, [2.0, np.nan, 5.0, np.nan], equal_nan=True) and t[0] == END - 50
    v, t = A.nearest_to(np.array([0, 0, 1]), np.array([END - 10, END + 10, END + 30]), np.array([1.0, 2.0, 3.0]), 2,
                        END, 20.0)
    assert v[0] == 1.0 and t[0] == END - 10 and np.isnan(v[1])  # a tie goes to the earlier; 30 s is beyond 20 s


def test_rates_scale_to_a_day_and_refuse_no_span():
    rate = A.rate_per_day(np.array([10.0, 5.0, 8.0]), np.array([0.0, 0.0, 0.0]), np.array([22.0, 3.0, 8.0]),
                          np.array([26 * 3600.0, 12 * 3600.0, 0.0]))
    assert rate[0] == 12 * 24 / 26 and rate[1] == 4.0 and np.isnan(rate[2])


@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(0, 5, allow_nan=False), min_size=1, max_size=30))
def test_bands_agree_with_level_for(ratios):
    for rules in (MonitoringRules(), MonitoringRules(bands=((3.0, "红"), (1.5, "橙"), (1.0, "黄"), (0.5, "蓝")))):
        got = [rules.bands[i][1] if i >= 0 else None for i in A.band_index(np.array(ratios), rules.bands)]
        assert got == [rules.level_for(r) for r in ratios]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 4)), min_size=1, max_size=40))
def test_best_of_groups_is_the_first_maximum_of_each_group(entries):
    group, score = np.array([g for g, _ in entries]), np.array([s for _, s in entries], dtype=float)
    best = A.best_of_groups(group, score)
    expected = []
    for g in sorted(set(group.tolist())):
        members = [i for i in range(len(entries)) if group[i] == g]
        top = max(score[i] for i in members)
        expected.append(next(i for i in members if score[i] == top))
    assert best.tolist() == expected

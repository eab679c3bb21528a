"""Tests for geo.coords: WGS-84 / GCJ-02 / BD-09 conversions."""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo import coords as c


def haversine_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance in metres (mean Earth radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371008.8 * math.asin(math.sqrt(h))


# (wgs_lat, wgs_lng, gcj_lat, gcj_lng), copied from googollee/eviltransform python/test.py
# (TESTS; identical in go/transform_test.go and matlab/test/testSuite.m).
EVIL_GCJ = [
    (31.1774276, 121.5272106, 31.17530398364597, 121.531541859215),  # shanghai
    (22.543847, 113.912316, 22.540796131694766, 113.9171764808363),  # shenzhen
    (39.911954, 116.377817, 39.91334545536069, 116.38404722455657),  # beijing
]
# Outside-China edge cases (lat, lng), unchanged: googollee/eviltransform matlab/test/testSuite.m.
EVIL_OUTSIDE = [(39.7392, -104.9903), (-27.4698, 153.0251), (-22.9068, -43.1729)]


@pytest.mark.parametrize("wlat, wlng, glat, glng", EVIL_GCJ)
def test_wgs_to_gcj_published(wlat, wlng, glat, glng):
    lon, lat = c.wgs84_to_gcj02(wlng, wlat)
    assert lon == pytest.approx(glng, abs=1e-6) and lat == pytest.approx(glat, abs=1e-6)


@pytest.mark.parametrize("wlat, wlng, glat, glng", EVIL_GCJ)
def test_gcj_to_wgs_published(wlat, wlng, glat, glng):
    lon, lat = c.gcj02_to_wgs84(glng, glat)
    assert lon == pytest.approx(wlng, abs=1e-5) and lat == pytest.approx(wlat, abs=1e-5)


@pytest.mark.parametrize("lat, lng", EVIL_OUTSIDE)
def test_outside_china_published(lat, lng):
    assert c.wgs84_to_gcj02(lng, lat) == (lng, lat)
    assert c.gcj02_to_wgs84(lng, lat) == (lng, lat)


# hujiulong/gcoord test/unit/crs/{WGS84,GCJ02,BD09}.spec.ts: input [lon, lat] = [123, 45],
# expected values checked there with toBeCloseTo(x, 5), i.e. |diff| < 5e-6.
GCOORD = [
    (c.wgs84_to_gcj02, (123.00607541, 45.00197815)),  # WGS84.spec.ts
    (c.gcj02_to_wgs84, (122.99395597, 44.99804071)),  # GCJ02.spec.ts
    (c.gcj02_to_bd09, (123.00636499, 45.00636899)),  # GCJ02.spec.ts
    (c.bd09_to_gcj02, (122.99363304, 44.99365430)),  # BD09.spec.ts
    (c.wgs84_to_bd09, (123.0124491, 45.0083293)),  # WGS84.spec.ts
    (c.bd09_to_wgs84, (122.98762210, 44.99171540)),  # BD09.spec.ts
]


@pytest.mark.parametrize("func, expected", GCOORD, ids=[f.__name__ for f, _ in GCOORD])
def test_gcoord_published(func, expected):
    assert func(123.0, 45.0) == pytest.approx(expected, abs=5e-6)


def test_bd09_beijing_station_published():
    # googollee/eviltransform matlab/test/testSuite.m (gcj2bdTest / bd2gcjTest): Beijing railway
    # station, GCJ-02 (39.90245, 116.42703) <-> BD-09 (39.90851, 116.43351), AbsTol 5e-5 there.
    assert c.gcj02_to_bd09(116.42703, 39.90245) == pytest.approx((116.43351, 39.90851), abs=5e-5)
    assert c.bd09_to_gcj02(116.43351, 39.90851) == pytest.approx((116.42703, 39.90245), abs=5e-5)


china_lon = st.floats(73.0, 135.0, allow_nan=False)
china_lat = st.floats(18.0, 53.0, allow_nan=False)


@settings(deadline=None)
@given(china_lon, china_lat)
def test_gcj_wgs_gcj_round_trip_within_1m(lon, lat):
    back = c.wgs84_to_gcj02(*c.gcj02_to_wgs84(lon, lat))
    assert haversine_m(lon, lat, *back) < 1.0


@settings(deadline=None)
@given(china_lon, china_lat)
def test_wgs_bd_wgs_round_trip_within_1m(lon, lat):
    back = c.bd09_to_wgs84(*c.wgs84_to_bd09(lon, lat))
    assert haversine_m(lon, lat, *back) < 1.0


@settings(deadline=None)
@given(st.floats(0.0, 60.0), st.floats(-60.0, 60.0))
def test_outside_china_unchanged(lon, lat):
    assert c.wgs84_to_gcj02(lon, lat) == (lon, lat)
    assert c.gcj02_to_wgs84(lon, lat) == (lon, lat)
    assert c.to_wgs84(lon, lat, "gcj02") == (lon, lat)
    assert c.from_wgs84(lon, lat, "gcj02") == (lon, lat)


FUNCS = [c.wgs84_to_gcj02, c.gcj02_to_wgs84, c.gcj02_to_bd09, c.bd09_to_gcj02, c.bd09_to_wgs84,
         c.wgs84_to_bd09, lambda x, y: c.to_wgs84(x, y, "bd09"), lambda x, y: c.from_wgs84(x, y, "gcj02")]


@pytest.mark.parametrize("func", FUNCS)
def test_vectorised_matches_scalar(func):
    lons = np.array([108.77, 121.5272106, 116.42703, 10.0, 135.0])
    lats = np.array([29.53, 31.1774276, 39.90245, 45.0, 53.0])
    vlon, vlat = func(lons, lats)
    assert isinstance(vlon, np.ndarray) and vlon.shape == lons.shape
    for i, (x, y) in enumerate(zip(lons.tolist(), lats.tolist())):
        slon, slat = func(x, y)
        assert type(slon) is float and type(slat) is float
        assert slon == pytest.approx(vlon[i], abs=1e-9) and slat == pytest.approx(vlat[i], abs=1e-9)


@pytest.mark.parametrize("name, expected", [
    ("wgs-84", "WGS84"), ("CGCS2000", "WGS84"), ("gcj-02", "GCJ02"), ("bd09", "BD09"), ("Baidu", "BD09"),
])
def test_normalise_crs_aliases(name, expected):
    assert c.normalise_crs(name) == expected


def test_normalise_crs_rejects_unknown():
    with pytest.raises(ValueError, match="utm"):
        c.normalise_crs("utm")


def test_qianjiang_gcj_offset_is_a_few_hundred_metres():
    lon, lat = 108.77, 29.53  # Qianjiang District, Chongqing
    offset = haversine_m(lon, lat, *c.wgs84_to_gcj02(lon, lat))
    assert 200.0 < offset < 700.0

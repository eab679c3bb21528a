"""The lowest zoom a county's maps offer follows its size: Qianjiang keeps 8, a county of several degrees can be seen
whole (the zoom at which its extent fits the map, found here by doubling the pixel size level by level)."""
from __future__ import annotations

import math

import pytest

from geo.boundaries import map_view, min_zoom
from services.data.geography import county_boundary


def _extent_px(bounds, zoom: int) -> float:
    """The larger side of ``bounds`` in Web Mercator pixels at ``zoom`` (256-pixel tiles), computed independently."""
    (south, west), (north, east) = bounds

    def y(lat):
        return 256 * 2 ** zoom * (1 - math.log(math.tan(math.radians(lat)) + 1 / math.cos(math.radians(lat)))
                                  / math.pi) / 2
    return max(256 * 2 ** zoom * (east - west) / 360, y(south) - y(north))


@pytest.mark.parametrize("adcode, expected", [("500114", 8), ("110101", 8), ("652824", 5)])
def test_min_zoom_lets_the_whole_county_be_seen(adcode, expected):
    bounds, _ = map_view(county_boundary(adcode))
    zoom = min_zoom(bounds)
    assert zoom == expected
    if zoom < 8:  # lowered because the county is large: at the level above, it would not fit in 480 px
        assert _extent_px(bounds, zoom + 2) > 480 >= _extent_px(bounds, zoom + 1)


def test_min_zoom_has_a_ceiling_and_a_floor():
    assert min_zoom([[29.0, 108.0], [29.01, 108.01]]) == 8
    assert min_zoom([[29.0, 108.0], [29.01, 108.01]], most=7) == 7
    assert min_zoom([[-80.0, -179.0], [80.0, 179.0]]) == 1

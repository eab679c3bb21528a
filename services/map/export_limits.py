"""Bounds of what a map export may frame: no smaller than a street, no larger than the district's neighbourhood.

A bbox outside these bounds is refused (BadParameter "bbox"), not widened or clipped: the user learns why.
"""
from __future__ import annotations

from services.map.layers import BadParameter

# Each side at least 0.002° (≈ 200 m of latitude, ≈ 190 m of longitude at 29.5° N): a street block. A print
# of less shows one marker and no context; far less (1e-7°) once made the renderer spin for 15 minutes.
MIN_SPAN_DEG = 0.002
# Each side at most 3°: the district (≈ 0.5° × 0.8°) with all its neighbouring counties fits with room.
MAX_SPAN_DEG = 3.0
# The frame must overlap the district's bounding box widened by 1° on each side (its neighbours' reach).
NEIGHBOURHOOD_MARGIN_DEG = 1.0


def check_export_bbox(bbox: tuple[float, float, float, float],
                      district_bounds: tuple[float, float, float, float] | None) -> None:
    """Raise BadParameter("bbox") unless each side spans MIN_SPAN_DEG to MAX_SPAN_DEG and the box overlaps the
    district's neighbourhood (its bounds widened by NEIGHBOURHOOD_MARGIN_DEG); ``None``: no district known."""
    minlon, minlat, maxlon, maxlat = bbox
    span = min(maxlon - minlon, maxlat - minlat)
    if span < MIN_SPAN_DEG - 1e-9:  # 108.702 - 108.7 is 0.00199999… in binary
        raise BadParameter.of("bbox", "filter.bbox_small", min=MIN_SPAN_DEG)
    if max(maxlon - minlon, maxlat - minlat) > MAX_SPAN_DEG:
        raise BadParameter.of("bbox", "filter.bbox_large", max=f"{MAX_SPAN_DEG:g}")
    if district_bounds is None:
        return
    d_minlon, d_minlat, d_maxlon, d_maxlat = district_bounds
    m = NEIGHBOURHOOD_MARGIN_DEG
    if maxlon < d_minlon - m or minlon > d_maxlon + m or maxlat < d_minlat - m or minlat > d_maxlat + m:
        raise BadParameter.of("bbox", "filter.bbox_outside", margin=f"{m:g}")

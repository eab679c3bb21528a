"""What is inside a drawn area: enterprises by risk level, hazard points and people threatened, shelters.

The area is a WGS-84 polygon, or a circle given as centre and radius in metres (as the map draws it).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import shapely
from shapely.geometry import Polygon, shape

from config import Settings
from services.map.layers import LayerFilter, point_layer

MAX_LISTED = 50


@dataclass
class AreaSummary:
    area_km2: float
    enterprises_by_risk: dict[str, int] = field(default_factory=dict)
    hazards: int = 0
    threatened_people: int = 0
    shelters: int = 0
    shelter_capacity: int = 0
    shelter_available: int = 0
    items: list[dict] = field(default_factory=list)  # the features inside, riskiest first, at most MAX_LISTED


def circle_polygon(lon: float, lat: float, radius_m: float, segments: int = 72) -> Polygon:
    """A circle on the ground as a lon/lat polygon (local equirectangular approximation, < 0.1 % at 10 km)."""
    angles = np.linspace(0, 2 * np.pi, segments, endpoint=False)
    dlat = radius_m / 111_320.0 * np.sin(angles)
    dlon = radius_m / (111_320.0 * np.cos(np.radians(lat))) * np.cos(angles)
    return Polygon(np.column_stack([lon + dlon, lat + dlat]))


def area_from_geojson(feature: dict):
    """The drawn shape of a GeoJSON feature: polygons as they are, circles (Point + radius) as polygons."""
    geometry = shape(feature["geometry"])
    props = feature.get("properties") or {}
    radius = props.get("radius", props.get("_radius"))
    if geometry.geom_type == "Point":
        if not radius or float(radius) <= 0:
            raise ValueError("a point needs a radius to be an area")
        return circle_polygon(geometry.x, geometry.y, float(radius))
    if geometry.geom_type not in ("Polygon", "MultiPolygon"):
        raise ValueError(f"{geometry.geom_type} is not an area")
    return shapely.make_valid(geometry)


def _area_km2(geometry) -> float:
    lat = geometry.centroid.y
    return float(geometry.area * 111.32 ** 2 * np.cos(np.radians(lat)))


_RISK_ORDER = {"重大": 0, "较大": 1, "一般": 2, "低": 3}
_WARNING_ORDER = {"红": 0, "橙": 1, "黄": 2, "蓝": 3, "无": 4}


def summarise_area(settings: Settings, geometry) -> AreaSummary:
    """Count what lies inside ``geometry`` (bbox query first, then an exact point-in-polygon test)."""
    shapely.prepare(geometry)
    bbox = LayerFilter(bbox=tuple(geometry.bounds))  # type: ignore[arg-type]
    summary = AreaSummary(area_km2=round(_area_km2(geometry), 3))
    inside: dict[str, list[dict]] = {}
    for layer in ("enterprises", "hazards", "shelters"):
        features = point_layer(settings, layer, bbox, "full")["features"]
        points = shapely.points([f["geometry"]["coordinates"] for f in features]) if features else []
        inside[layer] = [f["properties"] for f, ok in zip(features, shapely.contains(geometry, points)) if ok]
    summary.enterprises_by_risk = dict(Counter(p["risk_level"] for p in inside["enterprises"]))
    summary.hazards = len(inside["hazards"])
    summary.threatened_people = sum(p["threatened_people"] for p in inside["hazards"])
    summary.shelters = len(inside["shelters"])
    summary.shelter_capacity = sum(p["capacity_people"] for p in inside["shelters"])
    summary.shelter_available = sum(p["available_places"] for p in inside["shelters"]
                                    if p["occupancy_class"] != "closed")
    ranked = (
        [(0, _WARNING_ORDER[p["warning_level"]], -p["threatened_people"], p) for p in inside["hazards"]] +
        [(1, _RISK_ORDER[p["risk_level"]], 0, p) for p in inside["enterprises"]] +
        [(2, 0, -p["available_places"], p) for p in inside["shelters"]]
    )
    ranked.sort(key=lambda r: r[:3])
    summary.items = [{"layer": p["layer"], "id": p["id"], "name": p["name"],
                      "level": p.get("risk_level") or p.get("warning_level") or p.get("occupancy_class"),
                      "people": p.get("threatened_people", p.get("available_places"))}
                     for *_, p in ranked[:MAX_LISTED]]
    return summary

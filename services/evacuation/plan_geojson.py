"""An evacuation plan as GeoJSON: its flows (a line per hazard point → shelter, width by people) and its points
(shelters receiving people; hazard points housed, partly housed or not housed), with tooltips from the catalogue.

The 疏散安置 page draws these as two layers; ``/api/v1/evacuation/plans/<id>.geojson`` serves them for other maps.
"""
from __future__ import annotations

import math

from services.evacuation.plan_result import SavedPlan
from services.text import t

EMPTY = {"type": "FeatureCollection", "features": []}
MIN_WEIGHT, MAX_WEIGHT = 1.5, 9.0  # flow line widths (px), thinnest and widest


def _minutes(seconds) -> str:
    return "—" if seconds is None else f"{seconds / 60:.1f}"


def flow_weight(people: int, largest: int) -> float:
    """A flow's line width: its people against the plan's largest flow, by square root (area-like)."""
    if largest <= 0:
        return MIN_WEIGHT
    return round(MIN_WEIGHT + (MAX_WEIGHT - MIN_WEIGHT) * math.sqrt(max(0, people) / largest), 2)


def largest_flow(saved: SavedPlan) -> int:
    return max((a.people for d in saved.plan.demand for a in d.assigned), default=0)


def flows_geojson(saved: SavedPlan | None, lang: str = "zh") -> dict:
    """One line per (hazard point, shelter) with people: the road route, else straight; width by people."""
    if not saved:
        return EMPTY
    largest, features = largest_flow(saved), []
    for d in saved.plan.demand:
        for a in d.assigned:
            coords = a.route or [[d.lon, d.lat], a.to]
            features.append({"type": "Feature", "properties": {
                "people": a.people, "weight": flow_weight(a.people, largest),
                "tip": t("plan.flow_tip", lang, hazard=d.name, shelter=a.shelter_name, people=f"{a.people:,}",
                         minutes=_minutes(a.travel_s))},
                "geometry": {"type": "LineString", "coordinates": [[round(x, 5), round(y, 5)] for x, y in coords]}})
    features.sort(key=lambda f: -f["properties"]["people"])  # the big flows underneath, the thin ones on top
    return {"type": "FeatureCollection", "features": features}


def points_geojson(saved: SavedPlan | None, lang: str = "zh") -> dict:
    """Shelters receiving people, and every hazard point of the plan: housed, partly housed or not housed."""
    if not saved:
        return EMPTY
    features = []
    order = {"housed": 0, "partly": 1, "unmet": 2}  # the unhoused drawn above the housed
    for d in sorted(saved.plan.demand, key=lambda d: order[_kind(d)]):
        kind = _kind(d)
        features.append(_point(d.lon, d.lat, kind, radius=4 + min(6, math.sqrt(d.people) / 6),
                               tip=t("plan.hazard_tip", lang, name=d.name, people=f"{d.people:,}",
                                     housed=f"{d.people - d.unmet:,}", unmet=f"{d.unmet:,}")))
    for s in saved.plan.shelters:  # the shelters on top
        if s.arrivals:
            features.append(_point(s.lon, s.lat, "shelter", radius=6 + min(10, math.sqrt(s.arrivals) / 4),
                                   tip=t("plan.shelter_tip", lang, name=s.name, arrivals=f"{s.arrivals:,}",
                                         left=f"{s.remaining:,}")))
    return {"type": "FeatureCollection", "features": features}


def _kind(d) -> str:
    return "unmet" if d.unmet == d.people else ("partly" if d.unmet else "housed")


def _point(lon: float, lat: float, kind: str, *, radius: float, tip: str) -> dict:
    return {"type": "Feature", "properties": {"kind": kind, "radius": round(radius, 1), "tip": tip},
            "geometry": {"type": "Point", "coordinates": [round(lon, 5), round(lat, 5)]}}


def plan_features(saved: SavedPlan) -> dict:
    """Flows, then points, in one collection; ``tip`` in Chinese and ``tip_en`` in English."""
    zh = flows_geojson(saved, "zh")["features"] + points_geojson(saved, "zh")["features"]
    en = flows_geojson(saved, "en")["features"] + points_geojson(saved, "en")["features"]
    for a, b in zip(zh, en):
        a["properties"]["tip_en"] = b["properties"]["tip"]
        a["properties"].setdefault("kind", "flow")
    return {"type": "FeatureCollection", "features": zh}

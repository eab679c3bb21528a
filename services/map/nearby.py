"""Everything within a radius of a point or an incident (周边研判): people threatened, enterprises by risk with
hazardous chemicals first, shelters with free places, rescue teams and depots, each with its distance.

Distances are great-circle metres on the WGS-84 mean sphere (geo.distance.haversine_m), not by road.
"""
from __future__ import annotations

import dataclasses
import math
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from pyproj import Geod

from geo.distance import haversine_m
from services import vocabulary
from services.db.uow import UnitOfWork
from services.errors import FieldError, NotFound
from services.map.layers import LayerFilter, point_layer
from services.models import Incident

RADIUS_RANGE_M = (100.0, 50_000.0)
MAX_LISTED = 30  # per list; the counts and sums cover everything inside
HAZARDOUS_CHEMICALS = next(iter(vocabulary.ENTERPRISE_SECTORS))  # 危险化学品, the first sector
_GEOD = Geod(ellps="WGS84")
_RISK_ORDER = {level: i for i, level in enumerate(vocabulary.RISK_LEVELS)}  # 重大 first
_WARNING_ORDER = {level: i for i, level in enumerate(reversed(vocabulary.WARNING_LEVELS))}  # 红 first


@dataclass(frozen=True)
class NearbyFeature:
    """A feature inside the circle: layer, id, name, straight-line distance (m) and what matters about it."""

    layer: str
    id: int
    name: str
    distance_m: int
    level: str | None = None   # risk level, warning level, occupancy class or team status
    kind: str | None = None    # enterprise sector, hazard type, team kind or depot level
    people: int | None = None  # people threatened (hazard points), free places (shelters), members (teams)


@dataclass(frozen=True)
class RadiusSummary:
    lon: float
    lat: float
    radius_m: float
    hazards: int = 0
    threatened_people: int = 0
    enterprises_by_risk: dict[str, int] = field(default_factory=dict)
    hazardous_chemicals: int = 0
    shelters_with_room: int = 0
    free_places: int = 0
    hazard_points: tuple[NearbyFeature, ...] = ()  # warned first, then most people
    enterprises: tuple[NearbyFeature, ...] = ()    # hazardous chemicals first, then risk level, then nearest
    shelters: tuple[NearbyFeature, ...] = ()       # open with free places, nearest first
    teams: tuple[NearbyFeature, ...] = ()          # nearest first
    depots: tuple[NearbyFeature, ...] = ()         # nearest first

    def to_json(self) -> dict:
        return dataclasses.asdict(self)


def _check(lon: float, lat: float, radius_m: float) -> None:
    low, high = RADIUS_RANGE_M
    if isinstance(radius_m, bool) or not isinstance(radius_m, (int, float)) or not low <= radius_m <= high:
        raise FieldError.of("radius_m", "nearby.radius", low=f"{low / 1000:g}", high=f"{high / 1000:g}")
    if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 < lat < 90):
        raise FieldError.of("lon", "area.centre")


def _inside(uow: UnitOfWork, layer: str, lon: float, lat: float, radius_m: float) -> list[tuple[int, dict]]:
    """(distance in m, properties) of the layer's features within ``radius_m``, from a bbox query."""
    lons, lats, _ = _GEOD.fwd([lon] * 4, [lat] * 4, [90, 270, 0, 180], [radius_m * 1.01] * 4)
    bbox = (min(lons), min(lats), max(lons), max(lats))
    features = point_layer(uow, layer, LayerFilter(bbox=bbox), "full").features
    if not features:
        return []
    distances = haversine_m(lon, lat, np.array([f.lon for f in features]), np.array([f.lat for f in features]))
    return [(int(round(d)), dict(f.properties)) for f, d in zip(features, distances) if d <= radius_m]


def _item(layer: str, d: int, p: dict, level=None, kind=None, people=None) -> NearbyFeature:
    return NearbyFeature(layer, int(p["id"]), str(p["name"]), d, level, kind, people)


def within_radius(uow: UnitOfWork, lon: float, lat: float, radius_m: float) -> RadiusSummary:
    """What lies within ``radius_m`` metres of (lon, lat): see the module docstring; raises FieldError."""
    _check(lon, lat, radius_m)
    hazards = _inside(uow, "hazards", lon, lat, radius_m)
    enterprises = _inside(uow, "enterprises", lon, lat, radius_m)
    shelters = _inside(uow, "shelters", lon, lat, radius_m)
    teams = _inside(uow, "teams", lon, lat, radius_m)
    depots = _inside(uow, "depots", lon, lat, radius_m)
    hazards.sort(key=lambda r: (_WARNING_ORDER[r[1]["warning_level"]], -r[1]["threatened_people"], r[0]))
    enterprises.sort(key=lambda r: (r[1]["sector"] != HAZARDOUS_CHEMICALS, _RISK_ORDER[r[1]["risk_level"]], r[0]))
    free = [(d, p, 0 if p["occupancy_class"] == "closed" else int(p["available_places"])) for d, p in shelters]
    with_room = sorted(((d, p, n) for d, p, n in free if n > 0), key=lambda r: r[0])
    return RadiusSummary(
        lon=lon, lat=lat, radius_m=float(radius_m),
        hazards=len(hazards), threatened_people=sum(int(p["threatened_people"]) for _, p in hazards),
        enterprises_by_risk=dict(Counter(p["risk_level"] for _, p in enterprises)),
        hazardous_chemicals=sum(p["sector"] == HAZARDOUS_CHEMICALS for _, p in enterprises),
        shelters_with_room=len(with_room), free_places=sum(n for *_, n in with_room),
        hazard_points=tuple(_item("hazards", d, p, p["warning_level"], p["hazard_type"], p["threatened_people"])
                            for d, p in hazards[:MAX_LISTED]),
        enterprises=tuple(_item("enterprises", d, p, p["risk_level"], p["sector"]) for d, p in enterprises[:MAX_LISTED]),
        shelters=tuple(_item("shelters", d, p, p["occupancy_class"], None, n) for d, p, n in with_room[:MAX_LISTED]),
        teams=tuple(_item("teams", d, p, p["status"], p["kind"], p.get("members"))
                    for d, p in sorted(teams, key=lambda r: r[0])[:MAX_LISTED]),
        depots=tuple(_item("depots", d, p, None, p["level"]) for d, p in sorted(depots, key=lambda r: r[0])[:MAX_LISTED]),
    )


def around_incident(uow: UnitOfWork, incident_id: int, radius_m: float) -> RadiusSummary:
    """``within_radius`` of an incident's location (township staff: their own township's incidents only)."""
    incident = uow.session.get(Incident, incident_id)
    if incident is None:
        raise NotFound.of("incident", "incident.not_found", id=incident_id)
    uow.principal.require_township("map.read", incident.township_code)
    return within_radius(uow, incident.lon, incident.lat, radius_m)

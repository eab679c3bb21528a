"""Evacuation capacity (疏散安置能力) against the district's target, shelter by shelter and by township.

Capacity = declared capacity, or effective area ÷ living area per person (GB 21734-2008, 1.5 m² by default,
configurable per shelter type); available = capacity − occupancy − blocked places. A shelter is flagged
unsafe when it lies closer than the safety distance (GB 50413-2007 §8.2.7, 1000 m) to a hazardous-chemical
plant, an oil depot or gas station, a gas supplier, or inside a hazard point's influence zone; a switch
leaves flagged shelters out of the totals.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import select

from config import Settings
from geo.distance import haversine_m
from services.db import read_session
from services.evacuation.capacity import (
    available_places,
    occupancy_class,
    shelter_capacity,
)
from services.models import Enterprise, HazardPoint, Shelter, Township

# Enterprises a shelter must keep the safety distance from (flammable or explosive: GB 50413-2007).
HAZARDOUS_NEIGHBOURS: dict[str, tuple[str, ...]] = {
    "危险化学品": ("生产", "经营(带储存)", "使用"),
    "成品油": ("加油站", "油库"),
    "燃气": ("燃气经营",),
}


@dataclass
class ShelterCapacity:
    id: int
    code: str
    name: str
    township_code: str
    township_name: str
    shelter_type: str
    status: str
    capacity_people: int
    occupancy_people: int
    blocked_places: int
    available_places: int
    occupancy_class: str
    lon: float
    lat: float
    unsafe_reasons: list[str] = field(default_factory=list)  # Chinese, for the page and the API


@dataclass
class TownshipCapacity:
    code: str
    name: str
    shelters: int = 0
    capacity_people: int = 0
    occupancy_people: int = 0
    available_places: int = 0


@dataclass
class CapacitySummary:
    target_people: int
    exclude_unsafe: bool
    shelters_counted: int
    capacity_people: int
    occupancy_people: int
    blocked_places: int
    available_places: int
    meets_target: bool
    shortfall_people: int
    shelters: list[ShelterCapacity]
    townships: list[TownshipCapacity]


def _unsafe_reasons(settings: Settings, shelters: list[ShelterCapacity], session) -> None:
    limit = settings.evacuation.safety_distance_m
    plants = [e for e in session.execute(select(Enterprise.name, Enterprise.sector, Enterprise.category,
                                                Enterprise.lon, Enterprise.lat))
              if e.category in HAZARDOUS_NEIGHBOURS.get(e.sector, ())]
    hazards = session.execute(select(HazardPoint.name, HazardPoint.hazard_type, HazardPoint.influence_radius_m,
                                     HazardPoint.lon, HazardPoint.lat)).all()
    if not shelters:
        return
    s_lon = np.array([s.lon for s in shelters])[:, None]
    s_lat = np.array([s.lat for s in shelters])[:, None]
    if plants:
        d = haversine_m(s_lon, s_lat, np.array([p.lon for p in plants])[None, :], np.array([p.lat for p in plants]))
        for i, j in zip(*np.nonzero(d < limit)):
            p = plants[j]
            shelters[i].unsafe_reasons.append(
                f"距{p.sector}（{p.category}）“{p.name}” {d[i, j]:.0f} 米（应 ≥ {limit:.0f} 米）")
    if hazards:
        d = haversine_m(s_lon, s_lat, np.array([h.lon for h in hazards])[None, :], np.array([h.lat for h in hazards]))
        radius = np.array([h.influence_radius_m for h in hazards])[None, :]
        for i, j in zip(*np.nonzero(d < radius)):
            h = hazards[j]
            shelters[i].unsafe_reasons.append(f"位于{h.hazard_type}隐患点“{h.name}”影响范围内（{d[i, j]:.0f} 米）")


def shelter_capacities(settings: Settings) -> list[ShelterCapacity]:
    """Every shelter with its capacity, free places and safety flags."""
    with read_session(settings.database_url) as session:
        return shelters_in(session, settings)


def shelters_in(session, settings: Settings, shelter_ids: list[int] | None = None) -> list[ShelterCapacity]:
    """The shelters (all, or those of ``shelter_ids``) as ``session`` sees them, with capacity and safety flags."""
    stmt = select(Shelter, Township.name).join(Township, Township.code == Shelter.township_code)
    if shelter_ids is not None:
        stmt = stmt.where(Shelter.id.in_(shelter_ids))
    rows = session.execute(stmt.order_by(Shelter.code)).all()
    result = []
    for s, township_name in rows:
        cap = shelter_capacity(settings, s.declared_capacity_people, s.effective_area_m2, s.shelter_type)
        result.append(ShelterCapacity(
            id=s.id, code=s.code, name=s.name, township_code=s.township_code, township_name=township_name,
            shelter_type=s.shelter_type, status=s.status, capacity_people=cap,
            occupancy_people=s.occupancy_people, blocked_places=s.blocked_places,
            available_places=available_places(cap, s.occupancy_people, s.blocked_places),
            occupancy_class=occupancy_class(s.status, cap, s.occupancy_people, s.blocked_places),
            lon=s.lon, lat=s.lat))
    _unsafe_reasons(settings, result, session)
    return result


def capacity_summary(settings: Settings, *, exclude_unsafe: bool = False) -> CapacitySummary:
    """District and township totals of places against the evacuation target (closed shelters count 0)."""
    with read_session(settings.database_url) as session:
        return summarise_capacity(session, settings, exclude_unsafe=exclude_unsafe)


def summarise_capacity(session, settings: Settings, *, exclude_unsafe: bool = False) -> CapacitySummary:
    """``capacity_summary`` as ``session`` sees the database (one snapshot with the caller's other figures)."""
    shelters = shelters_in(session, settings)
    counted = [s for s in shelters if s.status != "关闭" and not (exclude_unsafe and s.unsafe_reasons)]
    townships: dict[str, TownshipCapacity] = {}
    for code, name in session.execute(select(Township.code, Township.name).order_by(Township.code)):
        townships[code] = TownshipCapacity(code, name)
    for s in counted:
        t = townships[s.township_code]
        t.shelters += 1
        t.capacity_people += s.capacity_people
        t.occupancy_people += s.occupancy_people
        t.available_places += s.available_places
    target = settings.region.evacuation_target_people
    available = sum(s.available_places for s in counted)
    return CapacitySummary(
        target_people=target, exclude_unsafe=exclude_unsafe, shelters_counted=len(counted),
        capacity_people=sum(s.capacity_people for s in counted),
        occupancy_people=sum(s.occupancy_people for s in counted),
        blocked_places=sum(s.blocked_places for s in counted), available_places=available,
        meets_target=available >= target, shortfall_people=max(0, target - available),
        shelters=shelters, townships=list(townships.values()))

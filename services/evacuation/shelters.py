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
from services.db import audit, read_session, transaction
from services.errors import FieldError
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
        rows = session.execute(select(Shelter, Township.name).join(Township, Township.code == Shelter.township_code)
                               .order_by(Shelter.code)).all()
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
    shelters = shelter_capacities(settings)
    counted = [s for s in shelters if s.status != "关闭" and not (exclude_unsafe and s.unsafe_reasons)]
    townships: dict[str, TownshipCapacity] = {}
    with read_session(settings.database_url) as session:
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


class OccupancyError(FieldError):
    """An occupancy update that cannot be applied."""


def update_occupancy(settings: Settings, shelter_id: int, occupancy_people, *, actor: str) -> ShelterCapacity:
    """Record how many people a shelter now houses (from the field or the shelter), with an audit row."""
    try:
        value = int(str(occupancy_people).strip())
    except ValueError:
        raise OccupancyError("已安置人数", f"“{occupancy_people}” 不是整数",
                             f"'{occupancy_people}' is not a whole number") from None
    if value < 0:
        raise OccupancyError("已安置人数", "不能为负数", "must not be negative")
    with transaction(settings.database_url) as session:
        shelter = session.get(Shelter, shelter_id)
        if shelter is None:
            raise OccupancyError("避难场所", f"没有编号为 {shelter_id} 的避难场所", f"no shelter with id {shelter_id}")
        cap = shelter_capacity(settings, shelter.declared_capacity_people, shelter.effective_area_m2, shelter.shelter_type)
        if value + shelter.blocked_places > cap:
            raise OccupancyError("已安置人数", f"{value} 人加不可用位 {shelter.blocked_places} 超过容量 {cap}",
                                 f"{value} people plus {shelter.blocked_places} blocked places exceed capacity {cap}")
        before = shelter.occupancy_people
        shelter.occupancy_people = value
        audit.record(session, actor=actor, action="update", entity="shelter_occupancy", entity_key=shelter.code,
                     detail={"from": before, "to": value})
    return next(s for s in shelter_capacities(settings) if s.id == shelter_id)


def record_move(settings: Settings, hazard_id: int, people, *, shelter_id: int | None = None, actor: str) -> dict:
    """Record people moved away from a hazard point; with a shelter, they are housed there too (occupancy)."""
    from services.models import EvacuationMove, HazardPoint
    try:
        count = int(str(people).strip())
    except ValueError:
        raise OccupancyError("people", f"“{people}” 不是整数", f"'{people}' is not a whole number") from None
    if count <= 0:
        raise OccupancyError("people", "人数应大于 0", "people must be more than 0")
    with transaction(settings.database_url) as session:
        hazard = session.get(HazardPoint, hazard_id)
        if hazard is None:
            raise OccupancyError("hazard_id", f"没有编号为 {hazard_id} 的隐患点", f"no hazard point {hazard_id}")
        if shelter_id is not None:
            shelter = session.get(Shelter, shelter_id)
            if shelter is None:
                raise OccupancyError("shelter_id", f"没有编号为 {shelter_id} 的避难场所", f"no shelter {shelter_id}")
            cap = shelter_capacity(settings, shelter.declared_capacity_people, shelter.effective_area_m2, shelter.shelter_type)
            free = available_places(cap, shelter.occupancy_people, shelter.blocked_places)
            if count > free:
                raise OccupancyError("people", f"{shelter.name} 只剩 {free} 个空位", f"{shelter.name} has {free} places")
            shelter.occupancy_people += count
        session.add(EvacuationMove(hazard_id=hazard_id, shelter_id=shelter_id, people=count, actor=actor))
        audit.record(session, actor=actor, action="evacuate", entity="hazard_point", entity_key=hazard.code,
                     detail={"people": count, "shelter": shelter_id})
    return evacuation_progress(settings)["totals"]


def evacuation_progress(settings: Settings) -> dict:
    """People moved per hazard point against people threatened, and in all."""
    from sqlalchemy import func

    from services.models import EvacuationMove, HazardPoint
    with read_session(settings.database_url) as session:
        moved = dict(session.execute(select(EvacuationMove.hazard_id, func.sum(EvacuationMove.people))
                                     .group_by(EvacuationMove.hazard_id)).all())
        hazards = session.execute(select(HazardPoint.id, HazardPoint.name, HazardPoint.threatened_people)
                                  .where(HazardPoint.id.in_(list(moved)))).all() if moved else []
        housed = session.scalar(select(func.coalesce(func.sum(EvacuationMove.people), 0))
                                .where(EvacuationMove.shelter_id.is_not(None)))
    rows = [{"hazard_id": h.id, "name": h.name, "threatened": h.threatened_people, "moved": int(moved[h.id])}
            for h in hazards]
    return {"hazards": rows, "totals": {"moved": sum(r["moved"] for r in rows), "housed_by_moves": int(housed or 0)}}

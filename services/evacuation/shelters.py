"""Evacuation capacity (疏散安置能力) against the district's target, shelter by shelter and by township.

Capacity = declared capacity, or effective area ÷ living area per person (GB 21734-2008, 1.5 m² by default,
configurable per shelter type); available = capacity − occupancy − blocked places. A shelter is flagged
unsafe when it lies closer than the safety distance (GB 50413-2007 §8.2.7, 1000 m) to a hazardous-chemical
plant, an oil depot or gas station, a gas supplier, or inside a hazard point's influence zone; a switch
leaves flagged shelters out of the totals.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, replace

import numpy as np
from sqlalchemy import func, select

from geo.distance import haversine_m
from services import vocabulary
from services.db.uow import UnitOfWork
from services.evacuation.capacity import (
    available_places,
    occupancy_class,
    shelter_capacity,
)
from services.models import Enterprise, HazardPoint, Shelter, Township
from services.text.reasons import Reason

HAZARDOUS_NEIGHBOURS = vocabulary.HAZARDOUS_NEIGHBOURS  # the safety distance is kept from these


@dataclass(frozen=True)
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
    unsafe_reasons: tuple[Reason, ...] = ()  # why it fails the safety rules (codes; the catalogue renders them)

    def to_json(self) -> dict:
        """The API's record: ``unsafe_reasons`` in Chinese as always, beside their English and their codes."""
        data = asdict(self)
        data["unsafe_reasons"] = [r.text("zh") for r in self.unsafe_reasons]
        data["unsafe_reasons_en"] = [r.text("en") for r in self.unsafe_reasons]
        data["unsafe_codes"] = [r.to_json() for r in self.unsafe_reasons]
        return data


@dataclass
class TownshipCapacity:
    """A township's totals, summed while the summary is built."""

    code: str
    name: str
    shelters: int = 0
    capacity_people: int = 0
    occupancy_people: int = 0
    available_places: int = 0
    blocked_places: int = 0


@dataclass(frozen=True)
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

    def to_json(self) -> dict:
        data = asdict(self)
        data["shelters"] = [s.to_json() for s in self.shelters]
        return data


def _unsafe_reasons(uow: UnitOfWork, shelters: list[ShelterCapacity]) -> list[ShelterCapacity]:
    """The shelters with ``unsafe_reasons``: too near a hazardous plant, or inside a hazard point's zone."""
    limit = uow.settings.evacuation.safety_distance_m
    plants = [e for e in uow.session.execute(select(Enterprise.name, Enterprise.sector, Enterprise.category,
                                                    Enterprise.lon, Enterprise.lat))
              if e.category in HAZARDOUS_NEIGHBOURS.get(e.sector, ())]
    hazards = uow.session.execute(select(HazardPoint.name, HazardPoint.hazard_type, HazardPoint.influence_radius_m,
                                         HazardPoint.lon, HazardPoint.lat)).all()
    if not shelters:
        return shelters
    reasons: list[list[Reason]] = [[] for _ in shelters]
    s_lon = np.array([s.lon for s in shelters])[:, None]
    s_lat = np.array([s.lat for s in shelters])[:, None]
    if plants:
        d = haversine_m(s_lon, s_lat, np.array([p.lon for p in plants])[None, :], np.array([p.lat for p in plants]))
        for i, j in zip(*np.nonzero(d < limit)):
            p = plants[j]
            reasons[i].append(Reason("shelter.unsafe.plant", {
                "sector": p.sector, "category": p.category, "name": p.name, "distance_m": f"{d[i, j]:.0f}",
                "limit_m": f"{limit:.0f}"}))
    if hazards:
        d = haversine_m(s_lon, s_lat, np.array([h.lon for h in hazards])[None, :], np.array([h.lat for h in hazards]))
        radius = np.array([h.influence_radius_m for h in hazards])[None, :]
        for i, j in zip(*np.nonzero(d < radius)):
            h = hazards[j]
            reasons[i].append(Reason("shelter.unsafe.hazard", {
                "hazard_type": h.hazard_type, "name": h.name, "distance_m": f"{d[i, j]:.0f}"}))
    return [replace(s, unsafe_reasons=tuple(r)) if r else s for s, r in zip(shelters, reasons)]


def shelter_capacities(uow: UnitOfWork) -> list[ShelterCapacity]:
    """Every shelter with its capacity, free places and safety flags."""
    return shelters_in(uow)


def shelters_in(uow: UnitOfWork, shelter_ids: list[int] | None = None) -> list[ShelterCapacity]:
    """The shelters (all, or those of ``shelter_ids``) as the unit of work sees them, with capacity and safety flags."""
    settings = uow.settings
    stmt = select(Shelter, Township.name).join(Township, Township.code == Shelter.township_code)
    if shelter_ids is not None:
        stmt = stmt.where(Shelter.id.in_(shelter_ids))
    rows = uow.session.execute(stmt.order_by(Shelter.code)).all()
    result = []
    for s, township_name in rows:
        cap = shelter_capacity(settings, s.declared_capacity_people, s.effective_area_m2, s.shelter_type)
        result.append(ShelterCapacity(
            id=s.id, code=s.code, name=s.name, township_code=s.township_code, township_name=township_name,
            shelter_type=s.shelter_type, status=s.status, capacity_people=cap,
            occupancy_people=s.occupancy_people, blocked_places=s.blocked_places,
            available_places=available_places(cap, s.occupancy_people, s.blocked_places, s.status),
            occupancy_class=occupancy_class(s.status, cap, s.occupancy_people, s.blocked_places),
            lon=s.lon, lat=s.lat))
    return _unsafe_reasons(uow, result)


def capacity_summary(uow: UnitOfWork, *, exclude_unsafe: bool = False,
                     target_people: int | None = None) -> CapacitySummary:
    """District and township totals of places against the evacuation target (closed shelters count 0).

    Township staff see their own township: its shelters, against the people its hazard points threaten (the
    district's target is the county's, not theirs). ``target_people`` checks another number of people instead
    (the page's 转移人数).
    """
    settings = uow.settings
    home = uow.principal.township_filter()
    shelters = [s for s in shelters_in(uow) if home is None or s.township_code == home]
    counted = [s for s in shelters if s.status != vocabulary.SHELTER_CLOSED and not (exclude_unsafe and s.unsafe_reasons)]
    townships: dict[str, TownshipCapacity] = {}
    rows = select(Township.code, Township.name).order_by(Township.code)
    for code, name in uow.session.execute(rows if home is None else rows.where(Township.code == home)):
        townships[code] = TownshipCapacity(code, name)
    for s in counted:
        t = townships[s.township_code]
        t.shelters += 1
        t.capacity_people += s.capacity_people
        t.occupancy_people += s.occupancy_people
        t.available_places += s.available_places
        t.blocked_places += s.blocked_places
    target = target_people if target_people is not None else \
        settings.region.evacuation_target_people if home is None else int(uow.session.scalar(
        select(func.coalesce(func.sum(HazardPoint.threatened_people), 0)).where(HazardPoint.township_code == home)))
    available = sum(s.available_places for s in counted)
    return CapacitySummary(
        target_people=target, exclude_unsafe=exclude_unsafe, shelters_counted=len(counted),
        capacity_people=sum(s.capacity_people for s in counted),
        occupancy_people=sum(s.occupancy_people for s in counted),
        blocked_places=sum(s.blocked_places for s in counted), available_places=available,
        meets_target=available >= target, shortfall_people=max(0, target - available),
        shelters=shelters, townships=list(townships.values()))

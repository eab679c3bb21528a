"""What the coverage and siting analyses read from one snapshot: demand points (hazard points with the people they
threaten, village seats with their residents) and the facilities that serve them (open shelters with free places,
rescue teams on standby, supply depots)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from geo.roads import RoadGraph
from services import vocabulary
from services.db.uow import UnitOfWork
from services.errors import FieldError
from services.evacuation.plan_result import RoadNetworkUsed
from services.evacuation.shelters import shelters_in
from services.models import Depot, HazardPoint, RescueTeam, Shelter, Township, Village

FACILITIES = ("shelter", "team", "depot")
DEMAND_KINDS = ("hazard", "village")


@dataclass(frozen=True)
class DemandPlace:
    """A place whose people need help: a hazard point (its threatened people) or a village seat (its residents)."""

    kind: str            # hazard or village
    id: int | None       # the hazard point's record id; None for a village
    code: str            # hazard point code or the village's 12-digit code
    name: str
    township_code: str
    township_name: str
    people: int
    lon: float
    lat: float
    is_sample: bool


@dataclass(frozen=True)
class FacilityPlace:
    """A facility that serves demand: an open shelter (with its free places), a team on standby, a depot."""

    kind: str            # shelter, team or depot
    id: int
    name: str
    township_code: str
    lon: float
    lat: float
    free_places: int | None
    is_sample: bool


def check_townships(uow: UnitOfWork, codes) -> dict[str, str]:
    """Code → name of every township; raises FieldError("townships") naming a code that is none of them."""
    names = dict(uow.session.execute(select(Township.code, Township.name)).all())
    for code in codes:
        if code not in names:
            raise FieldError.of("townships", "analysis.unknown_township", township=code)
    return names


def hazard_places(uow: UnitOfWork, townships=(), hazard_types=()) -> list[DemandPlace]:
    """Hazard points (of the townships and types given; empty: all), by code."""
    stmt = select(HazardPoint, Township.name).join(Township, Township.code == HazardPoint.township_code)
    if townships:
        stmt = stmt.where(HazardPoint.township_code.in_(list(townships)))
    if hazard_types:
        stmt = stmt.where(HazardPoint.hazard_type.in_(list(hazard_types)))
    return [DemandPlace("hazard", h.id, h.code, h.name, h.township_code, town, int(h.threatened_people),
                        float(h.lon), float(h.lat), bool(h.is_sample))
            for h, town in uow.session.execute(stmt.order_by(HazardPoint.code))]


def village_places(uow: UnitOfWork, townships=()) -> list[DemandPlace]:
    """Villages with a known seat (of the townships given; empty: all), by code; no population counts as 0."""
    stmt = (select(Village, Township.name).join(Township, Township.code == Village.township_code)
            .where(Village.seat_lon.is_not(None), Village.seat_lat.is_not(None)))
    if townships:
        stmt = stmt.where(Village.township_code.in_(list(townships)))
    return [DemandPlace("village", None, v.code, v.name, v.township_code, town, int(v.population or 0),
                        float(v.seat_lon), float(v.seat_lat), bool(v.seat_is_sample or v.population_is_sample))
            for v, town in uow.session.execute(stmt.order_by(Village.code))]


def facility_places(uow: UnitOfWork, kind: str) -> list[FacilityPlace]:
    """The facilities of ``kind`` that can serve now: shelters open with free places, teams on standby, depots."""
    if kind == "shelter":
        sample = dict(uow.session.execute(select(Shelter.id, Shelter.is_sample)).all())
        return [FacilityPlace("shelter", s.id, s.name, s.township_code, s.lon, s.lat, s.available_places,
                              bool(sample.get(s.id)))
                for s in shelters_in(uow) if s.status == vocabulary.SHELTER_OPEN and s.available_places > 0]
    model = RescueTeam if kind == "team" else Depot
    stmt = select(model.id, model.name, model.township_code, model.lon, model.lat, model.is_sample)
    if kind == "team":
        stmt = stmt.where(RescueTeam.status == vocabulary.TEAM_STANDBY)
    return [FacilityPlace(kind, r.id, r.name, r.township_code, float(r.lon), float(r.lat), None, bool(r.is_sample))
            for r in uow.session.execute(stmt.order_by(model.id))]


def network_used(graph: RoadGraph) -> RoadNetworkUsed:
    """The road network an analysis ran on: synthetic or imported, its size, and the edges closed."""
    return RoadNetworkUsed(graph.synthetic, graph.node_count, graph.edge_count, int(graph.blocked.sum()))

"""Siting (选址, location-allocation): where K new shelters, rescue bases or depots serve the threatened people best.

Demand is the hazard points with people threatened (by township and hazard type); the facilities that exist
(open shelters with free places, teams on standby, depots) stay open. Candidates are township seats, village seats
(sample), a grid in metres over the district (or the townships chosen), or points the user gives; a candidate
farther than ``MAX_ACCESS_M`` from an open road is left out. Travel times are by road, walking or driving, with
the closures in force. ``geo.siting`` solves exactly (maximal covering within T minutes, or p-median); the result
gives the score before and after and what each new site adds, in order.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import shapely
from sqlalchemy import select

from config import Settings
from geo import siting as solver
from geo.candidates import grid_points
from geo.facilities import travel_seconds, walking_graph
from geo.roads import MAX_ACCESS_M
from geo.travel import snap
from services.analysis.places import (
    DemandPlace,
    FacilityPlace,
    check_townships,
    facility_places,
    hazard_places,
    network_used,
    village_places,
)
from services.data.geography import district_geometry
from services.db.uow import UnitOfWork
from services.errors import FieldError
from services.evacuation.plan_result import RoadNetworkUsed
from services.models import Township
from services.roads.network import road_graph
from services.supply.solver_slots import solver_slot
from services.text import t

SOURCES = ("seats", "villages", "grid", "points")
MAX_CANDIDATES = 1000
TOWARDS = {"shelter": True, "team": False, "depot": False}


@dataclass(frozen=True)
class SitingQuery:
    facility: str = "shelter"            # shelter, team or depot
    k: int = 3
    minutes: float = 30.0
    objective: str = "coverage"          # coverage (MCLP) or p-median
    mode: str = "drive"                  # walk or drive
    townships: tuple[str, ...] = ()      # demand (and seat, village and grid candidates) in these; empty: all
    hazard_types: tuple[str, ...] = ()
    candidates: tuple[str, ...] = ("seats", "villages")
    points: tuple[tuple[float, float], ...] = ()  # user candidates, (lon, lat)
    grid_spacing_m: float = 2000.0
    capacity_people: int | None = None   # places (people served) of each new site, and of each existing team or
                                         # depot; existing shelters keep their free places. None: uncapacitated
    hazard_blocks: bool = False
    time_limit_s: float = 30.0


@dataclass(frozen=True)
class Candidate:
    source: str          # seats, villages, grid or points
    ref: str             # township or village code, or the grid / point number
    name: str
    name_en: str
    township_code: str | None
    township_name: str | None
    lon: float
    lat: float
    is_sample: bool


@dataclass(frozen=True)
class SitingScore:
    covered_people: int       # within the minutes (with capacities: given a place within them)
    covered_share: float      # of the demand people
    reached_people: int       # at any time
    person_minutes: float
    mean_minutes: float | None


@dataclass(frozen=True)
class ProposedSite:
    rank: int
    candidate: Candidate
    adds_covered_people: int
    adds_reached_people: int
    person_minutes_change: float  # after − before: negative is a saving
    after: SitingScore        # with this site and those before it


@dataclass(frozen=True)
class SitingResult:
    query: SitingQuery
    demand_points: int
    demand_people: int
    existing_facilities: int
    candidates_considered: int
    candidates_cut_off: int   # farther than MAX_ACCESS_M from an open road
    before: SitingScore
    after: SitingScore
    sites: tuple[ProposedSite, ...]
    optimal: bool
    solver: str
    solve_s: float
    road_network: RoadNetworkUsed
    is_sample: bool

    def to_json(self) -> dict:
        return asdict(self)


def _area(uow: UnitOfWork, townships) -> object:
    if not townships:
        return district_geometry(uow)
    return shapely.union_all(list(uow.session.scalars(select(Township.geom).where(Township.code.in_(townships)))))


def _candidates(uow: UnitOfWork, query: SitingQuery, names: dict[str, str]) -> list[Candidate]:
    found: list[Candidate] = []
    if "seats" in query.candidates:
        stmt = select(Township).order_by(Township.code)
        for town in uow.session.scalars(stmt):
            if not query.townships or town.code in query.townships:
                found.append(Candidate("seats", town.code, town.name, town.name_en, town.code, town.name,
                                       town.seat_lon, town.seat_lat, False))
    if "villages" in query.candidates:
        found += [Candidate("villages", v.code, v.name, v.name, v.township_code, v.township_name, v.lon, v.lat,
                            v.is_sample) for v in village_places(uow, query.townships)]
    if "grid" in query.candidates:
        for n, (lon, lat) in enumerate(grid_points(_area(uow, query.townships), query.grid_spacing_m), 1):
            found.append(Candidate("grid", str(n), t("analysis.candidate.grid", n=n),
                                   t("analysis.candidate.grid", "en", n=n), None, None, float(lon), float(lat), False))
    if "points" in query.candidates:
        if not query.points:
            raise FieldError.of("points", "analysis.points_needed")
        for n, (lon, lat) in enumerate(query.points, 1):
            found.append(Candidate("points", str(n), t("analysis.candidate.point", n=n),
                                   t("analysis.candidate.point", "en", n=n), None, None, float(lon), float(lat), False))
    return _locate(uow, found, names)


def _locate(uow: UnitOfWork, found: list[Candidate], names: dict[str, str]) -> list[Candidate]:
    """Grid and user points get the township whose polygon holds them."""
    loose = [i for i, c in enumerate(found) if c.township_code is None]
    if not loose:
        return found
    towns = uow.session.execute(select(Township.code, Township.geom).order_by(Township.code)).all()
    lon = np.array([found[i].lon for i in loose])
    lat = np.array([found[i].lat for i in loose])
    for code, geom in towns:
        for i in np.asarray(loose)[shapely.contains_xy(geom, lon, lat)]:
            c = found[i]
            if c.township_code is None:
                found[i] = Candidate(c.source, c.ref, c.name, c.name_en, code, names[code], c.lon, c.lat, c.is_sample)
    return found


def _score(score: solver.Score, demand_people: int, capacitated: bool) -> SitingScore:
    """The solver's score in minutes; the mean is over the people it timed (reached, or housed within T)."""
    minutes = score.person_seconds / 60.0
    timed = score.covered_people if capacitated else score.reached_people
    share = round(score.covered_people / demand_people, 4) if demand_people else 0.0
    return SitingScore(score.covered_people, share, score.reached_people, round(minutes, 1),
                       round(minutes / timed, 1) if timed else None)


def _matrix(graph, query: SitingQuery, people_xy: np.ndarray, site_xy: np.ndarray) -> np.ndarray:
    """(demand, sites) travel seconds in the direction the facility kind travels."""
    if TOWARDS[query.facility]:
        return travel_seconds(graph, people_xy, site_xy, mode=query.mode)
    return travel_seconds(graph, site_xy, people_xy, mode=query.mode).T


def _usable(graph, query: SitingQuery, candidates: list[Candidate]) -> list[Candidate]:
    road = walking_graph(graph) if query.mode == "walk" else graph
    if not candidates:
        return []
    snapped = snap(road, [c.lon for c in candidates], [c.lat for c in candidates])
    return [c for c, cut in zip(candidates, snapped.cut_off) if not cut]


@dataclass(frozen=True)
class SitingInputs:
    """What a siting reads from the database, with the travel times computed: solved without a transaction."""

    query: SitingQuery
    demand: tuple[DemandPlace, ...]
    existing: tuple[FacilityPlace, ...]
    candidates: tuple[Candidate, ...]
    cut_off: int
    cost_s: np.ndarray        # (demand, candidates)
    existing_s: np.ndarray    # (demand, existing)
    network: RoadNetworkUsed
    synthetic_network: bool


def prepare(uow: UnitOfWork, query: SitingQuery) -> SitingInputs:
    """Read demand, facilities and candidates, and the travel times between them; raises FieldError naming a
    parameter that is wrong."""
    uow.principal.require("analysis.run")
    names = check_townships(uow, query.townships)
    demand = [d for d in hazard_places(uow, query.townships, query.hazard_types) if d.people > 0]
    existing = facility_places(uow, query.facility)
    graph = road_graph(uow, hazard_blocks=query.hazard_blocks)
    offered = _candidates(uow, query, names)
    candidates = _usable(graph, query, offered)
    if not candidates:
        raise FieldError.of("candidates", "analysis.no_candidates", limit_m=f"{MAX_ACCESS_M:g}")
    if len(candidates) > MAX_CANDIDATES:
        field = "grid_spacing_m" if "grid" in query.candidates else "candidates"
        raise FieldError.of(field, "analysis.too_many_candidates", count=len(candidates), limit=MAX_CANDIDATES)
    people_xy = np.array([[d.lon, d.lat] for d in demand], dtype=float).reshape(-1, 2)
    cost = _matrix(graph, query, people_xy, np.array([[c.lon, c.lat] for c in candidates]))
    existing_s = _matrix(graph, query, people_xy, np.array([[f.lon, f.lat] for f in existing]).reshape(-1, 2))
    return SitingInputs(query, tuple(demand), tuple(existing), tuple(candidates), len(offered) - len(candidates),
                        cost, existing_s, network_used(graph), graph.synthetic)


def solve(settings: Settings, inputs: SitingInputs) -> SitingResult:
    """Solve a prepared siting in one of the process's solver slots (raises PlannerBusy when none frees up)."""
    query = inputs.query
    people = np.array([d.people for d in inputs.demand], dtype=np.int64)
    capacity = existing_capacity = None
    if query.capacity_people is not None:
        capacity = np.full(len(inputs.candidates), query.capacity_people, dtype=np.int64)
        existing_capacity = np.array([f.free_places if f.free_places is not None else query.capacity_people
                                      for f in inputs.existing], dtype=np.int64)
    limit_s = query.minutes * 60.0
    args = {"existing_s": inputs.existing_s, "capacity": capacity, "existing_capacity": existing_capacity,
            "time_limit_s": query.time_limit_s}
    try:
        with solver_slot(settings):
            if query.objective == "coverage":
                found = solver.mclp(inputs.cost_s, people, query.k, limit_s, **args)
            else:
                found = solver.p_median(inputs.cost_s, people, query.k, limit_s=limit_s, **args)
    except solver.NoSolution:
        raise FieldError.of("time_limit_s", "analysis.no_solution", seconds=f"{query.time_limit_s:g}") from None
    problem = solver.Problem.of(inputs.cost_s, people, inputs.existing_s, capacity, existing_capacity)
    return _result(inputs, problem, found, limit_s)


def site(uow: UnitOfWork, query: SitingQuery) -> SitingResult:
    """Prepare and solve in the caller's unit of work (pages and tests; the API solves after closing it)."""
    return solve(uow.settings, prepare(uow, query))


def _result(inputs: SitingInputs, problem: solver.Problem, found: solver.SitingSolution,
            limit_s: float) -> SitingResult:
    total = int(problem.people.sum())
    capacitated = problem.capacitated
    sites = []
    steps = solver.contributions(problem, found.chosen, limit_s)
    for rank, (j, (before, after)) in enumerate(zip(found.chosen, steps), 1):
        sites.append(ProposedSite(rank, inputs.candidates[j], after.covered_people - before.covered_people,
                                  after.reached_people - before.reached_people,
                                  round((after.person_seconds - before.person_seconds) / 60.0, 1),
                                  _score(after, total, capacitated)))
    before = solver.evaluate(problem, [], limit_s)
    is_sample = inputs.synthetic_network or any(d.is_sample for d in inputs.demand) or \
        any(f.is_sample for f in inputs.existing) or any(s.candidate.is_sample for s in sites)
    return SitingResult(inputs.query, len(inputs.demand), total, len(inputs.existing), len(inputs.candidates),
                        inputs.cut_off, _score(before, total, capacitated), _score(found.score, total, capacitated),
                        tuple(sites), found.optimal, found.solver, round(found.solve_s, 3), inputs.network, is_sample)


def site_features(result: SitingResult) -> dict:
    """The proposed sites as a GeoJSON FeatureCollection for the map (properties: order, name, what each adds)."""
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [s.candidate.lon, s.candidate.lat]},
         "properties": {"order": s.rank, "name": s.candidate.name, "name_en": s.candidate.name_en,
                        "township_name": s.candidate.township_name, "adds_covered_people": s.adds_covered_people,
                        "person_minutes_change": s.person_minutes_change, "is_sample": s.candidate.is_sample}}
        for s in result.sites]}

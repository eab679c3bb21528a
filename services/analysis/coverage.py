"""Coverage gaps by road (覆盖盲区): how far every hazard point and village seat is from help, closures honoured.

For each demand point: the travel time by road, walking and driving, to the nearest open shelter with free places
(people travel to it), from the nearest rescue team on standby and from the nearest supply depot (they travel to
the point). One multi-source search per facility kind and mode (``geo.facilities.nearest``). Summaries: people
beyond 15 / 30 / 60 min of a shelter, by township; townships whose hazard points are not all reached by a team
within the ground-rescue standard (地面救援30分钟到达, Chongqing's tiers: air 1 h, ground 30 min, community
10 min); hazard points whose nearest shelter cannot hold their people, and shelters nearest to more people than
they have places for.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np

from geo.facilities import MODES, nearest
from services import vocabulary
from services.analysis.places import (
    DEMAND_KINDS,
    FACILITIES,
    DemandPlace,
    FacilityPlace,
    check_townships,
    facility_places,
    hazard_places,
    network_used,
    village_places,
)
from services.db.uow import UnitOfWork
from services.errors import FieldError
from services.evacuation.plan_result import RoadNetworkUsed
from services.roads.network import road_graph

SHELTER_GAP_MIN = (15, 30, 60)
TEAM_STANDARD_MIN = 30  # 地面救援30分钟到达
TOWARDS = {"shelter": True, "team": False, "depot": False}  # who travels: people to a shelter; teams, trucks out


@dataclass(frozen=True)
class CoverageQuery:
    """Which demand points: townships and hazard types (empty: all), kinds (hazard points, villages)."""

    townships: tuple[str, ...] = ()
    hazard_types: tuple[str, ...] = ()
    kinds: tuple[str, ...] = DEMAND_KINDS
    hazard_blocks: bool = False  # also close the roads in the zones of red and orange warnings


@dataclass(frozen=True)
class Reach:
    """The nearest facility of one kind by one mode: which, how many minutes, its free places (shelters)."""

    facility_id: int | None    # None: no facility of the kind can be reached
    facility_name: str | None
    minutes: float | None
    free_places: int | None = None


@dataclass(frozen=True)
class ModeReach:
    walk: Reach
    drive: Reach


@dataclass(frozen=True)
class PointCoverage:
    """One demand point and its nearest shelter, team and depot, walking and driving."""

    kind: str
    id: int | None
    code: str
    name: str
    township_code: str
    township_name: str
    people: int
    lon: float
    lat: float
    is_sample: bool
    shelter: ModeReach
    team: ModeReach
    depot: ModeReach


@dataclass
class ShelterGap:
    """People of one kind in one township (or the district: code None) beyond each time of a shelter."""

    township_code: str | None
    township_name: str | None
    kind: str
    mode: str
    points: int = 0
    people: int = 0
    beyond_15_min: int = 0   # people whose nearest shelter is farther than 15 min (unreachable included)
    beyond_30_min: int = 0
    beyond_60_min: int = 0
    unreachable_people: int = 0


@dataclass(frozen=True)
class TeamStandard:
    """A township's hazard points against the ground-rescue standard (the nearest standby team, driving)."""

    township_code: str
    township_name: str
    hazard_points: int
    within_standard: int
    unreachable: int
    worst_minutes: float | None  # of the points reached
    meets_standard: bool
    late_points: tuple[str, ...]  # codes of the hazard points beyond the standard or unreachable


@dataclass(frozen=True)
class ShelterOverflow:
    """A hazard point whose nearest shelter (by ``mode``) has fewer free places than the point has people."""

    hazard_id: int
    code: str
    name: str
    township_name: str
    people: int
    mode: str
    shelter_id: int
    shelter_name: str
    free_places: int
    short_people: int


@dataclass(frozen=True)
class ShelterLoad:
    """A shelter nearest (by ``mode``) to hazard points with more people in all than its free places."""

    shelter_id: int
    shelter_name: str
    mode: str
    free_places: int
    hazard_points: int
    people: int
    short_people: int


@dataclass(frozen=True)
class CoverageReport:
    query: CoverageQuery
    gap_minutes: tuple[int, ...]
    team_standard_minutes: int
    facilities: dict[str, int]  # facilities counted per kind
    road_network: RoadNetworkUsed
    is_sample: bool             # some input is sample data (示例数据)
    points: tuple[PointCoverage, ...]
    shelter_gaps: tuple[ShelterGap, ...]        # per township, kind and mode
    shelter_gap_totals: tuple[ShelterGap, ...]  # the district, per kind and mode
    team_standard: tuple[TeamStandard, ...]
    overflow: tuple[ShelterOverflow, ...] = field(default=())
    shelter_loads: tuple[ShelterLoad, ...] = field(default=())

    def to_json(self) -> dict:
        return asdict(self)


def _check(uow: UnitOfWork, query: CoverageQuery) -> None:
    check_townships(uow, query.townships)
    for name, values, allowed in (("hazard_types", query.hazard_types, vocabulary.HAZARD_TYPES),
                                  ("kinds", query.kinds, DEMAND_KINDS)):
        bad = [v for v in values if v not in allowed]
        if bad:
            raise FieldError.of(name, "scenario.value", value=bad[0], name=name)


def _demand(uow: UnitOfWork, query: CoverageQuery) -> list[DemandPlace]:
    places: list[DemandPlace] = []
    if "hazard" in query.kinds:
        places += hazard_places(uow, query.townships, query.hazard_types)
    if "village" in query.kinds:
        places += village_places(uow, query.townships)
    return places


def _reach(facilities: list[FacilityPlace], index: int, seconds: float) -> Reach:
    if index < 0:
        return Reach(None, None, None)
    f = facilities[index]
    return Reach(f.id, f.name, round(float(seconds) / 60.0, 1), f.free_places)


def nearest_reaches(graph, demand: list[DemandPlace],
                    facilities: dict[str, list[FacilityPlace]]) -> dict[tuple[str, str], list[Reach]]:
    """(facility kind, mode) → the nearest facility of every demand point, one search per pair."""
    points = np.array([[d.lon, d.lat] for d in demand], dtype=float).reshape(-1, 2)
    result = {}
    for kind in FACILITIES:
        places = facilities[kind]
        sites = np.array([[f.lon, f.lat] for f in places], dtype=float).reshape(-1, 2)
        for mode in MODES:
            found = nearest(graph, sites, points, mode=mode, towards=TOWARDS[kind])
            result[(kind, mode)] = [_reach(places, int(i), s) for i, s in zip(found.index, found.seconds)]
    return result


def _gaps(points: list[PointCoverage]) -> tuple[tuple[ShelterGap, ...], tuple[ShelterGap, ...]]:
    by_township: dict[tuple, ShelterGap] = {}
    totals: dict[tuple, ShelterGap] = {}
    for p in points:
        for mode in MODES:
            reach: Reach = getattr(p.shelter, mode)
            for table, key in ((by_township, (p.township_code, p.kind, mode)), (totals, (None, p.kind, mode))):
                gap = table.setdefault(key, ShelterGap(key[0], p.township_name if key[0] else None, p.kind, mode))
                gap.points += 1
                gap.people += p.people
                if reach.minutes is None:
                    gap.unreachable_people += p.people
                for limit in SHELTER_GAP_MIN:
                    if reach.minutes is None or reach.minutes > limit:
                        setattr(gap, f"beyond_{limit}_min", getattr(gap, f"beyond_{limit}_min") + p.people)
    order = sorted(by_township, key=lambda k: (k[0], DEMAND_KINDS.index(k[1]), MODES.index(k[2])))
    total_order = sorted(totals, key=lambda k: (DEMAND_KINDS.index(k[1]), MODES.index(k[2])))
    return tuple(by_township[k] for k in order), tuple(totals[k] for k in total_order)


def _team_standard(points: list[PointCoverage]) -> tuple[TeamStandard, ...]:
    towns: dict[str, list[PointCoverage]] = {}
    for p in points:
        if p.kind == "hazard":
            towns.setdefault(p.township_code, []).append(p)
    rows = []
    for code in sorted(towns):
        members = towns[code]
        minutes = [p.team.drive.minutes for p in members]
        late = tuple(p.code for p, m in zip(members, minutes) if m is None or m > TEAM_STANDARD_MIN)
        reached = [m for m in minutes if m is not None]
        rows.append(TeamStandard(code, members[0].township_name, len(members), len(members) - len(late),
                                 sum(m is None for m in minutes), max(reached) if reached else None, not late, late))
    return tuple(rows)


def _overflow(points: list[PointCoverage]) -> tuple[tuple[ShelterOverflow, ...], tuple[ShelterLoad, ...]]:
    overflow, loads = [], {}
    for p in points:
        if p.kind != "hazard" or p.people <= 0:
            continue
        for mode in MODES:
            r: Reach = getattr(p.shelter, mode)
            if r.facility_id is None:
                continue
            if p.people > r.free_places:
                overflow.append(ShelterOverflow(p.id, p.code, p.name, p.township_name, p.people, mode,
                                                r.facility_id, r.facility_name, r.free_places,
                                                p.people - r.free_places))
            load = loads.setdefault((r.facility_id, mode), [r.facility_name, r.free_places, 0, 0])
            load[2] += 1
            load[3] += p.people
    short = [ShelterLoad(sid, name, mode, free, n, people, people - free)
             for (sid, mode), (name, free, n, people) in sorted(loads.items()) if people > free]
    return tuple(overflow), tuple(short)


def coverage(uow: UnitOfWork, query: CoverageQuery | None = None) -> CoverageReport:
    """Travel times from every demand point of ``query`` to the nearest facilities, and the gaps they leave."""
    uow.principal.require("analysis.read")
    query = query or CoverageQuery()
    _check(uow, query)
    demand = _demand(uow, query)
    facilities = {kind: facility_places(uow, kind) for kind in FACILITIES}
    graph = road_graph(uow, hazard_blocks=query.hazard_blocks)
    reaches = nearest_reaches(graph, demand, facilities)
    points = [PointCoverage(d.kind, d.id, d.code, d.name, d.township_code, d.township_name, d.people, d.lon, d.lat,
                            d.is_sample, *(ModeReach(reaches[(k, "walk")][i], reaches[(k, "drive")][i])
                                           for k in FACILITIES))
              for i, d in enumerate(demand)]
    gaps, totals = _gaps(points)
    overflow, loads = _overflow(points)
    is_sample = any(d.is_sample for d in demand) or any(f.is_sample for fs in facilities.values() for f in fs)
    return CoverageReport(query, SHELTER_GAP_MIN, TEAM_STANDARD_MIN, {k: len(v) for k, v in facilities.items()},
                          network_used(graph), is_sample or graph.synthetic, tuple(points), gaps, totals,
                          _team_standard(points), overflow, loads)


def gap_features(report: CoverageReport, facility: str = "shelter", mode: str = "drive",
                 minutes: float = 30.0) -> dict:
    """The demand points farther than ``minutes`` from their nearest ``facility`` by ``mode`` (or cut off from
    every one), as a GeoJSON FeatureCollection for the map (properties: people, name, minutes, facility_name)."""
    features = []
    for p in report.points:
        reach: Reach = getattr(getattr(p, facility), mode)
        if reach.minutes is not None and reach.minutes <= minutes:
            continue
        features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [p.lon, p.lat]},
                         "properties": {"kind": p.kind, "code": p.code, "name": p.name,
                                        "township_name": p.township_name, "people": p.people,
                                        "minutes": reach.minutes, "facility_name": reach.facility_name,
                                        "is_sample": p.is_sample}})
    return {"type": "FeatureCollection", "features": features}

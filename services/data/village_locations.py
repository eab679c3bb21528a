"""Village locations (村/社区 seats) from the place nodes of an OpenStreetMap extract (issue 13, point 2).

A node tagged place=village, hamlet, neighbourhood, … (geo/place_nodes.py) whose name is a village's official name
or one of its common forms (关云村村民委员会, 关云村, 关云; 文汇社区, 文汇居委) locates that village: its seat becomes
the node's point (WGS-84) and stops being sample, so the gazetteer places addresses naming it at 村级.

Matching, in the order tried: the node's name as written, without 村民委员会/居委会, without 村/社区 (the first of
these that fits decides). A node inside a township's polygon names a village of that township; where none there
has the name and the polygons are only approximate (Voronoi cells), a village of a neighbouring township within
``NEIGHBOUR_TOLERANCE_M`` of the node takes it, but only when no other village of the district has that name: two
villages sharing a name are never matched across townships. A node outside the district is ignored. When several
nodes fit one village, the best fit (as written before shortened, place=village before hamlet) wins; two equally
good ones leave the village as it was (ambiguous).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import shapely
from sqlalchemy import select, update

from geo.distance import haversine_m
from geo.place_nodes import PLACE_KINDS, PlaceNode
from services.data.geocode import village_forms
from services.data.places import _clean, _strip, village_keys
from services.data.specs import VILLAGE_SUFFIXES
from services.db import audit
from services.db.locks import transaction_lock
from services.db.uow import UnitOfWork
from services.models import AdminArea, Township, Village

NEIGHBOUR_TOLERANCE_M = 2000.0  # how far outside its approximate township polygon a village's node may lie
_KIND_RANK = {kind: rank for rank, kind in enumerate(PLACE_KINDS)}


@dataclass(frozen=True)
class PlaceImportReport:
    """What an import of place nodes did: villages located, and the nodes not used, by reason."""

    nodes: int            # place nodes read
    matched: int          # villages located (their seats written)
    unmatched: int        # nodes in the district whose name is no village's
    ambiguous: int        # nodes not used: the name fits several villages, or another node fits as well
    outside: int          # nodes outside the district
    superseded: int       # nodes that fit a village another node fits better
    ambiguous_names: tuple[str, ...] = ()
    villages: tuple[str, ...] = ()  # codes of the villages located


@dataclass
class _Region:
    district: shapely.Geometry
    codes: list[str]                      # township codes, in the order of ``polys``
    polys: list                            # township polygons
    tree: shapely.STRtree
    approximate: bool                      # the township polygons are derived, not official
    village_town: dict[str, str]           # village code → township code
    village_name: dict[str, str]
    index: dict[str, set[str]]             # written form → village codes


def _region(uow: UnitOfWork) -> _Region:
    session = uow.session
    towns = session.execute(select(Township.code, Township.geom, Township.approximate).order_by(Township.code)).all()
    district = session.get(AdminArea, uow.settings.region.adcode).geom
    shapely.prepare(district)
    region = _Region(district, [t.code for t in towns], [t.geom for t in towns],
                     shapely.STRtree([t.geom for t in towns]), any(t.approximate for t in towns), {}, {},
                     defaultdict(set))
    for code, name, town in session.execute(select(Village.code, Village.name, Village.township_code)):
        region.village_town[code], region.village_name[code] = town, name
        for key in village_keys(name) | village_forms(name):
            if len(key) >= 2:
                region.index[key].add(code)
    return region


def _steps(name: str) -> list[str]:
    """A node's name as written, without the committee suffix, without 村/社区: the keys tried in order."""
    value = _clean(name)
    committee, kind = VILLAGE_SUFFIXES
    common = _strip(value, committee)
    keys: list[str] = []
    for key in (value, common, _strip(common, kind)):
        if len(key) >= 2 and key not in keys:
            keys.append(key)
    return keys


def _township_of(region: _Region, point) -> str | None:
    for idx in region.tree.query(point, predicate="intersects"):
        return region.codes[int(idx)]
    return None


def _distance_m(poly, point) -> float:
    line = shapely.shortest_line(poly, point)
    (lon1, lat1), (lon2, lat2) = shapely.get_coordinates(line)
    return float(haversine_m(lon1, lat1, lon2, lat2))


def _nearby(region: _Region, code: str, point) -> bool:
    poly = region.polys[region.codes.index(region.village_town[code])]
    return _distance_m(poly, point) <= NEIGHBOUR_TOLERANCE_M


def _candidates(region: _Region, node: PlaceNode, town: str | None) -> tuple[set[str], int]:
    """The villages a node's names fit (one: a match; several: ambiguous) and the step that found them."""
    found: set[str] = set()
    best = None
    for name in node.names:
        for step, key in enumerate(_steps(name)):
            codes = region.index.get(key, set())
            if town is not None:
                codes = {c for c in codes if region.village_town[c] == town}
            if codes:
                if best is None or step < best:
                    found, best = set(codes), step
                elif step == best:
                    found |= codes
                break
    if found or town is None or not region.approximate:
        return found, best if best is not None else 0
    return _across(region, node)


def _across(region: _Region, node: PlaceNode) -> tuple[set[str], int]:
    """No village of the node's (approximate) township has its name: a unique name next door, or ambiguity."""
    point = shapely.Point(node.lon, node.lat)
    for name in node.names:
        for step, key in enumerate(_steps(name)):
            codes = region.index.get(key, set())
            if len(codes) > 1:
                return set(codes), step  # a shared name: never matched across townships
            if codes:
                return ({next(iter(codes))} if _nearby(region, next(iter(codes)), point) else set()), step
    return set(), 0


def match_places(region: _Region, nodes: list[PlaceNode]):
    """(village code → node) for the villages located, and the report's counts of the nodes not used."""
    fits: dict[str, list[tuple[tuple[int, int], PlaceNode]]] = defaultdict(list)
    unmatched = outside = ambiguous = 0
    ambiguous_names: set[str] = set()
    for node in nodes:
        point = shapely.Point(node.lon, node.lat)
        if not region.district.covers(point):
            outside += 1
            continue
        codes, step = _candidates(region, node, _township_of(region, point))
        if not codes:
            unmatched += 1
        elif len(codes) > 1:
            ambiguous += 1
            ambiguous_names.add(node.names[0])
        else:
            fits[next(iter(codes))].append(((step, _KIND_RANK.get(node.kind, len(PLACE_KINDS))), node))
    located: dict[str, PlaceNode] = {}
    superseded = 0
    for code, options in fits.items():
        options.sort(key=lambda o: o[0])
        best = [node for rank, node in options if rank == options[0][0]]
        if len(best) == 1:
            located[code] = best[0]
            superseded += len(options) - 1
        else:
            ambiguous += len(best)
            superseded += len(options) - len(best)
            ambiguous_names.add(region.village_name[code])
    return located, dict(unmatched=unmatched, ambiguous=ambiguous, outside=outside, superseded=superseded,
                         ambiguous_names=tuple(sorted(ambiguous_names)))


def import_village_locations(uow: UnitOfWork, nodes: list[PlaceNode], source: str) -> PlaceImportReport:
    """Locate the district's villages from ``nodes`` (WGS-84) in the caller's transaction, audited; a village's seat
    is written only while it is still the village matched (same code and township: a conditional UPDATE)."""
    uow.principal.require("data.import")
    transaction_lock(uow, "qj-import:village-locations")
    region = _region(uow)
    located, counts = match_places(region, nodes)
    written: list[str] = []
    for code, node in sorted(located.items()):
        stmt = (update(Village).where(Village.code == code, Village.township_code == region.village_town[code])
                .values(seat_lon=node.lon, seat_lat=node.lat, seat_is_sample=False).returning(Village.code))
        if uow.session.execute(stmt).first() is not None:
            written.append(code)
    report = PlaceImportReport(nodes=len(nodes), matched=len(written), villages=tuple(written), **counts)
    audit.record(uow.session, actor=uow.actor, action="import", entity="village_locations", entity_key=source,
                 detail={"nodes": report.nodes, "matched": report.matched, "unmatched": report.unmatched,
                         "ambiguous": report.ambiguous, "outside": report.outside, "superseded": report.superseded,
                         "villages": list(written)})
    return report

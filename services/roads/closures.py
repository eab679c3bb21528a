"""Road closures (道路阻断): a clicked road segment or a drawn area, plus, by a switch, the influence zones
of hazard points under a red or orange warning. Stored, audited, lifted; every route honours them at once.

Adding and lifting are decided by the database: a closure of a place already closed is refused by a partial
unique index on the closure's key among active rows (``INSERT … ON CONFLICT DO NOTHING``), and a lift is one
conditional ``UPDATE … WHERE active``, so of two users lifting at once one lifts and the other is told.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import shape
from sqlalchemy import select, text, update
from sqlalchemy.dialects import postgresql, sqlite

from geo.road_attach import closed_segments, with_closed_segments
from geo.roads import RoadGraph
from services import vocabulary
from services.db import audit
from services.db.uow import UnitOfWork
from services.errors import Conflict, FieldError, NotFound
from services.map.area import circle_polygon, polygon_from_geojson
from services.models import HazardPoint, RoadBlock, utcnow
from services.roads.network import base_graph

SNAP_LIMIT_M = 200.0
BLOCKING_WARNINGS = (vocabulary.WARNING_RED, vocabulary.WARNING_ORANGE)
REASON_CHARS = 200


class BlockError(FieldError):
    """A closure that cannot be recorded (no road near the point, no reason, not an area)."""


@dataclass(frozen=True)
class ClosureRecord:
    """One road closure as services hand it out; ``geometry`` is GeoJSON in WGS-84."""

    id: int
    kind: str            # segment | area
    reason: str
    actor: str
    created_at: dt.datetime
    geometry: dict
    active: bool = True


@dataclass(frozen=True)
class HazardZone:
    """The influence circle of a hazard point under a red or orange warning: roads through it may be cut."""

    hazard_id: int
    name: str
    circle: shapely.Polygon


def closure_key(kind: str, geometry) -> str:
    """The same place closed twice has the same key: kind and the normalised geometry at 1e-7 degrees."""
    wkt = shapely.to_wkt(shapely.normalize(geometry), rounding_precision=7, trim=True)
    return hashlib.sha256(f"{kind}:{wkt}".encode()).hexdigest()[:40]


def _record(row: RoadBlock) -> ClosureRecord:
    return ClosureRecord(row.id, row.kind, row.reason, row.actor, row.created_at,
                         json.loads(shapely.to_geojson(row.geom)), bool(row.active))


def _reason(reason) -> str:
    reason = str(reason or "").strip()
    if not reason:
        raise BlockError.of("reason", "road.reason_required")
    return reason[:REASON_CHARS]


def block_segment(uow: UnitOfWork, lon: float, lat: float, reason: str) -> ClosureRecord:
    """Close the road segment of the deployment's network nearest to (lon, lat), within 200 m."""
    reason = _reason(reason)
    graph = base_graph(uow.settings)
    edge, distance = graph.nearest_edge(float(lon), float(lat))
    if distance > SNAP_LIMIT_M:
        raise BlockError.of("point", "road.no_road_near", limit=f"{SNAP_LIMIT_M:.0f}", distance=f"{distance:.0f}")
    return _store(uow, "segment", graph.nearest_segment(float(lon), float(lat)), reason)


def block_area(uow: UnitOfWork, geojson: dict, reason: str) -> ClosureRecord:
    """Close every road through a drawn polygon (or a circle: a point with properties.radius in metres)."""
    reason = _reason(reason)
    return _store(uow, "area", polygon_from_geojson(geojson, "area", BlockError), reason)


def _store(uow: UnitOfWork, kind: str, geometry, reason: str) -> ClosureRecord:
    uow.principal.require("road.close")
    session, key = uow.session, closure_key(kind, geometry)
    values = {"kind": kind, "geom": geometry, "reason": reason, "actor": uow.actor[:80], "active": True,
              "created_at": utcnow(), "closure_key": key}
    insert = (postgresql.insert if uow.dialect == "postgresql" else sqlite.insert)(RoadBlock)
    new_id = session.execute(insert.values(**values)
                             .on_conflict_do_nothing(index_elements=["closure_key"], index_where=text("active"))
                             .returning(RoadBlock.id)).scalar()
    if new_id is None:
        existing = session.scalars(select(RoadBlock).where(RoadBlock.closure_key == key,
                                                           RoadBlock.active.is_(True))).first()
        raise Conflict.of(kind if kind == "area" else "point", "road.already_closed",
                          id=existing.id if existing else "?", reason=existing.reason if existing else "")
    audit.record(session, actor=uow.actor, action="block", entity="road", entity_key=str(new_id),
                 detail={"kind": kind, "reason": reason})
    return _record(session.get(RoadBlock, new_id))


def lift_block(uow: UnitOfWork, block_id: int) -> ClosureRecord:
    """Lift an active closure; two users lifting it at once: one lifts, the other is told (conditional UPDATE)."""
    uow.principal.require("road.close")
    session = uow.session
    lifted = session.execute(update(RoadBlock).where(RoadBlock.id == block_id, RoadBlock.active.is_(True))
                             .values(active=False, lifted_at=utcnow(), lifted_by=uow.actor[:80])
                             .returning(RoadBlock.id)).scalar()
    if lifted is None:
        raise NotFound.of("id", "road.block_not_active", id=block_id)
    audit.record(session, actor=uow.actor, action="lift", entity="road", entity_key=str(block_id))
    row = session.get(RoadBlock, block_id)
    session.refresh(row)  # the identity map may hold the row as it was before the UPDATE
    return _record(row)


def active_blocks(uow: UnitOfWork) -> list[ClosureRecord]:
    """Every active closure, oldest first."""
    return [_record(r) for r in uow.session.scalars(select(RoadBlock).where(RoadBlock.active.is_(True))
                                                    .order_by(RoadBlock.id))]


def hazard_zones(uow: UnitOfWork) -> list[HazardZone]:
    """Influence circles of the hazard points under a red or orange warning (at least 10 m across)."""
    rows = uow.session.execute(select(HazardPoint.id, HazardPoint.name, HazardPoint.lon, HazardPoint.lat,
                                      HazardPoint.influence_radius_m)
                               .where(HazardPoint.warning_level.in_(BLOCKING_WARNINGS))
                               .order_by(HazardPoint.id)).all()
    return [HazardZone(r.id, r.name, circle_polygon(r.lon, r.lat, max(r.influence_radius_m, 10.0))) for r in rows]


def closed_view(graph: RoadGraph, blocks: list[ClosureRecord], zones: list[HazardZone]) -> RoadGraph:
    """``graph`` with the segments the closures and hazard zones cut blocked (the rest of each chain stays open)."""
    mask = np.zeros(len(graph.path_vertex), dtype=bool)
    for b in blocks:
        mask |= closed_segments(graph, shape(b.geometry), "segment" if b.kind == "segment" else "area")
    for zone in zones:
        mask |= closed_segments(graph, zone.circle, "area")
    return with_closed_segments(graph, mask)


def blocked_mask(graph: RoadGraph, blocks: list[ClosureRecord], zones: list[HazardZone]) -> np.ndarray:
    """Which directed edges of ``graph`` (whole chains) the closures and hazard zones touch."""
    mask = np.zeros(graph.edge_count, dtype=bool)
    for b in blocks:
        geometry = shape(b.geometry)
        mask |= graph.edges_within(geometry) if b.kind == "segment" else graph.edges_crossing(geometry)
    for zone in zones:
        mask |= graph.edges_crossing(zone.circle)
    return mask

"""Road closures (道路阻断): a clicked road segment or a drawn area, plus, by a switch, the influence zones
of hazard points under a red or orange warning. Stored, audited, lifted; every route honours them at once.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import shape
from sqlalchemy import select, update

from config import Settings
from geo.roads import RoadGraph
from services.db import audit, read_session, transaction
from services.errors import FieldError
from services.map.area import circle_polygon, polygon_from_geojson
from services.models import HazardPoint, RoadBlock, utcnow

SNAP_LIMIT_M = 200.0
BLOCKING_WARNINGS = ("红", "橙")


class BlockError(FieldError):
    """A closure that cannot be recorded or lifted."""


@dataclass(frozen=True)
class Block:
    id: int
    kind: str
    reason: str
    actor: str
    created_at: str
    geometry: dict  # GeoJSON


def _as_block(row: RoadBlock) -> Block:
    import json
    return Block(row.id, row.kind, row.reason, row.actor, row.created_at.isoformat(),
                 json.loads(shapely.to_geojson(row.geom)))


def _reason(reason) -> str:
    text = str(reason or "").strip()
    if not text:
        raise BlockError("reason", "请填写阻断原因", "a reason is required")
    return text[:200]


def block_segment(settings: Settings, graph: RoadGraph, lon: float, lat: float, reason: str, *,
                  actor: str) -> Block:
    """Close the road segment nearest to (lon, lat), within 200 m."""
    reason = _reason(reason)
    edge, distance = graph.nearest_edge(float(lon), float(lat))
    if distance > SNAP_LIMIT_M:
        raise BlockError("point", f"点击位置 {SNAP_LIMIT_M:.0f} 米内没有道路（最近 {distance:.0f} 米）",
                         f"no road within {SNAP_LIMIT_M:.0f} m of the point (nearest {distance:.0f} m)")
    return _store(settings, "segment", graph.edge_lines()[edge], reason, actor)


def block_area(settings: Settings, geojson: dict, reason: str, *, actor: str) -> Block:
    """Close every road through a drawn polygon (or a circle: a point with properties.radius in metres)."""
    reason = _reason(reason)
    return _store(settings, "area", polygon_from_geojson(geojson, "area", BlockError), reason, actor)


def _store(settings: Settings, kind: str, geometry, reason: str, actor: str) -> Block:
    with transaction(settings.database_url) as session:
        row = RoadBlock(kind=kind, geom=geometry, reason=reason, actor=actor, active=True)
        session.add(row)
        session.flush()
        audit.record(session, actor=actor, action="block", entity="road", entity_key=str(row.id),
                     detail={"kind": kind, "reason": reason})
        return _as_block(row)


def lift_block(settings: Settings, block_id: int, *, actor: str) -> None:
    """Lift an active closure; two users lifting it at once: one lifts, the other is told (conditional UPDATE)."""
    with transaction(settings.database_url) as session:
        lifted = session.execute(update(RoadBlock).where(RoadBlock.id == block_id, RoadBlock.active.is_(True))
                                 .values(active=False, lifted_at=utcnow(), lifted_by=actor[:80])
                                 .returning(RoadBlock.id)).first()
        if lifted is None:
            raise BlockError("id", f"没有生效中的阻断 #{block_id}", f"no active block #{block_id}")
        audit.record(session, actor=actor, action="lift", entity="road", entity_key=str(block_id))


def active_blocks(settings: Settings) -> list[Block]:
    with read_session(settings.database_url) as session:
        return [_as_block(r) for r in session.scalars(select(RoadBlock).where(RoadBlock.active.is_(True))
                                                     .order_by(RoadBlock.id))]


def hazard_zones(settings: Settings) -> list[tuple[int, str, object]]:
    """(id, name, circle) of hazard points under a red or orange warning: roads there may be cut."""
    with read_session(settings.database_url) as session:
        rows = session.execute(select(HazardPoint.id, HazardPoint.name, HazardPoint.lon, HazardPoint.lat,
                                      HazardPoint.influence_radius_m)
                               .where(HazardPoint.warning_level.in_(BLOCKING_WARNINGS))).all()
    return [(r.id, r.name, circle_polygon(r.lon, r.lat, max(r.influence_radius_m, 10.0))) for r in rows]


def blocked_mask(graph: RoadGraph, blocks: list[Block], zones: list[tuple[int, str, object]]) -> np.ndarray:
    mask = np.zeros(graph.edge_count, dtype=bool)
    for b in blocks:
        geometry = shape(b.geometry)
        mask |= graph.edges_within(geometry) if b.kind == "segment" else graph.edges_crossing(geometry)
    for _, _, circle in zones:
        mask |= graph.edges_crossing(circle)
    return mask

"""What the phone page shows township staff of their township: its outline and roads, hazard points with their
last patrol, shelters with free places, and the warnings in force that reach it, with their own 叫应 row.

Township staff see their own township only (403 otherwise); county-wide roles may look at any township.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

import shapely
from sqlalchemy import func, select

from services.clock import as_utc
from services.db.uow import UnitOfWork
from services.dispatch.warnings import active_warnings, reaches
from services.errors import NotFound
from services.evacuation.shelters import shelters_in
from services.models import HazardPatrol, HazardPoint, Shelter, Township, Warning, WarningRecipient
from services.roads.network import roads_geojson

OUTLINE_TOLERANCE_DEG = 0.0005  # about 50 m: an outline to tap inside, not a survey


@dataclass(frozen=True)
class HazardRow:
    id: int
    code: str
    name: str
    hazard_type: str
    warning_level: str
    village: str | None
    lon: float
    lat: float
    last_patrol_at: str | None  # ISO 8601, UTC


@dataclass(frozen=True)
class ShelterRow:
    id: int
    name: str
    status: str
    capacity_people: int
    occupancy_people: int
    available_places: int
    lon: float
    lat: float


@dataclass(frozen=True)
class WarningRow:
    id: int
    level: str
    hazard_type: str
    headline: str
    area_description: str
    valid_until: str           # ISO 8601, UTC
    acknowledged: int
    recipients_total: int
    recipient_id: int | None   # the caller's own recipient row, if they are one
    acknowledged_at: str | None


@dataclass(frozen=True)
class TownshipView:
    code: str
    name: str
    name_en: str
    outline: dict              # GeoJSON geometry, simplified
    roads: list                # line coordinates [[lon, lat], ...] inside the township
    hazards: list[HazardRow]
    shelters: list[ShelterRow]


def _township(uow: UnitOfWork, code: str) -> Township:
    uow.principal.require_township("records.read", code)
    township = uow.session.get(Township, code)
    if township is None:
        raise NotFound.of("township", "account.township_unknown", township=code[:12])
    return township


def township_view(uow: UnitOfWork, code: str) -> TownshipView:
    township = _township(uow, code)
    session = uow.session
    last = (select(HazardPatrol.hazard_id, func.max(HazardPatrol.at).label("at"))
            .group_by(HazardPatrol.hazard_id).subquery())
    hazards = [HazardRow(h.id, h.code, h.name, h.hazard_type, h.warning_level, h.village, h.lon, h.lat,
                         as_utc(at).isoformat() if at else None)
               for h, at in session.execute(select(HazardPoint, last.c.at)
                                            .outerjoin(last, last.c.hazard_id == HazardPoint.id)
                                            .where(HazardPoint.township_code == code).order_by(HazardPoint.name))]
    ids = list(session.scalars(select(Shelter.id).where(Shelter.township_code == code)))
    shelters = [ShelterRow(s.id, s.name, s.status, s.capacity_people, s.occupancy_people, s.available_places,
                           s.lon, s.lat) for s in sorted(shelters_in(uow, ids) if ids else [],
                                                         key=lambda s: s.name)]
    outline = shapely.simplify(township.geom, OUTLINE_TOLERANCE_DEG, preserve_topology=True)
    return TownshipView(code, township.name, township.name_en,
                        json.loads(shapely.to_geojson(shapely.set_precision(outline, 1e-5))),
                        _roads(str(uow.settings.road_network_file), code, shapely.to_wkb(township.geom)),
                        hazards, shelters)


@lru_cache(maxsize=64)
def _roads(network: str, code: str, outline_wkb: bytes) -> list:
    """Road lines clipped to the township (a phone map's orientation), coordinates to 5 decimals (about 1 m)."""
    outline = shapely.from_wkb(outline_wkb)
    shapely.prepare(outline)
    lines = []
    for feature in _network(network)["features"]:
        line = shapely.geometry.shape(feature["geometry"])
        if not outline.intersects(line):
            continue
        part = shapely.intersection(line, outline)
        for piece in getattr(part, "geoms", [part]):
            if piece.geom_type == "LineString" and not piece.is_empty:
                lines.append([[round(x, 5), round(y, 5)] for x, y in piece.coords])
    return lines


def _network(path: str) -> dict:
    """The deployment's road lines (read once and cached by services.roads.network); only the path is needed."""
    from types import SimpleNamespace
    return roads_geojson(SimpleNamespace(road_network_file=path))


def township_warnings(uow: UnitOfWork, code: str) -> list[WarningRow]:
    """Warnings in force whose area reaches the township, newest first, with the caller's own recipient row."""
    township = _township(uow, code)
    shown = active_warnings(uow)
    if not shown:
        return []
    areas = {key: area for key, area in uow.session.execute(select(Warning.id, Warning.area).where(
        Warning.id.in_([w["id"] for w in shown])))}
    shown = [w for w in shown if reaches(areas.get(w["id"]), township.geom)]
    mine = {row.warning_id: row for row in uow.session.scalars(select(WarningRecipient).where(
        WarningRecipient.user_id == uow.principal.user_id,
        WarningRecipient.warning_id.in_([w["id"] for w in shown])))} if shown else {}
    return [WarningRow(w["id"], w["level"], w["hazard_type"], w["headline"], w["area_description"], w["valid_until"],
                       w["acknowledged"], w["recipients_total"],
                       mine[w["id"]].id if w["id"] in mine else None,
                       as_utc(mine[w["id"]].acknowledged_at).isoformat()
                       if w["id"] in mine and mine[w["id"]].acknowledged_at else None)
            for w in shown]

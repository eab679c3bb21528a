"""Records whose point was found from their address (待核实), and moving a record to the right spot.

A point the gazetteer placed (村级 or 乡镇级, services/data/geocode.py) is listed until a planner moves it; the move
is one audited write under a row lock, the township follows the point, and the quality becomes 坐标.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

import shapely
from shapely.geometry import Point
from sqlalchemy import select

from services import vocabulary
from services.data.imports import MODELS
from services.db import audit
from services.db.uow import UnitOfWork
from services.errors import FieldError, NotFound
from services.models import AdminArea, Township

LOCATED = ("enterprises", "hazards", "shelters", "depots", "teams", "stations")


@dataclass(frozen=True)
class UnverifiedLocation:
    layer: str
    id: int
    key: str           # the record's code (credit code for an enterprise)
    name: str
    township_code: str
    quality: str       # 村级 / 乡镇级
    address: str | None
    lon: float
    lat: float

    def to_json(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class MovedRecord:
    layer: str
    id: int
    lon: float
    lat: float
    township_code: str
    quality: str
    previous_quality: str

    def to_json(self) -> dict:
        return asdict(self)


def _key_attr(layer: str):
    model = MODELS[layer]
    return model.credit_code if layer == "enterprises" else model.code


def unverified_locations(uow: UnitOfWork, limit: int = 500) -> list[UnverifiedLocation]:
    """Records placed from their address, by layer and township (township staff: their own township)."""
    uow.principal.require("records.read")
    out: list[UnverifiedLocation] = []
    for layer in LOCATED:
        model = MODELS[layer]
        query = select(model.id, _key_attr(layer), model.name, model.township_code, model.location_quality,
                       model.address, model.lon, model.lat).where(
            model.location_quality != vocabulary.LOCATION_EXACT).order_by(model.township_code, model.id)
        if uow.principal.scoped:
            query = query.where(model.township_code == uow.principal.township_code)
        out.extend(UnverifiedLocation(layer, *row) for row in uow.session.execute(query.limit(limit)))
    return out[:limit]


def _township_at(uow: UnitOfWork, lon: float, lat: float) -> str:
    point = Point(lon, lat)
    district = uow.session.get(AdminArea, uow.settings.region.adcode).geom
    if not shapely.contains(district, point):
        raise FieldError.of("lon", "import.outside", lon=lon, lat=lat, region=uow.settings.region.name_zh)
    for code, geom in uow.session.execute(select(Township.code, Township.geom)):
        if shapely.intersects(geom, point):
            return code
    raise FieldError.of("lon", "import.outside", lon=lon, lat=lat, region=uow.settings.region.name_zh)


def move_record(uow: UnitOfWork, layer: str, record_id: int, lon: float, lat: float) -> MovedRecord:
    """Put record ``record_id`` of ``layer`` at (lon, lat) WGS-84: 坐标 from now on, audited."""
    uow.principal.require("record.edit")
    if layer not in LOCATED:
        raise NotFound.of("layer", "location.unknown_layer", layer=str(layer)[:40])
    model = MODELS[layer]
    township = _township_at(uow, lon, lat)
    row = uow.session.execute(select(model).where(model.id == record_id).with_for_update()).scalar_one_or_none()
    if row is None:
        raise NotFound.of("id", "location.not_found", id=record_id)
    uow.principal.require_township("record.edit", row.township_code)
    uow.principal.require_township("record.edit", township)
    before = {"lon": row.lon, "lat": row.lat, "quality": row.location_quality, "township": row.township_code}
    row.lon, row.lat, row.geom = round(lon, 7), round(lat, 7), Point(round(lon, 7), round(lat, 7))
    row.location_quality, row.township_code = vocabulary.LOCATION_EXACT, township
    uow.session.flush()
    audit.record(uow.session, actor=uow.actor, action="relocate", entity=layer,
                 entity_key=str(getattr(row, _key_attr(layer).key)),
                 detail={"from": before["quality"], "from_lon": before["lon"], "from_lat": before["lat"],
                         "lon": row.lon, "lat": row.lat, "township": township})
    return MovedRecord(layer, row.id, row.lon, row.lat, township, row.location_quality, before["quality"])

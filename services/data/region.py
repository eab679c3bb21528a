"""A county other than the curated default, from ``QJ_REGION_ADCODE`` alone: its gazetteer files and road network.

At first start (``setup_database``) the township, village and neighbour CSVs of the county are written under
``instance/region/<adcode>/`` from the national gazetteer (services/data/gazetteer.py), in the format of
data/townships.csv, with GeoNames seats where they matched and approximate seats (flagged) elsewhere; a county
without a road network gets a synthetic one (data/generate_roads.py), written under ``instance/roads/`` and
announced. The curated default (data/townships.csv, data/roads/) is never rewritten.
"""
from __future__ import annotations

import csv
import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely

from config import Settings
from geo.boundaries import approximate_seats, county_boundary
from services.data import gazetteer
from services.text import t, term

log = logging.getLogger(__name__)

TOWNSHIP_COLUMNS = ("code", "name", "pinyin", "kind", "seat_lon", "seat_lat", "seat_approximate", "coord_source")
APPROXIMATE_SOURCE = "approximate: representative point of its Voronoi cell (geo.boundaries.approximate_seats)"


@dataclass(frozen=True)
class RegionPrepared:
    """What ``prepare_region`` wrote: the gazetteer files (or nothing), and a synthetic network (or None)."""

    townships: int | None = None
    approximate_seats: int | None = None
    villages: int | None = None
    road_network: Path | None = None


def english_name(pinyin: str, kind: str) -> str:
    """黔江区 → Qianjiang District, 彭水…自治县 → Pengshui Autonomous County (pinyin of the short name and kind)."""
    return f"{pinyin} {term(kind, 'en').title()}"


def _write_csv(path: Path, header, rows) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    tmp.replace(path)


def township_rows(adcode: str) -> list[list]:
    """Rows of the county's townships.csv: GeoNames seats inside the boundary, approximate seats elsewhere."""
    boundary = county_boundary(adcode)
    towns = gazetteer.townships(adcode)
    if not towns:
        raise ValueError(f"the gazetteer has no townships for adcode {adcode}")
    seats = np.full((len(towns), 2), np.nan)
    seen = set()
    for i, town in enumerate(towns):
        spot = (town.seat_lon, town.seat_lat)
        if town.seat_lon is not None and spot not in seen and shapely.contains_xy(boundary, *spot):
            seats[i] = spot
            seen.add(spot)
    known = ~np.isnan(seats).any(axis=1)
    placed = approximate_seats(seats, boundary)
    rows = []
    for i, town in enumerate(towns):
        source = f"GeoNames cities1000 ({town.geonames})" if known[i] else APPROXIMATE_SOURCE
        rows.append([town.code, town.name, town.pinyin, town.kind, round(float(placed[i, 0]), 5),
                     round(float(placed[i, 1]), 5), "0" if known[i] else "1", source])
    return rows


def _write_gazetteer(settings: Settings) -> RegionPrepared:
    region = settings.region
    rows = township_rows(region.adcode)
    _write_csv(region.villages_csv, ("code", "name", "township_code"), gazetteer.villages(region.adcode))
    neighbours = []
    for code in gazetteer.county(region.adcode).neighbours:
        other = gazetteer.county(code)
        if other is not None:
            neighbours.append((code, other.name, english_name(other.pinyin, other.kind)))
    _write_csv(region.neighbours_csv, ("adcode", "name", "name_en"), neighbours)
    _write_csv(region.townships_csv, TOWNSHIP_COLUMNS, rows)  # last: its presence means the set is complete
    return RegionPrepared(townships=len(rows), approximate_seats=sum(r[6] == "1" for r in rows),
                          villages=sum(1 for _ in region.villages_csv.open(encoding="utf-8")) - 1)


def _write_network(settings: Settings) -> Path:
    from data.generate_roads import generate_region  # the generator is a script of data/, imported when needed
    region = settings.region
    with region.townships_csv.open(encoding="utf-8-sig", newline="") as fh:
        seats = [(r["code"], float(r["seat_lon"]), float(r["seat_lat"])) for r in csv.DictReader(fh)]
    path = Path(settings.road_network_file)
    generate_region(county_boundary(region.adcode), seats, path, region.adcode)
    log.warning(t("region.synthetic_network", "en", path=path))
    return path


def prepare_region(settings: Settings) -> RegionPrepared:
    """Write what a gazetteer county still lacks: its township/village/neighbour files, a synthetic network."""
    region = settings.region
    report = RegionPrepared()
    if region.from_gazetteer and not region.townships_csv.is_file():
        report = _write_gazetteer(settings)
    if settings.road_network_synthetic and not Path(settings.road_network_file).is_file():
        report = RegionPrepared(report.townships, report.approximate_seats, report.villages, _write_network(settings))
    return report

"""The national gazetteer shipped in data/gazetteer/: every county, township and village of China by code.

Built by data/build_gazetteer.py from china-division 2.7.0 (MIT) and GeoNames (CC BY 4.0); read here so that
``QJ_REGION_ADCODE`` alone names a county: its name and kind, its neighbours, its townships and villages.
"""
from __future__ import annotations

import csv
import gzip
import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

GAZETTEER_DIR = Path(__file__).resolve().parents[2] / "data" / "gazetteer"
SOURCE = "china-division 2.7.0 (MIT); seats GeoNames cities1000 (CC BY 4.0)"


@dataclass(frozen=True)
class County:
    """A county (区县) as the gazetteer has it: ``kind`` 区/县/自治县/市/旗/…, ``unit`` the character of its wording."""

    adcode: str
    name: str
    pinyin: str
    kind: str
    unit: str
    neighbours: tuple[str, ...]


@dataclass(frozen=True)
class GazetteerTownship:
    """A township (乡镇街道) with its seat from GeoNames, or no seat (``seat_lon`` None) where none matched."""

    code: str
    name: str
    pinyin: str
    kind: str
    seat_lon: float | None
    seat_lat: float | None
    geonames: str


def _rows(name: str, folder: Path = GAZETTEER_DIR):
    with gzip.open(folder / name, "rt", encoding="utf-8", newline="") as fh:
        yield from csv.DictReader(fh)


@lru_cache(maxsize=1)
def counties() -> dict[str, County]:
    """Every county by adcode."""
    return {r["adcode"]: County(r["adcode"], r["name"], r["pinyin"], r["kind"], r["unit"],
                                tuple(r["neighbours"].split()))
            for r in _rows("counties.csv.gz")}


def county(adcode: str) -> County | None:
    return counties().get(str(adcode))


@lru_cache(maxsize=4)
def townships(adcode: str) -> tuple[GazetteerTownship, ...]:
    """The townships of a county, by code."""
    prefix = str(adcode)
    return tuple(
        GazetteerTownship(r["code"], r["name"], r["pinyin"], r["kind"],
                          float(r["seat_lon"]) if r["seat_lon"] else None,
                          float(r["seat_lat"]) if r["seat_lat"] else None, r["geonames"])
        for r in _rows("townships.csv.gz") if r["code"].startswith(prefix))


def villages(adcode: str) -> list[tuple[str, str, str]]:
    """(code, name, township code) of the villages and communities of a county, by code."""
    prefix = str(adcode)
    found = []
    with gzip.open(GAZETTEER_DIR / "villages.csv.gz", "rb") as fh:
        for line in io.TextIOWrapper(fh, encoding="utf-8", newline=""):
            if line.startswith(prefix):  # the 12-digit code starts with the county's 6
                code, name = next(csv.reader([line]))
                found.append((code, name, code[:9]))
    return found

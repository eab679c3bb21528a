"""Placing a record that has an address but no coordinates, offline, from the gazetteer (issue 13, point 2).

The address (and the row's township and village columns, when the entity has them) is matched against the
district's townships and villages as offices write them: full names (关云村村民委员会, 石会镇), common forms
(关云村, 关云村3组, 文汇社区, 文汇居委) and township short names (石会). A village whose location is known — a
real one, from an imported OpenStreetMap place node, not the sample's invented seats — places the record at
村级; otherwise the township's seat places it at 乡镇级; an address that names neither is 未定位 (the importer
refuses such a row, naming it). Points placed so are 待核实 until someone moves them to the right spot.

Real village locations come from an imported OpenStreetMap extract's place nodes (services/data/village_locations.py).
An online geocoder (天地图 or 高德 with the user's own key, services/data/online_geocode.py) may refine a 乡镇级 or
未定位 answer during an import; none is asked unless QJ_GEOCODER configures one, so by default nothing leaves the machine.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from sqlalchemy import select

from services import vocabulary
from services.data.places import PlaceIndex, _clean, _strip, place_index
from services.data.specs import COMMUNITY, COMMUNITY_FORMS, TOWNSHIP_SUFFIXES, VILLAGE_SUFFIXES
from services.db.uow import UnitOfWork
from services.models import Township, Village


@dataclass(frozen=True)
class Placement:
    """Where a record goes and how well that is known (``quality`` is one of vocabulary.LOCATION_*)."""

    quality: str
    lon: float | None = None
    lat: float | None = None
    township_code: str | None = None
    village_code: str | None = None


@dataclass
class Gazetteer:
    places: PlaceIndex
    township_seats: dict[str, tuple[float, float]] = field(default_factory=dict)
    village_seats: dict[str, tuple[float, float]] = field(default_factory=dict)  # real locations only
    village_by_name: dict[tuple[str, str], str] = field(default_factory=dict)  # (township, official name) → code
    village_terms: list[tuple[str, str]] = field(default_factory=list)  # (written form, code), longest first
    township_terms: list[tuple[str, str]] = field(default_factory=list)
    township_short_terms: list[tuple[str, str]] = field(default_factory=list)


def village_forms(name: str) -> set[str]:
    """关云村村民委员会 → {关云村村民委员会, 关云村}; 文汇社区居民委员会 → {…, 文汇社区, 文汇居委, 文汇居委会}."""
    name = _clean(name)
    committee, kinds = VILLAGE_SUFFIXES
    common = _strip(name, committee)
    forms = {name, common}
    stem = _strip(common, kinds)
    if common.endswith(COMMUNITY) and len(stem) >= 2:
        forms.update(stem + form for form in COMMUNITY_FORMS)
    return {f for f in forms if len(f) >= 3}


def gazetteer(uow: UnitOfWork) -> Gazetteer:
    """The district's places with their locations, read once per import or placement."""
    gz = Gazetteer(places=place_index(uow))
    terms: dict[str, set[str]] = {}
    shorts: dict[str, set[str]] = {}
    for code, name, lon, lat in uow.session.execute(select(Township.code, Township.name, Township.seat_lon,
                                                             Township.seat_lat)):
        gz.township_seats[code] = (lon, lat)
        terms.setdefault(_clean(name), set()).add(code)
        short = _strip(_clean(name), TOWNSHIP_SUFFIXES)
        if short != _clean(name) and len(short) >= 2:
            shorts.setdefault(short, set()).add(code)
    gz.township_terms = sorted(((k, next(iter(v))) for k, v in terms.items() if len(v) == 1), key=lambda kv: -len(kv[0]))
    gz.township_short_terms = sorted(((k, next(iter(v))) for k, v in shorts.items() if len(v) == 1),
                                     key=lambda kv: -len(kv[0]))
    forms: list[tuple[str, str]] = []
    for code, name, town, lon, lat, sample in uow.session.execute(select(
            Village.code, Village.name, Village.township_code, Village.seat_lon, Village.seat_lat,
            Village.seat_is_sample)):
        gz.village_by_name[(town, name)] = code
        if lon is not None and lat is not None and not sample:
            gz.village_seats[code] = (lon, lat)
        forms.extend((form, code) for form in village_forms(name))
    gz.village_terms = sorted(forms, key=lambda kv: -len(kv[0]))
    return gz


def _found(text: str, terms: list[tuple[str, str]]) -> set[str]:
    """Codes of the longest forms written in ``text`` (关云村村民委员会 before 关云村; two of one length: both)."""
    codes: set[str] = set()
    best = 0
    for form, code in terms:  # longest first
        if best and len(form) < best:
            break
        if form in text:
            codes.add(code)
            best = len(form)
    return codes


def place(gz: Gazetteer, address: str | None, township_code: str | None = None,
          village_name: str | None = None) -> Placement:
    """Where the gazetteer puts a record with this address (and township or village, when the row gives them)."""
    text = _clean(unicodedata.normalize("NFKC", address or ""))
    town = township_code
    if town is None and text:
        found = _found(text, gz.township_terms) or _found(text, gz.township_short_terms)
        town = next(iter(found)) if len(found) == 1 else None
    village = gz.village_by_name.get((town, village_name)) if town and village_name else None
    if village is None and text:
        candidates = _found(text, gz.village_terms)
        if town is not None:
            candidates = {c for c in candidates if gz.places.village[c][1] == town}
        if len(candidates) == 1:
            village = next(iter(candidates))
            town = town or gz.places.village[village][1]
    if village is not None and village in gz.village_seats:
        lon, lat = gz.village_seats[village]
        return Placement(vocabulary.LOCATION_VILLAGE, lon, lat, town, village)
    if town is not None and town in gz.township_seats:
        lon, lat = gz.township_seats[town]
        return Placement(vocabulary.LOCATION_TOWNSHIP, lon, lat, town, village)
    return Placement(vocabulary.LOCATION_NONE)

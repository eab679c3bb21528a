"""Named settlement points of an OpenStreetMap extract (.osm, .osm.pbf) or a GeoJSON file of points.

OSM marks a village, hamlet or urban neighbourhood by a node tagged ``place=*`` with its ``name`` (and often
``name:zh``); these are what locates the gazetteer's villages (services/data/village_locations.py). Coordinates
come back as the file holds them: WGS-84 degrees, 7 decimals in OSM.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

# place=* values of settlements at or below a village (村/社区); towns, cities and islands are not villages.
PLACE_KINDS: tuple[str, ...] = ("village", "suburb", "neighbourhood", "hamlet", "locality", "isolated_dwelling")
# The tags that name a place, in the order they are tried (a Chinese name first where one is given).
NAME_TAGS: tuple[str, ...] = ("name:zh", "name:zh-Hans", "name", "official_name")


class PlaceFileError(ValueError):
    """A place file that cannot be read; the message says why."""


@dataclass(frozen=True)
class PlaceNode:
    """A named place point: ``kind`` is its place=* value, ``names`` its distinct names (NAME_TAGS order)."""

    osm_id: int | None
    kind: str
    names: tuple[str, ...]
    lon: float
    lat: float


def _names(tags) -> tuple[str, ...]:
    found: list[str] = []
    for tag in NAME_TAGS:
        value = str(tags.get(tag) or "").strip()
        if value and value not in found:
            found.append(value)
    return tuple(found)


def read_osm_places(path: Path) -> list[PlaceNode]:
    """The place nodes of an OSM file (``place`` one of PLACE_KINDS, with a name), in file order."""
    import osmium
    import osmium.filter

    nodes = []
    try:
        processor = osmium.FileProcessor(str(path), osmium.osm.NODE).with_filter(osmium.filter.KeyFilter("place"))
        for node in processor:
            kind = node.tags.get("place")
            names = _names(node.tags)
            if kind in PLACE_KINDS and names and node.location.valid():
                nodes.append(PlaceNode(int(node.id), kind, names, round(node.location.lon, 7),
                                       round(node.location.lat, 7)))
    except RuntimeError as exc:
        raise PlaceFileError(f"{Path(path).name}: not a readable OSM file ({exc})") from exc
    return nodes


def _geojson_id(props: dict) -> int | None:
    """``node/123`` (Overpass turbo's ``@id``) or a bare number; None for anything else."""
    value = str(props.get("@id") or props.get("id") or "")
    tail = value.rsplit("/", 1)[-1]
    return int(tail) if tail.isdigit() and (value == tail or value.startswith("node/")) else None


def read_geojson_places(path: Path) -> list[PlaceNode]:
    """Point features of a GeoJSON file with OSM tags as properties (or under ``tags``, as some exports put them)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PlaceFileError(f"{Path(path).name}: not a readable GeoJSON file ({exc})") from exc
    nodes = []
    for feature in data.get("features", []) if isinstance(data, dict) else []:
        geometry = feature.get("geometry") or {}
        if geometry.get("type") != "Point":
            continue
        props = feature.get("properties") or {}
        tags = {**props, **(props.get("tags") or {})} if isinstance(props.get("tags"), dict) else props
        kind, names = tags.get("place"), _names(tags)
        if kind in PLACE_KINDS and names:
            lon, lat = (float(c) for c in geometry["coordinates"][:2])
            nodes.append(PlaceNode(_geojson_id(props), kind, names, lon, lat))
    return nodes


def is_osm_file(path: Path) -> bool:
    return Path(path).name.lower().endswith((".osm", ".osm.pbf", ".pbf"))


def read_places(path: Path) -> list[PlaceNode]:
    """Place points of an OSM extract (.osm, .osm.pbf) or a GeoJSON file of points (.geojson, .json)."""
    if not Path(path).is_file():
        raise PlaceFileError(f"no such file: {path}")
    if is_osm_file(path):
        return read_osm_places(path)
    if Path(path).name.lower().endswith((".geojson", ".json")):
        return read_geojson_places(path)
    raise PlaceFileError(f"{Path(path).name}: place points are read from .osm, .osm.pbf or .geojson files")

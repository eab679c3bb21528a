"""Reading road networks from OpenStreetMap extracts (.osm, .osm.pbf) or GeoJSON line files.

Everything becomes GeoJSON LineString features with the properties the road graph reads: ``class`` (one of
geo.roads.DEFAULT_SPEEDS_KMH), ``name``, ``oneway`` and ``winding`` (1.0: real geometry already bends).
"""
from __future__ import annotations

import json
from pathlib import Path

from geo.roads import DEFAULT_SPEEDS_KMH

# OSM highway=* values → our road classes; anything else (footway, path, steps, …) is not for vehicles.
HIGHWAY_CLASSES: dict[str, str] = {
    "motorway": "motorway", "motorway_link": "motorway", "trunk": "trunk", "trunk_link": "trunk",
    "primary": "primary", "primary_link": "primary", "secondary": "secondary", "secondary_link": "secondary",
    "tertiary": "tertiary", "tertiary_link": "tertiary", "unclassified": "tertiary", "road": "tertiary",
    "residential": "residential", "living_street": "residential", "service": "residential", "track": "track",
}


class RoadImportError(ValueError):
    """A road file that cannot be used; the message says why."""


def read_osm(path: Path) -> list[dict]:
    """Drivable ways of an OSM file as features (oneway=-1 ways are reversed, oneway=yes kept one-way)."""
    import osmium

    features = []
    try:
        processor = osmium.FileProcessor(str(path), osmium.osm.NODE | osmium.osm.WAY).with_locations()
        for way in processor:
            if not way.is_way():
                continue
            highway = way.tags.get("highway")
            road_class = HIGHWAY_CLASSES.get(highway)
            if road_class is None:
                continue
            try:
                coords = [[round(n.lon, 7), round(n.lat, 7)] for n in way.nodes]
            except osmium.InvalidLocationError:
                continue  # a way whose nodes lie outside the extract
            if len(coords) < 2:
                continue
            oneway = way.tags.get("oneway", "no")
            if oneway == "-1":
                coords.reverse()
            is_oneway = oneway in ("yes", "1", "true", "-1") or highway in ("motorway", "motorway_link")
            features.append({"type": "Feature", "geometry": {"type": "LineString", "coordinates": coords},
                             "properties": {"class": road_class, "name": way.tags.get("name", ""),
                                            "oneway": is_oneway, "winding": 1.0, "osm_id": way.id}})
    except RuntimeError as exc:
        raise RoadImportError(f"{Path(path).name}: not a readable OSM file ({exc})") from exc
    return features


def read_geojson_lines(path: Path, class_field: str = "class") -> list[dict]:
    """Line features of a GeoJSON file; the road class comes from ``class_field`` (OSM values accepted)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RoadImportError(f"{Path(path).name}: not a readable GeoJSON file ({exc})") from exc
    features = []
    for i, f in enumerate(data.get("features", []), start=1):
        geometry = f.get("geometry") or {}
        if geometry.get("type") not in ("LineString", "MultiLineString"):
            continue
        p = f.get("properties") or {}
        value = str(p.get(class_field, ""))
        road_class = value if value in DEFAULT_SPEEDS_KMH else HIGHWAY_CLASSES.get(value)
        if road_class is None:
            raise RoadImportError(f"feature #{i}: road class '{value}' in field '{class_field}' is not known "
                                  f"(one of {', '.join(DEFAULT_SPEEDS_KMH)} or an OSM highway value)")
        features.append({"type": "Feature", "geometry": geometry,
                         "properties": {"class": road_class, "name": p.get("name") or "",
                                        "oneway": bool(p.get("oneway", False)),
                                        "winding": float(p.get("winding", 1.0))}})
    return features


def read_vector(path: Path, class_field: str = "class", default_class: str | None = None) -> list[dict]:
    """Line features of a GeoPackage, Shapefile or other GDAL vector file (through pyogrio), in WGS-84."""
    import warnings

    import pyogrio
    import shapely
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # measured (M) values are dropped, as we want
            meta, _, geometry, fields = pyogrio.raw.read(str(path))
    except Exception as exc:  # noqa: BLE001 — GDAL raises many kinds; one clear message
        raise RoadImportError(f"{Path(path).name}: not a readable vector file ({exc})") from exc
    crs = str(meta.get("crs") or "")
    if crs.upper() not in ("EPSG:4326", "EPSG:4490", "OGC:CRS84"):
        raise RoadImportError(f"{Path(path).name}: coordinates are in {crs or 'an unknown system'}; "
                              "convert to WGS-84 (EPSG:4326) or CGCS2000 (EPSG:4490) first")
    names = list(meta["fields"])
    if class_field not in names and default_class is None:
        raise RoadImportError(f"{Path(path).name}: no field '{class_field}' for the road class "
                              f"(fields: {', '.join(names) or 'none'}); name one or give a default class")
    columns = dict(zip(names, fields))
    features = []
    for i, wkb in enumerate(geometry):
        shape_ = shapely.force_2d(shapely.from_wkb(wkb)) if wkb is not None else None
        if shape_ is None or shape_.geom_type not in ("LineString", "MultiLineString"):
            continue
        value = str(columns[class_field][i]) if class_field in columns else default_class
        road_class = value if value in DEFAULT_SPEEDS_KMH else HIGHWAY_CLASSES.get(value)
        if road_class is None:
            raise RoadImportError(f"feature #{i + 1}: road class '{value}' is not known")
        name = str(columns["name"][i]) if "name" in columns and columns["name"][i] is not None else ""
        features.append({"type": "Feature", "geometry": json.loads(shapely.to_geojson(shape_)),
                         "properties": {"class": road_class, "name": name, "oneway": False, "winding": 1.0}})
    return features


def read_roads(path: Path, class_field: str = "class", default_class: str | None = None) -> list[dict]:
    """Road features of an OSM extract (.osm, .osm.pbf), a GeoJSON file or any GDAL vector file (.gpkg, .shp)."""
    name = Path(path).name.lower()
    if not Path(path).is_file():
        raise RoadImportError(f"no such file: {path}")
    if name.endswith((".osm", ".osm.pbf", ".pbf")):
        features = read_osm(path)
    elif name.endswith((".geojson", ".json")):
        features = read_geojson_lines(path, class_field)
    else:
        features = read_vector(path, class_field, default_class)
    if not features:
        raise RoadImportError(f"{Path(path).name}: no drivable road found")
    return features


def write_network(features: list[dict], out: Path, source: str) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    collection = {"type": "FeatureCollection", "metadata": {"synthetic": False, "source": source},
                  "features": features}
    out.write_text(json.dumps(collection, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")

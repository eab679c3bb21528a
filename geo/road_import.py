"""Reading road networks from OpenStreetMap extracts (.osm, .osm.pbf) or GeoJSON line files.

Everything becomes GeoJSON LineString features with the properties the road graph reads: ``class`` (one of
geo.roads.DEFAULT_SPEEDS_KMH), ``name``, ``oneway`` (lines against the drawing are reversed), ``drive`` and
``walk`` (access tags or columns, geo.road_tags), ``maxspeed_kmh`` where given, and ``winding`` (1.0: real
geometry already bends). Ways that leave the extract are cut at its edge (the nodes outside are missing, and
the lines are clipped to the extract's bounds), not dropped.
"""
from __future__ import annotations

import json
from pathlib import Path

from geo.road_tags import TagReport, access_modes, parse_maxspeed, parse_oneway
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


def _properties(tags, road_class: str, highway: str, report: TagReport, service_roads: str) -> tuple[dict, int]:
    oneway = parse_oneway(tags.get("oneway"), report)
    if not oneway and (highway in ("motorway", "motorway_link")
                       or str(tags.get("junction") or "").lower() in ("roundabout", "circular")):
        oneway = 1
    drive, walk = access_modes(tags, highway, service_roads)
    report.not_drivable += not drive
    report.not_walkable += not walk
    props = {"class": road_class, "name": str(tags.get("name") or ""), "oneway": bool(oneway), "winding": 1.0,
             "drive": drive, "walk": walk}
    speed = parse_maxspeed(tags.get("maxspeed"), report)
    if speed is not None:
        props["maxspeed_kmh"] = speed
    return props, oneway


def _runs(coords: list) -> list[list]:
    """The stretches of a way's located nodes (None: a node outside the extract)."""
    runs, run = [], []
    for c in coords + [None]:
        if c is None:
            if len(run) >= 2:
                runs.append(run)
            run = []
        else:
            run.append(c)
    return runs


def clip_features(features: list[dict], area, report: TagReport | None = None) -> list[dict]:
    """Lines cut to ``area`` (a shapely polygon, WGS-84): the parts inside kept, each its own feature."""
    import shapely
    out = []
    lines = shapely.from_geojson([json.dumps(f["geometry"]) for f in features]) if features else []
    inside = shapely.covered_by(lines, area) if len(lines) else []
    for f, line, whole in zip(features, lines, inside):
        if whole:
            out.append(f)
            continue
        parts = shapely.get_parts(shapely.line_merge(shapely.intersection(line, area)))
        parts = [p for p in parts if p.geom_type == "LineString" and p.length > 0]
        if report is not None:
            report.cut_at_edge += bool(parts)
            report.dropped_outside += not parts
        for part in parts:
            out.append({**f, "geometry": json.loads(shapely.to_geojson(part))})
    return out


def read_osm(path: Path, report: TagReport | None = None, service_roads: str = "public") -> list[dict]:
    """Road ways of an OSM file as features, cut at the extract's edge (oneway=-1 ways reversed)."""
    import osmium
    import shapely

    report = report if report is not None else TagReport()
    features = []
    try:
        box = osmium.io.Reader(str(path), osmium.osm.osm_entity_bits.NOTHING).header().box()
        processor = osmium.FileProcessor(str(path), osmium.osm.NODE | osmium.osm.WAY).with_locations()
        for way in processor:
            if not way.is_way():
                continue
            highway = way.tags.get("highway")
            road_class = HIGHWAY_CLASSES.get(highway)
            if road_class is None:
                continue
            coords = [[round(n.lon, 7), round(n.lat, 7)] if n.location.valid() else None for n in way.nodes]
            runs = _runs(coords)
            report.cut_at_edge += len(runs) != 1 or None in coords
            props, oneway = _properties(way.tags, road_class, highway, report, service_roads)
            for run in runs:
                if oneway < 0:
                    run = run[::-1]
                features.append({"type": "Feature", "geometry": {"type": "LineString", "coordinates": run},
                                 "properties": {**props, "osm_id": way.id}})
    except RuntimeError as exc:
        raise RoadImportError(f"{Path(path).name}: not a readable OSM file ({exc})") from exc
    if box.valid():
        bounds = shapely.box(box.bottom_left.lon, box.bottom_left.lat, box.top_right.lon, box.top_right.lat)
        features = clip_features(features, bounds, report)
    return features


def _feature_props(p: dict, road_class: str, report: TagReport, service_roads: str):
    tags = {k: p.get(k) for k in ("oneway", "access", "vehicle", "motor_vehicle", "motorcar", "foot",
                                  "service", "maxspeed", "name", "junction")}
    if "maxspeed_kmh" in p and p.get("maxspeed") in (None, ""):
        tags["maxspeed"] = p.get("maxspeed_kmh")
    highway = str(p.get("highway") or road_class)
    props, oneway = _properties(tags, road_class, highway, report, service_roads)
    if "drive" in p and p["drive"] is not None:
        props["drive"] = parse_oneway(p["drive"]) == 1 or p["drive"] is True
    if "walk" in p and p["walk"] is not None:
        props["walk"] = parse_oneway(p["walk"]) == 1 or p["walk"] is True
    props["winding"] = float(p.get("winding") or 1.0)
    return props, oneway


def _reversed(geometry: dict) -> dict:
    if geometry["type"] == "LineString":
        return {"type": "LineString", "coordinates": geometry["coordinates"][::-1]}
    return {"type": "MultiLineString", "coordinates": [line[::-1] for line in geometry["coordinates"]]}


def read_geojson_lines(path: Path, class_field: str = "class", report: TagReport | None = None,
                       service_roads: str = "public") -> list[dict]:
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
        props, oneway = _feature_props(p, road_class, report if report is not None else TagReport(), service_roads)
        features.append({"type": "Feature", "geometry": _reversed(geometry) if oneway < 0 else geometry,
                         "properties": props})
    return features


def read_vector(path: Path, class_field: str = "class", default_class: str | None = None, layer: str | None = None,
                report: TagReport | None = None, service_roads: str = "public") -> list[dict]:
    """Line features of one layer of a GeoPackage, Shapefile or other GDAL vector file (pyogrio), in WGS-84."""
    import warnings

    import pyogrio
    import shapely
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # measured (M) values are dropped, as we want
            layers = [str(name) for name, _ in pyogrio.list_layers(str(path))]
            if layer is not None and layer not in layers:
                raise RoadImportError(f"{Path(path).name}: no layer '{layer}' (layers: {', '.join(layers)})")
            meta, _, geometry, fields = pyogrio.raw.read(str(path), layer=layer)
    except RoadImportError:
        raise
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
        p = {k: _cell(v[i]) for k, v in columns.items()}
        props, oneway = _feature_props(p, road_class, report if report is not None else TagReport(), service_roads)
        geometry_ = json.loads(shapely.to_geojson(shape_))
        features.append({"type": "Feature", "geometry": _reversed(geometry_) if oneway < 0 else geometry_,
                         "properties": props})
    return features


def _cell(value):
    """A column value as Python (numpy scalars unwrapped, NaN as missing)."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    return value


def read_roads(path: Path, class_field: str = "class", default_class: str | None = None, *, layer: str | None = None,
               report: TagReport | None = None, service_roads: str = "public") -> list[dict]:
    """Road features of an OSM extract (.osm, .osm.pbf), a GeoJSON file or any GDAL vector file (.gpkg, .shp).

    ``layer`` names the layer of a multi-layer file (GeoPackage); ``report`` collects what the tags did.
    """
    name = Path(path).name.lower()
    if not Path(path).is_file():
        raise RoadImportError(f"no such file: {path}")
    if name.endswith((".osm", ".osm.pbf", ".pbf")):
        features = read_osm(path, report, service_roads)
    elif name.endswith((".geojson", ".json")):
        features = read_geojson_lines(path, class_field, report, service_roads)
    else:
        features = read_vector(path, class_field, default_class, layer, report, service_roads)
    if not features:
        raise RoadImportError(f"{Path(path).name}: no drivable road found")
    return features


def seats_without_road(features: list[dict], seats_lonlat, within_m: float = 500.0) -> list[int]:
    """Indexes of the points (township seats) with no road vertex within ``within_m``: where the network does
    not cover the region."""
    import numpy as np
    from scipy.spatial import cKDTree

    from geo.distance import haversine_m
    coords = np.concatenate([np.asarray(f["geometry"]["coordinates"] if f["geometry"]["type"] == "LineString"
                                        else [c for line in f["geometry"]["coordinates"] for c in line],
                                        dtype=float)[:, :2] for f in features])
    seats = np.asarray(seats_lonlat, dtype=float).reshape(-1, 2)
    scale = float(np.cos(np.radians(seats[:, 1].mean()))) if len(seats) else 1.0
    _, idx = cKDTree(np.column_stack([coords[:, 0] * scale, coords[:, 1]])).query(
        np.column_stack([seats[:, 0] * scale, seats[:, 1]]))
    metres = haversine_m(seats[:, 0], seats[:, 1], coords[idx, 0], coords[idx, 1])
    return [int(i) for i in np.nonzero(metres > within_m)[0]]


def write_network(features: list[dict], out: Path, source: str) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    collection = {"type": "FeatureCollection", "metadata": {"synthetic": False, "source": source},
                  "features": features}
    out.write_text(json.dumps(collection, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")

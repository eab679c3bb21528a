"""The one road graph of the deployment: the embedded default network (synthetic) or an imported one.

Loaded once per process and file; pages and services ask for it here, never build their own. What reads only
the network file takes the settings (``base_graph``, ``roads_geojson``); what honours the closures stored in the
database takes the caller's unit of work.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np
import shapely

from config import Settings
from geo import travel
from geo.roads import MAX_ACCESS_M, RoadGraph, load_geojson
from services.db.uow import UnitOfWork
from services.errors import FieldError


@lru_cache(maxsize=4)
def _load(path: str, mtime: float, speeds: tuple) -> RoadGraph:
    return load_geojson(Path(path), dict(speeds))


def base_graph(settings: Settings) -> RoadGraph:
    """The road graph for ``settings`` with nothing blocked (reloaded when its file changes)."""
    path = Path(settings.road_network_file)
    return _load(str(path), path.stat().st_mtime, tuple(sorted(settings.road_speeds_kmh.items())))


_VIEWS: dict[tuple, RoadGraph] = {}


def road_graph(uow: UnitOfWork, *, hazard_blocks: bool = False) -> RoadGraph:
    """The road graph with every active closure applied (and, if asked, red/orange hazard zones).

    Views are cached by the set of closures, so a new or lifted block takes effect on the next call.
    """
    from services.roads.closures import active_blocks, closed_view, hazard_zones
    graph = base_graph(uow.settings)
    blocks = active_blocks(uow)
    zones = hazard_zones(uow) if hazard_blocks else []
    key = (id(graph), tuple(b.id for b in blocks), tuple(z.hazard_id for z in zones),
           tuple(z.circle.wkb for z in zones))
    if key not in _VIEWS:
        if len(_VIEWS) > 32:
            _VIEWS.clear()
        _VIEWS[key] = closed_view(graph, blocks, zones) if blocks or zones else graph
    return _VIEWS[key]


@lru_cache(maxsize=4)
def _geojson(path: str, mtime: float) -> dict:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return {"type": "FeatureCollection", "metadata": data.get("metadata") or data.get("properties") or {},
            "features": [{"type": "Feature", "geometry": f["geometry"],
                          "properties": {k: f["properties"].get(k) for k in ("class", "name", "synthetic")}}
                         for f in data["features"]]}


def roads_geojson(settings: Settings) -> dict:
    """The road lines of the deployment's network, for drawing (class and name only)."""
    path = Path(settings.road_network_file)
    return _geojson(str(path), path.stat().st_mtime)


def isochrones_geojson(uow: UnitOfWork, lon: float, lat: float, minutes: list[float], *,
                       hazard_blocks: bool = False) -> dict:
    """Areas reachable by road from a point within each number of minutes (closures honoured)."""
    minutes = sorted(minutes)
    graph = road_graph(uow, hazard_blocks=hazard_blocks)
    areas = travel.isochrones(graph, (lon, lat), [m * 60 for m in minutes])
    if areas is None:
        raise FieldError.of("lon", "road.no_open_road_near", limit=f"{MAX_ACCESS_M:g}")
    features = [{"type": "Feature", "properties": {"minutes": m},
                 "geometry": json.loads(shapely.to_geojson(shapely.set_precision(a, 1e-5)))}
                for m, a in zip(minutes, areas)]
    return {"type": "FeatureCollection", "features": features, "synthetic_network": graph.synthetic}


def seconds_to(uow: UnitOfWork, target: tuple[float, float], points: list[tuple[float, float]]) -> np.ndarray:
    """Road travel seconds from each (lon, lat) point to ``target``, walking to and from the road included;
    inf where closures cut a point off."""
    return travel.travel_matrix(road_graph(uow), points, [target])[:, 0]

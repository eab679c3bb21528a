"""The one road graph of the deployment: the embedded default network (synthetic) or an imported one.

Loaded once per process and file; pages and services ask for it here, never build their own.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from config import Settings
from geo.roads import RoadGraph, load_geojson


@lru_cache(maxsize=4)
def _load(path: str, mtime: float, speeds: tuple) -> RoadGraph:
    return load_geojson(Path(path), dict(speeds))


def base_graph(settings: Settings) -> RoadGraph:
    """The road graph for ``settings`` with nothing blocked (reloaded when its file changes)."""
    path = Path(settings.road_network_file)
    return _load(str(path), path.stat().st_mtime, tuple(sorted(settings.road_speeds_kmh.items())))


_VIEWS: dict[tuple, RoadGraph] = {}


def road_graph(settings: Settings, *, hazard_blocks: bool = False) -> RoadGraph:
    """The road graph with every active closure applied (and, if asked, red/orange hazard zones).

    Views are cached by the set of closures, so a new or lifted block takes effect on the next call.
    """
    from services.roads.closures import active_blocks, blocked_mask, hazard_zones
    graph = base_graph(settings)
    blocks = active_blocks(settings)
    zones = hazard_zones(settings) if hazard_blocks else []
    key = (id(graph), tuple(b.id for b in blocks), tuple(z[0] for z in zones),
           tuple(z[2].wkb for z in zones))
    if key not in _VIEWS:
        if len(_VIEWS) > 32:
            _VIEWS.clear()
        _VIEWS[key] = graph.with_blocked(blocked_mask(graph, blocks, zones)) if blocks or zones else graph
    return _VIEWS[key]


@lru_cache(maxsize=4)
def _geojson(path: str, mtime: float) -> dict:
    import json
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return {"type": "FeatureCollection", "metadata": data.get("metadata") or data.get("properties") or {},
            "features": [{"type": "Feature", "geometry": f["geometry"],
                          "properties": {k: f["properties"].get(k) for k in ("class", "name", "synthetic")}}
                         for f in data["features"]]}


def roads_geojson(settings: Settings) -> dict:
    """The road lines of the deployment's network, for drawing (class and name only)."""
    path = Path(settings.road_network_file)
    return _geojson(str(path), path.stat().st_mtime)


def isochrones_geojson(settings: Settings, lon: float, lat: float, minutes: list[float], *,
                       hazard_blocks: bool = False) -> dict:
    """Areas reachable by road from a point within each number of minutes (closures honoured)."""
    import json

    import shapely

    from geo.roads import MAX_ACCESS_M
    from services.errors import FieldError
    graph = road_graph(settings, hazard_blocks=hazard_blocks)
    nodes, access = graph.snap([lon], [lat])
    if access[0] > MAX_ACCESS_M:
        raise FieldError("lon", "该点 500 米内没有可通行道路", "no open road within 500 m of the point")
    minutes = sorted(minutes)
    areas = graph.isochrones(int(nodes[0]), [m * 60 for m in minutes])
    features = [{"type": "Feature", "properties": {"minutes": m},
                 "geometry": json.loads(shapely.to_geojson(shapely.set_precision(a, 1e-5)))}
                for m, a in zip(minutes, areas)]
    return {"type": "FeatureCollection", "features": features, "synthetic_network": graph.synthetic}


def seconds_to(settings: Settings, target: tuple[float, float], points: list[tuple[float, float]]):
    """Road travel seconds from each (lon, lat) point to ``target``, walking to and from the road included;
    inf where closures cut a point off."""
    from geo.roads import ACCESS_SPEED_KMH, MAX_ACCESS_M
    graph = road_graph(settings)
    nodes, access = graph.snap([target[0]] + [p[0] for p in points], [target[1]] + [p[1] for p in points])
    times = graph.travel_to([nodes[0]])[0][nodes[1:]] + (access[1:] + access[0]) / (ACCESS_SPEED_KMH / 3.6)
    times[(access[1:] > MAX_ACCESS_M) | (access[0] > MAX_ACCESS_M)] = float("inf")
    return times

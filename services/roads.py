"""The one road graph of the deployment: the embedded default network (synthetic) or an imported one.

Loaded once per process and file; pages and services ask for it here, never build their own.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from config import Settings
from geo.roads import RoadGraph, load_geojson


@lru_cache(maxsize=4)
def _load(path: str, mtime: float) -> RoadGraph:
    return load_geojson(Path(path))


def road_graph(settings: Settings) -> RoadGraph:
    """The road graph for ``settings`` (reloaded when its file changes)."""
    path = Path(settings.road_network_file)
    return _load(str(path), path.stat().st_mtime)


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

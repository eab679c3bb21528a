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

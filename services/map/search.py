"""Finding any feature by name, address, credit code, code or township, across all layers."""
from __future__ import annotations

from dataclasses import dataclass

from services.db.uow import UnitOfWork
from services.map.layers import POINT_LAYERS, LayerFilter, point_layer

MAX_HITS = 20


@dataclass(frozen=True)
class SearchHit:
    layer: str
    id: int
    name: str
    township_name: str
    lon: float
    lat: float


def search_features(uow: UnitOfWork, text: str, limit: int = MAX_HITS) -> list[SearchHit]:
    """Features whose name, address, code or township contains ``text``; names that start with it first."""
    text = (text or "").strip()
    if len(text) < 1:
        return []
    hits: list[tuple[int, SearchHit]] = []
    for layer in POINT_LAYERS:
        for f in point_layer(uow, layer, LayerFilter(q=text[:100]), "map").features:
            name = str(f.properties["name"])
            rank = 0 if name.startswith(text) else (1 if text in name else 2)
            hits.append((rank, SearchHit(layer, f.id, name, str(f.properties["township_name"]), f.lon, f.lat)))
    hits.sort(key=lambda h: (h[0], len(h[1].name)))
    return [h for _, h in hits[:limit]]

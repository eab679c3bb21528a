"""Finding any feature by name, address, credit code, code or township, across all layers, and the townships
themselves by their Chinese name, pinyin or code."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select

from services.db.uow import UnitOfWork
from services.map.layers import POINT_LAYERS, LayerFilter, like_pattern, point_layer
from services.models import Township

MAX_HITS = 20
MAX_QUERY = 100


@dataclass(frozen=True)
class SearchHit:
    layer: str  # a point layer, or "townships" (then ``id`` is the township's 9-digit code as a number)
    id: int
    name: str
    township_name: str
    lon: float
    lat: float
    name_en: str | None = None  # a township's English name (pinyin); features have none
    township_name_en: str | None = None


def _clean(text: str | None) -> str:
    return (text or "").strip()[:MAX_QUERY]


def search_townships(uow: UnitOfWork, text: str | None) -> list[SearchHit]:
    """Townships whose name, English name (pinyin, any case) or code contains ``text``; township staff see theirs."""
    text = _clean(text)
    if not text:
        return []
    pattern = like_pattern(text)
    stmt = select(Township).where(or_(Township.name.like(pattern, escape="\\"),
                                      Township.name_en.ilike(pattern, escape="\\"),
                                      Township.code.like(pattern, escape="\\")))
    home = uow.principal.township_filter()
    if home is not None:
        stmt = stmt.where(Township.code == home)
    rows = uow.session.scalars(stmt.order_by(Township.code)).all()
    return [SearchHit("townships", int(r.code), r.name, r.name, r.seat_lon, r.seat_lat, r.name_en, r.name_en)
            for r in rows]


def search_features(uow: UnitOfWork, text: str | None, limit: int = MAX_HITS) -> list[SearchHit]:
    """Townships matching ``text`` first, then features whose name, address, code or township (name or pinyin)
    contains it, names that start with it first. Empty, blank or missing text finds nothing."""
    text = _clean(text)
    if not text:
        return []
    townships = search_townships(uow, text)
    english = dict(uow.session.execute(select(Township.name, Township.name_en)).all())
    hits: list[tuple[int, SearchHit]] = []
    for layer in POINT_LAYERS:
        for f in point_layer(uow, layer, LayerFilter(q=text), "map").features:
            name, township = str(f.properties["name"]), str(f.properties["township_name"])
            rank = 0 if name.startswith(text) else (1 if text in name else 2)
            hits.append((rank, SearchHit(layer, f.id, name, township, f.lon, f.lat,
                                         township_name_en=english.get(township))))
    hits.sort(key=lambda h: (h[0], len(h[1].name)))
    return (townships + [h for _, h in hits])[:limit]

"""SYNTHETIC village seats and populations (示例数据) for data/sample/village_sample.csv; called by generate_sample.py.

The gazetteer (data/villages.csv) gives the 220 villages and communities their names and codes but no seat and no
population. This sample gives each a seat inside its township's approximate polygon, near a road of the default
network (data/roads/default_network.geojson, itself synthetic), and a population; the populations of a township's
villages sum exactly to the township's sample population (township_population.csv). Deterministic: its own
``numpy.random.default_rng(VILLAGE_SEED)`` (the main generator's stream is left as it was), no network.

Seats: communities (社区居民委员会) at the road vertices nearest the township seat, villages (村民委员会) spread over
the township by farthest-point sampling of the road vertices inside it (distances in EPSG:4545, metres), each then
moved up to ``JITTER_M`` in a random direction while it stays inside the polygon. A township whose polygon holds
fewer road vertices than villages gets uniform random points for the rest. Populations: weight U(2, 4) for a
community, U(0.6, 1.4) for a village, scaled to the township and rounded by largest remainder.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import shapely
from pyproj import Transformer

VILLAGE_SEED = 20261126
METRIC_CRS = "EPSG:4545"  # CGCS2000 3-degree Gauss-Kruger CM 108E
JITTER_M = 150.0
HEADER = ["code", "seat_lon", "seat_lat", "population"]
COMMUNITY = "社区居民委员会"


def road_vertices(network: Path) -> np.ndarray:
    """(lon, lat) of every vertex of the network's roads other than motorways (no village sits on one)."""
    data = json.loads(network.read_text(encoding="utf-8"))
    points = set()
    for feature in data["features"]:
        if feature["properties"].get("class") == "motorway":
            continue
        geometry = feature["geometry"]
        lines = [geometry["coordinates"]] if geometry["type"] == "LineString" else geometry["coordinates"]
        points.update((round(x, 6), round(y, 6)) for line in lines for x, y, *_ in line)
    return np.array(sorted(points))


def _spread(candidates: np.ndarray, start: np.ndarray, n: int) -> list[int]:
    """``n`` candidate indices by farthest-point sampling, away from the points in ``start`` (metres)."""
    chosen: list[int] = []
    if not len(candidates):
        return chosen
    nearest = np.min(np.linalg.norm(candidates[:, None, :] - start[None, :, :], axis=2), axis=1)
    for _ in range(min(n, len(candidates))):
        j = int(np.argmax(nearest))
        chosen.append(j)
        nearest = np.minimum(nearest, np.linalg.norm(candidates - candidates[j], axis=1))
        nearest[chosen] = -1.0
    return chosen


def _inside(rng, polygon, xy: np.ndarray, to_metres, to_degrees) -> tuple[float, float]:
    """The point ``xy`` (metres) moved up to JITTER_M at random, kept inside ``polygon``; as (lon, lat)."""
    for _ in range(20):
        angle, radius = rng.uniform(0, 2 * np.pi), JITTER_M * np.sqrt(rng.uniform())
        lon, lat = to_degrees.transform(xy[0] + radius * np.cos(angle), xy[1] + radius * np.sin(angle))
        lon, lat = round(lon, 6), round(lat, 6)
        if shapely.contains_xy(polygon, lon, lat):
            return lon, lat
    lon, lat = to_degrees.transform(*xy)
    return round(lon, 6), round(lat, 6)


def _uniform(rng, polygon) -> tuple[float, float]:
    x0, y0, x1, y1 = polygon.bounds
    while True:
        lon, lat = round(rng.uniform(x0, x1), 6), round(rng.uniform(y0, y1), 6)
        if shapely.contains_xy(polygon, lon, lat):
            return lon, lat


def _seats(rng, names: list[str], polygon, seat: tuple[float, float], vertices: np.ndarray,
           to_metres, to_degrees) -> list[tuple[float, float]]:
    """A seat per village of one township: communities near the seat, villages spread over the township."""
    inside = vertices[shapely.contains_xy(polygon, vertices[:, 0], vertices[:, 1])]
    metres = np.column_stack(to_metres.transform(inside[:, 0], inside[:, 1])) if len(inside) else np.zeros((0, 2))
    seat_m = np.array(to_metres.transform(*seat))
    order = list(np.argsort(np.linalg.norm(metres - seat_m, axis=1), kind="stable"))
    communities = [i for i, n in enumerate(names) if n.endswith(COMMUNITY)]
    villages = [i for i, n in enumerate(names) if not n.endswith(COMMUNITY)]
    picked: dict[int, int] = dict(zip(communities, order))
    taken = set(picked.values())
    free = np.array([j for j in range(len(metres)) if j not in taken], dtype=np.int64)
    start = np.vstack([seat_m[None, :], metres[list(taken)]]) if taken else seat_m[None, :]
    for i, j in zip(villages, _spread(metres[free], start, len(villages)) if len(free) else []):
        picked[i] = int(free[j])
    return [_inside(rng, polygon, metres[picked[i]], to_metres, to_degrees) if i in picked else _uniform(rng, polygon)
            for i in range(len(names))]


def _populations(rng, names: list[str], total: int) -> list[int]:
    """Whole populations, larger for communities, summing exactly to ``total`` (largest remainder)."""
    weights = np.array([rng.uniform(2.0, 4.0) if n.endswith(COMMUNITY) else rng.uniform(0.6, 1.4) for n in names])
    share = weights / weights.sum() * total
    whole = np.floor(share).astype(np.int64)
    for i in np.argsort(-(share - whole), kind="stable")[: total - int(whole.sum())]:
        whole[i] += 1
    return [int(p) for p in whole]


def village_sample(towns: list[dict], polygons: list, populations: dict[str, int], villages: list[dict],
                   network: Path) -> list[list[str]]:
    """Rows (code, seat_lon, seat_lat, population) for every village of ``villages``, in the gazetteer's order."""
    rng = np.random.default_rng(VILLAGE_SEED)
    to_metres = Transformer.from_crs("EPSG:4326", METRIC_CRS, always_xy=True)
    to_degrees = Transformer.from_crs(METRIC_CRS, "EPSG:4326", always_xy=True)
    vertices = road_vertices(network)
    by_town: dict[str, list[dict]] = {}
    for v in villages:
        by_town.setdefault(v["township_code"], []).append(v)
    rows: dict[str, list[str]] = {}
    for town, polygon in zip(towns, polygons):
        members = by_town.get(town["code"], [])
        names = [v["name"] for v in members]
        seats = _seats(rng, names, polygon, (float(town["seat_lon"]), float(town["seat_lat"])), vertices,
                       to_metres, to_degrees)
        for v, (lon, lat), people in zip(members, seats, _populations(rng, names, populations[town["code"]])):
            rows[v["code"]] = [v["code"], f"{lon:.6f}", f"{lat:.6f}", str(people)]
    return [rows[v["code"]] for v in villages]

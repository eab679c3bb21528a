"""The road graph: one directed graph in CSR arrays, built from road line strings, with blocked edges.

Nodes are the distinct vertices of the lines (identical coordinates merge); every pair of consecutive
vertices is an edge whose length is the great-circle distance times the road's winding factor and whose
travel time follows the speed of its class. Shortest paths run on scipy.sparse.csgraph (Dijkstra).
Blocked edges are left out of every search until unblocked.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import shapely
import shapely.ops
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra
from scipy.spatial import cKDTree

from geo.distance import haversine_m

DEFAULT_SPEEDS_KMH: dict[str, float] = {
    "motorway": 80, "trunk": 60, "primary": 50, "secondary": 40, "tertiary": 30, "residential": 25, "track": 15,
}
ACCESS_SPEED_KMH = 4.0  # walking from a point to the road it is snapped to
MAX_ACCESS_M = 500.0  # farther from any open road than this, a point counts as cut off
_PRECISION = 6  # decimals of degrees at which vertices are the same node (about 0.1 m)


@dataclass
class RoadGraph:
    node_lon: np.ndarray
    node_lat: np.ndarray
    edge_from: np.ndarray
    edge_to: np.ndarray
    edge_length_m: np.ndarray
    edge_seconds: np.ndarray
    edge_class: list[str]
    edge_name: list[str]
    edge_road: np.ndarray          # index of the source line feature
    synthetic: bool = False
    blocked: np.ndarray = field(default=None)  # type: ignore[assignment]
    # Derived indexes of this view (matrices, snap tree, edge lookups), rebuilt when the blocked set changes;
    # "lines" (the edges' shapes) depends on no block and is shared by views.
    _matrix_cache: dict = field(default_factory=dict, repr=False)

    def __post_init__(self):
        if self.blocked is None:
            self.blocked = np.zeros(len(self.edge_from), dtype=bool)

    @property
    def node_count(self) -> int:
        return len(self.node_lon)

    @property
    def edge_count(self) -> int:
        return len(self.edge_from)

    def set_blocked(self, blocked: np.ndarray) -> None:
        """Replace the set of blocked edges (a boolean mask over edges); searches honour it at once."""
        self.blocked = np.asarray(blocked, dtype=bool).copy()
        self._matrix_cache = {k: v for k, v in self._matrix_cache.items() if k == "lines"}

    def matrix(self, weight: str = "seconds", reverse: bool = False) -> csr_matrix:
        """The open edges as a sparse matrix of ``weight`` (seconds or metres); parallel edges keep the least."""
        key = (weight, reverse)
        if key not in self._matrix_cache:
            values = self.edge_seconds if weight == "seconds" else self.edge_length_m
            open_ = ~self.blocked
            rows, cols = (self.edge_to, self.edge_from) if reverse else (self.edge_from, self.edge_to)
            rows, cols, vals = rows[open_], cols[open_], values[open_]
            order = np.lexsort((vals, cols, rows))  # per (row, col) the smallest value first
            rows, cols, vals = rows[order], cols[order], vals[order]
            first = np.ones(len(rows), dtype=bool)
            first[1:] = (rows[1:] != rows[:-1]) | (cols[1:] != cols[:-1])
            # zero-length edges would vanish from a sparse matrix; give them a negligible positive weight
            vals = np.maximum(vals[first], 1e-6)
            self._matrix_cache[key] = csr_matrix((vals, (rows[first], cols[first])),
                                                 shape=(self.node_count, self.node_count))
        return self._matrix_cache[key]

    def travel_from(self, sources, weight: str = "seconds", limit: float = np.inf) -> np.ndarray:
        """``(len(sources), nodes)`` least cost from each source node to every node (inf: unreachable)."""
        return dijkstra(self.matrix(weight), indices=np.asarray(sources, dtype=int), limit=limit)

    def travel_to(self, targets, weight: str = "seconds", limit: float = np.inf) -> np.ndarray:
        """``(len(targets), nodes)`` least cost from every node to each target (one-way streets respected)."""
        return dijkstra(self.matrix(weight, reverse=True), indices=np.asarray(targets, dtype=int), limit=limit)

    def route(self, source: int, target: int, weight: str = "seconds") -> list[int] | None:
        """Node sequence of the least-cost path, or None when the target cannot be reached."""
        dist, pred = dijkstra(self.matrix(weight), indices=int(source), return_predecessors=True)
        if not np.isfinite(dist[target]):
            return None
        path = [int(target)]
        while path[-1] != source:
            path.append(int(pred[path[-1]]))
        return path[::-1]

    def paths_to(self, target: int, sources, weight: str = "seconds", limit: float = np.inf) -> list[list[int] | None]:
        """Least-cost node paths from each source to ``target`` (None where unreachable), one Dijkstra run."""
        dist, pred = dijkstra(self.matrix(weight, reverse=True), indices=int(target), return_predecessors=True,
                              limit=limit)
        paths: list[list[int] | None] = []
        for source in sources:
            if not np.isfinite(dist[source]):
                paths.append(None)
                continue
            path = [int(source)]
            while path[-1] != target:  # in the reversed search, the predecessor is the next hop forward
                path.append(int(pred[path[-1]]))
            paths.append(path)
        return paths

    def road_names(self, nodes: list[int]) -> list[str]:
        """Names of the roads a node path follows, in order, each once per stretch."""
        names: list[str] = []
        for e in self.path_edges(nodes):
            name = self.edge_name[e]
            if name and (not names or names[-1] != name):
                names.append(name)
        return names

    def _edge_lookup(self, weight: str) -> tuple[np.ndarray, np.ndarray]:
        """Sorted keys ``from * nodes + to`` of the open node pairs and, per key, the open edge of least weight."""
        key = ("lookup", weight)
        if key not in self._matrix_cache:
            values = self.edge_seconds if weight == "seconds" else self.edge_length_m
            open_ = np.nonzero(~self.blocked)[0]
            pairs = self.edge_from[open_] * np.int64(self.node_count) + self.edge_to[open_]
            order = np.lexsort((values[open_], pairs))  # stable: among equal weights the lowest edge index
            pairs, edges = pairs[order], open_[order]
            first = np.ones(len(pairs), dtype=bool)
            first[1:] = pairs[1:] != pairs[:-1]
            self._matrix_cache[key] = (pairs[first], edges[first])
        return self._matrix_cache[key]

    def path_edges(self, nodes: list[int], weight: str = "seconds") -> list[int]:
        """For consecutive nodes, the open edge with the least weight between them.

        Raises ValueError when two consecutive nodes are not joined by an open edge.
        """
        keys, edges = self._edge_lookup(weight)
        path = np.asarray(nodes, dtype=np.int64)
        if len(path) < 2:
            return []
        wanted = path[:-1] * np.int64(self.node_count) + path[1:]
        at = np.minimum(np.searchsorted(keys, wanted), max(len(keys) - 1, 0))
        joined = keys[at] == wanted if len(keys) else np.zeros(len(wanted), dtype=bool)
        if not joined.all():
            hop = int(np.argmin(joined))
            raise ValueError(f"nodes {int(path[hop])} → {int(path[hop + 1])} are not joined by an open edge")
        return [int(e) for e in edges[at]]

    def edge_lines(self) -> np.ndarray:
        """A shapely LineString per directed edge (cached), for spatial queries."""
        if "lines" not in self._matrix_cache:
            coords = np.stack([np.column_stack([self.node_lon[self.edge_from], self.node_lat[self.edge_from]]),
                               np.column_stack([self.node_lon[self.edge_to], self.node_lat[self.edge_to]])], axis=1)
            lines = shapely.linestrings(coords)
            self._matrix_cache["lines"] = (lines, shapely.STRtree(lines))
        return self._matrix_cache["lines"][0]

    def edges_within(self, geometry, tolerance_deg: float = 1e-6) -> np.ndarray:
        """Mask of the edges lying inside ``geometry`` (a segment block matches exactly its own segment)."""
        self.edge_lines()
        tree = self._matrix_cache["lines"][1]
        mask = np.zeros(self.edge_count, dtype=bool)
        mask[tree.query(geometry.buffer(tolerance_deg), predicate="contains")] = True
        return mask

    def edges_crossing(self, geometry) -> np.ndarray:
        """Mask of the edges that touch or cross ``geometry`` (an area block closes every road through it)."""
        self.edge_lines()
        tree = self._matrix_cache["lines"][1]
        mask = np.zeros(self.edge_count, dtype=bool)
        mask[tree.query(geometry, predicate="intersects")] = True
        return mask

    def nearest_edge(self, lon: float, lat: float) -> tuple[int, float]:
        """The edge nearest to a point and the distance to it in metres (approximate, local scale)."""
        lines = self.edge_lines()
        tree = self._matrix_cache["lines"][1]
        point = shapely.Point(lon, lat)
        index = int(tree.nearest(point))
        nearest = shapely.ops.nearest_points(lines[index], point)[0]
        return index, float(haversine_m(lon, lat, nearest.x, nearest.y))

    def isochrones(self, source: int, limits_s: list[float], buffer_m: float = 150.0) -> list:
        """Areas reachable from ``source`` within each limit: the open roads reached, widened by ``buffer_m``."""
        times = self.travel_from([source], limit=max(limits_s))[0]
        lines = self.edge_lines()
        scale = buffer_m / 111_320.0
        areas = []
        for limit in limits_s:
            reached = ~self.blocked & (times[self.edge_from] <= limit) & (times[self.edge_to] <= limit)
            areas.append(shapely.union_all(shapely.buffer(lines[reached], scale, quad_segs=2))
                         if reached.any() else shapely.Polygon())
        return areas

    def with_blocked(self, blocked: np.ndarray) -> RoadGraph:
        """A view of this graph with another set of blocked edges (shares the arrays, not the caches)."""
        view = replace(self, blocked=np.asarray(blocked, dtype=bool).copy(), _matrix_cache={})
        if "lines" in self._matrix_cache:
            view._matrix_cache["lines"] = self._matrix_cache["lines"]
        return view

    def _snap_index(self) -> tuple[np.ndarray, float, cKDTree]:
        """The nodes of open edges, the longitude scale and their KD-tree (built once per blocked set)."""
        if "snap" not in self._matrix_cache:
            usable = np.zeros(self.node_count, dtype=bool)
            usable[self.edge_from[~self.blocked]] = True
            usable[self.edge_to[~self.blocked]] = True
            ids = np.nonzero(usable)[0]
            scale = float(np.cos(np.radians(np.mean(self.node_lat))))
            self._matrix_cache["snap"] = (ids, scale, cKDTree(np.column_stack([self.node_lon[ids] * scale,
                                                                               self.node_lat[ids]])))
        return self._matrix_cache["snap"]

    def snap(self, lon, lat) -> tuple[np.ndarray, np.ndarray]:
        """Nearest node of an open edge for each point, and the straight distance to it in metres."""
        lon, lat = np.atleast_1d(np.asarray(lon, float)), np.atleast_1d(np.asarray(lat, float))
        ids, scale, tree = self._snap_index()
        _, idx = tree.query(np.column_stack([lon * scale, lat]))
        nodes = ids[idx]
        return nodes, haversine_m(lon, lat, self.node_lon[nodes], self.node_lat[nodes])

def from_features(features: list[dict], speeds_kmh: dict[str, float] | None = None,
                  synthetic: bool = False) -> RoadGraph:
    """Build the graph from GeoJSON LineString features with properties class, name, oneway, winding."""
    speeds = {**DEFAULT_SPEEDS_KMH, **(speeds_kmh or {})}
    index: dict[tuple[float, float], int] = {}
    lons, lats = [], []
    edges: list[tuple[int, int, int, str, str, float]] = []  # from, to, road, class, name, winding

    def node(lon: float, lat: float) -> int:
        key = (round(lon, _PRECISION), round(lat, _PRECISION))
        if key not in index:
            index[key] = len(lons)
            lons.append(key[0])
            lats.append(key[1])
        return index[key]

    for f_index, feature in enumerate(features):
        geometry = feature["geometry"]
        lines = [geometry["coordinates"]] if geometry["type"] == "LineString" else geometry["coordinates"]
        p = feature.get("properties") or {}
        road_class = p.get("class", "track")
        if road_class not in speeds:
            raise ValueError(f"road #{f_index + 1}: unknown class {road_class!r} (one of {', '.join(speeds)})")
        for line in lines:
            ids = [node(x, y) for x, y, *_ in line]
            for a, b in zip(ids[:-1], ids[1:]):
                if a == b:
                    continue
                name, wind = p.get("name") or "", float(p.get("winding", 1.0))
                edges.append((a, b, f_index, road_class, name, wind))
                if not p.get("oneway"):
                    edges.append((b, a, f_index, road_class, name, wind))
    node_lon, node_lat = np.array(lons), np.array(lats)
    src, dst, road, classes, names, winding = zip(*edges) if edges else ((),) * 6
    edge_from, edge_to = np.array(src, dtype=np.int64), np.array(dst, dtype=np.int64)
    length = haversine_m(node_lon[edge_from], node_lat[edge_from], node_lon[edge_to], node_lat[edge_to])
    length = length * np.array(winding, dtype=float)
    speed_ms = np.array([speeds[c] for c in classes], dtype=float) / 3.6
    return RoadGraph(node_lon, node_lat, edge_from, edge_to, length, length / speed_ms, list(classes),
                     list(names), np.array(road, dtype=np.int64), synthetic=synthetic)


def load_geojson(path: Path, speeds_kmh: dict[str, float] | None = None) -> RoadGraph:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    meta = data.get("metadata") or data.get("properties") or {}
    return from_features(data["features"], speeds_kmh, synthetic=bool(meta.get("synthetic")))

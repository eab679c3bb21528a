"""The road graph: one directed graph in CSR arrays, built from road line strings, with blocked edges.

Vertices are the distinct vertices of the lines (identical coordinates merge). The graph's nodes are the
junctions: chains of degree-2 vertices are one edge per direction, whose vertices are kept (``path_vertex``)
for drawing and for attaching a point in the middle of a chain (``attach``). Each edge's length is the
great-circle distance times the road's winding factor; its travel time follows the speed of its class (or a
lower ``maxspeed``). Edges carry a drive and a walk flag: one-way streets are one-way for driving only, and
each mode keeps only its largest strongly connected component (geo.road_build). Shortest paths run on
scipy.sparse.csgraph (Dijkstra). Blocked edges are left out of every search until unblocked.
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
from geo.road_build import ComponentReport, build

DEFAULT_SPEEDS_KMH: dict[str, float] = {
    "motorway": 80, "trunk": 60, "primary": 50, "secondary": 40, "tertiary": 30, "residential": 25, "track": 15,
}
ACCESS_SPEED_KMH = 4.0  # walking from a point to the road it is snapped to
MAX_ACCESS_M = 500.0  # farther from any open road than this, a point counts as cut off
MODES = ("drive", "walk")


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
    edge_drive: np.ndarray = field(default=None)  # type: ignore[assignment]
    edge_walk: np.ndarray = field(default=None)  # type: ignore[assignment]
    mode: str = "drive"            # the mode whose edges searches use: drive (one-way honoured) or walk
    vertex_lon: np.ndarray = field(default=None)  # type: ignore[assignment]
    vertex_lat: np.ndarray = field(default=None)  # type: ignore[assignment]
    vertex_node: np.ndarray = field(default=None)  # type: ignore[assignment]  # node of a junction, else -1
    edge_path_start: np.ndarray = field(default=None)  # type: ignore[assignment]
    edge_path_count: np.ndarray = field(default=None)  # type: ignore[assignment]
    path_vertex: np.ndarray = field(default=None)  # type: ignore[assignment]
    path_cum_m: np.ndarray = field(default=None)  # type: ignore[assignment]
    path_cum_s: np.ndarray = field(default=None)  # type: ignore[assignment]
    components: tuple[ComponentReport, ...] = ()
    # An attached graph (``attach``) extends its parent by virtual nodes and edges; its matrices reuse the
    # parent's. Derived indexes of a view (matrices, snap tree, edge lookups) are rebuilt when the blocked set
    # changes; "lines" (the edges' shapes) depends on no block and is shared by views.
    _parent: RoadGraph | None = field(default=None, repr=False)
    _matrix_cache: dict = field(default_factory=dict, repr=False)

    def __post_init__(self):
        m = len(self.edge_from)
        if self.blocked is None:
            self.blocked = np.zeros(m, dtype=bool)
        if self.edge_drive is None:
            self.edge_drive = np.ones(m, dtype=bool)
        if self.edge_walk is None:
            self.edge_walk = np.ones(m, dtype=bool)
        if self.vertex_lon is None:  # a graph given edge by edge: every node a vertex, every edge straight
            self.vertex_lon, self.vertex_lat = self.node_lon, self.node_lat
            self.vertex_node = np.arange(len(self.node_lon), dtype=np.int64)
            self.edge_path_start = np.arange(m, dtype=np.int64) * 2
            self.edge_path_count = np.full(m, 2, dtype=np.int64)
            self.path_vertex = np.column_stack([self.edge_from, self.edge_to]).ravel().astype(np.int64)
            self.path_cum_m = np.column_stack([np.zeros(m), self.edge_length_m]).ravel()
            self.path_cum_s = np.column_stack([np.zeros(m), self.edge_seconds]).ravel()

    @property
    def node_count(self) -> int:
        return len(self.node_lon)

    @property
    def edge_count(self) -> int:
        return len(self.edge_from)

    @property
    def usable(self) -> np.ndarray:
        """Edges open and allowed to this graph's mode."""
        return ~self.blocked & (self.edge_walk if self.mode == "walk" else self.edge_drive)

    def for_mode(self, mode: str) -> RoadGraph:
        """A view of this graph for ``mode`` (drive: one-way streets and vehicle bans honoured; walk: not)."""
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
        if mode == self.mode:
            return self
        key = ("mode", mode)
        if key not in self._matrix_cache:
            view = replace(self, mode=mode, _matrix_cache={})
            view._matrix_cache.update({k: v for k, v in self._matrix_cache.items() if k in ("lines", "tree")})
            self._matrix_cache[key] = view
        return self._matrix_cache[key]

    def set_blocked(self, blocked: np.ndarray) -> None:
        """Replace the set of blocked edges (a boolean mask over edges); searches honour it at once."""
        self.blocked = np.asarray(blocked, dtype=bool).copy()
        self._matrix_cache = {k: v for k, v in self._matrix_cache.items() if k in ("lines", "tree")}

    def _pairs(self, weight: str, reverse: bool, edges: np.ndarray | None = None):
        values = self.edge_seconds if weight == "seconds" else self.edge_length_m
        open_ = self.usable if edges is None else np.zeros(self.edge_count, bool)
        if edges is not None:
            open_[edges] = self.usable[edges]
        rows, cols = (self.edge_to, self.edge_from) if reverse else (self.edge_from, self.edge_to)
        rows, cols, vals = rows[open_], cols[open_], values[open_]
        order = np.lexsort((vals, cols, rows))  # per (row, col) the smallest value first
        rows, cols, vals = rows[order], cols[order], vals[order]
        first = np.ones(len(rows), dtype=bool)
        first[1:] = (rows[1:] != rows[:-1]) | (cols[1:] != cols[:-1])
        # zero-length edges would vanish from a sparse matrix; give them a negligible positive weight
        return rows[first], cols[first], np.maximum(vals[first], 1e-6)

    def matrix(self, weight: str = "seconds", reverse: bool = False) -> csr_matrix:
        """The usable edges as a sparse matrix of ``weight`` (seconds or metres); parallel edges keep the least."""
        key = (weight, reverse)
        if key not in self._matrix_cache:
            n = self.node_count
            if self._parent is not None:  # the parent's matrix, grown by the virtual nodes and their edges
                base = self._parent.matrix(weight, reverse)
                grown = csr_matrix((base.data, base.indices, np.concatenate(
                    [base.indptr, np.full(n - base.shape[0], base.indptr[-1])])), shape=(n, n))
                rows, cols, vals = self._pairs(weight, reverse, np.arange(self._parent.edge_count, self.edge_count))
                self._matrix_cache[key] = (grown + csr_matrix((vals, (rows, cols)), shape=(n, n))).tocsr()
            else:
                rows, cols, vals = self._pairs(weight, reverse)
                self._matrix_cache[key] = csr_matrix((vals, (rows, cols)), shape=(n, n))
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
            open_ = np.nonzero(self.usable)[0]
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

    def path_coords(self, nodes: list[int]) -> list[list[float]]:
        """[lon, lat] of every vertex along a node path, the chains' bends included."""
        if len(nodes) < 2:
            return [[float(self.node_lon[n]), float(self.node_lat[n])] for n in nodes]
        vertices = [int(self.path_vertex[self.edge_path_start[self.path_edges(nodes)[0]]])]
        for e in self.path_edges(nodes):
            s = int(self.edge_path_start[e])
            vertices.extend(self.path_vertex[s + 1:s + int(self.edge_path_count[e])].tolist())
        return [[float(self.vertex_lon[v]), float(self.vertex_lat[v])] for v in vertices]

    def edge_lines(self) -> np.ndarray:
        """A shapely LineString per directed edge with the chain's bends (cached), for spatial queries."""
        if "lines" not in self._matrix_cache:
            first = 0
            if self._parent is not None:  # the parent's lines, and those of the pieces added
                first = self._parent.edge_count
            edges = np.arange(first, self.edge_count)
            counts = self.edge_path_count[edges]
            at = np.repeat(self.edge_path_start[edges], counts) + np.arange(int(counts.sum())) - \
                np.repeat(np.cumsum(counts) - counts, counts)
            verts = self.path_vertex[at]
            coords = np.column_stack([self.vertex_lon[verts], self.vertex_lat[verts]])
            lines = (shapely.linestrings(coords, indices=np.repeat(np.arange(len(edges)), counts))
                     if len(edges) else np.array([], dtype=object))
            if self._parent is not None:
                lines = np.concatenate([self._parent.edge_lines(), lines])
            self._matrix_cache["lines"] = lines
        return self._matrix_cache["lines"]

    def _tree(self) -> shapely.STRtree:
        if "tree" not in self._matrix_cache:
            self._matrix_cache["tree"] = shapely.STRtree(self.edge_lines())
        return self._matrix_cache["tree"]

    def edges_within(self, geometry, tolerance_deg: float = 1e-6) -> np.ndarray:
        """Mask of the edges a closed stretch ``geometry`` lies on, or that lie inside it.

        A segment closure is stored as the edge it was made on; one made on a finer graph (a piece of a chain)
        closes the whole chain it lies on, as a closure anywhere between two junctions closes the same routes.
        """
        lines, tree = self.edge_lines(), self._tree()
        mask = np.zeros(self.edge_count, dtype=bool)
        wide = geometry.buffer(tolerance_deg)
        near = tree.query(wide, predicate="intersects")
        if len(near):
            inside = shapely.within(lines[near], wide)
            under = shapely.within(geometry, shapely.buffer(lines[near], tolerance_deg))
            mask[near[inside | under]] = True
        return mask

    def edges_crossing(self, geometry) -> np.ndarray:
        """Mask of the edges that touch or cross ``geometry`` (an area block closes every road through it)."""
        tree = self._tree()
        mask = np.zeros(self.edge_count, dtype=bool)
        mask[tree.query(geometry, predicate="intersects")] = True
        return mask

    def nearest_edge(self, lon: float, lat: float) -> tuple[int, float]:
        """The edge nearest to a point and the distance to it in metres (approximate, local scale)."""
        lines, tree = self.edge_lines(), self._tree()
        point = shapely.Point(lon, lat)
        index = int(tree.nearest(point))
        nearest = shapely.ops.nearest_points(lines[index], point)[0]
        return index, float(haversine_m(lon, lat, nearest.x, nearest.y))

    def nearest_segment(self, lon: float, lat: float):
        """The two-vertex road segment nearest to a point, as a LineString (what a segment closure closes)."""
        from geo.road_attach import segment_lines
        edge, _ = self.nearest_edge(lon, lat)
        lines, _ = segment_lines(self, np.array([edge]))
        return lines[int(np.argmin(shapely.distance(lines, shapely.Point(lon, lat))))]

    def isochrones(self, source: int, limits_s: list[float], buffer_m: float = 150.0) -> list:
        """Areas reachable from ``source`` within each limit: the usable roads reached, widened by ``buffer_m``.

        An edge reached at its start but not at its end counts with the part that can be driven in time.
        """
        times = self.travel_from([source], limit=max(limits_s))[0]
        lines = self.edge_lines()
        scale = buffer_m / 111_320.0
        usable = self.usable
        areas = []
        for limit in limits_s:
            start_in = usable & (times[self.edge_from] <= limit)
            whole = start_in & (times[self.edge_to] <= limit)
            parts = list(lines[whole])
            for e in np.nonzero(start_in & ~whole)[0]:
                share = (limit - times[self.edge_from[e]]) / max(self.edge_seconds[e], 1e-9)
                parts.append(shapely.ops.substring(lines[e], 0, min(share, 1.0), normalized=True))
            areas.append(shapely.union_all(shapely.buffer(np.array(parts, dtype=object), scale, quad_segs=2))
                         if parts else shapely.Polygon())
        return areas

    def with_blocked(self, blocked: np.ndarray) -> RoadGraph:
        """A view of this graph with another set of blocked edges (shares the arrays, not the caches)."""
        view = replace(self, blocked=np.asarray(blocked, dtype=bool).copy(), _matrix_cache={})
        view._matrix_cache.update({k: v for k, v in self._matrix_cache.items() if k in ("lines", "tree")})
        return view

    def _snap_index(self) -> tuple[np.ndarray, float, cKDTree]:
        """The vertices of usable edges, the longitude scale and their KD-tree (built once per view)."""
        if "snap" not in self._matrix_cache:
            usable = np.nonzero(self.usable)[0]
            at = np.repeat(self.edge_path_start[usable], self.edge_path_count[usable])
            at += np.arange(len(at)) - np.repeat(np.cumsum(self.edge_path_count[usable]) - self.edge_path_count[usable],
                                                 self.edge_path_count[usable])
            ids = np.unique(self.path_vertex[at])
            scale = float(np.cos(np.radians(np.mean(self.vertex_lat)))) if len(self.vertex_lat) else 1.0
            points = np.column_stack([self.vertex_lon[ids] * scale, self.vertex_lat[ids]])
            self._matrix_cache["snap"] = (ids, scale, cKDTree(points if len(points) else np.zeros((0, 2))))
        return self._matrix_cache["snap"]

    def snap(self, lon, lat) -> tuple[np.ndarray, np.ndarray]:
        """Nearest vertex of a usable edge (of the mode's main component) for each point, and the metres to it.

        The ids are vertices; ``attach`` turns them into nodes of a graph to search.
        """
        lon, lat = np.atleast_1d(np.asarray(lon, float)), np.atleast_1d(np.asarray(lat, float))
        ids, scale, tree = self._snap_index()
        if not len(ids):
            return np.zeros(len(lon), dtype=np.int64), np.full(len(lon), np.inf)
        _, idx = tree.query(np.column_stack([lon * scale, lat]))
        vertices = ids[idx]
        return vertices, haversine_m(lon, lat, self.vertex_lon[vertices], self.vertex_lat[vertices])

    def attach(self, *vertex_arrays) -> tuple[RoadGraph, list[np.ndarray]]:
        """A graph in which each given vertex is a node, and the node of each vertex, per array given.

        Junction vertices are nodes already; a vertex inside a chain becomes a virtual node that splits the
        chain's edges (both directions, with their flags and blocks) at it, so a trip may start, end or pass
        there exactly as on the unsimplified roads. Returns this graph itself when no vertex is inside a chain.
        """
        arrays = [np.asarray(v, dtype=np.int64) for v in vertex_arrays]
        allv = np.concatenate(arrays) if arrays else np.zeros(0, np.int64)
        inner = np.unique(allv[self.vertex_node[allv] < 0]) if len(allv) else np.zeros(0, np.int64)
        if not len(inner):
            return self, [self.vertex_node[v] for v in arrays]
        from geo.road_attach import split_edges
        graph = split_edges(self, inner)
        return graph, [graph.vertex_node[v] for v in arrays]


def from_features(features: list[dict], speeds_kmh: dict[str, float] | None = None,
                  synthetic: bool = False, *, simplify: bool = True, main_component: bool = True) -> RoadGraph:
    """Build the graph from GeoJSON LineString features.

    Properties read: class, name, oneway (true, "yes", 1 or -1: against the drawing), winding, maxspeed_kmh,
    drive and walk (false: closed to that mode). ``simplify`` merges chains of degree-2 vertices into one edge;
    ``main_component`` keeps only the largest strongly connected component of each mode (see ``components``).
    """
    speeds = {**DEFAULT_SPEEDS_KMH, **(speeds_kmh or {})}
    b = build(features, speeds, simplify=simplify, main_component=main_component)
    junction = b.vertex_node >= 0
    props = [f.get("properties") or {} for f in features]
    edge_class = [props[r].get("class", "track") for r in b.edge_road.tolist()]
    edge_name = [props[r].get("name") or "" for r in b.edge_road.tolist()]
    return RoadGraph(b.vertex_lon[junction], b.vertex_lat[junction], b.edge_from, b.edge_to, b.edge_length_m,
                     b.edge_seconds, edge_class, edge_name, b.edge_road, synthetic=synthetic,
                     edge_drive=b.edge_drive, edge_walk=b.edge_walk, vertex_lon=b.vertex_lon,
                     vertex_lat=b.vertex_lat, vertex_node=b.vertex_node, edge_path_start=b.edge_path_start,
                     edge_path_count=b.edge_path_count, path_vertex=b.path_vertex, path_cum_m=b.path_cum_m,
                     path_cum_s=b.path_cum_s, components=b.components)


def load_geojson(path: Path, speeds_kmh: dict[str, float] | None = None) -> RoadGraph:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    meta = data.get("metadata") or data.get("properties") or {}
    return from_features(data["features"], speeds_kmh, synthetic=bool(meta.get("synthetic")))

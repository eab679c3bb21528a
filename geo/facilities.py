"""The nearest facility by road for many points at once: one multi-source Dijkstra per facility set.

Every facility is joined to a virtual source node by an arc that costs its walk to the road, so one search
from that node gives, for every road node, the least cost over all facilities of "walk to the road, then
drive (or walk)"; the facility each node was reached from is the first hop of its shortest-path tree, found by
pointer jumping over the predecessors. Walking mode runs on lengths (metres) on the walking edges (both ways
of one-way streets, no motorways, no foot=no roads: ``RoadGraph.for_mode``); the walking legs to and from the road are those of ``geo.travel`` (``ACCESS_SPEED_KMH``, ``MAX_ACCESS_M``).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from geo.roads import RoadGraph
from geo.travel import WALK_M_PER_S, Snapped, snap, travel_matrix

MODES = ("walk", "drive")
_TINY = 1e-9  # an arc of zero cost would vanish from a sparse matrix


@dataclass(frozen=True)
class Nearest:
    """For each point, the nearest facility and the travel time to (or from) it.

    Attributes
    ----------
    index : ndarray of int
        Position of the nearest facility in the facilities given, -1 where none can be reached.
    seconds : ndarray of float
        Travel time in seconds, walking legs included; inf where no facility can be reached.
    """

    index: np.ndarray
    seconds: np.ndarray


def walking_graph(graph: RoadGraph) -> RoadGraph:
    """``graph`` for people on foot: one-way streets both ways, roads closed to walkers left out (blocks kept)."""
    return graph.for_mode("walk")


def mode_graph(graph: RoadGraph, mode: str) -> tuple[RoadGraph, str, float]:
    """The graph, the weight and the metres-or-seconds-to-seconds factor of a travel ``mode``."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    if mode == "walk":
        return walking_graph(graph), "metres", 1.0 / WALK_M_PER_S
    return graph.for_mode("drive"), "seconds", 1.0


def _snapped(graph: RoadGraph, points_lonlat) -> Snapped:
    array = np.asarray(points_lonlat, dtype=float).reshape(-1, 2)
    if not len(array):
        empty = np.zeros(0)
        return Snapped(empty, empty, empty.astype(np.int64), empty)
    return snap(graph, array[:, 0], array[:, 1])


def _with_source(matrix: csr_matrix, nodes: np.ndarray, cost: np.ndarray) -> csr_matrix:
    """``matrix`` with one more node (the last) and an arc of ``cost`` from it to each of ``nodes``."""
    n = matrix.shape[0]
    rows = np.repeat(np.arange(n, dtype=np.int64), np.diff(matrix.indptr))
    rows = np.concatenate([rows, np.full(len(nodes), n, dtype=np.int64)])
    cols = np.concatenate([matrix.indices.astype(np.int64), nodes])
    vals = np.concatenate([matrix.data, np.maximum(cost, _TINY)])
    return csr_matrix((vals, (rows, cols)), shape=(n + 1, n + 1))


def _roots(pred: np.ndarray, source: int) -> np.ndarray:
    """For each node, the node just below ``source`` on its shortest-path tree branch (itself if unreached)."""
    nodes = np.arange(len(pred))
    up = np.where((pred == source) | (pred < 0), nodes, pred)
    while True:
        nxt = up[up]
        if np.array_equal(nxt, up):
            return up
        up = nxt


def nearest(graph: RoadGraph, facilities_lonlat, points_lonlat, *, mode: str = "drive",
            towards: bool = True) -> Nearest:
    """The nearest facility of every point by road, with one search over the whole network.

    Parameters
    ----------
    graph : RoadGraph
        The road graph (or a view of it with closures blocked).
    facilities_lonlat, points_lonlat : array-like of shape (n, 2)
        WGS-84 (lon, lat) degrees. Each is snapped to the nearest open road of the mode; points or facilities
        farther than ``MAX_ACCESS_M`` from one reach nothing and are reached by nothing.
    mode : {"walk", "drive"}
        Walking (lengths at the walking speed, no motorways) or driving (the speed of each road class).
    towards : bool
        True: travel from each point to the facility (people to a shelter); False: from the facility to the
        point (a team or a truck to a hazard point). They differ only on one-way roads.

    Returns
    -------
    Nearest
        Index of the nearest facility (-1 none) and the travel time in seconds (inf none), per point.
    """
    road, weight, to_seconds = mode_graph(graph, mode)
    facilities, points = _snapped(road, facilities_lonlat), _snapped(road, points_lonlat)
    index = np.full(len(points), -1, dtype=np.int64)
    seconds = np.full(len(points), np.inf)
    usable = np.nonzero(~facilities.cut_off)[0]
    if not len(usable) or not len(points):
        return Nearest(index, seconds)
    road, (f_nodes, p_nodes) = road.attach(facilities.nodes, points.nodes)
    access = facilities.access(weight)[usable]
    order = np.lexsort((access, f_nodes[usable]))  # per node, the facility with the shortest walk first
    nodes, access, owners = f_nodes[usable][order], access[order], usable[order]
    first = np.ones(len(nodes), dtype=bool)
    first[1:] = nodes[1:] != nodes[:-1]
    nodes, access, owners = nodes[first], access[first], owners[first]
    source = road.node_count
    matrix = _with_source(road.matrix(weight, reverse=towards), nodes, access)
    dist, pred = dijkstra(matrix, indices=source, return_predecessors=True)
    owner_of_node = np.full(source + 1, -1, dtype=np.int64)
    owner_of_node[nodes] = owners
    root = _roots(pred, source)[p_nodes]
    cost = dist[p_nodes] + points.access(weight)
    reached = np.isfinite(cost) & ~points.cut_off
    index[reached] = owner_of_node[root[reached]]
    seconds[reached] = cost[reached] * to_seconds
    return Nearest(index, seconds)


def travel_seconds(graph: RoadGraph, from_lonlat, to_lonlat, *, mode: str = "drive") -> np.ndarray:
    """``(len(from), len(to))`` travel seconds by ``mode``, walking legs included (inf: cut off or unreachable).

    Walking runs on the shortest open path without motorways at the walking speed; driving on the fastest.
    """
    road, weight, to_seconds = mode_graph(graph, mode)
    origins, targets = _snapped(road, from_lonlat), _snapped(road, to_lonlat)
    return travel_matrix(road, origins, targets, weight=weight) * to_seconds

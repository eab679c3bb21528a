"""Travel by road between points: snapping to the open roads, the walk to and from them, matrices and routes.

The one place where a (lon, lat) point becomes a trip: it is snapped to the nearest vertex of an open road of the
graph's main component (never a fragment), walked to at ``geo.roads.ACCESS_SPEED_KMH``, and counts as cut off
(reason: no road within ``MAX_ACCESS_M``, not closed roads) when farther. A vertex inside a chain is attached
to the graph for the search (``RoadGraph.attach``).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from geo.roads import ACCESS_SPEED_KMH, MAX_ACCESS_M, RoadGraph

WALK_M_PER_S = ACCESS_SPEED_KMH / 3.6
WEIGHTS = ("seconds", "metres")


@dataclass(frozen=True)
class Snapped:
    """Points snapped to the road graph.

    Attributes
    ----------
    lon, lat : ndarray
        The points themselves, WGS-84 degrees.
    nodes : ndarray of int
        The nearest vertex of an open road for each point (a vertex id: ``RoadGraph.attach`` makes it a node).
    access_m : ndarray of float
        Straight distance from each point to its node, metres.
    """

    lon: np.ndarray
    lat: np.ndarray
    nodes: np.ndarray
    access_m: np.ndarray

    def __len__(self) -> int:
        return len(self.nodes)

    @property
    def cut_off(self) -> np.ndarray:
        """Boolean mask: the point is farther than ``MAX_ACCESS_M`` from any open road."""
        return self.access_m > MAX_ACCESS_M

    def access(self, weight: str = "seconds") -> np.ndarray:
        """The walking leg between each point and its node, in seconds or metres."""
        return self.access_m / WALK_M_PER_S if weight == "seconds" else self.access_m

    def lonlat(self, i: int) -> list[float]:
        """Point ``i`` as [lon, lat] in plain floats."""
        return [float(self.lon[i]), float(self.lat[i])]

    def take(self, indices) -> Snapped:
        """The points at ``indices``, still snapped."""
        indices = np.asarray(indices, dtype=np.int64)
        return Snapped(self.lon[indices], self.lat[indices], self.nodes[indices], self.access_m[indices])


@dataclass(frozen=True)
class Route:
    """One trip by road.

    Attributes
    ----------
    coords : list of [lon, lat]
        The start point, the road nodes followed, the end point.
    seconds, metres : float
        Travel time and length, walking legs included.
    via : list of str
        Names of the roads followed, in order, each once per stretch.
    nodes : list of int
        The road nodes followed.
    """

    coords: list[list[float]]
    seconds: float
    metres: float
    via: list[str]
    nodes: list[int]


def snap(graph: RoadGraph, lon, lat) -> Snapped:
    """Snap points (scalars or arrays of WGS-84 degrees) to the nearest node of an open road.

    Returns
    -------
    Snapped
        The points, their nodes and the straight distance to them in metres.
    """
    lon, lat = np.atleast_1d(np.asarray(lon, float)), np.atleast_1d(np.asarray(lat, float))
    nodes, access_m = graph.snap(lon, lat)
    return Snapped(lon, lat, np.asarray(nodes, dtype=np.int64), np.asarray(access_m, dtype=float))


def no_road_near(graph: RoadGraph, lon, lat) -> np.ndarray:
    """Mask: the point has no road of the graph's mode within ``MAX_ACCESS_M`` even with every closure lifted
    (the reason "no road within 500 m", never "closed roads")."""
    lon, lat = np.atleast_1d(np.asarray(lon, float)), np.atleast_1d(np.asarray(lat, float))
    if not len(lon):
        return np.zeros(0, dtype=bool)
    whole = graph.with_blocked(np.zeros(graph.edge_count, dtype=bool)) if graph.blocked.any() else graph
    return whole.snap(lon, lat)[1] > MAX_ACCESS_M


def _snapped(graph: RoadGraph, points) -> Snapped:
    if isinstance(points, Snapped):
        return points
    array = np.asarray(points, dtype=float).reshape(-1, 2)
    return snap(graph, array[:, 0], array[:, 1])


def travel_matrix(graph: RoadGraph, sources_lonlat, targets_lonlat, weight: str = "seconds",
                  limit: float = np.inf) -> np.ndarray:
    """Least travel cost from every source point to every target point, by open roads.

    Parameters
    ----------
    graph : RoadGraph
        The graph (or a view of it with blocked edges).
    sources_lonlat, targets_lonlat : array-like of shape (n, 2) or Snapped
        Points as (lon, lat) in WGS-84 degrees, or already snapped.
    weight : {"seconds", "metres"}
        Fastest travel time in seconds, or shortest length in metres.
    limit : float
        Road searches stop at this cost (in ``weight``'s unit); pairs beyond it are inf. The walking legs
        are added after, so a finite value may exceed ``limit`` by them.

    Returns
    -------
    ndarray of shape (len(sources), len(targets))
        Cost including the walking legs to and from the road; inf where the road part is unreachable or
        either point lies farther than ``MAX_ACCESS_M`` from an open road.
    """
    if weight not in WEIGHTS:
        raise ValueError(f"weight must be one of {', '.join(WEIGHTS)}, not {weight!r}")
    sources, targets = _snapped(graph, sources_lonlat), _snapped(graph, targets_lonlat)
    if not len(sources) or not len(targets):
        return np.full((len(sources), len(targets)), np.inf)
    graph, (s_nodes, t_nodes) = graph.attach(sources.nodes, targets.nodes)
    if len(sources) <= len(targets):  # one Dijkstra per point of the smaller side
        road = graph.travel_from(s_nodes, weight, limit)[:, t_nodes]
    else:
        road = graph.travel_to(t_nodes, weight, limit)[:, s_nodes].T
    cost = road + sources.access(weight)[:, None] + targets.access(weight)[None, :]
    cost[sources.cut_off[:, None] | targets.cut_off[None, :]] = np.inf
    return cost


def _route_of(graph: RoadGraph, path: list[int], start: list[float], end: list[float],
              access_m: float) -> Route:
    edges = graph.path_edges(path)
    coords = [start] + graph.path_coords(path) + [end]
    return Route(coords, float(graph.edge_seconds[edges].sum() + access_m / WALK_M_PER_S),
                 float(graph.edge_length_m[edges].sum() + access_m), graph.road_names(path), path)


def route(graph: RoadGraph, from_lonlat, to_lonlat) -> Route | None:
    """The fastest trip between two (lon, lat) points, walking legs included.

    Returns
    -------
    Route or None
        None when either point is cut off from the open roads or no open road joins them.
    """
    ends = _snapped(graph, [from_lonlat, to_lonlat])
    if ends.cut_off.any():
        return None
    graph, (nodes,) = graph.attach(ends.nodes)
    path = graph.route(int(nodes[0]), int(nodes[1]))
    if path is None:
        return None
    return _route_of(graph, path, ends.lonlat(0), ends.lonlat(1), float(ends.access_m.sum()))


def routes_to(graph: RoadGraph, sources_lonlat, target_lonlat) -> list[Route | None]:
    """The fastest trip from each source point to one target point, with a single search.

    ``sources_lonlat`` is an array of (lon, lat) or a Snapped; ``target_lonlat`` one (lon, lat) or a
    Snapped of one point.

    Returns
    -------
    list of Route or None
        One per source, in order; None where a point is cut off or cannot reach the target.
    """
    sources = _snapped(graph, sources_lonlat)
    target = target_lonlat if isinstance(target_lonlat, Snapped) else _snapped(graph, [target_lonlat])
    if target.cut_off[0]:
        return [None] * len(sources)
    graph, (s_nodes, t_nodes) = graph.attach(sources.nodes, target.nodes)
    paths = graph.paths_to(int(t_nodes[0]), [int(n) for n in s_nodes])
    return [None if path is None or sources.cut_off[i] else
            _route_of(graph, path, sources.lonlat(i), target.lonlat(0),
                      float(sources.access_m[i] + target.access_m[0]))
            for i, path in enumerate(paths)]


def isochrones(graph: RoadGraph, origin_lonlat, limits_s: list[float], buffer_m: float = 150.0) -> list | None:
    """Areas reachable by road from a point within each limit (seconds), as shapely geometries.

    Returns
    -------
    list of shapely geometries or None
        One area per limit, in order; None when the point is cut off from the open roads.
    """
    origin = _snapped(graph, [origin_lonlat])
    if origin.cut_off[0]:
        return None
    graph, (nodes,) = graph.attach(origin.nodes)
    return graph.isochrones(int(nodes[0]), list(limits_s), buffer_m)

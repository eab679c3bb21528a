"""Attaching points inside a chain to the road graph: the chain's edges split at the points' vertices.

The simplified graph has junctions only; a trip that starts or ends in the middle of a chain needs that vertex
as a node. ``split_edges`` appends it as a virtual node and, for every edge through it, the pieces of the edge
on either side (same flags, same block), keeping the parent's edges so its matrices can be reused.
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import shapely

from geo.roads import RoadGraph


def split_edges(graph: RoadGraph, inner: np.ndarray, closed: np.ndarray | None = None) -> RoadGraph:
    """``graph`` with a node at each vertex of ``inner`` (vertices inside chains) and the edges split there.

    ``closed`` (a mask over path positions: the segment from that vertex to the next is closed) blocks the
    pieces holding a closed segment and the whole edges they come from (the graph is then its own parent).
    """
    inner = np.unique(np.asarray(inner, dtype=np.int64))
    n, m = graph.node_count, graph.edge_count
    vertex_node = graph.vertex_node.copy()
    vertex_node[inner] = n + np.arange(len(inner))
    pos = np.nonzero(np.isin(graph.path_vertex, inner))[0]  # ascending: edges own consecutive ranges in order
    edge = np.searchsorted(graph.edge_path_start, pos, side="right") - 1
    start = graph.edge_path_start[edge]
    end = start + graph.edge_path_count[edge] - 1
    inside = (pos != start) & (pos != end)
    pos, edge, start, end = pos[inside], edge[inside], start[inside], end[inside]
    same = np.zeros(len(pos), dtype=bool)
    same[1:] = edge[1:] == edge[:-1]
    last = np.ones(len(pos), dtype=bool)
    last[:-1] = edge[1:] != edge[:-1]
    prev = np.where(same, np.roll(pos, 1), start)
    from_pos = np.concatenate([prev, pos[last]])
    to_pos = np.concatenate([pos, end[last]])
    parent = np.concatenate([edge, edge[last]])

    def node_at(p: np.ndarray) -> np.ndarray:
        first = p == graph.edge_path_start[parent]
        final = p == graph.edge_path_start[parent] + graph.edge_path_count[parent] - 1
        return np.where(first, graph.edge_from[parent], np.where(final, graph.edge_to[parent],
                                                                 vertex_node[graph.path_vertex[p]]))

    new_from, new_to = node_at(from_pos), node_at(to_pos)
    length = graph.path_cum_m[to_pos] - graph.path_cum_m[from_pos]
    seconds = graph.path_cum_s[to_pos] - graph.path_cum_s[from_pos]
    # a piece's cumulative costs start again at 0: give it its own copy of the path stretch
    count = to_pos - from_pos + 1
    offsets = np.repeat(from_pos, count) + np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count)
    new_start = len(graph.path_vertex) + np.cumsum(count) - count
    cum_base_m = np.repeat(graph.path_cum_m[from_pos], count)
    cum_base_s = np.repeat(graph.path_cum_s[from_pos], count)
    plist = parent.tolist()
    blocked_old, blocked_new = graph.blocked, graph.blocked[parent]
    own = graph
    if closed is not None:
        run = np.concatenate([[0], np.cumsum(closed)])  # closed segments before each path position
        blocked_new = blocked_new | (run[to_pos] - run[from_pos] > 0)
        starts, counts = graph.edge_path_start, graph.edge_path_count
        blocked_old = blocked_old | (run[starts + counts - 1] - run[starts] > 0)
        own = None
    drive_old, walk_old = graph.edge_drive, graph.edge_walk
    if closed is not None and len(parent):
        # an edge split into pieces is replaced by them: out of every mode, not counted as blocked
        replaced = np.zeros(m, dtype=bool)
        replaced[parent] = True
        blocked_old = blocked_old & ~replaced
        drive_old, walk_old = drive_old & ~replaced, walk_old & ~replaced
    view = replace(
        graph,
        node_lon=np.concatenate([graph.node_lon, graph.vertex_lon[inner]]),
        node_lat=np.concatenate([graph.node_lat, graph.vertex_lat[inner]]),
        edge_from=np.concatenate([graph.edge_from, new_from]), edge_to=np.concatenate([graph.edge_to, new_to]),
        edge_length_m=np.concatenate([graph.edge_length_m, length]),
        edge_seconds=np.concatenate([graph.edge_seconds, seconds]),
        edge_class=graph.edge_class + [graph.edge_class[e] for e in plist],
        edge_name=graph.edge_name + [graph.edge_name[e] for e in plist],
        edge_road=np.concatenate([graph.edge_road, graph.edge_road[parent]]),
        blocked=np.concatenate([blocked_old, blocked_new]),
        edge_drive=np.concatenate([drive_old, graph.edge_drive[parent]]),
        edge_walk=np.concatenate([walk_old, graph.edge_walk[parent]]),
        vertex_node=vertex_node,
        edge_path_start=np.concatenate([graph.edge_path_start, new_start]),
        edge_path_count=np.concatenate([graph.edge_path_count, count]),
        path_vertex=np.concatenate([graph.path_vertex, graph.path_vertex[offsets]]),
        path_cum_m=np.concatenate([graph.path_cum_m, graph.path_cum_m[offsets] - cum_base_m]),
        path_cum_s=np.concatenate([graph.path_cum_s, graph.path_cum_s[offsets] - cum_base_s]),
        _parent=own, _matrix_cache={})
    assert len(view.edge_from) == m + len(parent)
    return view


def segment_lines(graph: RoadGraph, edges: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The two-vertex segments of ``edges`` as LineStrings, and the path position each starts at."""
    counts = graph.edge_path_count[edges] - 1
    at = np.repeat(graph.edge_path_start[edges], counts) + np.arange(int(counts.sum())) - \
        np.repeat(np.cumsum(counts) - counts, counts)
    a, b = graph.path_vertex[at], graph.path_vertex[at + 1]
    coords = np.stack([np.column_stack([graph.vertex_lon[a], graph.vertex_lat[a]]),
                       np.column_stack([graph.vertex_lon[b], graph.vertex_lat[b]])], axis=1)
    return shapely.linestrings(coords), at


def closed_segments(graph: RoadGraph, geometry, kind: str, tolerance_deg: float = 1e-6) -> np.ndarray:
    """Mask over path positions of the segments a closure cuts: a stretch (``segment``) lying on them or
    containing them, or an ``area`` they touch."""
    mask = np.zeros(len(graph.path_vertex), dtype=bool)
    edges = np.nonzero(graph.edges_within(geometry, tolerance_deg) if kind == "segment"
                       else graph.edges_crossing(geometry))[0]
    if not len(edges):
        return mask
    lines, at = segment_lines(graph, edges)
    if kind == "segment":
        wide = geometry.buffer(tolerance_deg)
        hit = shapely.within(lines, wide) | shapely.within(geometry, shapely.buffer(lines, tolerance_deg))
    else:
        hit = shapely.intersects(lines, geometry)
    mask[at[hit]] = True
    return mask


def with_closed_segments(graph: RoadGraph, closed: np.ndarray) -> RoadGraph:
    """A view of ``graph`` in which the closed segments (mask over path positions) are blocked, and only they:
    the chains are split at the ends of each closed stretch, so the rest of a chain stays usable."""
    at = np.nonzero(closed)[0]
    ends = np.unique(np.concatenate([graph.path_vertex[at], graph.path_vertex[at + 1]]))
    inner = ends[graph.vertex_node[ends] < 0]
    view = graph.with_blocked(graph.blocked)
    return split_edges(view, inner, np.asarray(closed, dtype=bool))

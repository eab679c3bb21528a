"""Building the road graph's arrays from line features, vectorised: vertices, segments, main components, chains.

Vertices are the distinct (rounded) coordinates of the lines; each pair of consecutive vertices is a segment
with the flags of its line (drivable, walkable, one-way). Per mode only the largest strongly connected
component is kept; then chains of degree-2 vertices whose segments agree are merged into one edge per
direction, the vertices kept in order for drawing and for attaching points in the middle of a chain.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from geo.distance import haversine_m

PRECISION = 6  # decimals of degrees at which vertices are the same (about 0.1 m)
NOT_WALKABLE_CLASSES = ("motorway",)  # classes closed to people on foot unless a line says otherwise


@dataclass(frozen=True)
class ComponentReport:
    """What keeping the largest strongly connected component of one mode dropped."""

    mode: str
    kept_vertices: int
    dropped_vertices: int
    dropped_km: float
    fragments: int  # components other than the largest


@dataclass(frozen=True)
class BuildArrays:
    """Everything ``RoadGraph`` needs, as arrays (see geo.roads.RoadGraph for their meaning)."""

    vertex_lon: np.ndarray
    vertex_lat: np.ndarray
    vertex_node: np.ndarray      # node id of a junction vertex, -1 for a vertex inside a chain
    edge_from: np.ndarray
    edge_to: np.ndarray
    edge_length_m: np.ndarray
    edge_seconds: np.ndarray
    edge_road: np.ndarray
    edge_drive: np.ndarray
    edge_walk: np.ndarray
    edge_path_start: np.ndarray  # first index of the edge's vertices in path_vertex
    edge_path_count: np.ndarray
    path_vertex: np.ndarray
    path_cum_m: np.ndarray       # metres from the edge's start to this vertex
    path_cum_s: np.ndarray       # seconds likewise
    components: tuple[ComponentReport, ...]


def _flatten(features: list[dict]):
    """Coordinates of every line (n, 2), the feature of each, and a mask of vertices that start a segment."""
    coords: list = []
    sizes: list[int] = []
    owners: list[int] = []
    for f_index, feature in enumerate(features):
        geometry = feature["geometry"]
        lines = [geometry["coordinates"]] if geometry["type"] == "LineString" else geometry["coordinates"]
        for line in lines:
            if len(line) >= 2:
                coords.extend(line)
                sizes.append(len(line))
                owners.append(f_index)
    if not coords:
        return np.zeros((0, 2)), np.zeros(0, np.int64), np.zeros(0, bool)
    try:
        array = np.array(coords, dtype=float)[:, :2]
    except ValueError:  # some vertices carry a Z or M value: take (x, y) of each
        array = np.array([c[:2] for c in coords], dtype=float)
    sizes_ = np.array(sizes, dtype=np.int64)
    owner = np.repeat(np.array(owners, dtype=np.int64), sizes_)
    starts = np.ones(len(array), dtype=bool)
    starts[np.cumsum(sizes_) - 1] = False  # the last vertex of a line starts no segment
    return array, owner, starts


def _largest_scc(n: int, a: np.ndarray, b: np.ndarray, both: np.ndarray, use: np.ndarray):
    """Mask of the vertices of the largest strongly connected component over the used segments; fragments."""
    rows = np.concatenate([a[use], b[use & both]])
    cols = np.concatenate([b[use], a[use & both]])
    touched = np.zeros(n, dtype=bool)
    touched[rows] = True
    touched[cols] = True
    if not touched.any():
        return touched, 0
    matrix = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n)).tocsr()
    _, labels = connected_components(matrix, directed=True, connection="strong")
    sizes = np.bincount(labels[touched])
    main = labels == int(np.argmax(sizes))
    return main & touched, int((sizes > 0).sum()) - 1


def _chains(n_vertices: int, a: np.ndarray, b: np.ndarray, attr: np.ndarray, oneway: np.ndarray,
            simplify: bool):
    """Junction mask and, per dart (2s: a→b, 2s+1: b→a), the dart before it in its chain (-1 at a junction)."""
    seg = np.arange(len(a))
    inc_v = np.concatenate([a, b])
    inc_s = np.concatenate([seg, seg])
    degree = np.bincount(inc_v, minlength=n_vertices)
    order = np.argsort(inc_v, kind="stable")
    first_at = np.concatenate([[0], np.cumsum(degree)])[:-1]
    pair = np.full((n_vertices, 2), -1, dtype=np.int64)
    two = degree == 2
    pair[two, 0] = inc_s[order][first_at[two]]
    pair[two, 1] = inc_s[order][first_at[two] + 1]
    interior = np.zeros(n_vertices, dtype=bool)
    if simplify:
        s1, s2 = pair[two, 0], pair[two, 1]
        v = np.nonzero(two)[0]
        same = (attr[s1] == attr[s2]) & (s1 != s2)
        # one-way chains only continue head to tail: v is the head of one segment and the tail of the other
        flow = ((b[s1] == v) & (a[s2] == v)) | ((a[s1] == v) & (b[s2] == v))
        interior[v] = same & (~oneway[s1] | flow)
    return interior, pair


def _pred(a, b, interior, pair):
    """Predecessor dart of every dart within its chain (-1 when the dart leaves a junction)."""
    tail, head = np.empty(2 * len(a), dtype=np.int64), np.empty(2 * len(a), dtype=np.int64)
    tail[0::2], tail[1::2], head[0::2], head[1::2] = a, b, b, a
    darts = np.arange(2 * len(a))
    s = darts // 2
    pred = np.full(len(darts), -1, dtype=np.int64)
    inner = interior[tail]
    t = tail[inner]
    other = np.where(pair[t, 0] == s[inner], pair[t, 1], pair[t, 0])
    # the dart of the other segment whose head is t
    pred[inner] = np.where(b[other] == t, 2 * other, 2 * other + 1)
    return tail, head, pred


def _rank(pred: np.ndarray):
    """Pointer jumping: the first dart of each dart's chain and its position; -1 heads for darts on cycles."""
    idx = np.arange(len(pred))
    anc = np.where(pred >= 0, pred, idx)
    rank = (pred >= 0).astype(np.int64)
    for _ in range(int(np.ceil(np.log2(max(len(pred), 2)))) + 2):
        nxt = anc[anc]
        if np.array_equal(nxt, anc):
            break
        rank = rank + rank[anc]  # synchronous: both read the old arrays (a chain's first dart has rank 0)
        anc = nxt
    on_cycle = pred[anc] >= 0
    return anc, rank, on_cycle


def build(features: list[dict], speeds_kmh: dict[str, float], *, simplify: bool = True,
          main_component: bool = True) -> BuildArrays:
    """The graph arrays of ``features`` (GeoJSON lines with class, name, oneway, winding, drive, walk, maxspeed_kmh)."""
    props = [f.get("properties") or {} for f in features]
    for i, p in enumerate(props):
        if p.get("class", "track") not in speeds_kmh:
            raise ValueError(f"road #{i + 1}: unknown class {p.get('class')!r} (one of {', '.join(speeds_kmh)})")
    f_class = [p.get("class", "track") for p in props]
    f_speed = np.array([min(float(p.get("maxspeed_kmh") or np.inf), speeds_kmh[c]) for p, c in zip(props, f_class)])
    f_wind = np.array([float(p.get("winding", 1.0)) for p in props])
    f_oneway = np.array([bool(p.get("oneway")) and p.get("oneway") not in ("no", "false", "0") for p in props])
    f_reverse = np.array([str(p.get("oneway")) == "-1" for p in props])
    f_drive = np.array([p.get("drive", True) is not False for p in props], dtype=bool)
    f_walk = np.array([p.get("walk", c not in NOT_WALKABLE_CLASSES) is not False for p, c in zip(props, f_class)])
    keys: dict[tuple, int] = {}
    f_attr = np.array([keys.setdefault((c, p.get("name") or "", s, w), len(keys))
                       for p, c, s, w in zip(props, f_class, f_speed.tolist(), f_wind.tolist())], dtype=np.int64)

    coords, owner, starts = _flatten(features)
    rounded = np.round(coords, PRECISION)
    key = (np.round(rounded[:, 0] * 10**PRECISION).astype(np.int64) << 32) + \
        np.round(rounded[:, 1] * 10**PRECISION).astype(np.int64)
    uniq, first_index, vid = np.unique(key, return_index=True, return_inverse=True)
    v_lon, v_lat = rounded[first_index, 0], rounded[first_index, 1]
    at = np.nonzero(starts)[0]
    a, b, feat = vid[at], vid[at + 1], owner[at]
    swap = f_reverse[feat]
    a, b = np.where(swap, b, a), np.where(swap, a, b)
    keep = a != b
    a, b, feat = a[keep], b[keep], feat[keep]
    length = haversine_m(v_lon[a], v_lat[a], v_lon[b], v_lat[b]) * f_wind[feat]
    oneway = f_oneway[feat] | swap[keep]
    drive, walk = f_drive[feat].copy(), f_walk[feat].copy()

    n = len(uniq)
    reports = []
    if main_component:
        for mode, use, both in (("drive", drive, ~oneway), ("walk", walk, np.ones(len(a), bool))):
            main, fragments = _largest_scc(n, a, b, both, use)
            touched = np.zeros(n, dtype=bool)
            touched[a[use]] = True
            touched[b[use]] = True
            lost = use & ~(main[a] & main[b])
            use &= ~lost
            reports.append(ComponentReport(mode, int(main.sum()), int((touched & ~main).sum()),
                                           round(float(length[lost].sum()) / 1000, 3), fragments))
    kept = drive | walk
    a, b, feat, length, oneway, drive, walk = (x[kept] for x in (a, b, feat, length, oneway, drive, walk))
    # two-way segments in one orientation, then identical segments once
    flip = ~oneway & (a > b)
    a, b = np.where(flip, b, a), np.where(flip, a, b)
    attr = f_attr[feat] * 8 + oneway * 4 + drive * 2 + walk
    order = np.lexsort((length, attr, b, a))
    a, b, feat, length, oneway, drive, walk, attr = (x[order] for x in (a, b, feat, length, oneway, drive, walk, attr))
    dup = np.zeros(len(a), dtype=bool)
    dup[1:] = (a[1:] == a[:-1]) & (b[1:] == b[:-1]) & (attr[1:] == attr[:-1])
    a, b, feat, length, oneway, drive, walk, attr = (x[~dup] for x in (a, b, feat, length, oneway, drive, walk, attr))
    # compact the vertices to those still used
    used = np.zeros(n, dtype=bool)
    used[a] = True
    used[b] = True
    new_id = np.cumsum(used) - 1
    a, b = new_id[a], new_id[b]
    v_lon, v_lat = v_lon[used], v_lat[used]
    n = len(v_lon)

    interior, pair = _chains(n, a, b, attr, oneway, simplify)
    tail, head, pred = _pred(a, b, interior, pair)
    anc, rank, on_cycle = _rank(pred)
    if on_cycle.any():  # a closed loop of interior vertices: its smallest vertex becomes a junction
        loop_vertices = np.unique(tail[on_cycle])
        loops = coo_matrix((np.ones(int(on_cycle.sum())), (tail[on_cycle], head[on_cycle])), shape=(n, n))
        _, labels = connected_components(loops, directed=False)
        lab = labels[loop_vertices]
        first = np.ones(len(lab), dtype=bool)
        order = np.lexsort((loop_vertices, lab))
        first[1:] = lab[order][1:] != lab[order][:-1]
        interior[loop_vertices[order][first]] = False
        tail, head, pred = _pred(a, b, interior, pair)
        anc, rank, on_cycle = _rank(pred)

    dart_seg = np.arange(len(tail)) // 2
    dart_drive = drive[dart_seg] & ((np.arange(len(tail)) % 2 == 0) | ~oneway[dart_seg])
    dart_walk = walk[dart_seg]
    live = dart_drive | dart_walk
    darts = np.nonzero(live)[0]
    order = darts[np.lexsort((rank[darts], anc[darts]))]
    group_head = anc[order]
    new_group = np.ones(len(order), dtype=bool)
    new_group[1:] = group_head[1:] != group_head[:-1]
    edge_of = np.cumsum(new_group) - 1
    n_edges = int(new_group.sum())
    firsts = order[new_group]
    counts = np.bincount(edge_of, minlength=n_edges) + 1
    start = np.concatenate([[0], np.cumsum(counts)])[:-1]
    path_vertex = np.empty(int(counts.sum()), dtype=np.int64)
    path_vertex[start] = tail[firsts]
    pos = start[edge_of] + 1 + rank[order]
    path_vertex[pos] = head[order]
    seg_m = length[dart_seg[order]]
    seg_s = seg_m / (f_speed[feat[dart_seg[order]]] / 3.6)
    cum_m, cum_s = np.zeros(len(path_vertex)), np.zeros(len(path_vertex))
    run_m, run_s = np.cumsum(seg_m), np.cumsum(seg_s)
    base_m = np.concatenate([[0], run_m])[np.nonzero(new_group)[0]]
    base_s = np.concatenate([[0], run_s])[np.nonzero(new_group)[0]]
    cum_m[pos] = run_m - base_m[edge_of]
    cum_s[pos] = run_s - base_s[edge_of]
    last = start + counts - 1
    vertex_node = np.where(interior, -1, np.cumsum(~interior) - 1)
    return BuildArrays(
        v_lon, v_lat, vertex_node, vertex_node[path_vertex[start]], vertex_node[path_vertex[last]],
        cum_m[last], cum_s[last], feat[dart_seg[firsts]], dart_drive[firsts], dart_walk[firsts],
        start, counts, path_vertex, cum_m, cum_s, tuple(reports))

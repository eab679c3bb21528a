"""The PNG print layout of the map's current view (matplotlib, Agg): map, title, legend, scale bar, north
arrow, date and sources, on A4 or A3 landscape.
"""
from __future__ import annotations

import datetime as dt
import functools
import io
import math
import re
import textwrap
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import shape

from geo.distance import EARTH_RADIUS_M
from services.db.uow import UnitOfWork
from services.map.export_html import (
    ALERT_RING,
    MapView,
    MarkerStyle,
    area_name,
    choropleth_colour,
    collect_view,
    filter_summary,
    legend_sections,
    marker_style,
    text,
)

PAPER_MM = {"a4": (297, 210), "a3": (420, 297)}  # landscape
MAP_BOX = (0.015, 0.075, 0.74, 0.815)  # the map on the sheet: left, bottom, width, height (figure fractions)
PRINT_PT_PER_PX = 0.32  # printed marker size (pt) per CSS pixel of the live map's marker: the sheet is denser
CLIP_MARGIN = 0.05  # outlines are cut 5 % outside the map frame, so the cut edges are never seen
CJK_FONT_FILES = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",  # Debian fonts-noto-cjk
                  "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
                  "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf")


@dataclass(frozen=True)
class ScaleBar:
    length_km: float
    lon_start: float
    lon_end: float
    lat: float


def scale_bar(lon_start: float, lat: float, map_width_deg: float, share: float = 0.25) -> ScaleBar:
    """A bar of a round length (1, 2 or 5 × 10ⁿ km), about ``share`` of the map's width, along the parallel ``lat``.

    Its end is placed so that the great-circle (haversine) distance between its ends is ``length_km`` at the
    latitude where it is drawn, not only at the map's centre.
    """
    radius_km, cos_lat = EARTH_RADIUS_M / 1000, math.cos(math.radians(lat))
    width_km = 2 * radius_km * math.asin(min(1.0, cos_lat * math.sin(math.radians(map_width_deg) / 2)))
    power = 10 ** math.floor(math.log10(width_km * share))
    length_km = max(step * power for step in (1, 2, 5) if step * power <= width_km * share)
    dlon = 2 * math.asin(math.sin(length_km / (2 * radius_km)) / cos_lat)
    return ScaleBar(length_km, lon_start, lon_start + math.degrees(dlon), lat)


def fit_extent(extent: tuple[float, float, float, float], box_ratio: float) -> tuple[float, float, float, float]:
    """Widen ``extent`` (never shrink it) to fill a box of height/width ``box_ratio`` in the local equirectangular
    projection of the print layout, where a degree of longitude is cos(latitude) of a degree of latitude."""
    minlon, minlat, maxlon, maxlat = extent
    cos_lat = math.cos(math.radians((minlat + maxlat) / 2))
    width, height = (maxlon - minlon) * cos_lat, maxlat - minlat
    grow_x, grow_y = max(0.0, height / box_ratio - width) / cos_lat, max(0.0, width * box_ratio - height)
    return minlon - grow_x / 2, minlat - grow_y / 2, maxlon + grow_x / 2, maxlat + grow_y / 2


def paper_pixels(paper: str = "a4", dpi: int = 150) -> tuple[int, int]:
    """Width and height in pixels of a landscape sheet: A4 at 150 dpi is 1754 × 1240."""
    width_mm, height_mm = PAPER_MM[paper]
    return round(width_mm / 25.4 * dpi), round(height_mm / 25.4 * dpi)


@functools.lru_cache(maxsize=1)
def font_families() -> tuple[str, ...]:
    """Fonts for the print layout: a CJK font registered with matplotlib when one is found, then DejaVu Sans."""
    from matplotlib import font_manager  # noqa: PLC0415 — matplotlib only when printing
    found = [p for p in CJK_FONT_FILES if Path(p).is_file()] or sorted(
        p for p in font_manager.findSystemFonts() if re.search(r"CJK|wqy|WenQuanYi|DroidSansFallback", p, re.I))
    for path in found:
        try:
            font_manager.fontManager.addfont(path)
        except (OSError, RuntimeError, ValueError):
            continue
        names = sorted({f.name for f in font_manager.fontManager.ttflist if f.fname == path})
        simplified = [n for n in names if n.endswith(" SC")]  # a .ttc holds JP/KR/SC/TC faces: prefer Simplified
        return (*(simplified or names or [font_manager.FontProperties(fname=path).get_name()])[:1], "DejaVu Sans")
    return ("DejaVu Sans",)


def clip_box(extent: tuple[float, float, float, float], margin: float = CLIP_MARGIN) -> tuple[float, ...]:
    """The view's extent widened by ``margin`` of its size on each side: what a drawn outline is cut to."""
    minlon, minlat, maxlon, maxlat = extent
    dx, dy = (maxlon - minlon) * margin, (maxlat - minlat) * margin
    return minlon - dx, minlat - dy, maxlon + dx, maxlat + dy


def _patch(geometry: dict, box: tuple[float, ...], **style):
    """A polygon as a patch, cut to ``box`` first; None when nothing of it lies in the box.

    Agg neither clips filled paths nor dashes lazily: an uncut dashed township outline seen through a 1e-7°
    window is billions of pixels long and took Agg over 15 minutes (issue 9). Cut, it is a few screens long.
    """
    from matplotlib.patches import PathPatch  # noqa: PLC0415
    from matplotlib.path import Path as MplPath  # noqa: PLC0415
    geom = shapely.clip_by_rect(shape(geometry), *box)
    polygons = [g for g in getattr(geom, "geoms", [geom]) if g.geom_type == "Polygon" and not g.is_empty]
    if not polygons:
        return None
    geom = shapely.orient_polygons(shapely.MultiPolygon(polygons))  # exterior anticlockwise, holes clockwise
    rings = [r for poly in geom.geoms for r in (poly.exterior, *poly.interiors)]
    return PathPatch(MplPath.make_compound_path(*(MplPath(np.asarray(r.coords)[:, :2]) for r in rings)), **style)


def _add_patch(ax, geometry: dict, box: tuple[float, ...], **style) -> None:
    patch = _patch(geometry, box, **style)
    if patch is not None:
        ax.add_patch(patch)


def _draw_map(ax, view: MapView, extent: tuple[float, float, float, float], halo: list) -> None:
    lang, data, box = view.lang, view.choropleth, clip_box(extent)
    values = data.values if data else {}
    ax.set(facecolor="#eef2f5", xlim=extent[::2], ylim=extent[1::2], xticks=[], yticks=[])
    ax.set_aspect(1 / math.cos(math.radians((extent[1] + extent[3]) / 2)))  # local equirectangular projection
    for f in view.boundary:
        if f["properties"]["role"] == "neighbour":
            _add_patch(ax, f["geometry"], box, fc="#d5dae0", ec="#9aa5b1", lw=0.6, alpha=0.8)
            point = shapely.point_on_surface(shape(f["geometry"]))
            ax.text(point.x, point.y, area_name(f["properties"], lang), color="#6c757d", fontsize=8, ha="center",
                    va="center", clip_on=True, path_effects=halo, parse_math=False)
    for f in view.townships:
        fill = choropleth_colour(values.get(f["properties"]["code"]), data)
        _add_patch(ax, f["geometry"], box, fc=fill or "#ffffff", alpha=0.75 if fill else 0.45, ec="#5c677d",
                   lw=0.5, ls=(0, (4, 3)))
    for f in view.boundary:
        if f["properties"]["role"] == "district":
            _add_patch(ax, f["geometry"], box, fc="none", ec="#9b2226", lw=1.8)
    for f in view.townships:
        point = shapely.point_on_surface(shape(f["geometry"]))
        ax.text(point.x, point.y, area_name(f["properties"], lang), fontsize=6.5, color="#33415c", ha="center",
                va="center", clip_on=True, path_effects=halo, zorder=3, parse_math=False)
    for z, features in enumerate(view.layers.values(), start=4):
        styles = [marker_style(f["properties"]) for f in features]
        if not styles:
            continue
        lon, lat = np.array([f["geometry"]["coordinates"] for f in features], dtype=float).T
        ax.scatter(lon, lat, s=[(s.size_px * PRINT_PT_PER_PX) ** 2 for s in styles], c=[s.colour for s in styles],
                   marker="s" if styles[0].square else "o", edgecolors=[s.edge for s in styles], zorder=z,
                   linewidths=[1.2 if s.edge == ALERT_RING else 0.4 for s in styles])
        for s, x, y in zip(styles, lon, lat):
            if s.glyph:
                ax.text(x, y, s.glyph, fontsize=s.size_px * PRINT_PT_PER_PX * 0.6, color="white", ha="center",
                        va="center", zorder=z)


def _draw_scale_and_north(ax, lang: str, halo: list) -> ScaleBar:
    from matplotlib.patches import Rectangle  # noqa: PLC0415
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    bar, height = scale_bar(x0 + 0.03 * (x1 - x0), y0 + 0.04 * (y1 - y0), x1 - x0), 0.007 * (y1 - y0)
    middle = (bar.lon_start + bar.lon_end) / 2
    for start, end, colour in ((bar.lon_start, middle, "#222222"), (middle, bar.lon_end, "#ffffff")):
        ax.add_patch(Rectangle((start, bar.lat), end - start, height, fc=colour, ec="#222222", lw=0.8, zorder=10))
    for x, label in ((bar.lon_start, "0"), (middle, f"{bar.length_km / 2:g}"),
                     (bar.lon_end, text("km", lang, n=f"{bar.length_km:g}"))):
        ax.text(x, bar.lat + 2 * height, label, fontsize=7, ha="center", va="bottom", zorder=10, path_effects=halo)
    ax.annotate("", xy=(0.955, 0.93), xytext=(0.955, 0.84), xycoords="axes fraction", zorder=10,
                arrowprops={"facecolor": "#222222", "edgecolor": "#222222", "width": 3, "headwidth": 11})
    ax.text(0.955, 0.94, text("north", lang), transform=ax.transAxes, fontsize=11, weight="bold", ha="center",
            va="bottom", zorder=10)
    return bar


def _draw_legend(ax, view: MapView) -> None:
    lang, wrap = view.lang, (34 if view.lang == "en" else 19)
    rows: list[tuple[MarkerStyle | None, str, bool]] = [
        (None, text("legend", lang), True), (MarkerStyle("none", 14, "#9b2226", True), text("district", lang), False),
        (MarkerStyle("#d5dae0", 14, "#9aa5b1", True), text("neighbours", lang), False),
        (MarkerStyle("#ffffff", 14, "#5c677d", True), text("townships", lang), False)]
    for heading, items in legend_sections(view):
        rows += [(None, heading, True), *((s, label, False) for s, label in items)]
    lines = [(s if i == 0 else None, line, bold) for s, label, bold in rows
             for i, line in enumerate(textwrap.wrap(label, wrap) or [""])]
    step = min(0.032, 0.98 / len(lines))
    ax.set(xlim=(0, 1), ylim=(0, 1))
    ax.set_axis_off()
    for i, (s, line, bold) in enumerate(lines):
        if s is not None:
            ax.scatter([0.04], [0.99 - i * step], s=(s.size_px * 0.5) ** 2, c=s.colour, edgecolors=s.edge,
                       marker="s" if s.square else "o", linewidths=1.2 if s.edge != "#ffffff" else 0.5)
        ax.text(0.0 if bold else 0.1, 0.99 - i * step, line, fontsize=8.5 if bold else 7.5, va="center",
                weight="bold" if bold else "normal", parse_math=False)


def map_png(uow: UnitOfWork, selection, *, now: dt.datetime | None = None) -> bytes:
    """A print layout of the current view as PNG, drawn in this process (services/map/render_worker.py draws it
    in a worker process with a time limit, as the API does, after its unit of work has closed)."""
    return render_view(collect_view(uow, selection, now))


def render_view(view: MapView) -> bytes:
    """The print layout of a collected view as PNG: map, title, legend, scale bar, north arrow, date, sources."""
    import matplotlib  # noqa: PLC0415 — matplotlib only when printing
    from matplotlib import patheffects  # noqa: PLC0415
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: PLC0415
    from matplotlib.figure import Figure  # noqa: PLC0415
    lang, req, summary = view.lang, view.request, filter_summary(view)
    width_px, height_px = paper_pixels(req.paper, req.dpi)
    notes = "\n".join([text("source", lang)] + ([text("sample_note", lang)] if view.sample else []))
    halo = [patheffects.withStroke(linewidth=2, foreground="white")]
    with matplotlib.rc_context({"font.family": list(font_families()), "axes.unicode_minus": False}), \
            warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from font")  # no CJK font: boxes, no crash
        fig = Figure(figsize=(width_px / req.dpi, height_px / req.dpi), dpi=req.dpi, facecolor="white")
        FigureCanvasAgg(fig)  # Agg without pyplot: no global state, safe in a server thread
        ax = fig.add_axes(MAP_BOX)
        _draw_map(ax, view, fit_extent(view.extent, MAP_BOX[3] * height_px / (MAP_BOX[2] * width_px)), halo)
        _draw_scale_and_north(ax, lang, halo)
        _draw_legend(fig.add_axes((0.775, 0.075, 0.21, 0.815)), view)
        fig.text(0.015, 0.955, view.title, fontsize=18, weight="bold", va="center", parse_math=False)
        fig.text(0.015, 0.912, text("made", lang, time=view.made_text) + (f"  ·  {summary}" if summary else ""),
                 fontsize=8.5, color="#333333", va="center", parse_math=False)  # "$" in a query is no formula
        if view.sample:
            fig.text(0.985, 0.955, text("sample", lang), fontsize=12, color="white", ha="right", va="center",
                     bbox={"boxstyle": "round,pad=0.35", "fc": "#d62828", "ec": "none"})
        fig.text(0.015, 0.04, notes, fontsize=7, color="#444444", va="center", linespacing=1.5)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=req.dpi)
    return buffer.getvalue()

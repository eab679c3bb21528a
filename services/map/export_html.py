"""Export the map's current view as a standalone HTML map (folium, opens offline); services/map/export_png.py
makes the PNG print layout from the same view.

Both draw what the live map draws for the same filters, in its colours (dashboard/assets/qj_map.js); every text
that comes from data is HTML-escaped before it reaches a page.
"""
from __future__ import annotations

import base64
import datetime as dt
import functools
import html
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import folium
import shapely
from branca.element import Element
from shapely.geometry import shape

from geo.boundaries import min_zoom
from services import vocabulary
from services.clock import format_local, now_utc
from services.data.specs import SPECS
from services.db.uow import UnitOfWork
from services.map.choropleth import Choropleth, choropleth
from services.map.export_limits import check_export_bbox
from services.map.features import EXTRA_LABELS
from services.map.layers import (
    MAP_FIELDS,
    POINT_LAYERS,
    BadParameter,
    LayerFilter,
    boundary_geojson,
    point_layer,
    sample_in_use,
    townships_geojson,
)
from services.text import drill_marked, t, term

# Layers switched on when a request names none, and the drawing order (bottom → top), as on the live map.
DEFAULT_LAYERS = ("enterprises", "teams", "depots", "shelters", "hazards")
DRAW_ORDER = ("stations", "enterprises", "teams", "depots", "shelters", "hazards")
OCCUPANCY_COLOURS, TEAM_COLOURS = vocabulary.OCCUPANCY_COLOURS, vocabulary.TEAM_COLOURS
DEPOT_COLOUR = vocabulary.DEPOT_COLOUR
STATION_COLOUR = vocabulary.STATION_COLOURS[vocabulary.STATION_NORMAL]
OFFLINE_COLOUR = vocabulary.STATION_COLOURS[vocabulary.STATION_OFFLINE]
ALERT_RING, HAZARD_EDGE, NO_DATA_COLOUR = vocabulary.ALERT_RING, vocabulary.HAZARD_EDGE, vocabulary.NO_DATA_COLOUR
MARKER_SIZE_PX = {vocabulary.RISK_MAJOR: 22, vocabulary.RISK_SIGNIFICANT: 20}  # enterprises; others 17
VENDOR_DIR = Path(__file__).resolve().parents[2] / "dashboard" / "static" / "vendor"


def text(key: str, lang: str = "zh", **params) -> str:
    """A text of the exported documents, from the one catalogue (services/text)."""
    return t("export." + key, lang, **params)


def escape_text(value) -> str:
    """Text from data made safe inside HTML and inside the JS template literals folium puts tooltips in."""
    escaped = html.escape("" if value is None else str(value), quote=True)
    return escaped.replace("`", "&#96;").replace("$", "&#36;").replace("\\", "&#92;")


@dataclass(frozen=True)
class ExportRequest:
    """What to export: the point layers switched on (layer → filter), a choropleth measure, language, paper."""

    filters: Mapping[str, LayerFilter]
    measure: str | None = None
    lang: str = "zh"
    bbox: tuple[float, float, float, float] | None = None  # frames the map; None: the whole district
    paper: str = "a4"
    dpi: int = 150


@dataclass(frozen=True)
class MapView:
    """Everything one export draws, already filtered; ``layers`` holds GeoJSON features in drawing order."""

    request: ExportRequest
    title: str
    made_text: str  # "2026-11-25 14:05", in the deployment's zone
    boundary: list[dict]
    townships: list[dict]
    layers: dict[str, list[dict]]  # GeoJSON features, as the renderers draw them
    choropleth: Choropleth | None
    sample: bool
    extent: tuple[float, float, float, float]  # minlon, minlat, maxlon, maxlat

    @property
    def lang(self) -> str:
        return self.request.lang


def collect_view(uow: UnitOfWork, selection: ExportRequest | Mapping[str, LayerFilter],
                 now: dt.datetime | None = None) -> MapView:
    """Read what an export draws, from one snapshot; ``selection`` is an ExportRequest or ``{layer: LayerFilter}``.

    The view is plain data: the caller may close its unit of work and render it afterwards (or in a worker).
    """
    req = selection if isinstance(selection, ExportRequest) else ExportRequest(dict(selection))
    if unknown := [k for k in req.filters if k not in POINT_LAYERS]:
        raise BadParameter.of("layers", "filter.layer", layer=unknown[0])
    boundary, townships = boundary_geojson(uow)["features"], townships_geojson(uow)["features"]
    layers = {layer: point_layer(uow, layer, req.filters[layer], "map").to_geojson()["features"]
              for layer in DRAW_ORDER if layer in req.filters}
    areas = [shape(f["geometry"]) for f in boundary if f["properties"]["role"] == "district"] or [
        shape(f["geometry"]) for f in townships]
    if not req.bbox and not areas:
        raise ValueError("no district boundary or townships in the database: nothing to frame the map on")
    if req.bbox:
        check_export_bbox(req.bbox, tuple(shapely.total_bounds(areas)) if areas else None)
    minlon, minlat, maxlon, maxlat = req.bbox or shapely.bounds(shapely.union_all(areas))
    pad_x, pad_y = (0, 0) if req.bbox else ((maxlon - minlon) * 0.03, (maxlat - minlat) * 0.03)
    settings = uow.settings
    region = settings.region.name_en if req.lang == "en" else settings.region.name_zh
    made = format_local(now or now_utc(), settings)
    return MapView(req, drill_marked(text("title", req.lang, region=region), settings, req.lang), made, boundary,
                   townships, layers,
                   choropleth(uow, req.measure) if req.measure else None, sample_in_use(uow),
                   (float(minlon - pad_x), float(minlat - pad_y), float(maxlon + pad_x), float(maxlat + pad_y)))


@dataclass(frozen=True)
class MarkerStyle:
    colour: str
    size_px: float            # diameter on the live map, CSS pixels
    edge: str = "#ffffff"
    square: bool = False
    glyph: str = ""


def marker_style(props: Mapping) -> MarkerStyle:
    """How the live map draws one point (qj.markerFor): colour by risk, warning, occupancy or status."""
    layer, status = props["layer"], props.get("status")
    if layer == "enterprises":
        level = props.get("risk_level")
        return MarkerStyle(vocabulary.RISK_COLOURS.get(level, "#555555"), MARKER_SIZE_PX.get(level, 17))
    if layer == "hazards":  # without a warning a hazard is a small dot at district scale, so warnings stand out
        level = props.get("warning_level")
        size = 9 if level == vocabulary.WARNING_NONE else \
            min(30.0, 15 + math.sqrt(props.get("threatened_people") or 0) * 1.2)
        return MarkerStyle(vocabulary.WARNING_COLOURS.get(level, "#555555"), size, HAZARD_EDGE)
    if layer == "shelters":
        size = min(30.0, 18 + math.sqrt(props.get("capacity_people") or 0) / 12)
        return MarkerStyle(OCCUPANCY_COLOURS.get(props.get("occupancy_class"), "#555555"), size, square=True,
                           glyph=vocabulary.LAYER_GLYPHS["shelters"])
    if layer == "depots":
        alert = bool(props.get("below_minimum") or props.get("expired"))
        return MarkerStyle(DEPOT_COLOUR, 22, ALERT_RING if alert else "#ffffff", True,
                           vocabulary.LAYER_GLYPHS["depots"])
    if layer == "teams":
        return MarkerStyle(TEAM_COLOURS.get(status, "#555555"), 20, glyph=vocabulary.LAYER_GLYPHS["teams"])
    return MarkerStyle(OFFLINE_COLOUR if status == vocabulary.STATION_OFFLINE else STATION_COLOUR, 15)


def choropleth_colour(value, data: Choropleth | None) -> str | None:
    """A township's fill under a choropleth (qj.townshipStyle): the first class whose upper bound holds it."""
    breaks = data.breaks if data else []
    if not breaks:
        return None
    if value is None:
        return NO_DATA_COLOUR
    i = 0
    while i < len(breaks) - 1 and value > breaks[i]:
        i += 1
    return data.colours[i]


def area_name(props: Mapping, lang: str) -> str:
    return (props.get("name_en") or props["name"]) if lang == "en" else props["name"]


def layer_name(layer: str, lang: str) -> str:
    return SPECS[layer].title_en if lang == "en" else SPECS[layer].title_zh


def _labels(layer: str, lang: str) -> dict[str, str]:
    own = {c.field: (c.header, c.header_en) for c in SPECS[layer].columns} | EXTRA_LABELS
    return {k: v[1 if lang == "en" else 0] for k, v in own.items()}


def _layer_legend(layer: str, where: Mapping[str, tuple[str, ...]], lang: str) -> list[tuple[MarkerStyle, str]]:
    def classes(field: str, colours: dict[str, str], size: float = 18, edge: str = "#ffffff"):
        return [(MarkerStyle(c, size, edge), term(k, lang))
                for k, c in colours.items() if k in where.get(field, colours)]  # classes filtered out are left out
    if layer == "enterprises":
        return classes("risk_level", vocabulary.RISK_COLOURS)
    if layer == "hazards":
        return classes("warning_level", vocabulary.WARNING_COLOURS, edge=HAZARD_EDGE)
    if layer == "shelters":
        return [(MarkerStyle(c, 18, square=True), text(k, lang)) for k, c in OCCUPANCY_COLOURS.items()]
    if layer == "depots":
        return [(MarkerStyle(DEPOT_COLOUR, 18, square=True), layer_name(layer, lang)),
                (MarkerStyle(DEPOT_COLOUR, 18, ALERT_RING, True), text("depot_alert", lang))]
    if layer == "teams":
        return classes("status", TEAM_COLOURS)
    return classes("status", vocabulary.STATION_COLOURS, 15)


def legend_sections(view: MapView) -> list[tuple[str, list[tuple[MarkerStyle, str]]]]:
    """(heading with the feature count, [(symbol, label)]) per point layer shown, then the choropleth classes."""
    lang = view.lang
    sections = [(text("count", lang, name=layer_name(layer, lang), n=len(features)),
                 _layer_legend(layer, view.request.filters[layer].where, lang))
                for layer, features in view.layers.items()]
    if view.choropleth and view.choropleth.breaks:
        lower, items = 0.0, []
        for upper, colour in zip(view.choropleth.breaks, view.choropleth.colours):
            items.append((MarkerStyle(colour, 18, "#5c677d", True), f"{lower:g} – {upper:g}"))
            lower = upper
        items.append((MarkerStyle(NO_DATA_COLOUR, 18, "#5c677d", True), text("no_data", lang)))
        sections.append((text(f"measure.{view.choropleth.measure}", lang), items))
    return sections


def filter_summary(view: MapView) -> str:
    """The filters in force, e.g. "筛选：乡镇街道 城西街道；企业 风险等级 重大、较大" (empty when none)."""
    lang, parts = view.lang, []
    names = {f["properties"]["code"]: area_name(f["properties"], lang) for f in view.townships}
    if township := next((f.township for f in view.request.filters.values() if f.township), None):
        parts.append(f"{_labels('hazards', lang)['township_name']} {names.get(township, township)}")
    for layer, flt in view.request.filters.items():
        labels = _labels(layer, lang)
        parts += [f"{layer_name(layer, lang)} {labels.get(k, k)} "
                  f"{t('list.separator', lang).join(term(x, lang) for x in v)}" for k, v in flt.where.items()]
        parts += [f"{layer_name(layer, lang)} “{flt.q}”"] if flt.q else []
    return text("filters", lang, text=t("list.semicolon", lang).join(parts)) if parts else ""


def tooltip_html(props: Mapping, lang: str) -> str:
    """A point's tooltip: its name, township and what the map draws, every value escaped."""
    labels = _labels(props["layer"], lang)
    fields = ("township_name", *MAP_FIELDS[props["layer"]], "capacity_people", "available_places")
    rows = [escape_text(t("label_value", lang, label=labels[f], value=term(props[f], lang)))
            for f in fields if props.get(f) is not None]
    return "<br>".join([f"<b>{escape_text(props.get('name'))}</b>", *rows])


# ------------------------------------------------------------------------------------------ HTML map (folium)

class _Raw(Element):
    """Markup inserted as it is (branca would run an Element's text through Jinja)."""

    def __init__(self, markup: str):
        super().__init__()
        self._markup = markup

    def render(self, **kwargs) -> str:
        return self._markup


@functools.lru_cache(maxsize=1)
def _inline_leaflet() -> str:
    """The vendored Leaflet CSS and JS, images as data: URIs, without the source-map comment."""
    folder = VENDOR_DIR / "leaflet"
    css = re.sub(r"url\((images/[\w.-]+\.png)\)", lambda m: "url(data:image/png;base64,%s)" % base64.b64encode(
        (folder / m[1]).read_bytes()).decode("ascii"), (folder / "leaflet.css").read_text(encoding="utf-8"))
    js = re.sub(r"//# sourceMappingURL=\S+\s*$", "", (folder / "leaflet.js").read_text(encoding="utf-8"))
    if "</script" in js.lower():
        raise RuntimeError("leaflet.js cannot be inlined: it contains </script")
    return f"<style>{css}</style>\n<script>{js}</script>"


_PAGE_CSS = """<style>
.leaflet-container { background: #eef2f5; }
.qj-box { position: absolute; z-index: 1000; background: rgba(255,255,255,.93); border-radius: 6px; padding: 6px 10px;
  box-shadow: 0 1px 4px rgba(0,0,0,.3); font: 12px/1.4 "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; }
.qj-title { top: 10px; left: 50%; transform: translateX(-50%); text-align: center; }
.qj-title h1 { margin: 0; font-size: 20px; }
.qj-sample { margin-left: 8px; padding: 0 6px; border-radius: 3px; background: #d62828; color: #fff; font-size: 12px; }
.qj-legend { bottom: 24px; right: 10px; max-height: calc(100vh - 260px); overflow-y: auto; font-size: 11px; }
.qj-legend h3, .qj-legend h4 { margin: 4px 0 1px; font-size: 12px; }
.qj-sw { display: inline-block; width: 10px; height: 10px; border-radius: 50%; margin-right: 5px;
  border: 1.5px solid #fff; vertical-align: -1px; } .qj-sw.square { border-radius: 2px; }
.qj-notes { bottom: 56px; left: 10px; max-width: 44%; color: #333; font-size: 11px; }
.qj-label { font: 11px "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; color: #33415c; white-space: nowrap;
  text-align: center; text-shadow: 0 0 2px #fff, 0 0 2px #fff; } .qj-label.neighbour { color: #6c757d; }
</style>"""


def _swatch(colour: str, edge: str, square: bool, label: str) -> str:
    return (f'<div><span class="qj-sw{" square" if square else ""}" style="background:{colour};border-color:{edge}">'
            f"</span>{escape_text(label)}</div>")


def _overlay_html(view: MapView) -> str:
    """Title with date and filters, the legend and the notes (data source, 示例数据), over the map."""
    lang, summary = view.lang, filter_summary(view)
    sample = f'<span class="qj-sample">{escape_text(text("sample", lang))}</span>' if view.sample else ""
    made = escape_text(text("made", lang, time=view.made_text) + (f" · {summary}" if summary else ""))
    legend = [f"<h3>{escape_text(text('legend', lang))}</h3>", _swatch("none", "#9b2226", True, text("district", lang)),
              _swatch("#d5dae0", "#9aa5b1", True, text("neighbours", lang)),
              _swatch("#ffffff", "#5c677d", True, text("townships", lang))]
    for heading, items in legend_sections(view):
        legend += [f"<h4>{escape_text(heading)}</h4>", *(_swatch(s.colour, s.edge, s.square, lbl) for s, lbl in items)]
    notes = [text("source", lang)] + ([text("sample_note", lang)] if view.sample else [])
    return (f'<div class="qj-box qj-title"><h1>{escape_text(view.title)}{sample}</h1><div>{made}</div></div>'
            f'<div class="qj-box qj-legend">{"".join(legend)}</div>'
            f'<div class="qj-box qj-notes">{"<br>".join(escape_text(n) for n in notes)}</div>')


def _area_label(feature: dict, lang: str, css: str) -> folium.Marker:
    point, name = shapely.point_on_surface(shape(feature["geometry"])), area_name(feature["properties"], lang)
    return folium.Marker([point.y, point.x], interactive=False, icon=folium.DivIcon(
        html=f'<div class="{css}">{escape_text(name)}</div>', icon_size=(140, 16), icon_anchor=(70, 8)))


def _add_areas(fmap: folium.Map, view: MapView) -> None:
    """Neighbours (grey) and the district outline, then the townships, plain or as a choropleth, with labels."""
    lang, data = view.lang, view.choropleth
    values = data.values if data else {}
    outlines = folium.FeatureGroup(name=text("neighbours", lang), control=False).add_to(fmap)
    for f in view.boundary:
        district = f["properties"]["role"] == "district"
        style = ({"color": "#9b2226", "weight": 3, "fill": False} if district else
                 {"color": "#9aa5b1", "weight": 1, "fillColor": "#d5dae0", "fillOpacity": 0.55})
        folium.GeoJson({"type": "Feature", "geometry": f["geometry"], "properties": {}}, interactive=False,
                       style_function=lambda _f, s=style: s).add_to(outlines)
        if not district:
            _area_label(f, lang, "qj-label neighbour").add_to(outlines)
    townships = folium.FeatureGroup(name=text("townships", lang)).add_to(fmap)
    for f in view.townships:
        value = values.get(f["properties"]["code"])
        fill = choropleth_colour(value, data)
        label = area_name(f["properties"], lang)
        label = t("label_value", lang, label=label, value=f"{value:g}") if value is not None and fill else label
        style = {"color": "#5c677d", "weight": 1, "dashArray": "4 3", "fillColor": fill or "#ffffff",
                 "fillOpacity": 0.7 if fill else 0.35}
        folium.GeoJson({"type": "Feature", "geometry": f["geometry"], "properties": {"label": escape_text(label)}},
                       style_function=lambda _f, s=style: s,
                       tooltip=folium.GeoJsonTooltip(["label"], labels=False)).add_to(townships)
        _area_label(f, lang, "qj-label").add_to(townships)


def map_html(uow: UnitOfWork, selection, *, now: dt.datetime | None = None) -> str:
    """A standalone HTML map of the current view that opens offline: Leaflet inlined, no tiles, no CDN links."""
    return render_html(collect_view(uow, selection, now))


def render_html(view: MapView) -> str:
    """The HTML map of a collected view (no database needed)."""
    lang, (minlon, minlat, maxlon, maxlat) = view.lang, view.extent
    lowest = min_zoom([[minlat, minlon], [maxlat, maxlon]], most=7)  # a large county can still be seen whole
    fmap = folium.Map(location=[(minlat + maxlat) / 2, (minlon + maxlon) / 2], tiles=None, zoom_start=10,
                      min_zoom=lowest, max_zoom=18, prefer_canvas=True, control_scale=True, zoom_snap=0.25,
                      attribution_control=False)  # as on the live map
    fmap.default_js, fmap.default_css = [], []  # folium's CDN links (leaflet, jquery, bootstrap, …): none needed
    root = fmap.get_root()
    root.header.add_child(_Raw(_inline_leaflet()), name="leaflet")
    root.header.add_child(_Raw(_PAGE_CSS), name="qj_export_css")
    root.html.add_child(_Raw(_overlay_html(view)), name="qj_export_overlay")
    _add_areas(fmap, view)
    for layer, features in view.layers.items():
        group = folium.FeatureGroup(name=text("count", lang, name=layer_name(layer, lang), n=len(features)))
        for feature in features:
            s, (lon, lat) = marker_style(feature["properties"]), feature["geometry"]["coordinates"]
            folium.CircleMarker([lat, lon], radius=s.size_px / 2, color=s.edge, fill_color=s.colour, fill_opacity=0.9,
                                weight=2.5 if s.edge == ALERT_RING else 1, tooltip=folium.Tooltip(
                                    tooltip_html(feature["properties"], lang), sticky=False)).add_to(group)
        group.add_to(fmap)
    folium.LayerControl(collapsed=False, position="topright").add_to(fmap)
    fmap.fit_bounds([[minlat, minlon], [maxlat, maxlon]])
    page = root.render()
    remote = re.search(r"""<(?:script|link|img)\b[^>]*(?:src|href)\s*=\s*["']?(?:https?:)?//""", page, re.I)
    if remote:  # a folium upgrade that brings a CDN link back must fail here, not silently when offline
        raise RuntimeError(f"exported map references a remote resource: {remote[0]}")
    return page


# ------------------------------------------------------------------------------------ PNG print layout (matplotlib)

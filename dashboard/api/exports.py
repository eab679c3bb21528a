"""Downloads of the map's current view: /api/v1/export/map.html (offline HTML map) and map.png (print layout).

Both take the map's filters as query parameters; bad ones give 400 with a reason in Chinese and English.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from urllib.parse import quote

from flask import Blueprint, Response, jsonify, request

from config import Settings
from dashboard.api.models import parse_query, query, responds
from dashboard.api.models.map import ExportQuery
from dashboard.api.support import app_settings, unit
from services.clock import now_utc, to_local
from services.map.choropleth import MEASURES
from services.map.export_html import DEFAULT_LAYERS, ExportRequest, collect_view, render_html
from services.map.export_png import PAPER_MM
from services.map.layers import (
    FILTER_FIELDS,
    POINT_LAYERS,
    BadParameter,
    parse_filter,
    township_codes,
)
from services.map.render_worker import RenderTimeout, render_view_limited
from services.text import both, t

export = Blueprint("export", __name__)


QUERY_ARGS = ("layers", "township", "bbox", "choropleth", "lang", "paper", "dpi")
DPI_RANGE = (50, 300)


def _check_choice(name: str, value: str, allowed, what: str) -> None:
    """``value`` is one of ``allowed``, else BadParameter naming the parameter as the catalogue's ``what``."""
    if value not in allowed:
        what_zh, what_en = both(what)
        raise BadParameter.of(name, "filter.choice", what=what_zh, what_en=what_en, value=value,
                              allowed=t("list.separator").join(allowed),
                              allowed_en=t("list.separator", "en").join(allowed))


def parse_export_args(args: Mapping[str, str], known_townships: set[str]) -> ExportRequest:
    """The export query, checked the way the layer API checks its own; raises BadParameter.

    ``layers=enterprises,hazards`` (default: the layers the map shows at first), ``township=<code>``,
    ``bbox=minlon,minlat,maxlon,maxlat``, ``<layer>.<field>=v1,v2`` (the layer's vocabulary fields, and ``q``),
    ``choropleth=<measure>``, ``lang=zh|en``, ``paper=a4|a3`` and ``dpi`` (PNG only).
    """
    for name in args:
        layer, dot, field_name = name.partition(".")
        known = dot and layer in POINT_LAYERS and (field_name in FILTER_FIELDS[layer] or field_name == "q")
        if not known and name not in QUERY_ARGS:
            raise BadParameter.of(name, "filter.unsupported", name=name)
    layers = DEFAULT_LAYERS if args.get("layers") is None else [v for v in args["layers"].split(",") if v]
    for layer in layers:
        _check_choice("layers", layer, tuple(POINT_LAYERS), "choice.layer")
    lang, paper, dpi = args.get("lang") or "zh", args.get("paper") or "a4", args.get("dpi") or "150"
    _check_choice("lang", lang, ("zh", "en"), "choice.language")
    _check_choice("paper", paper, tuple(PAPER_MM), "choice.paper")
    if args.get("choropleth"):
        _check_choice("choropleth", args["choropleth"], MEASURES, "choice.measure")
    if not (dpi.isascii() and dpi.isdigit()) or not DPI_RANGE[0] <= int(dpi) <= DPI_RANGE[1]:
        raise BadParameter.of("dpi", "filter.dpi", low=DPI_RANGE[0], high=DPI_RANGE[1])
    common = {k: args[k] for k in ("township", "bbox") if args.get(k)}
    filters = {}
    for layer in POINT_LAYERS:  # filters of layers switched off are checked too: a typo is an error either way
        own = {n.split(".", 1)[1]: v for n, v in args.items() if n.startswith(layer + ".")}
        try:
            flt = parse_filter(layer, common | own, known_townships)
        except BadParameter as exc:
            name = exc.name if exc.name in common else f"{layer}.{exc.name}"
            raise BadParameter.of(name, exc.code, **exc.params) from None
        if layer in layers:
            filters[layer] = flt
    bbox = parse_filter("depots", {"bbox": common["bbox"]}, set()).bbox if "bbox" in common else None
    return ExportRequest(filters, args.get("choropleth") or None, lang, bbox, paper, int(dpi))


def export_filename(settings: Settings, lang: str, when: dt.datetime, suffix: str) -> str:
    """黔江区一张图_20261125.html, or Qianjiang_District_map_20261125.html in English."""
    day = to_local(when, settings).strftime("%Y%m%d")
    return t("export.map_filename", lang, region=settings.region.name_zh,
             region_en="_".join(settings.region.name_en.split()), day=day, suffix=suffix)


def content_disposition(filename: str, fallback: str) -> str:
    """An attachment header with an ASCII ``filename`` and the UTF-8 name in ``filename*`` (RFC 6266 / 5987)."""
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _download(body: bytes, mimetype: str, suffix: str, req: ExportRequest, when: dt.datetime) -> Response:
    settings = app_settings()
    name = export_filename(settings, req.lang, when, suffix)
    fallback = export_filename(settings, "en", when, suffix)
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": content_disposition(name, fallback), "Cache-Control": "no-store"})


def _collect():
    """The checked request, the view it draws (read in one unit of work, then closed) and the time it was made."""
    when = now_utc()
    with unit() as uow:
        req = parse_export_args(request.args, township_codes(uow))
        view = collect_view(uow, req, when)
    return req, view, when


@export.get("/api/v1/export/map.html")
@query(ExportQuery)
@responds(None, media_type="text/html", errors=(400, 503))
def map_html_download():
    """The map's current view as one offline HTML file."""
    parse_query(ExportQuery, request.args)
    req, view, when = _collect()
    return _download(render_html(view).encode("utf-8"), "text/html", "html", req, when)


@export.get("/api/v1/export/map.png")
@query(ExportQuery)
@responds(None, media_type="image/png", errors=(400, 503))
def map_png_download():
    """The map's current view as a print layout (PNG)."""
    parse_query(ExportQuery, request.args)
    req, view, when = _collect()
    # Drawn after the unit of work has closed: a render of up to the limit holds no transaction.
    return _download(render_view_limited(view, app_settings().export_render_limit_s), "image/png", "png", req, when)


@export.errorhandler(RenderTimeout)
def _render_timeout(exc: RenderTimeout):
    """Not the user's mistake, and not a crash: the server stopped a render that ran too long."""
    return jsonify({"error": "render_timeout", "reason": exc.reason, "reason_en": exc.reason_en}), 503, \
        {"Retry-After": "10"}

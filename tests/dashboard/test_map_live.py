"""一张图 is live: the page's poll redraws incidents, warning areas and closures when the change counter moved,
refetches the changing point layers with their filters kept, and does nothing when nothing changed."""
from __future__ import annotations

import pytest

from dashboard import ids
from dashboard.app import create_app
from services.dispatch.incidents import IncidentReport, report_incident
from services import vocabulary
from services.clock import now_utc
from services.map.live import change_version
from tests.conftest import call, read, signed_in
from tests.dashboard.test_analysis_page import run

HAZARDS_URL = "/api/v1/layers/hazards?view=map&township=500114112"


@pytest.fixture
def client_app(fresh):
    app = create_app(fresh)
    client = signed_in(app.server.test_client(), fresh)
    client.get("/_dash-dependencies")
    return app, client


def _poll(app, client, version, status=200):
    values = {f"{ids.MAP_VERSION}.data": version, f"{ids.MAP_LANG}.data": "zh",
              f"{ids.map_layer('hazards')}.url": HAZARDS_URL, f"{ids.MAP_TICK}.n_intervals": 3}
    return run(app, client, ids.MAP_VERSION, values, status=status)


def test_a_new_incident_appears_on_the_next_poll_and_nothing_is_redrawn_without_a_change(fresh, client_app):
    app, client = client_app
    first = _poll(app, client, None)
    version = first[ids.MAP_VERSION]["data"]
    assert version == read(fresh, change_version)
    assert first[ids.map_layer("incidents")]["data"]["features"] == []
    _poll(app, client, version, status=204)  # no change: no update at all
    report = IncidentReport(title="山体滑坡测试", kind=vocabulary.INCIDENT_KINDS[0],
                            level="Ⅲ", lon=108.7869, lat=29.5251, occurred_at=now_utc(), reporter="t", dead=0,
                            injured=0, missing=0, people_affected=0, description="")
    call(fresh, report_incident, report)
    second = _poll(app, client, version)
    assert second[ids.MAP_VERSION]["data"] > version
    titles = [f["properties"]["title"] for f in second[ids.map_layer("incidents")]["data"]["features"]]
    assert titles == ["山体滑坡测试"]
    url = second[ids.map_layer("hazards")]["url"]
    assert url.startswith("/api/v1/layers/hazards?") and "township=500114112" in url
    assert f"v={second[ids.MAP_VERSION]['data']}" in url
    assert client.get(url).status_code == 200  # the refetch URL is one the layer API accepts


def test_a_warning_in_force_is_drawn_as_its_area_in_its_colour(fresh, client_app):
    from services.dispatch.warnings import WarningRequest, issue_warning
    app, client = client_app
    version = _poll(app, client, None)[ids.MAP_VERSION]["data"]
    call(fresh, issue_warning, WarningRequest(level="橙", hazard_type="滑坡", headline="濯水镇滑坡橙色预警",
                                              townships=["500114112"], include_hazard_monitors=False,
                                              recipients=[{"name": "张三", "role": "镇长", "phone": "13800000000"}]))
    areas = _poll(app, client, version)[ids.map_layer("warnings")]["data"]["features"]
    assert [(a["properties"]["headline"], a["properties"]["colour"]) for a in areas] == [
        ("濯水镇滑坡橙色预警", vocabulary.WARNING_COLOURS["橙"])]
    assert areas[0]["geometry"]["type"] in ("Polygon", "MultiPolygon")

"""Recommended teams on both back-ends: specialists first, by road time within each tier (checked against the
road-time service directly), and the order explained — a specialist ranked above a nearer general team says how
much farther it is, and that nearer team says it can respond first; the API and the duty view carry the reason."""
from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

from services.data.imports import import_file
from services.db.uow import unit_of_work
from services.dispatch.incidents import IncidentReport, report_incident
from services.dispatch.recommendations import recommend_teams
from services.roads.network import seconds_to
from services.text import t
from tests.conftest import call, csv_for, read, signed_in

# One road south from the incident: a general team on the spot, a specialist 3 km on, another and a water rescue
# team 13 km on.
CITY, NEAR, FAR = (108.770, 29.530), (108.790, 29.510), (108.760, 29.420)
PLACES = {"城西综合救援队": CITY, "近处地灾救援队": NEAR, "远端地灾救援队": FAR, "远端水域救援队": FAR}


@pytest.fixture
def road(fresh, tmp_path):
    network = {"type": "FeatureCollection", "metadata": {"synthetic": True}, "features": [
        {"type": "Feature", "properties": {"class": "primary", "name": "南线"},
         "geometry": {"type": "LineString", "coordinates": [list(CITY), list(NEAR), list(FAR)]}}]}
    path = tmp_path / "roads.geojson"
    path.write_text(json.dumps(network), encoding="utf-8")
    return dataclasses.replace(fresh, road_network_file=path)


def _import(settings, data) -> None:
    from services.data.imports import ImportRejected
    try:
        call(settings, import_file, "teams", data, "t.csv")
    except ImportRejected as exc:
        raise AssertionError(exc.errors) from None


def _world(settings) -> int:
    teams = [("N1", "城西综合救援队", "乡镇综合救援", CITY), ("F1", "远端地灾救援队", "地质灾害救援", FAR),
             ("F2", "远端水域救援队", "水域救援", FAR), ("N2", "近处地灾救援队", "地质灾害救援", NEAR)]
    _import(settings, csv_for("teams", [
        {"队伍编号": code, "名称": name, "队伍类型": kind, "人数": "20", "状态": "待命", "经度": str(lon), "纬度": str(lat)}
        for code, name, kind, (lon, lat) in teams]))
    return call(settings, report_incident, IncidentReport(title="城西滑坡", kind="滑坡", level="Ⅳ", lon=CITY[0],
                                                          lat=CITY[1], occurred_at=dt.datetime.now(dt.timezone.utc),
                                                          reporter="r"))


def test_specialists_first_then_by_road_time_with_the_reason(road):
    fresh = road
    incident = _world(fresh)
    ranked = read(fresh, recommend_teams, incident, limit=10)
    with unit_of_work(fresh) as uow:  # road times straight from the road service, team by team
        times = {name: float(seconds_to(uow, CITY, [place])[0]) for name, place in PLACES.items()}
    assert [r["fit"] for r in ranked] == ["specialist", "specialist", "general", "other"]
    assert times["城西综合救援队"] < times["近处地灾救援队"] < times["远端地灾救援队"]
    specialists = [r for r in ranked if r["fit"] == "specialist"]
    assert [r["name"] for r in specialists] == sorted((r["name"] for r in specialists), key=lambda n: times[n])
    assert all(abs(r["travel_s"] - times[r["name"]]) <= 1 for r in ranked)
    assert ranked[0]["name"] == "近处地灾救援队" and ranked[0]["reason_code"] == "team.reason.specialist_farther"
    far, general = ranked[1], ranked[2]
    assert far["name"] == "远端地灾救援队" and far["reason_code"] == "team.reason.specialist_farther"
    assert general["name"] == "城西综合救援队" and general["travel_s"] < far["travel_s"]
    assert far["reason_params"]["nearest"] == "城西综合救援队"
    assert far["reason_params"]["extra"] == f"{(far['travel_s'] - general['travel_s']) / 60:.0f}"
    assert general["reason_code"] == "team.reason.first_response"
    assert ranked[3]["reason_code"] == "team.reason.other"
    assert "min farther than the nearest, 城西综合救援队" in t(far["reason_code"], "en", **far["reason_params"])


def test_the_api_and_the_duty_view_show_the_reason(road):
    fresh = road
    import json

    from dashboard.app import create_app
    from tests.dashboard.test_analysis_page import run
    incident = _world(fresh)
    app = create_app(fresh)
    client = signed_in(app.server.test_client(), fresh, "duty")
    teams = client.get(f"/api/v1/incidents/{incident}/recommendations").get_json()["teams"]
    far = next(tm for tm in teams if tm["name"] == "远端地灾救援队")
    assert "仍排在前面" in far["reason"] and "ranked above it" in far["reason_en"] and far["fit"] == "specialist"
    client.get("/_dash-dependencies")
    shown = json.dumps(run(app, client, "duty-dispatch-teams", {"duty-dispatch-incident.value": incident,
                                                                "duty-lang.data": "zh"}), ensure_ascii=False)
    assert "可先期处置" in shown and "仍排在前面" in shown


def test_without_a_free_specialist_general_teams_say_so(road):
    incident = _world(road)
    from sqlalchemy import text

    from services.db import transaction
    with transaction(road.database_url) as session:  # both specialists resting
        session.execute(text("UPDATE rescue_team SET status = '休整' WHERE kind = '地质灾害救援'"))
    ranked = read(road, recommend_teams, incident, limit=10)
    assert [r["fit"] for r in ranked] == ["general", "other"]
    assert ranked[0]["reason_code"] == "team.reason.no_specialist"
    assert t(ranked[0]["reason_code"], "en", **ranked[0]["reason_params"]).startswith(
        "no specialist team (Geological-hazard rescue)")

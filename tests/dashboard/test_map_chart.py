"""一张图's details of a station and of a hazard point show their readings chart (a dcc.Graph with the readings,
the rolling sums and the thresholds as traces); the 72 h choice redraws it (for who may see the
station); an empty window says so."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import text

from dashboard import ids
from dashboard.app import create_app
from dashboard.components.monitoring_chart import GRAPH, HOURS_CHOICE
from services.clock import now_utc
from services.db.uow import unit_of_work
from tests.conftest import BACKENDS, _cleanup, make_settings, setup_database, signed_in
from tests.dashboard.test_map_relocate import _press, _wire
from tests.services.monitoring_world import add_readings


@pytest.fixture(scope="module", params=BACKENDS)
def sample(request, tmp_path_factory):
    settings = make_settings(request.param, tmp_path_factory.mktemp(f"map-chart-{request.param}"))
    setup_database(settings, with_sample=True)
    yield settings
    _cleanup(settings)


@pytest.fixture(scope="module")
def watched(sample) -> dict:
    """A sample rain gauge with a threshold that watches a hazard point, given 30 h of hourly rain up to now."""
    with unit_of_work(sample) as uow:
        row = uow.session.execute(text(
            "SELECT s.id, s.code, s.township_code, h.id, h.code, h.township_code FROM monitoring_station s "
            "JOIN hazard_station hs ON hs.station_id = s.id JOIN hazard_point h ON h.id = hs.hazard_point_id "
            "WHERE s.kind = '雨量' AND EXISTS (SELECT 1 FROM threshold t WHERE t.station_id = s.id) "
            "ORDER BY s.code, h.code LIMIT 1")).one()
    now = now_utc().replace(minute=0, second=0, microsecond=0)
    add_readings(sample, [(row[0], "rainfall", now - dt.timedelta(hours=i), 1.0 + i % 4) for i in range(30)])
    return {"station_id": row[0], "station": row[1], "station_township": row[2], "hazard_id": row[3],
            "hazard": row[4], "hazard_township": row[5]}


@pytest.fixture(scope="module")
def app(sample):
    application = create_app(sample)
    application.server.test_client().get("/_dash-dependencies")
    return application


def _details(app, client, layer: str, record_id: int, lang: str = "zh") -> list:
    click = {"properties": {"layer": layer, "id": record_id}}
    answer = _press(app, client, ids.DETAILS_BODY, f"{ids.map_layer(layer)}.clickData",
                    {f"{ids.map_layer(layer)}.clickData": click, f"{ids.MAP_LANG}.data": lang}, {})
    return answer[ids.DETAILS_BODY]["children"]


def _graphs(tree) -> list[dict]:
    """Every dcc.Graph in a serialised component tree."""
    found = []
    if isinstance(tree, dict):
        if tree.get("type") == "Graph":
            found.append(tree["props"])
        for value in tree.get("props", {}).values() if "props" in tree else tree.values():
            found += _graphs(value)
    elif isinstance(tree, list):
        for item in tree:
            found += _graphs(item)
    return found


def test_a_station_details_show_its_rain_and_thresholds(app, sample, watched):
    client = signed_in(app.server.test_client(), sample, "duty")
    (graph,) = _graphs(_details(app, client, "stations", watched["station_id"]))
    assert graph["id"] == {"type": GRAPH, "subject": "station", "code": watched["station"]}
    traces = graph["figure"]["data"]
    kinds = [(tr["type"], tr["name"]) for tr in traces]
    assert ("bar", "雨量") in kinds  # a station's own chart: no station code in the names
    assert ("scatter", "1小时累计雨量") in kinds and ("scatter", "24小时累计雨量") in kinds
    assert any("临界雨量" in name for kind, name in kinds if kind == "scatter")  # a threshold line
    bars = next(tr for tr in traces if tr["type"] == "bar")
    assert len(bars["y"]) == 24  # this hour's and the 23 before: the one 24 h back is just before the window
    english = _graphs(_details(app, client, "stations", watched["station_id"], "en"))[0]
    assert ("bar", "Rainfall") in [(tr["type"], tr["name"]) for tr in english["figure"]["data"]]


def test_a_hazard_details_show_its_watchers(app, sample, watched):
    client = signed_in(app.server.test_client(), sample, "viewer")
    (graph,) = _graphs(_details(app, client, "hazards", watched["hazard_id"]))
    assert graph["id"]["subject"] == "hazard" and graph["id"]["code"] == watched["hazard"]
    names = [tr["name"] for tr in graph["figure"]["data"]]
    assert f"{watched['station']} 24小时累计雨量" in names


def _choose_hours(app, client, code: str, hours, status: int = 200):
    """The chart's 24 h / 72 h choice set to ``hours``, as Dash posts a MATCH callback."""
    key = next(k for k in app.callback_map if f'"type":"{GRAPH}"' in k)
    choice = {"type": HOURS_CHOICE, "subject": "station", "code": code}
    body = {"output": key, "outputs": {"id": {**choice, "type": GRAPH}, "property": "figure"},
            "inputs": [{"id": choice, "property": "value", "value": hours}],
            "state": [{"id": choice, "property": "id", "value": choice},
                      {"id": ids.MAP_LANG, "property": "data", "value": "zh"}],
            "changedPropIds": [f"{_wire(choice)}.value"]}
    answer = client.post("/_dash-update-component", json=body)
    assert answer.status_code == status, answer.get_data(as_text=True)[:300]
    return answer.get_json()["response"] if status == 200 else None


def test_the_72_hour_choice_redraws_the_chart(app, sample, watched):
    client = signed_in(app.server.test_client(), sample, "duty")
    answer = _choose_hours(app, client, watched["station"], 72)
    figure = next(iter(answer.values()))["figure"]
    assert len(next(tr for tr in figure["data"] if tr["type"] == "bar")["y"]) == 30  # all of them
    assert _choose_hours(app, client, watched["station"], 48, status=204) is None  # a tampered choice: kept
    other = "500114001" if watched["station_township"] != "500114001" else "500114002"
    township = signed_in(app.server.test_client(), sample, "township", other)
    assert _choose_hours(app, township, watched["station"], 72, status=204) is None  # not theirs: nothing drawn


def test_an_empty_window_says_so_and_township_staff_see_their_own(app, sample, watched):
    with unit_of_work(sample) as uow:
        quiet = uow.session.execute(text("SELECT id FROM monitoring_station WHERE id <> :i AND kind = '雨量' "
                                         "ORDER BY code LIMIT 1"), {"i": watched["station_id"]}).scalar_one()
    client = signed_in(app.server.test_client(), sample, "duty")
    (graph,) = _graphs(_details(app, client, "stations", quiet))
    assert "近 24 小时无读数" in json.dumps(graph["figure"]["layout"], ensure_ascii=False)
    home = signed_in(app.server.test_client(), sample, "township", watched["station_township"])
    assert len(_graphs(_details(app, home, "stations", watched["station_id"]))) == 1

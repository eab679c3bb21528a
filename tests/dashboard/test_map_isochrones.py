"""The map page's isochrone button, through Dash's callback endpoint: areas with a note, or the reason why not."""
from __future__ import annotations

import json

import pytest

from dashboard import ids
from dashboard.app import create_app
from tests.conftest import signed_in


def click_isochrones(client, lon: float, lat: float, lang: str) -> dict:
    button = {"type": ids.ISOCHRONE, "lon": lon, "lat": lat}
    layer = ids.map_layer("isochrones")
    body = {"output": f"..{layer}.data...{ids.ISOCHRONE_MESSAGE}.children...{ids.ISOCHRONE_LEGEND}.className..",
            "outputs": [{"id": layer, "property": "data"}, {"id": ids.ISOCHRONE_MESSAGE, "property": "children"},
                        {"id": ids.ISOCHRONE_LEGEND, "property": "className"}],
            "inputs": [[{"id": button, "property": "n_clicks", "value": 1}],
                       {"id": ids.ISOCHRONE_CLEAR, "property": "n_clicks", "value": 0}],
            "changedPropIds": [json.dumps(button, sort_keys=True, separators=(",", ":")) + ".n_clicks"],
            "state": [{"id": ids.MAP_LANG, "property": "data", "value": lang}]}
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    answer = response.get_json()["response"]
    return {"data": answer[layer]["data"], "message": answer[ids.ISOCHRONE_MESSAGE]["children"],
            "legend": answer[ids.ISOCHRONE_LEGEND]["className"]}


@pytest.fixture
def client(fresh):
    return signed_in(create_app(fresh).server.test_client(), fresh)


@pytest.mark.parametrize("lang, reason", [("zh", "该点 500 米内没有可通行道路"),
                                          ("en", "no open road within 500 m of the point")])
def test_a_point_off_the_roads_says_why_instead_of_an_empty_layer(client, lang, reason):
    answer = click_isochrones(client, 108.0, 28.0, lang)  # far outside the district's roads
    assert answer["data"]["features"] == []
    assert reason in answer["message"] and answer["legend"] == "iso-legend failed"


def test_a_point_on_the_roads_shows_the_areas_and_says_so(fresh, client):
    from services.roads.network import roads_geojson
    lon, lat = roads_geojson(fresh)["features"][0]["geometry"]["coordinates"][0][:2]
    answer = click_isochrones(client, lon, lat, "en")
    # the widest band first, so that the nearest is drawn on top of it
    assert [f["properties"]["minutes"] for f in answer["data"]["features"]] == [60, 30, 15]
    assert answer["legend"] == "iso-legend"
    assert answer["message"] == "Showing what is reachable by road in 15 / 30 / 60 min"

"""一张图 修正位置 through Dash's callback endpoint, on both back-ends: a planner's details of a 待核实 point offer the
button, which puts a draggable marker at the point; saving where it was dropped moves the record (坐标, the township
follows, audited under the planner, the layer refetched, the panel redrawn); a spot outside the district is refused
with its reason and changes nothing; roles without record.edit get no button and are refused both callbacks."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from dashboard import ids
from dashboard.app import create_app
from services.data.imports import import_file
from tests.conftest import BACKENDS, _cleanup, account, call, csv_for, make_settings, setup_database, signed_in
from tests.services.test_geocode import hazard

CODE = "RELOC-T1"
FAR_AWAY = (106.55, 29.56)  # 重庆主城, well outside 黔江区


@pytest.fixture(scope="module", params=BACKENDS)
def sample(request, tmp_path_factory):
    settings = make_settings(request.param, tmp_path_factory.mktemp(f"map-relocate-{request.param}"))
    setup_database(settings, with_sample=True)
    call(settings, import_file, "hazards", csv_for("hazards", [hazard(CODE, township="濯水")]), "待核实.csv")
    yield settings
    _cleanup(settings)


@pytest.fixture(scope="module")
def app(sample):
    application = create_app(sample)
    application.server.test_client().get("/_dash-dependencies")
    return application


def _sql(settings, query: str, **params):
    from services.db.uow import unit_of_work
    with unit_of_work(settings) as uow:
        return uow.session.execute(text(query), params).one()


def _record(settings) -> tuple:
    return _sql(settings, "SELECT id, location_quality, lon, lat, township_code FROM hazard_point WHERE code = :c",
                c=CODE)


def _wire(d: dict) -> str:
    return json.dumps(d, sort_keys=True, separators=(",", ":"))


def _press(app, client, first_output: str, changed: str, values: dict, patterns: dict, status: int = 200):
    """Post one callback by its first output: ``values`` by "id.property", ``patterns`` by pattern type (a list of
    {id, property, value}); ``changed`` is the id.property (pattern ids as Dash writes them) that fired it."""
    fired = changed.rsplit(".", 1)[0]
    fired = json.loads(fired)["type"] if fired.startswith("{") else fired
    key = next(k for k in app.callback_map if k.lstrip(".").startswith(first_output + ".")
               and fired in json.dumps(app.callback_map[k]["inputs"]))
    spec = app.callback_map[key]

    def item(d):
        if d["id"].startswith("{"):
            return patterns.get(json.loads(d["id"])["type"], [])
        return {"id": d["id"], "property": d["property"], "value": values.get(f"{d['id']}.{d['property']}")}

    outputs = [{"id": o.split(".")[0], "property": o.split(".")[1].split("@")[0]} for o in key.strip(".").split("...")]
    body = {"output": key, "outputs": outputs, "inputs": [item(d) for d in spec["inputs"]],
            "state": [item(d) for d in spec["state"]], "changedPropIds": [changed]}
    answer = client.post("/_dash-update-component", json=body)
    assert answer.status_code == status, answer.get_data(as_text=True)[:300]
    return answer.get_json()["response"] if status == 200 else None


def _details(app, client, record_id: int) -> str:
    """The details panel of the hazard point, as a click on it shows it."""
    click = {"properties": {"layer": "hazards", "id": record_id}}
    answer = _press(app, client, ids.DETAILS_BODY, f"{ids.map_layer('hazards')}.clickData",
                    {f"{ids.map_layer('hazards')}.clickData": click, f"{ids.MAP_LANG}.data": "zh"}, {})
    return json.dumps(answer[ids.DETAILS_BODY]["children"], ensure_ascii=False)


def _start(app, client, record_id: int, status: int = 200):
    button = {"type": ids.RELOCATE, "layer": "hazards", "id": record_id}
    return _press(app, client, ids.RELOCATE_GROUP, f"{_wire(button)}.n_clicks", {f"{ids.MAP_LANG}.data": "zh"},
                  {ids.RELOCATE: [{"id": button, "property": "n_clicks", "value": 1}]}, status)


def _save(app, client, record_id: int, lon: float, lat: float, status: int = 200):
    pin = {"type": ids.RELOCATE_PIN, "layer": "hazards", "id": record_id}
    values = {f"{ids.RELOCATE_SAVE}.n_clicks": 1, f"{ids.MAP_LANG}.data": "zh",
              f"{ids.map_layer('hazards')}.url": "/api/v1/layers/hazards?view=map&township=500114112"}
    return _press(app, client, ids.RELOCATE_MESSAGE, f"{ids.RELOCATE_SAVE}.n_clicks", values,
                  {ids.RELOCATE_PIN: [{"id": pin, "property": "position", "value": [lat, lon]}]}, status)


def _target(settings) -> tuple:
    """A spot inside another township than 濯水镇: a sample shelter of 城西街道, with that township's name."""
    return _sql(settings, "SELECT s.lon, s.lat, s.township_code, t.name FROM shelter s JOIN township t "
                          "ON t.code = s.township_code WHERE s.township_code = '500114001' ORDER BY s.id LIMIT 1")


def _map_page(client) -> str:
    """一张图's layout as the signed-in user gets it."""
    body = {"output": ".._pages_content.children..._pages_store.data..",
            "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
            "inputs": [{"id": "_pages_location", "property": "pathname", "value": "/"},
                       {"id": "_pages_location", "property": "search", "value": "?lang=zh"}],
            "changedPropIds": ["_pages_location.pathname"], "state": []}
    return client.post("/_dash-update-component", json=body).get_data(as_text=True)


def test_a_planner_drags_a_point_to_its_spot(app, sample):
    record_id, quality, *_ = _record(sample)
    assert quality == "乡镇级"
    client = signed_in(app.server.test_client(), sample, "planner")
    assert ids.RELOCATE_BOX in _map_page(client) and ids.RELOCATE_GROUP in _map_page(client)
    assert "修正位置" in _details(app, client, record_id)
    started = _start(app, client, record_id)
    (pin,) = started[ids.RELOCATE_GROUP]["children"]
    assert pin["type"] == "Marker" and pin["props"]["draggable"] is True
    assert pin["props"]["eventHandlers"] == {"dragend": {"variable": "qj.relocateDragEnd"}}
    assert pin["props"]["position"] == pytest.approx([_record(sample)[3], _record(sample)[2]])
    assert "hidden" not in started[ids.RELOCATE_BOX]["className"]
    assert f"测试{CODE}" in started[ids.RELOCATE_HINT]["children"]

    refused = _save(app, client, record_id, *FAR_AWAY)
    assert "位置未保存" in json.dumps(refused, ensure_ascii=False) and "不在" in json.dumps(refused, ensure_ascii=False)
    assert set(refused) == {ids.RELOCATE_MESSAGE}  # the marker and the box stay, to be dragged again
    assert _record(sample)[1] == "乡镇级"

    lon, lat, township, township_name = _target(sample)
    saved = _save(app, client, record_id, lon + 0.0001, lat)
    assert saved[ids.RELOCATE_GROUP]["children"] == [] and "hidden" in saved[ids.RELOCATE_BOX]["className"]
    panel = json.dumps(saved[ids.DETAILS_BODY]["children"], ensure_ascii=False)
    assert f"已将“测试{CODE}”移到新位置（{township_name}），定位精度：坐标" in panel
    url = saved[ids.map_layer("hazards")]["url"]
    assert url.startswith("/api/v1/layers/hazards?view=map&township=500114112&v=")
    version = _sql(sample, "SELECT value FROM change_counter WHERE id = 1")[0]
    assert url.endswith(f"&v={version}")
    assert _record(sample)[1:] == ("坐标", pytest.approx(lon + 0.0001), pytest.approx(lat), township)
    actor, detail = _sql(sample, "SELECT actor, detail FROM audit_log WHERE action = 'relocate' AND entity_key = :c",
                         c=CODE)
    assert actor == account(sample, "planner")
    assert (json.loads(detail) if isinstance(detail, str) else detail)["from"] == "乡镇级"


@pytest.mark.parametrize("role", ["duty", "commander", "township"])
def test_roles_without_record_edit_get_no_button_and_are_refused(app, sample, role):
    before = _record(sample)
    record_id = before[0]
    client = signed_in(app.server.test_client(), sample, role, before[4] if role == "township" else None)
    assert "修正位置" not in _details(app, client, record_id)
    assert ids.RELOCATE_BOX not in _map_page(client) and ids.RELOCATE_GROUP not in _map_page(client)
    _start(app, client, record_id, status=403)
    _save(app, client, record_id, before[2] + 0.001, before[3], status=403)
    assert _record(sample) == before

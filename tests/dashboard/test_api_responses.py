"""Every /api/v1 route declares its answer (model, status, media type), and what the routes really answer on a
sample database matches the OpenAPI document: the status, the media type and, for JSON, the schema."""
from __future__ import annotations

import base64
import dataclasses
import json

import jsonschema_rs  # comes with schemathesis (a dev dependency)
import pytest

from dashboard.api.models import JSON
from dashboard.app import create_app
from tests.conftest import BACKENDS, _cleanup, prepared, shanghai_today, signed_in
from tests.dashboard.alert_answers import analysis_reports, monitoring_controls, monitoring_proposals
from tests.dashboard.monitoring_answers import monitoring_charts, monitoring_rules
from tests.dashboard.report_answers import danger_photos, monitoring_answers, public_reports

# The routes that store a new record answer 201; every other route answers 200 (an oracle kept apart from the
# declarations: a new route must be put in one of these sets or in neither on purpose).
CREATES = {("POST", "/api/v1/incidents"), ("POST", "/api/v1/orders"), ("POST", "/api/v1/warnings"),
           ("POST", "/api/v1/warnings/cap"), ("POST", "/api/v1/supplies/profile"),
           ("POST", "/api/v1/evacuation/plans"), ("POST", "/api/v1/evacuation/moves"),
           ("POST", "/api/v1/roads/blocks"), ("POST", "/api/v1/hazards/<id:hazard_id>/patrols"),
           ("POST", "/api/v1/incidents/<id:incident_id>/photos"), ("POST", "/api/v1/patrols/<id:patrol_id>/photos"),
           ("POST", "/api/v1/handover"), ("POST", "/api/v1/supervision/dangers"),
           ("POST", "/api/v1/supervision/inspections"), ("POST", "/api/v1/supervision/penalties"),
           ("POST", "/api/v1/supervision/dangers/<id:danger_id>/rechecks"),
           ("POST", "/api/v1/supervision/enterprises/<id:enterprise_id>/risk-points"),
           ("POST", "/api/v1/supervision/campaigns"), ("POST", "/api/v1/supervision/reports"),
           ("POST", "/api/v1/supervision/dangers/<id:danger_id>/photos"), ("POST", "/api/v1/monitoring/readings"),
           ("POST", "/api/v1/monitoring/controls"), ("POST", "/api/v1/monitoring/assignments")}
COMPUTES = {("POST", "/api/v1/area"), ("POST", "/api/v1/routes/matrix"), ("POST", "/api/v1/routes/route"),
            ("POST", "/api/v1/routes/plan"), ("POST", "/api/v1/analysis/siting"),
            ("POST", "/api/v1/monitoring/controls/preview")}  # POST for a body, nothing stored
REBUILDS = {("POST", "/api/v1/monitoring/assignments/recompute")}  # derived rows rebuilt (200), no record named


def _routes(app):
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/") or rule.rule == "/healthz":
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield method, rule, app.view_functions[rule.endpoint]


@pytest.fixture(scope="module")
def app(seeded):
    return create_app(seeded).server


@pytest.fixture(scope="module")
def doc(app):
    return signed_in(app.test_client(), app.config["QJ_SETTINGS"]).get("/api/v1/openapi.json").get_json()


def test_every_route_declares_its_answer_and_its_status(app):
    seen = set()
    for method, rule, view in _routes(app):
        answer = getattr(view, "qj_answer", None)
        assert answer is not None, f"{method} {rule.rule} has no @responds"
        key = (method, rule.rule)
        expected = 201 if key in CREATES else 200
        assert answer.status == expected, (method, rule.rule, answer.status)
        if method == "POST" and key not in CREATES | COMPUTES | REBUILDS:
            assert "<id:" in rule.rule, f"{method} {rule.rule}: a change of a record names it in the path"
        if answer.model is None:  # a file: its media type says what it is
            assert answer.media_type != JSON, rule.rule
        seen.add(key)
    assert CREATES | COMPUTES | REBUILDS <= seen  # the oracle names only routes that exist


def test_each_operation_documents_only_the_statuses_it_can_give(doc):
    def statuses(path, method):
        return set(doc["paths"][path][method]["responses"])
    guarded = {"401", "403"}  # every route but /healthz: the sign-in guard and the permission table
    assert statuses("/api/v1/roads", "get") == {"200", "503"} | guarded
    assert statuses("/api/v1/templates/{entity}.xlsx", "get") == {"200", "400", "404"} | guarded  # no database; 400: lang
    assert statuses("/api/v1/incidents", "post") == {"201", "400", "415", "503"} | guarded
    assert statuses("/api/v1/orders/{order_id}/status", "post") == {"200", "400", "404", "409", "415", "503"} | guarded
    assert statuses("/api/v1/openapi.json", "get") == {"200"} | guarded
    assert statuses("/healthz", "get") == {"200", "503"}
    assert statuses("/api/v1/supervision/reports", "post") == {"201", "400", "403", "413", "415", "429", "503"}
    assert statuses("/api/v1/supervision/reports/lookup", "get") == {"200", "400", "404", "503"}
    public = {("/healthz", "get"), ("/api/v1/supervision/reports", "post"), ("/api/v1/supervision/reports/lookup", "get")}
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            codes = set(operation["responses"])
            assert len({"200", "201"} & codes) == 1, (path, method)  # one success status
            assert (operation["security"] == []) == ((path, method) in public), (path, method)  # the PUBLIC list
            assert ("401" in codes) == ((path, method) not in public), (path, method)  # the guard
            assert ("403" in codes) == ((path, method) not in public or method != "get"), (path, method)
            for code, response in operation["responses"].items():
                if code >= "400":
                    schema = response["content"][JSON]["schema"]["$ref"]
                    expected = "HealthUnavailable" if path == "/healthz" else "Error"
                    assert schema == f"#/components/schemas/{expected}", (path, method, code)


def test_created_records_link_to_the_operations_that_take_them(doc):
    operations = {op["operationId"]: op for item in doc["paths"].values() for op in item.values()}
    links = doc["paths"]["/api/v1/incidents"]["post"]["responses"]["201"]["links"]
    assert {link["operationId"] for link in links.values()} == {
        "incidents_api.incident", "incidents_api.incident_status", "incidents_api.recommendations",
        "field_api.incident_photos", "field_api.incident_photos_upload"}
    count = 0
    for item in doc["paths"].values():
        for operation in item.values():
            for response in operation["responses"].values():
                for link in response.get("links", {}).values():
                    target = operations[link["operationId"]]
                    assert set(link["parameters"]) == {p["name"] for p in target["parameters"] if p["in"] == "path"}
                    count += 1
    assert count >= 15


def test_answer_schemas_refuse_unknown_and_renamed_fields(doc):
    validator = _validator(doc, "ShelterState")
    shelter = {"id": 1, "code": "QJ-SH-001", "name": "x", "township_code": "500114003", "township_name": "城西街道",
               "shelter_type": "中心", "status": "开放", "capacity_people": 10, "occupancy_people": 0,
               "blocked_places": 0, "available_places": 10, "occupancy_class": "open", "lon": 108.7, "lat": 29.5,
               "unsafe_reasons": []}
    assert validator.is_valid(shelter)
    renamed = {("free_places" if k == "available_places" else k): v for k, v in shelter.items()}
    assert not validator.is_valid(renamed)
    assert not validator.is_valid({**shelter, "extra": 1})
    assert not validator.is_valid({**shelter, "capacity_people": "10"})
    event = _validator(doc, "FeedEvent")  # timeline events may carry a catalogue code and its parameters
    line = {"id": 1, "seq": 3, "incident_id": 1, "at": "2026-12-03T10:00:00+00:00", "actor": "api", "kind": "report"}
    assert event.is_valid({**line, "text": "接报"}) and event.is_valid({**line, "code": "x", "params": {"a": 1}})


def test_a_handler_result_with_a_renamed_field_is_a_server_error_not_a_silent_change(seeded, monkeypatch):
    from services.map import search
    client = signed_in(create_app(seeded).server.test_client(), seeded)
    assert client.get("/api/v1/search?q=黔江").status_code == 200
    monkeypatch.setattr(search, "search_features", lambda settings, q: [
        type("Hit", (), {"__dict__": {"layer": "shelters", "id": 1, "name": "x", "township": "城西街道",
                                      "lon": 108.7, "lat": 29.5}})()])
    answer = client.get("/api/v1/search?q=黔江")
    assert answer.status_code == 500 and answer.get_json()["error"] == "internal"


def _validator(doc: dict, name: str):
    schema = {"$ref": f"#/components/schemas/{name}", "components": doc["components"]}
    return jsonschema_rs.Draft202012Validator(schema, validate_formats=True)


# What the routes answer on a sample database of each back-end (the calls write: not the shared ``seeded``).


@pytest.fixture(scope="module", params=BACKENDS)
def sample(request, tmp_path_factory):
    base = prepared(request.param, tmp_path_factory.mktemp(f"answers-{request.param}"), tmp_path_factory,
                    with_sample=True)
    settings = dataclasses.replace(base, route_solver=dataclasses.replace(base.route_solver, max_seconds=0.5))
    yield signed_in(create_app(settings).server.test_client(), settings)
    _cleanup(settings)


class Caller:
    """Calls the app and checks each answer against the document; remembers the operations it called."""

    def __init__(self, client, doc: dict):
        self.client, self.doc, self.called = client, doc, set()

    def __call__(self, method: str, template: str, url: str | None = None, **kwargs):
        headers = {"Accept-Encoding": "identity", **kwargs.pop("headers", {})}
        response = self.client.open(url or template, method=method, headers=headers, **kwargs)
        operation = self.doc["paths"][template][method.lower()]
        documented = operation["responses"].get(str(response.status_code))
        assert documented is not None, (method, url or template, response.status_code, response.data[:300])
        media = response.mimetype if response.mimetype in documented["content"] else \
            response.mimetype.split("/")[0] + "/*"  # a media-type range (image/*) covers its types
        assert media in documented["content"], (method, template, response.mimetype)
        schema = documented["content"][media].get("schema", {})
        if "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[1]
            errors = [e.message for e in _validator(self.doc, name).iter_errors(json.loads(response.data))]
            assert not errors, (method, template, errors[:3])
        if response.status_code < 400:
            self.called.add((method.lower(), template))
        return response


def test_real_answers_match_the_document(sample):
    doc = sample.get("/api/v1/openapi.json").get_json()
    call = Caller(sample, doc)
    call("GET", "/api/v1/openapi.json")
    _map_and_exports(call)
    _roads(call)
    _evacuation(call)
    _dispatch(call)
    _field(call, doc)
    _analysis(call)
    _coverage(call)
    analysis_reports(call)
    _supervision(call, sample)
    monitoring_answers(call)
    monitoring_proposals(call, sample)
    monitoring_controls(call, doc)
    monitoring_rules(call)
    monitoring_charts(call)
    documented = {(method, path) for path, item in doc["paths"].items() for method in item}
    assert call.called == documented, sorted(documented - call.called)


def _map_and_exports(call) -> None:
    call("GET", "/healthz")
    for path in ("/api/v1/townships", "/api/v1/boundary"):
        assert call("GET", path).mimetype == "application/geo+json"
    call("GET", "/api/v1/layers/{layer}", "/api/v1/layers/shelters?view=map")
    call("GET", "/api/v1/layers/{layer}", "/api/v1/layers/enterprises?risk_level=重大")
    assert call("GET", "/api/v1/layers/{layer}", "/api/v1/layers/nothing").status_code == 404
    call("GET", "/api/v1/features/{layer}/{feature_id}", "/api/v1/features/shelters/1")
    call("GET", "/api/v1/search", "/api/v1/search?q=黔江")
    assert call("GET", "/api/v1/search", "/api/v1/search?q=").status_code == 400
    call("GET", "/api/v1/choropleth/{measure}", "/api/v1/choropleth/shelter_places_per_1000")
    assert call("GET", "/api/v1/nearby", "/api/v1/nearby?lon=108.77&lat=29.53&radius_m=3000").get_json()
    call("POST", "/api/v1/area", json={"type": "Feature", "geometry": {"type": "Point", "coordinates": [108.77, 29.53]},
                                       "properties": {"radius": 3000}})
    call("GET", "/api/v1/templates/{entity}.xlsx", "/api/v1/templates/hazards.xlsx")
    call("GET", "/api/v1/records/{entity}.xlsx", "/api/v1/records/shelters.xlsx")
    call("GET", "/api/v1/export/map.html", "/api/v1/export/map.html?layers=shelters")
    call("GET", "/api/v1/export/map.png", "/api/v1/export/map.png?layers=shelters&dpi=50")


def _roads(call) -> None:
    call("GET", "/api/v1/roads")
    block = call("POST", "/api/v1/roads/blocks", json={"point": [108.77, 29.53], "reason": "塌方"}).get_json()
    assert call("GET", "/api/v1/roads/blocks").get_json()["blocks"][0]["id"] == block["id"]
    call("DELETE", "/api/v1/roads/blocks/{block_id}", f"/api/v1/roads/blocks/{block['id']}?actor=测试")
    call("POST", "/api/v1/routes/matrix", json={"sources": [[108.77, 29.53]], "targets": [[108.78, 29.54], [90, 10]]})
    call("POST", "/api/v1/routes/route", json={"from": [108.77, 29.53], "to": [108.78, 29.54]})
    plan = call("POST", "/api/v1/routes/plan", json={"seconds": 0.5}).get_json()
    assert plan["vehicles"] and plan["vehicles"][0]["stops"]  # the nested answer was checked, not an empty one
    call("GET", "/api/v1/routes/isochrones", "/api/v1/routes/isochrones?lon=108.77&lat=29.53&minutes=10,20")


def _evacuation(call) -> None:
    call("GET", "/api/v1/evacuation/capacity", "/api/v1/evacuation/capacity?exclude_unsafe=true")
    call("GET", "/api/v1/supplies/coverage", "/api/v1/supplies/coverage?people=500&days=2")
    needs = call("GET", "/api/v1/supplies/profile").get_json()["needs"]
    call("POST", "/api/v1/supplies/profile", json={"needs": needs, "note": "同上"})
    call("POST", "/api/v1/shelters/{shelter_id}/occupancy", "/api/v1/shelters/1/occupancy", json={"occupancy_people": 3})
    call("POST", "/api/v1/evacuation/moves", json={"hazard_id": 1, "people": 2, "shelter_id": 1})
    call("GET", "/api/v1/evacuation/progress")
    plan = call("POST", "/api/v1/evacuation/plans", json={"hazard_types": ["滑坡"], "max_travel_min": 30}).get_json()
    assert plan["demand"] and any(d["assigned"] for d in plan["demand"])
    call("GET", "/api/v1/evacuation/plans")
    for suffix in ("", ".xlsx", ".html", ".geojson"):
        call("GET", "/api/v1/evacuation/plans/{plan_id}" + suffix, f"/api/v1/evacuation/plans/{plan['id']}{suffix}")
    assert call("GET", "/api/v1/evacuation/plans/{plan_id}", "/api/v1/evacuation/plans/999").status_code == 404


def _dispatch(call) -> None:
    incident = call("POST", "/api/v1/incidents", json={"title": "滑坡", "kind": "滑坡", "level": "Ⅳ", "lon": 108.77,
                                                        "lat": 29.53, "injured": 2}).get_json()
    one = f"/api/v1/incidents/{incident['id']}"
    call("GET", "/api/v1/incidents", "/api/v1/incidents?active=1")
    call("POST", "/api/v1/incidents/{incident_id}/status", one + "/status", json={"status": "核实"})
    teams = call("GET", "/api/v1/incidents/{incident_id}/recommendations", one + "/recommendations").get_json()
    order = call("POST", "/api/v1/orders", json={"incident_id": incident["id"],
                                                  "team_id": teams["teams"][0]["team_id"]}).get_json()
    call("POST", "/api/v1/orders/{order_id}/status", f"/api/v1/orders/{order['id']}/status", json={"status": "出发"})
    assert call("GET", "/api/v1/incidents/{incident_id}", one).get_json()["orders"]
    assert call("GET", "/api/v1/events", "/api/v1/events?since=0").get_json()["events"]
    assert call("GET", "/api/v1/feed", "/api/v1/feed?kinds=incident&limit=5").get_json()["lines"]
    note = call("POST", "/api/v1/handover", json={"note": "夜间关注城西滑坡"}).get_json()
    assert call("GET", "/api/v1/handover/latest").get_json()["handover"]["id"] == note["handover"]["id"]
    assert call("GET", "/api/v1/locations/unverified").get_json()["locations"] == []  # the sample has coordinates
    here = call.client.get("/api/v1/features/hazards/1").get_json()  # moved onto its own spot: the sample stays as it is
    moved = call("PATCH", "/api/v1/locations/{layer}/{record_id}", "/api/v1/locations/hazards/1",
                 json={"lon": here["lon"], "lat": here["lat"]}).get_json()
    assert (moved["quality"], moved["previous_quality"]) == ("坐标", "坐标")
    warning = call("POST", "/api/v1/warnings", json={
        "level": "橙", "hazard_type": "滑坡", "headline": "强降雨", "townships": ["500114003"],
        "recipients": [{"name": "张三", "phone": "13800000000"}]}).get_json()
    one = f"/api/v1/warnings/{warning['id']}"
    call("GET", "/api/v1/warnings")
    call("GET", "/api/v1/warnings/{warning_id}", one)
    cap = call("GET", "/api/v1/warnings/{warning_id}.cap", one + ".cap").data
    call("POST", "/api/v1/warnings/cap", "/api/v1/warnings/cap?recipient=值班员", data=cap,
         headers={"Content-Type": "application/cap+xml"})
    call("POST", "/api/v1/warnings/{warning_id}/ack", one + "/ack", json={"recipient_id": warning["recipients"][0]["id"]})
    call("POST", "/api/v1/warnings/{warning_id}/lift", one + "/lift", json={})
    assert call("POST", "/api/v1/warnings/{warning_id}/lift", one + "/lift", json={}).status_code == 409


def _analysis(call) -> None:
    """分析研判: the risk distribution (filtered, with its density grid) and the risk index."""
    body = call("GET", "/api/v1/analysis/distribution",
                "/api/v1/analysis/distribution?sector=燃气&scheme=natural_breaks&cell_m=4000").get_json()
    assert body["townships"] and body["density"]["features"]["features"]  # the nested answer was checked
    assert call("GET", "/api/v1/analysis/distribution", "/api/v1/analysis/distribution?classes=1").status_code == 400
    assert call("GET", "/api/v1/analysis/risk-index").get_json()["townships"][0]["inputs"]
    assert call("GET", "/api/v1/analysis/risk-index", "/api/v1/analysis/risk-index?township=x").status_code == 400


def _coverage(call) -> None:
    """Coverage gaps by road and siting (分析研判)."""
    coverage = call("GET", "/api/v1/analysis/coverage", "/api/v1/analysis/coverage?kinds=hazard,village").get_json()
    assert coverage["points"] and coverage["shelter_gaps"] and coverage["team_standard"]
    assert call("GET", "/api/v1/analysis/coverage", "/api/v1/analysis/coverage?kinds=x").status_code == 400
    siting = call("POST", "/api/v1/analysis/siting", json={"facility": "shelter", "k": 3, "minutes": 30,
                                                            "objective": "coverage"}).get_json()
    assert siting["sites"] and siting["after"]["covered_people"] >= siting["before"]["covered_people"]
    assert call("POST", "/api/v1/analysis/siting", json={"k": 0}).status_code == 400


def _png() -> bytes:
    import io

    from PIL import Image
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (120, 90, 60)).save(out, "PNG")
    return out.getvalue()


def _field(call, doc) -> None:
    """Field work: a township user's patrol, photos, one-tap 叫应 and field view; the duty view's messages."""
    settings = call.client.application.config["QJ_SETTINGS"]
    home = "500114003"
    township = Caller(signed_in(call.client.application.test_client(), settings, "township", home), doc)
    hazard = township("GET", "/api/v1/townships/{code}/field", f"/api/v1/townships/{home}/field").get_json()["hazards"][0]
    patrol = township("POST", "/api/v1/hazards/{hazard_id}/patrols", f"/api/v1/hazards/{hazard['id']}/patrols",
                      json={"state": "异常", "crack_width_mm": 3}).get_json()
    township("GET", "/api/v1/hazards/{hazard_id}/patrols", f"/api/v1/hazards/{hazard['id']}/patrols")
    import io
    photos = township("POST", "/api/v1/patrols/{patrol_id}/photos", f"/api/v1/patrols/{patrol['id']}/photos",
                      data={"photos": (io.BytesIO(_png()), "p.png")}, content_type="multipart/form-data").get_json()
    township("GET", "/api/v1/photos/{photo_id}", photos["photos"][0]["url"])
    township("GET", "/api/v1/photos/{photo_id}/thumbnail", photos["photos"][0]["url"] + "/thumbnail")
    incident = township("POST", "/api/v1/incidents", json={"title": "裂缝", "kind": "滑坡", "level": "Ⅳ",
                                                          "lon": hazard["lon"], "lat": hazard["lat"]}).get_json()
    one = f"/api/v1/incidents/{incident['id']}/photos"
    township("POST", "/api/v1/incidents/{incident_id}/photos", one,
             data={"photos": (io.BytesIO(_png()), "i.png")}, content_type="multipart/form-data")
    township("GET", "/api/v1/incidents/{incident_id}/photos", one)
    warning = call("POST", "/api/v1/warnings", json={"level": "黄", "hazard_type": "滑坡", "headline": "本镇预警",
                                                     "townships": [home], "include_hazard_monitors": False}).get_json()
    call("GET", "/api/v1/warnings/{warning_id}/messages", f"/api/v1/warnings/{warning['id']}/messages")
    township("POST", "/api/v1/warnings/{warning_id}/ack/mine", f"/api/v1/warnings/{warning['id']}/ack/mine")
    call.called |= township.called


def _reports(call) -> None:
    call("GET", "/api/v1/analysis/trends", "/api/v1/analysis/trends?period=7d")
    assert call("GET", "/api/v1/analysis/trends", "/api/v1/analysis/trends?since=2026-12-02&until=2026-12-01"
                ).status_code == 400
    for suffix in ("docx", "xlsx"):
        call("GET", f"/api/v1/analysis/report.{suffix}", f"/api/v1/analysis/report.{suffix}?period=30d&variant=fire")


def _supervision(call: Caller, client) -> None:
    """安全监管: an inspection with a finding, its loop to 已销号 (the check by a second account), a penalty, risk
    points and the department's level, the case and the lists."""
    today = shanghai_today().isoformat()
    root = "/api/v1/supervision"
    firm = call("GET", "/api/v1/layers/{layer}", "/api/v1/layers/enterprises?view=map").get_json()["features"][0]["properties"]["id"]
    inspection = call("POST", f"{root}/inspections", json={
        "enterprise_id": firm, "inspected_on": today, "inspectors": "张三",
        "findings": [{"description": "安全出口堵塞", "deadline": today}]}).get_json()
    danger = inspection["danger_ids"][0]
    call("POST", f"{root}/dangers", json={"enterprise_id": firm, "level": "一般", "source": "企业自查",
                                          "self_check_cycle": "日", "description": "灭火器过期", "found_on": today,
                                          "found_by": "安全员", "deadline": today})
    call("GET", f"{root}/dangers", f"{root}/dangers?status=open&limit=5")
    call("GET", f"{root}/dangers/{{danger_id}}", f"{root}/dangers/{danger}")
    danger_photos(call, danger, _png())
    call("POST", f"{root}/dangers/{{danger_id}}/rectification", f"{root}/dangers/{danger}/rectification",
         json={"responsible_person": "王五", "measures": "清理通道"})
    call("POST", f"{root}/dangers/{{danger_id}}/submission", f"{root}/dangers/{danger}/submission", json={})
    other = Caller(signed_in(client.application.test_client(), client.application.config["QJ_SETTINGS"], "planner"),
                   call.doc)
    other("POST", f"{root}/dangers/{{danger_id}}/rechecks", f"{root}/dangers/{danger}/rechecks",
          json={"passed": True, "checked_by": "李四", "checked_on": today})
    call.called |= other.called
    call("POST", f"{root}/dangers/{{danger_id}}/reopen", f"{root}/dangers/{danger}/reopen",
         json={"reason": "复发", "deadline": today})
    call("GET", f"{root}/inspections", f"{root}/inspections?enterprise_id={firm}")
    call("GET", f"{root}/inspections/{{inspection_id}}/case", f"{root}/inspections/{inspection['id']}/case")
    call("GET", f"{root}/cases/flagged")
    call("POST", f"{root}/penalties", json={"enterprise_id": firm, "decision_no": "黔江应急罚〔2026〕901号",
                                            "penalty_type": "罚款", "amount_yuan": "5000.00", "decided_on": today})
    call("GET", f"{root}/penalties", f"{root}/penalties?enterprise_id={firm}")
    point = call("POST", f"{root}/enterprises/{{enterprise_id}}/risk-points", f"{root}/enterprises/{firm}/risk-points",
                 json={"name": "配电室", "kind": "场所", "method": "LS", "likelihood": 3, "severity": 4}).get_json()
    call("PUT", f"{root}/enterprises/{{enterprise_id}}/risk-level", f"{root}/enterprises/{firm}/risk-level",
         json={"risk_level": None})
    call("GET", f"{root}/enterprises/{{enterprise_id}}", f"{root}/enterprises/{firm}")
    call("DELETE", f"{root}/risk-points/{{risk_point_id}}", f"{root}/risk-points/{point['id']}")
    month = today[:7]
    call("GET", f"{root}/rankings", f"{root}/rankings?month={month}&by=sector")
    call("GET", f"{root}/rankings/bulletin.docx", f"{root}/rankings/bulletin.docx?month={month}")
    call("GET", f"{root}/rankings.xlsx", f"{root}/rankings.xlsx?month={month}")
    call("GET", f"{root}/milestones")
    call("GET", f"{root}/milestones/behind", f"{root}/milestones/behind?limit=5")
    call("PUT", f"{root}/enterprises/{{enterprise_id}}/cards/{{card}}", f"{root}/enterprises/{firm}/cards/岗位操作卡",
         json={"status": "已培训"})
    campaign = call("POST", f"{root}/campaigns", json={"name": "应答测试专项整治", "sectors": ["燃气"],
                                                        "starts_on": today, "ends_on": today}).get_json()
    call("GET", f"{root}/campaigns")
    call("GET", f"{root}/campaigns/{{campaign_id}}", f"{root}/campaigns/{campaign['campaign']['id']}")
    public_reports(call, Caller, firm, base64.b64encode(_png()).decode())


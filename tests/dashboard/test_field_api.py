"""The field API and the phone page through HTTP, on both back-ends: patrols, photos (multipart, by content, capped,
served only to those who may read the record), one-tap 叫应, a township's field view, and /m itself.
"""
from __future__ import annotations

import dataclasses
import io
import re

import pytest
from PIL import Image
from sqlalchemy import text

from config import PhotoLimits
from dashboard.app import create_app
from services.db import read_session
from tests.conftest import prepared, BACKENDS, TEST_PASSWORD, _cleanup, account, signed_in

HOME, AWAY = "500114001", "500114002"
SEATS = {HOME: (108.7869, 29.5251), AWAY: (108.78149, 29.52086)}
LIMITS = PhotoLimits(max_per_record=2, max_bytes=40_000, max_pixels=4_000_000)


@pytest.fixture(scope="module", params=BACKENDS)
def sample(request, tmp_path_factory):
    base = prepared(request.param, tmp_path_factory.mktemp(f"field-{request.param}"), tmp_path_factory,
                    with_sample=True)
    settings = dataclasses.replace(base, photos=LIMITS)
    yield settings
    _cleanup(settings)


@pytest.fixture(scope="module")
def app(sample):
    return create_app(sample).server


def _one(settings, sql: str, **params):
    with read_session(settings.database_url) as session:
        return session.execute(text(sql), params).scalar()


def jpeg(size=(32, 24)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(buffer, "JPEG")
    return buffer.getvalue()


def _incident(client, township=HOME) -> int:
    lon, lat = SEATS[township]
    answer = client.post("/api/v1/incidents", json={"title": "现场照片测试", "kind": "滑坡", "level": "Ⅳ",
                                                    "lon": lon, "lat": lat})
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()["id"]


def _files(*named: tuple[str, bytes]) -> dict:
    return {"photos": [(io.BytesIO(data), name) for name, data in named]}


def test_photos_go_up_as_multipart_and_come_back_only_to_readers(sample, app):
    home = signed_in(app.test_client(), sample, "township", HOME)
    away = signed_in(app.test_client(), sample, "township", AWAY)
    incident = _incident(home)
    up = home.post(f"/api/v1/incidents/{incident}/photos", data=_files(("现场.jpg", jpeg())),
                   content_type="multipart/form-data")
    assert up.status_code == 201, up.get_json()
    photo = up.get_json()["photos"][0]
    assert photo["content_type"] == "image/jpeg" and photo["url"] == f"/api/v1/photos/{photo['id']}"
    served = home.get(photo["url"])
    assert served.status_code == 200 and served.data == jpeg() and served.mimetype == "image/jpeg"
    assert served.headers["X-Content-Type-Options"] == "nosniff" and "private" in served.headers["Cache-Control"]
    assert away.get(photo["url"]).status_code == 403
    assert away.post(f"/api/v1/incidents/{incident}/photos", data=_files(("b.jpg", jpeg())),
                     content_type="multipart/form-data").status_code == 403
    assert app.test_client().get(photo["url"]).status_code == 401
    listed = signed_in(app.test_client(), sample, "duty").get(f"/api/v1/incidents/{incident}/photos").get_json()
    assert [p["id"] for p in listed["photos"]] == [photo["id"]]


def test_photo_refusals_name_the_field_and_leave_nothing(sample, app):
    client = signed_in(app.test_client(), sample, "duty")
    incident = _incident(client)
    before = _one(sample, "SELECT count(*) FROM photo")
    cases = [
        (_files(("scan.jpg", b"%PDF-1.4 not a photo")), 400, "photos", "scan.jpg"),
        (_files(("a.jpg", jpeg()), ("b.jpg", jpeg()), ("c.jpg", jpeg())), 400, "photos", "2"),
        (_files(("big.jpg", b"\xff\xd8" + bytes(LIMITS.max_bytes))), 400, "photos", "MB"),
        ({}, 400, "photos", "photos"),
    ]
    for files, status, parameter, mentioned in cases:
        answer = client.post(f"/api/v1/incidents/{incident}/photos", data=files, content_type="multipart/form-data")
        body = answer.get_json()
        assert (answer.status_code, body["parameter"]) == (status, parameter), body
        assert mentioned in body["reason_en"] + body["reason"], body
    as_json = client.post(f"/api/v1/incidents/{incident}/photos", json={"photos": []})
    assert as_json.status_code == 415 and as_json.get_json()["parameter"] == "Content-Type"
    huge = b"\xff\xd8" + bytes(LIMITS.max_per_record * LIMITS.max_bytes + 1024 * 1024)
    too_large = client.post(f"/api/v1/incidents/{incident}/photos", data=_files(("huge.jpg", huge)),
                            content_type="multipart/form-data")
    assert too_large.status_code == 413 and too_large.get_json()["parameter"] == "photos"
    assert _one(sample, "SELECT count(*) FROM photo") == before
    assert client.post("/api/v1/incidents/99999/photos", data=_files(("a.jpg", jpeg())),
                       content_type="multipart/form-data").status_code == 404


def test_a_patrol_through_the_api_with_a_photo_and_its_list(sample, app):
    home = signed_in(app.test_client(), sample, "township", HOME)
    hazard = _one(sample, "SELECT id FROM hazard_point WHERE township_code = :t ORDER BY id", t=HOME)
    away = _one(sample, "SELECT id FROM hazard_point WHERE township_code = :t ORDER BY id", t=AWAY)
    bad = home.post(f"/api/v1/hazards/{hazard}/patrols", json={"state": "塌了"})
    assert bad.status_code == 400 and bad.get_json()["parameter"] == "state"
    assert home.post(f"/api/v1/hazards/{hazard}/patrols", data="state=危险").status_code == 415
    assert home.post(f"/api/v1/hazards/{away}/patrols", json={"state": "正常"}).status_code == 403
    done = home.post(f"/api/v1/hazards/{hazard}/patrols", json={"state": "危险", "crack_width_mm": 12.5,
                                                                "raise_to": "红", "note": "裂缝加宽"})
    assert done.status_code == 201, done.get_json()
    patrol = done.get_json()
    assert (patrol["raised_to"], patrol["level_now"]) == ("红", "红")
    assert _one(sample, "SELECT warning_level FROM hazard_point WHERE id = :i", i=hazard) == "红"
    assert home.post(f"/api/v1/patrols/{patrol['id']}/photos", data=_files(("crack.jpg", jpeg())),
                     content_type="multipart/form-data").status_code == 201
    listed = home.get(f"/api/v1/hazards/{hazard}/patrols").get_json()["patrols"]
    assert listed[0]["id"] == patrol["id"] and len(listed[0]["photo_ids"]) == 1
    duty = signed_in(app.test_client(), sample, "duty")
    assert duty.post(f"/api/v1/hazards/{hazard}/patrols", json={"state": "正常"}).status_code == 403


def test_one_tap_ack_and_the_township_field_view(sample, app):
    home = signed_in(app.test_client(), sample, "township", HOME)
    duty = signed_in(app.test_client(), sample, "duty")
    warning = duty.post("/api/v1/warnings", json={"level": "黄", "hazard_type": "地质灾害", "headline": "城东黄色预警",
                                                  "townships": [HOME], "include_hazard_monitors": False}).get_json()
    mine = [r for r in warning["recipients"] if r["role"] == "乡镇值守"]
    assert [r["name"] for r in mine] == [account(sample, "township", HOME)]
    first = home.post(f"/api/v1/warnings/{warning['id']}/ack/mine")
    assert first.status_code == 200 and first.get_json()["recipient_id"] == mine[0]["id"]
    assert first.get_json()["warning"]["acknowledged"] == 1
    assert home.post(f"/api/v1/warnings/{warning['id']}/ack/mine").status_code == 409
    assert duty.post(f"/api/v1/warnings/{warning['id']}/ack/mine").status_code == 404  # not a recipient
    view = home.get(f"/api/v1/townships/{HOME}/field").get_json()
    assert view["code"] == HOME and view["outline"]["type"] in ("Polygon", "MultiPolygon")
    assert {h["id"] for h in view["hazards"]} == {
        r[0] for r in _rows(sample, "SELECT id FROM hazard_point WHERE township_code = :t", t=HOME)}
    shown = {w["id"]: w for w in view["warnings"]}
    assert shown[warning["id"]]["acknowledged_at"] and shown[warning["id"]]["recipient_id"] == mine[0]["id"]
    assert home.get(f"/api/v1/townships/{AWAY}/field").status_code == 403


def _rows(settings, sql: str, **params):
    with read_session(settings.database_url) as session:
        return session.execute(text(sql), params).all()


def _browser_session(app, settings, role, township=None):
    """Signed in through the sign-in form, like a phone's browser; returns the client and the page it lands on."""
    name = account(settings, role, township)
    client = app.test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").get_data(as_text=True)).group(1)
    answer = client.post("/login", data={"username": name, "password": TEST_PASSWORD, "csrf_token": token})
    return client, answer.headers["Location"]


def test_the_phone_page_is_plain_html_in_both_languages_and_township_staff_land_there(sample, app):
    client, landed = _browser_session(app, sample, "township", HOME)
    assert landed.startswith("/m")
    page = client.get("/m")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "_dash" not in html and "城东街道" in html
    assert 'id="report-form"' in html and 'id="patrol-form"' in html and "/static/field.js" in html
    csrf = re.search(r'"csrf":"([^"]+)"', html).group(1)
    incident = _incident_by_session(client, csrf)
    refused = client.post(f"/api/v1/incidents/{incident}/photos", data=_files(("a.jpg", jpeg())),
                          content_type="multipart/form-data")
    assert refused.status_code == 400 and refused.get_json()["error"] == "csrf"
    accepted = client.post(f"/api/v1/incidents/{incident}/photos", data=_files(("a.jpg", jpeg())),
                           content_type="multipart/form-data", headers={"X-CSRFToken": csrf})
    assert accepted.status_code == 201
    english = client.get("/m?lang=en").get_data(as_text=True)
    assert "Chengdong" in english and "Report an incident" in english and "Record patrol" in english
    assert client.get("/m/warnings").status_code == 200
    viewer, _ = _browser_session(app, sample, "viewer")
    seen = viewer.get(f"/m?township={AWAY}").get_data(as_text=True)
    assert 'id="report-form"' not in seen and "城南街道" in seen and 'name="township"' in seen
    anonymous = app.test_client().get("/m")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]


def _incident_by_session(client, csrf: str) -> int:
    lon, lat = SEATS[HOME]
    answer = client.post("/api/v1/incidents", json={"title": "手机上报", "kind": "滑坡", "level": "Ⅳ", "lon": lon,
                                                    "lat": lat}, headers={"X-CSRFToken": csrf})
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()["id"]


def test_a_hazard_points_details_on_the_map_list_its_latest_patrols(sample, app):
    from dashboard.components.details import feature_panel, latest_patrols
    from services.db.uow import unit_of_work
    from services.map.features import feature_details
    from tests.dashboard.test_page_language import _texts
    hazard = _one(sample, "SELECT id FROM hazard_point WHERE township_code = :t ORDER BY id DESC", t=HOME)
    answer = signed_in(app.test_client(), sample, "township", HOME).post(
        f"/api/v1/hazards/{hazard}/patrols", json={"state": "异常", "crack_width_mm": 4, "note": "新裂缝"})
    assert answer.status_code == 201
    with unit_of_work(sample) as uow:
        patrols = latest_patrols(uow, "hazards", hazard)
        assert latest_patrols(uow, "shelters", 1) == []
        details = feature_details(uow, "hazards", hazard)
    with app.test_request_context():
        shown = "\n".join(_texts(feature_panel(details, "en", patrols)))
    assert "Latest patrols" in shown and "Signs of change · crack 4 mm" in shown and "新裂缝" in shown

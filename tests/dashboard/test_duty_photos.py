"""The duty view shows an incident's photos (no browser): its dispatch panel, as Dash's callback answers it, holds
a thumbnail per photo from the guarded photo routes, linked to the full photo in a new tab; the routes answer
an image to the duty officer and 403 to another township's staff, on both back-ends."""
from __future__ import annotations

import io
import json

import pytest
from PIL import Image

from dashboard.app import create_app
from services.clock import now_utc
from services.dispatch.incidents import IncidentReport, report_incident
from services.field.photos import Upload, attach_photos
from tests.conftest import call_as, principal_for, signed_in

HOME, AWAY = "500114001", "500114002"
SEAT = (108.7869, 29.5251)  # 城东街道
PANEL = "duty-detail-log"  # the incident's orders, timeline and photos (dashboard/components/duty_panels.py)
OUTPUTS = (("duty-detail", "children"), (PANEL, "children"), ("duty-step-message", "children"),
           ("duty-step-note", "value"))


def _jpeg(size=(800, 600)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (30, 140, 60)).save(out, "JPEG")
    return out.getvalue()


def _components(node):
    """Every component in a serialised Dash tree (dicts with ``type`` and ``props``)."""
    if isinstance(node, list):
        for item in node:
            yield from _components(item)
    elif isinstance(node, dict) and "props" in node:
        yield node
        yield from _components(node["props"].get("children"))


def _post_panel(client, incident_id: int, lang: str = "zh"):
    body = {"output": ".." + "...".join(f"{i}.{p}" for i, p in OUTPUTS) + "..",
            "outputs": [{"id": i, "property": p} for i, p in OUTPUTS],
            "inputs": [{"id": "duty-dispatch-incident", "property": "value", "value": incident_id},
                       {"id": "duty-version", "property": "data", "value": 1}, []],
            "state": [{"id": "duty-step-note", "property": "value", "value": None},
                      {"id": "duty-lang", "property": "data", "value": lang}],
            "changedPropIds": ["duty-dispatch-incident.value"]}
    return client.post("/_dash-update-component", json=body)


def _panel(client, incident_id: int, lang: str = "zh") -> list:
    answer = _post_panel(client, incident_id, lang)
    assert answer.status_code == 200, answer.get_data(as_text=True)[:400]
    return answer.get_json()["response"][PANEL]["children"]


@pytest.fixture
def reported(fresh):
    """An incident reported with two photos by 城东 staff, and the app."""
    staff = principal_for(fresh, "township", HOME)
    incident = call_as(fresh, staff, report_incident, IncidentReport(
        title="城东滑坡", kind="滑坡", level="Ⅳ", lon=SEAT[0], lat=SEAT[1], occurred_at=now_utc(), reporter="城东"))
    photos = call_as(fresh, staff, attach_photos, "incident", incident,
                     [Upload("a.jpg", _jpeg()), Upload("b.jpg", _jpeg((300, 900)))])
    return fresh, incident, [p.id for p in photos], create_app(fresh).server


def test_the_duty_panel_shows_thumbnails_linked_to_the_photos(reported):
    settings, incident, photo_ids, app = reported
    duty = signed_in(app.test_client(), settings, "duty")
    tree = list(_components(_panel(duty, incident)))
    images = [c for c in tree if c["type"] == "Img"]
    links = [c for c in tree if c["type"] == "A" and any(i["type"] == "Img" for i in _components(c["props"]["children"]))]
    assert [i["props"]["src"] for i in images] == [f"/api/v1/photos/{p}/thumbnail" for p in photo_ids]
    assert [a["props"]["href"] for a in links] == [f"/api/v1/photos/{p}" for p in photo_ids]
    assert all(a["props"]["target"] == "_blank" and "noopener" in a["props"]["rel"] for a in links)
    assert "现场照片（2 张" in json.dumps(tree, ensure_ascii=False)
    assert "Photos (2;" in json.dumps(list(_components(_panel(duty, incident, "en"))), ensure_ascii=False)
    for image in images:  # what the <img> asks for is an image, small, for the duty officer
        answer = duty.get(image["props"]["src"])
        assert answer.status_code == 200 and answer.mimetype == "image/jpeg"
        assert answer.headers["X-Content-Type-Options"] == "nosniff" and "private" in answer.headers["Cache-Control"]
        with Image.open(io.BytesIO(answer.data)) as small:
            assert small.format == "JPEG" and max(small.size) == settings.photos.thumbnail_px
    full = duty.get(links[0]["props"]["href"])
    assert full.status_code == 200 and full.data == _jpeg()


def test_another_township_gets_neither_the_thumbnail_nor_the_photo(reported):
    settings, incident, photo_ids, app = reported
    away = signed_in(app.test_client(), settings, "township", AWAY)
    home = signed_in(app.test_client(), settings, "township", HOME)
    for route in (f"/api/v1/photos/{photo_ids[0]}/thumbnail", f"/api/v1/photos/{photo_ids[0]}"):
        assert away.get(route).status_code == 403
        assert home.get(route).status_code == 200
        assert app.test_client().get(route).status_code == 401
    assert signed_in(app.test_client(), settings, "duty").get("/api/v1/photos/999999/thumbnail").status_code == 404
    refused = _post_panel(away, incident)  # nor the panel of the incident, photos and all
    assert refused.status_code == 403 and refused.get_json()["error"] == "permission.other_township"
    assert [c["type"] for c in _components(_panel(home, incident))].count("Img") == 2

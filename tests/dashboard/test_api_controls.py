"""熔断 over HTTP: bad requests answer 400 naming the field (never a 500), and the guard's permissions hold."""
from __future__ import annotations

import pytest

from dashboard.app import create_app
from tests.conftest import signed_in

ROOT = "/api/v1/monitoring/controls"


@pytest.fixture(scope="module")
def app(seeded):
    return create_app(seeded).server


@pytest.mark.parametrize("body, field", [
    ({"level": "红", "townships": ["999999999"]}, "townships"),
    ({"level": "紫", "townships": ["500114003"]}, "level"),
    ({"level": "红", "polygon": {"type": "Polygon", "coordinates": [[[108, 29], [109, 30], [108, 30], [109, 29],
                                                                     [108, 29]]]}}, "polygon"),
    ({"level": "红", "polygon": {"type": "LineString", "coordinates": [[108, 29], [109, 30]]}}, "polygon"),
    ({"level": "红"}, "area"),
    ({"level": "红", "townships": ["500114003"], "colour": "red"}, "colour"),
    ({"level": "红", "townships": "500114003"}, "townships"),
])
def test_a_bad_preview_names_its_field(app, seeded, body, field):
    answer = signed_in(app.test_client(), seeded, "duty").post(f"{ROOT}/preview", json=body)
    assert answer.status_code == 400, answer.data[:300]
    assert answer.get_json()["parameter"] == field and answer.get_json()["reason_en"]


def test_the_duty_officer_previews_but_only_the_commander_issues(app, seeded):
    duty = signed_in(app.test_client(), seeded, "duty")
    body = {"level": "红", "townships": ["500114003"]}
    assert duty.post(f"{ROOT}/preview", json=body).status_code == 200
    assert duty.post(ROOT, json=body).status_code == 403
    assert signed_in(app.test_client(), seeded, "viewer").post(f"{ROOT}/preview", json=body).status_code == 403
    assert duty.get(f"{ROOT}/999999").status_code == 404
    assert duty.post(f"{ROOT}/items/999999/confirm", json={}).status_code == 404
    assert duty.get(f"{ROOT}/1.docx?lang=fr").status_code in (400, 404)

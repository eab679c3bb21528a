"""隐患照片 through HTTP on both back-ends: POST /api/v1/supervision/dangers/<id>/photos (multipart, capped, checked
by content), the photos in the danger's detail and list, their files and thumbnails served to the danger's readers
only (township staff: their township; an enterprise's account: its own), and the thumbnails in the enterprise
record of the 安全监管 page."""
from __future__ import annotations

import dataclasses
import hashlib
import io

import pytest
from dash import html
from dash.development.base_component import Component

from config import PhotoLimits
from dashboard.app import create_app
from dashboard.components.supervision_views import record_panel
from services.data.imports import import_file
from services.supervision.enterprise_record import enterprise_record
from tests.conftest import call, csv_for, read, shanghai_today, signed_in
from tests.dashboard.test_field_api import jpeg
from tests.services.test_concurrency import scalar
from tests.services.test_imports import enterprise_row
from tests.services.test_photos import _files

LIMITS = PhotoLimits(max_per_record=2, max_bytes=40_000, max_pixels=4_000_000)
ROOT = "/api/v1/supervision/dangers"


@pytest.fixture
def world(fresh):
    """Two enterprises of one township with a danger each (recorded by a planner through the API); returns
    (app, settings, planner's client, the first enterprise's danger, the second's, the enterprises' township)."""
    settings = dataclasses.replace(fresh, photos=LIMITS)
    call(settings, import_file, "enterprises", csv_for("enterprises", [enterprise_row(1), enterprise_row(2)]), "e.csv")
    firms = [scalar(settings, "SELECT id FROM enterprise ORDER BY id LIMIT 1 OFFSET :o", o=o) for o in (0, 1)]
    app = create_app(settings).server
    planner = signed_in(app.test_client(), settings, "planner")
    today = shanghai_today().isoformat()
    dangers = []
    for firm in firms:
        made = planner.post(ROOT, json={"enterprise_id": firm, "level": "一般", "source": "部门检查",
                                        "description": "消防通道堆放杂物", "found_on": today, "found_by": "应急局",
                                        "deadline": today})
        assert made.status_code == 201 and made.get_json()["photos"] == [], made.get_json()
        dangers.append(made.get_json()["id"])
    township = scalar(settings, "SELECT township_code FROM enterprise WHERE id = :e", e=firms[0])
    return app, settings, planner, dangers[0], dangers[1], township


def _upload(client, danger: int, *named: tuple[str, bytes]):
    return client.post(f"{ROOT}/{danger}/photos", data={"photos": [(io.BytesIO(d), n) for n, d in named]},
                       content_type="multipart/form-data")


def _count(settings) -> int:
    return scalar(settings, "SELECT count(*) FROM photo")


def test_photos_are_uploaded_shown_in_the_detail_and_served(world):
    app, settings, planner, own, other, _ = world
    first, second = jpeg(), jpeg((40, 30))
    sent = _upload(planner, own, ("a.jpg", first), ("b.jpg", second))
    assert sent.status_code == 201, sent.get_json()
    photos = sent.get_json()["photos"]
    assert [(p["record"], p["record_id"]) for p in photos] == [("danger", own)] * 2
    detail = planner.get(f"{ROOT}/{own}").get_json()
    assert detail["photo_ids"] == [p["id"] for p in detail["photos"]] == [p["id"] for p in photos]
    assert [p["url"] for p in detail["photos"]] == [f"/api/v1/photos/{p['id']}" for p in photos]
    served = [planner.get(p["url"]) for p in detail["photos"]]
    assert [hashlib.sha256(a.data).hexdigest() for a in served] == [hashlib.sha256(b).hexdigest() for b in (first, second)]
    thumbnail = planner.get(photos[0]["url"] + "/thumbnail")
    assert thumbnail.status_code == 200 and thumbnail.mimetype == "image/jpeg"
    listed = {d["id"]: d["photo_ids"] for d in planner.get(f"{ROOT}?status=open").get_json()["dangers"]}
    assert listed == {own: detail["photo_ids"], other: []}
    assert scalar(settings, "SELECT count(*) FROM photo WHERE danger_id = :d", d=own) == 2


def test_refusals_write_nothing(world):
    app, settings, planner, own, other, _ = world
    assert _upload(planner, own, ("a.jpg", jpeg())).status_code == 201
    cases = [((("scan.jpg", b"%PDF-1.4 not a photo"),), 400, "scan.jpg"),
             ((("b.jpg", jpeg()), ("c.jpg", jpeg())), 400, "2")]  # one held, two more: over the cap of 2
    for named, status, mentioned in cases:
        answer = _upload(planner, own, *named)
        assert (answer.status_code, answer.get_json()["parameter"]) == (status, "photos"), answer.get_json()
        assert mentioned in answer.get_json()["reason_en"]
    assert planner.post(f"{ROOT}/{own}/photos", json={"photos": []}).status_code == 415
    huge = b"\xff\xd8" + bytes(LIMITS.max_per_record * LIMITS.max_bytes + 1024 * 1024)
    assert _upload(planner, own, ("huge.jpg", huge)).status_code == 413
    assert _upload(planner, 999_999, ("a.jpg", jpeg())).status_code == 404
    viewer = signed_in(app.test_client(), settings, "viewer")
    assert _upload(viewer, own, ("a.jpg", jpeg())).status_code == 403
    assert _count(settings) == 1 and len(_files(settings)) == 1  # no row and no file of any refused upload


def test_township_staff_and_enterprises_reach_only_their_own_dangers_photos(world):
    app, settings, planner, own, other, township = world
    theirs = _upload(planner, other, ("t.jpg", jpeg())).get_json()["photos"][0]["url"]
    away = scalar(settings, "SELECT min(code) FROM township WHERE code <> :h", h=township)
    stranger = signed_in(app.test_client(), settings, "township", away)
    refused = _upload(stranger, own, ("s.jpg", jpeg()))
    assert refused.status_code == 403 and refused.get_json()["error"] == "permission.other_township"
    assert stranger.get(theirs).status_code == 403 and stranger.get(f"{ROOT}/{other}").status_code == 403
    home = signed_in(app.test_client(), settings, "township", township)
    assert _upload(home, own, ("h.jpg", jpeg())).status_code == 201 and home.get(theirs).status_code == 200
    firm = signed_in(app.test_client(), settings, "enterprise")  # speaks for the first enterprise: ``own``'s
    mine = _upload(firm, own, ("e.jpg", jpeg()))
    assert mine.status_code == 201, mine.get_json()
    assert firm.get(mine.get_json()["photos"][0]["url"] + "/thumbnail").status_code == 200
    other_firm = _upload(firm, other, ("o.jpg", jpeg()))
    assert other_firm.status_code == 403 and other_firm.get_json()["error"] == "permission.other_enterprise"
    assert firm.get(theirs).status_code == 403
    assert scalar(settings, "SELECT count(*) FROM photo WHERE danger_id = :d", d=own) == 2 and _count(settings) == 3


def test_the_enterprise_record_shows_each_open_danger_s_thumbnails(world):
    app, settings, planner, own, other, _ = world
    ids = [p["id"] for p in _upload(planner, own, ("a.jpg", jpeg()), ("b.jpg", jpeg())).get_json()["photos"]]
    firm = scalar(settings, "SELECT enterprise_id FROM hidden_danger WHERE id = :d", d=own)
    with app.test_request_context():
        panel = record_panel(read(settings, enterprise_record, firm), "zh")
    images = [c for c in _walk(panel) if isinstance(c, html.Img)]
    assert [i.src for i in images] == [f"/api/v1/photos/{n}/thumbnail" for n in ids]
    links = [c.href for c in _walk(panel) if isinstance(c, html.A)]
    assert links == [f"/api/v1/photos/{n}" for n in ids]
    code = scalar(settings, "SELECT code FROM hidden_danger WHERE id = :d", d=own)
    assert all(code in i.alt for i in images)
    other_firm = scalar(settings, "SELECT enterprise_id FROM hidden_danger WHERE id = :d", d=other)
    with app.test_request_context():
        bare = record_panel(read(settings, enterprise_record, other_firm), "en")
    assert not [c for c in _walk(bare) if isinstance(c, html.Img)]  # no photos: no photo section


def _walk(node):
    if isinstance(node, (list, tuple)):
        for child in node:
            yield from _walk(child)
    elif isinstance(node, Component):
        yield node
        yield from _walk(getattr(node, "children", None))

"""Photos of hidden dangers (隐患照片, issue 14 point 2) on both back-ends: the field photos' checks and caps, all or
nothing; attached by those who may report the danger (township staff: their township's enterprises; an enterprise's
account: its own) under the enterprise's row lock, read by the danger's readers; the database holds a photo to
exactly one record, and migration 0024 goes down and up again."""
from __future__ import annotations

import dataclasses
import hashlib
import json

import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from config import PhotoLimits
from services.data.imports import import_file
from services.db import get_engine
from services.db.schema import alembic_config, upgrade
from services.errors import FieldError, Forbidden
from services.field.photos import Upload, attach_photos, photo_file, photos_of, thumbnail_file
from services.supervision import dangers as D
from services.supervision.enterprise_record import enterprise_record
from tests.conftest import call, call_as, csv_for, principal_for, read
from tests.services.test_concurrency import race, scalar
from tests.services.test_imports import enterprise_row
from tests.services.test_photos import _files, _forged, _incident, image
from tests.services.test_supervision_dangers import danger


@pytest.fixture
def world(fresh):
    """Small caps (3 photos per record, 20 kB, 1 megapixel), two enterprises and a danger of each; returns
    (settings, the first enterprise's danger, the second's, the enterprises' township, another township)."""
    settings = dataclasses.replace(fresh, photos=PhotoLimits(max_per_record=3, max_bytes=20_000, max_pixels=1_000_000))
    call(settings, import_file, "enterprises", csv_for("enterprises", [enterprise_row(1), enterprise_row(2)]), "e.csv")
    firms = [scalar(settings, "SELECT id FROM enterprise ORDER BY id LIMIT 1 OFFSET :o", o=o) for o in (0, 1)]
    own, other = (call(settings, D.record_danger, danger(firm)).id for firm in firms)
    home = scalar(settings, "SELECT township_code FROM enterprise WHERE id = :e", e=firms[0])
    away = scalar(settings, "SELECT min(code) FROM township WHERE code <> :h", h=home)
    return settings, own, other, home, away


def _count(settings, danger_id: int | None = None) -> int:
    if danger_id is None:
        return scalar(settings, "SELECT count(*) FROM photo")
    return scalar(settings, "SELECT count(*) FROM photo WHERE danger_id = :d", d=danger_id)


def test_photos_of_a_danger_are_stored_as_sent_and_read_back_with_the_danger(world):
    settings, own, other, _, _ = world
    jpeg, png = image("JPEG"), image("PNG", colour=(10, 200, 10))
    stored = call(settings, attach_photos, "danger", own, [Upload("a.jpg", jpeg), Upload("b.png", png)])
    assert [(p.record, p.record_id, p.content_type) for p in stored] == [("danger", own, "image/jpeg"),
                                                                         ("danger", own, "image/png")]
    assert _count(settings, own) == 2 and _count(settings) == 2
    sums = [scalar(settings, "SELECT sha256 FROM photo WHERE id = :i", i=p.id) for p in stored]
    assert sums == [hashlib.sha256(jpeg).hexdigest(), hashlib.sha256(png).hexdigest()]
    assert [p.id for p in read(settings, photos_of, "danger", own)] == [p.id for p in stored]
    paths = [read(settings, photo_file, p.id)[0] for p in stored]
    assert [hashlib.sha256(p.read_bytes()).hexdigest() for p in paths] == sums and len(_files(settings)) == 2
    assert read(settings, thumbnail_file, stored[0].id)[1] == "image/jpeg"
    ids = tuple(p.id for p in stored)
    assert read(settings, D.danger_row, own).photo_ids == ids and read(settings, D.danger_row, other).photo_ids == ()
    _, rows = read(settings, D.list_dangers, status="open")
    assert {r.id: r.photo_ids for r in rows} == {own: ids, other: ()}
    firm = scalar(settings, "SELECT enterprise_id FROM hidden_danger WHERE id = :d", d=own)
    assert [d.photo_ids for d in read(settings, enterprise_record, firm).open_dangers] == [ids]
    action, key, detail = read_audit(settings)
    assert (action, key, json.loads(detail)["photos"]) == ("attach_photos", str(own), list(ids))


def read_audit(settings):
    with get_engine(settings.database_url).connect() as conn:
        return conn.execute(text("SELECT action, entity_key, detail FROM audit_log WHERE entity = 'danger'")).one()


@pytest.mark.parametrize("case", ["html named .png", "truncated jpeg", "empty"])
def test_a_non_image_is_refused_and_nothing_is_written(world, case):
    settings, own, _, _, _ = world
    with pytest.raises(FieldError) as refused:
        call(settings, attach_photos, "danger", own, [Upload("ok.jpg", image()), Upload("x.png", _forged()[case])])
    assert refused.value.field == "photos" and refused.value.code in ("photo.not_image", "photo.empty")
    assert _count(settings) == 0 and _files(settings) == []


def test_too_many_photos_for_one_danger_are_refused_whole(world):
    settings, own, other, _, _ = world
    call(settings, attach_photos, "danger", own, [Upload("1.jpg", image()), Upload("2.jpg", image())])
    with pytest.raises(FieldError) as many:
        call(settings, attach_photos, "danger", own, [Upload("3.jpg", image()), Upload("4.jpg", image())])
    assert many.value.code == "photo.too_many" and many.value.params == {"max": 3, "held": 2, "sent": 2}
    assert _count(settings, own) == 2 and len(_files(settings)) == 2
    call(settings, attach_photos, "danger", other, [Upload(f"{n}.jpg", image()) for n in range(3)])  # its own cap
    with pytest.raises(FieldError) as missing:
        call(settings, attach_photos, "danger", 999_999, [Upload("x.jpg", image())])
    assert missing.value.status == 404 and _count(settings) == 5


def test_two_uploads_at_once_share_the_cap(world):
    settings, own, _, _, _ = world
    outcomes = race(2, lambda i: call(settings, attach_photos, "danger", own, [Upload(f"{i}-{n}.jpg", image())
                                                                             for n in range(2)]))
    assert sorted(kind for kind, _ in outcomes) == ["ok", "refused"]
    assert _count(settings, own) == 2 and len(_files(settings)) == 2


def test_township_staff_attach_and_read_only_their_townships_dangers(world):
    settings, own, _, home, away = world
    theirs = call(settings, attach_photos, "danger", own, [Upload("a.jpg", image())])[0].id
    stranger = principal_for(settings, "township", away)
    with pytest.raises(Forbidden) as refused:
        call_as(settings, stranger, attach_photos, "danger", own, [Upload("b.jpg", image())])
    assert refused.value.status == 403 and refused.value.code == "permission.other_township"
    assert _count(settings) == 1 and len(_files(settings)) == 1  # nothing written: no row, no file
    for service, args in ((photos_of, ("danger", own)), (photo_file, (theirs,)), (thumbnail_file, (theirs,))):
        with pytest.raises(Forbidden):
            call_as(settings, stranger, service, *args, write=False)
    staff = principal_for(settings, "township", home)
    mine = call_as(settings, staff, attach_photos, "danger", own, [Upload("c.jpg", image())])
    assert [p.id for p in call_as(settings, staff, photos_of, "danger", own, write=False)] == [theirs, mine[0].id]
    with pytest.raises(Forbidden):  # a viewer reads dangers but reports none
        call_as(settings, principal_for(settings, "viewer"), attach_photos, "danger", own, [Upload("d.jpg", image())])
    assert _count(settings) == 2


def test_an_enterprise_account_attaches_to_its_own_dangers_only(world):
    settings, own, other, _, _ = world
    firm = principal_for(settings, "enterprise")  # speaks for the first enterprise: ``own``'s
    mine = call_as(settings, firm, attach_photos, "danger", own, [Upload("a.jpg", image())])
    with pytest.raises(Forbidden) as refused:
        call_as(settings, firm, attach_photos, "danger", other, [Upload("b.jpg", image())])
    assert refused.value.code == "permission.other_enterprise"
    assert _count(settings, other) == 0 and len(_files(settings)) == 1
    theirs = call(settings, attach_photos, "danger", other, [Upload("c.jpg", image())])[0].id
    assert call_as(settings, firm, photo_file, mine[0].id, write=False)[0].is_file()
    for service, args in ((photos_of, ("danger", other)), (photo_file, (theirs,))):
        with pytest.raises(Forbidden):
            call_as(settings, firm, service, *args, write=False)
    incident_photo = call(settings, attach_photos, "incident", _incident(settings), [Upload("i.jpg", image())])[0].id
    with pytest.raises(Forbidden):  # an enterprise's account reads no incidents
        call_as(settings, firm, photo_file, incident_photo, write=False)


def test_the_database_holds_a_photo_to_exactly_one_record(world):
    settings, own, _, _, _ = world
    incident = _incident(settings)
    columns = "stored_name, content_type, size_bytes, width_px, height_px, sha256, uploaded_at, uploaded_by"
    values = ":name, 'image/png', 10, 1, 1, 'x', CURRENT_TIMESTAMP, 'test'"
    engine = get_engine(settings.database_url)
    for n, (incident_id, danger_id) in enumerate(((incident, own), (None, None))):
        with pytest.raises(IntegrityError), engine.begin() as conn:
            conn.execute(text(f"INSERT INTO photo (incident_id, danger_id, {columns}) VALUES (:i, :d, {values})"),
                         {"i": incident_id, "d": danger_id, "name": f"two-{n}"})
    with engine.begin() as conn:
        conn.execute(text(f"INSERT INTO photo (danger_id, {columns}) VALUES (:d, {values})"), {"d": own, "name": "one"})
    assert _count(settings, own) == 1


def test_migration_0024_goes_down_and_up_again(world):
    settings, own, _, _, _ = world
    call(settings, attach_photos, "danger", own, [Upload("a.jpg", image())])
    call(settings, attach_photos, "incident", _incident(settings), [Upload("i.jpg", image())])
    command.downgrade(alembic_config(settings.database_url), "0023_public_reports")
    assert _count(settings) == 1  # the incident's photo stays; the danger's has no place in the older schema
    upgrade(settings.database_url)
    assert _count(settings) == 1 and read(settings, D.danger_row, own).photo_ids == ()

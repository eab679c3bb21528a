"""Photos of incidents and patrols on both back-ends: kept only when their bytes decode as JPEG, PNG or WebP
within the caps, whatever their names say; a refused upload, or one whose unit of work rolls back, leaves no
file and no row behind; township staff attach and read only at home.
"""
from __future__ import annotations

import dataclasses
import io
import random

import pytest
from PIL import Image
from sqlalchemy import text

from config import PhotoLimits
from services.clock import now_utc
from services.db import read_session
from services.db.uow import unit_of_work
from services.dispatch.incidents import IncidentReport, report_incident
from services.errors import FieldError, Forbidden
from services.field.photos import (
    Upload,
    attach_photos,
    photo_file,
    photo_root,
    photos_of,
    thumbnail_file,
)
from tests.conftest import call, call_as, principal_for

HOME, AWAY = "500114001", "500114002"
SEATS = {HOME: (108.7869, 29.5251), AWAY: (108.78149, 29.52086)}


def image(fmt: str = "JPEG", size=(64, 48), colour=(200, 30, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, fmt)
    return buffer.getvalue()


def _one(settings, sql: str, **params):
    with read_session(settings.database_url) as session:
        return session.execute(text(sql), params).scalar()


def _rows(settings, sql: str, **params):
    with read_session(settings.database_url) as session:
        return session.execute(text(sql), params).all()


def _files(settings) -> list:
    root = photo_root(settings)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _incident(settings, township: str = HOME) -> int:
    lon, lat = SEATS[township]
    return call(settings, report_incident, IncidentReport(title="测试", kind="滑坡", level="Ⅳ", lon=lon, lat=lat,
                                                          occurred_at=now_utc(), reporter="test"))


@pytest.fixture
def limited(fresh):
    """The fresh database with small caps: 3 photos per record, 20 kB each, 1 megapixel."""
    return dataclasses.replace(fresh, photos=PhotoLimits(max_per_record=3, max_bytes=20_000, max_pixels=1_000_000))


def test_photos_are_stored_as_decoded_with_their_bytes_and_a_row_each(limited):
    incident = _incident(limited)
    jpeg, png, webp = image("JPEG"), image("PNG"), image("WEBP")
    stored = call(limited, attach_photos, "incident", incident,
                  [Upload("a.jpg", jpeg), Upload("named-jpeg.jpg", png), Upload("no-extension", webp)])
    assert [p.content_type for p in stored] == ["image/jpeg", "image/png", "image/webp"]  # by content, not name
    assert [(p.width_px, p.height_px) for p in stored] == [(64, 48)] * 3
    assert _one(limited, "SELECT count(*) FROM photo WHERE incident_id = :i", i=incident) == 3
    with unit_of_work(limited) as uow:
        paths = [photo_file(uow, p.id) for p in stored]
    assert [path.read_bytes() for path, _ in paths] == [jpeg, png, webp]
    assert len(_files(limited)) == 3
    assert "event.photos" in {c for (c,) in _rows(limited, "SELECT code FROM incident_event WHERE incident_id = :i",
                                                  i=incident)}


def _forged() -> dict[str, bytes]:
    noisy = io.BytesIO()  # 18 kB of noise: headers intact in the first three quarters, the scan data cut off
    Image.frombytes("RGB", (80, 80), random.Random(2).randbytes(80 * 80 * 3)).save(noisy, "JPEG", quality=90)
    jpeg = noisy.getvalue()
    assert len(jpeg) < 20_000
    gif = io.BytesIO()
    Image.new("P", (10, 10)).save(gif, "GIF")
    return {"text named .jpg": b"not an image at all, only its name says so",
            "html named .png": b"<html><script>alert(1)</script></html>",
            "truncated jpeg": jpeg[: len(jpeg) * 3 // 4],
            "jpeg magic only": b"\xff\xd8\xff\xe0" + b"\x00" * 200,
            "gif (not accepted)": gif.getvalue(),
            "empty": b""}


@pytest.mark.parametrize("case", list(_forged()))
def test_what_does_not_decode_as_an_accepted_image_is_refused_and_nothing_is_written(limited, case):
    incident = _incident(limited)
    batch = [Upload("ok.jpg", image("JPEG")), Upload("photo.jpg", _forged()[case])]  # the bad one comes second
    with pytest.raises(FieldError) as refused:
        call(limited, attach_photos, "incident", incident, batch)
    assert refused.value.field == "photos" and "2" in refused.value.reason_en and "photo.jpg" in refused.value.reason
    assert refused.value.code in ("photo.not_image", "photo.empty")
    assert _one(limited, "SELECT count(*) FROM photo") == 0 and _files(limited) == []


def test_size_pixel_and_count_caps(limited):
    incident = _incident(limited)
    noisy = Image.frombytes("RGB", (200, 200), random.Random(1).randbytes(200 * 200 * 3))  # noise: no compression
    big = io.BytesIO()
    noisy.save(big, "PNG")
    assert len(big.getvalue()) > limited.photos.max_bytes
    with pytest.raises(FieldError) as large:
        call(limited, attach_photos, "incident", incident, [Upload("big.png", big.getvalue())])
    assert large.value.code == "photo.too_large"
    with pytest.raises(FieldError) as pixels:  # small as a file, 1.44 megapixels once decoded
        call(limited, attach_photos, "incident", incident, [Upload("wide.png", image("PNG", size=(1200, 1200)))])
    assert pixels.value.code == "photo.too_many_pixels"
    call(limited, attach_photos, "incident", incident, [Upload("1.jpg", image()), Upload("2.jpg", image())])
    with pytest.raises(FieldError) as many:
        call(limited, attach_photos, "incident", incident, [Upload("3.jpg", image()), Upload("4.jpg", image())])
    assert many.value.code == "photo.too_many" and many.value.params == {"max": 3, "held": 2, "sent": 2}
    call(limited, attach_photos, "incident", incident, [Upload("3.jpg", image())])
    assert _one(limited, "SELECT count(*) FROM photo WHERE incident_id = :i", i=incident) == 3
    assert len(_files(limited)) == 3
    with pytest.raises(FieldError):
        call(limited, attach_photos, "incident", incident, [])


def test_a_unit_of_work_that_rolls_back_takes_its_files_with_it(limited):
    incident = _incident(limited)
    with pytest.raises(RuntimeError), unit_of_work(limited, write=True) as uow:
        attach_photos(uow, "incident", incident, [Upload("a.jpg", image())])
        assert len(_files(limited)) == 1  # written before the commit...
        raise RuntimeError("a later step of the same request fails")
    assert _files(limited) == [] and _one(limited, "SELECT count(*) FROM photo") == 0  # ...and gone with it


def test_township_staff_attach_and_read_photos_only_at_home(limited):
    home, away = _incident(limited, HOME), _incident(limited, AWAY)
    staff = principal_for(limited, "township", HOME)
    mine = call_as(limited, staff, attach_photos, "incident", home, [Upload("a.jpg", image())])
    with pytest.raises(Forbidden):
        call_as(limited, staff, attach_photos, "incident", away, [Upload("b.jpg", image())])
    theirs = call(limited, attach_photos, "incident", away, [Upload("c.jpg", image())])
    with pytest.raises(Forbidden):
        call_as(limited, staff, photo_file, theirs[0].id, write=False)
    with pytest.raises(Forbidden):
        call_as(limited, staff, photos_of, "incident", away, write=False)
    assert [p.id for p in call_as(limited, staff, photos_of, "incident", home, write=False)] == [mine[0].id]
    assert _one(limited, "SELECT count(*) FROM photo") == 2
    with pytest.raises(Forbidden):  # a viewer may read, not attach
        call_as(limited, principal_for(limited, "viewer"), attach_photos, "incident", home, [Upload("d.jpg", image())])


def _portrait_jpeg() -> bytes:
    """A 600 × 400 JPEG whose EXIF says the phone was held upright (orientation 6: turn 90° clockwise)."""
    picture = Image.new("RGB", (600, 400), (0, 0, 255))
    picture.paste((255, 0, 0), (0, 0, 300, 400))  # left half red: after turning, the top half
    exif = Image.Exif()
    exif[0x0112] = 6
    out = io.BytesIO()
    picture.save(out, "JPEG", exif=exif, quality=95)
    return out.getvalue()


def test_a_thumbnail_is_a_small_upright_jpeg_made_once_for_readers_only(fresh):
    incident, away = _incident(fresh, HOME), _incident(fresh, AWAY)
    clear = Image.new("RGBA", (500, 100), (0, 0, 0, 0))  # transparent PNG: white in the JPEG, not black
    png = io.BytesIO()
    clear.save(png, "PNG")
    stored = call(fresh, attach_photos, "incident", incident, [Upload("p.jpg", _portrait_jpeg()),
                                                               Upload("c.png", png.getvalue())])
    path, content_type = call(fresh, thumbnail_file, stored[0].id, write=False)
    assert content_type == "image/jpeg" and path.parent.parent.name == "thumbnails"
    with Image.open(path) as small:
        width, height = small.size  # upright, longer side 320, the aspect kept (320 × 400 / 600 = 213.3)
        assert small.format == "JPEG" and height == 320 and abs(width - 213) <= 1
        assert small.getpixel((107, 40))[0] > 200 and small.getpixel((107, 280))[2] > 200  # red above blue
    made = path.stat().st_mtime_ns
    assert call(fresh, thumbnail_file, stored[0].id, write=False) == (path, "image/jpeg")
    assert path.stat().st_mtime_ns == made  # kept, not made again
    flat, _ = call(fresh, thumbnail_file, stored[1].id, write=False)
    with Image.open(flat) as small:
        assert small.size == (320, 64) and min(small.getpixel((10, 10))) > 240
    theirs = call(fresh, attach_photos, "incident", away, [Upload("a.jpg", image())])[0].id
    staff = principal_for(fresh, "township", HOME)
    with pytest.raises(Forbidden):
        call_as(fresh, staff, thumbnail_file, theirs, write=False)
    assert not any("thumbnails" in p.parts and f"incident-{away}" in p.parts for p in _files(fresh))  # none made
    with pytest.raises(FieldError) as missing:
        call(fresh, thumbnail_file, 999_999, write=False)
    assert missing.value.status == 404

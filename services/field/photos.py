"""Photos of an incident, a patrol or a hidden danger (隐患照片), taken on a phone: checked by decoding, stored under
the instance folder.

A photo is kept only if Pillow decodes its bytes as JPEG, PNG or WebP, within the configured size and pixel caps
(``settings.photos``), and only while the record holds fewer than the cap; names and declared types count for
nothing. Every photo of an upload is checked before the first file is written, so a refused upload writes
nothing; files written in a unit of work that then rolls back are removed again. A photo's thumbnail (a small
JPEG) is made from the stored file the first time it is asked for and kept beside it.

Who may attach: incidents ``incident.report``, patrols ``hazard.patrol`` (township staff: at home); a hidden danger
``danger.report`` under its enterprise's row lock, as every change of a danger (township staff: their township's
enterprises; an enterprise's account: its own). Who may read: ``records.read`` for incidents and patrols, a danger's
readers (``supervision.read`` with the same scope) for its photos.
"""
from __future__ import annotations

import hashlib
import io
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from services.clock import as_utc
from services.db import audit
from services.db.uow import UnitOfWork
from services.dispatch.incidents import add_event
from services.errors import FieldError, NotFound
from services.field.patrols import patrol_township
from services.models import HazardPatrol, HiddenDanger, Incident, Photo
from services.supervision.risk_points import lock_enterprise, require_enterprise

FORMATS = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}
COLUMNS = {"incident": "incident_id", "patrol": "patrol_id", "danger": "danger_id"}  # record -> photo's column
RECORDS = tuple(COLUMNS)
FOLDER = "photos"
THUMBNAILS = "thumbnails"
_WRITTEN = "qj_photo_files"


class PhotoError(FieldError):
    """A photo that is not stored: not an image of an accepted type, too large, or one too many."""


@dataclass(frozen=True)
class Upload:
    """One uploaded file as the web layer received it (the name is kept for people, never trusted)."""

    filename: str
    data: bytes


@dataclass(frozen=True)
class StoredPhoto:
    id: int
    record: str          # "incident", "patrol" or "danger"
    record_id: int
    content_type: str
    size_bytes: int
    width_px: int
    height_px: int
    uploaded_at: str     # ISO 8601, UTC
    uploaded_by: str


@dataclass(frozen=True)
class CheckedPhoto:
    upload: Upload
    content_type: str
    extension: str
    width_px: int
    height_px: int


def photo_root(settings) -> Path:
    return Path(settings.instance_dir) / FOLDER


def _lock_record(uow: UnitOfWork, record: str, record_id: int) -> None:
    """Lock the record photos are added to (two uploads at once count each other's photos against the cap) and
    check that the principal may add to it."""
    if record == "danger":
        lock_enterprise(uow, _danger_enterprise(uow, record_id), "danger.report")  # as every change of a danger
        return
    township = _record_township(uow, record, record_id)
    uow.principal.require_township("incident.report" if record == "incident" else "hazard.patrol", township)


def _danger_enterprise(uow: UnitOfWork, danger_id: int) -> int:
    enterprise_id = uow.session.scalar(select(HiddenDanger.enterprise_id).where(HiddenDanger.id == danger_id))
    if enterprise_id is None:
        raise NotFound.of("danger_id", "danger.not_found", id=danger_id)
    return enterprise_id


def _record_township(uow: UnitOfWork, record: str, record_id: int) -> str:
    if record == "incident":
        # Locked: two uploads to one incident at once count each other's photos against the cap.
        code = uow.session.scalar(select(Incident.township_code).where(Incident.id == record_id).with_for_update())
        if code is None:
            raise NotFound.of("incident_id", "incident.not_found", id=record_id)
        return code
    code = patrol_township(uow, record_id)
    uow.session.execute(select(HazardPatrol.id).where(HazardPatrol.id == record_id).with_for_update())
    return code


def _column(record: str):
    return getattr(Photo, COLUMNS[record])


def _record_of(photo: Photo) -> tuple[str, int]:
    """The record a photo belongs to (the database holds exactly one of its columns set)."""
    return next((record, getattr(photo, column)) for record, column in COLUMNS.items()
                if getattr(photo, column) is not None)


def check_photo(limits, number: int, upload: Upload, field: str = "photos") -> CheckedPhoto:
    """The upload decoded (its real type and size), or a PhotoError naming the photo by number and name as ``field``."""
    name = (upload.filename or "")[:80]
    size = len(upload.data)
    if size == 0:
        raise PhotoError.of(field, "photo.empty", n=number, name=name)
    if size > limits.max_bytes:
        raise PhotoError.of(field, "photo.too_large", n=number, name=name, mb=f"{size / 1048576:.1f}",
                            max_mb=f"{limits.max_bytes / 1048576:g}")
    try:
        with Image.open(io.BytesIO(upload.data), formats=list(FORMATS)) as image:
            kind = image.format
            width, height = image.size
            if width * height > limits.max_pixels:
                raise PhotoError.of(field, "photo.too_many_pixels", n=number, name=name,
                                    megapixels=f"{width * height / 1e6:.0f}", max=f"{limits.max_pixels / 1e6:g}")
            image.load()  # decode it all: a truncated file or a forged header fails here, not later in a browser
    except PhotoError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError, EOFError):
        raise PhotoError.of(field, "photo.not_image", n=number, name=name) from None
    content_type, extension = FORMATS[kind]
    return CheckedPhoto(upload, content_type, extension, width, height)


def attach_photos(uow: UnitOfWork, record: str, record_id: int, uploads: list[Upload]) -> list[StoredPhoto]:
    """Store ``uploads`` with an incident, a patrol or a hidden danger (township staff: of their own township; an
    enterprise's account: its own dangers); all or none."""
    if record not in RECORDS:
        raise PhotoError.of("record", "photo.record_unknown")
    _lock_record(uow, record, record_id)
    limits = uow.settings.photos
    if not uploads:
        raise PhotoError.of("photos", "photo.none")
    held = uow.session.scalar(select(func.count()).select_from(Photo).where(_column(record) == record_id)) or 0
    if held + len(uploads) > limits.max_per_record:
        raise PhotoError.of("photos", "photo.too_many", max=limits.max_per_record, held=held, sent=len(uploads))
    checked = [check_photo(limits, i, upload) for i, upload in enumerate(uploads, 1)]
    folder = photo_root(uow.settings) / f"{record}-{record_id}"
    rows = []
    for photo in checked:  # written only now: every photo passed
        stored = f"{record}-{record_id}/{secrets.token_hex(12)}.{photo.extension}"
        write_photo_file(uow.session, folder.parent / stored, photo.upload.data)
        rows.append(Photo(**{_column(record).key: record_id}, stored_name=stored,
                          original_name=(photo.upload.filename or "")[:200] or None, content_type=photo.content_type,
                          size_bytes=len(photo.upload.data), width_px=photo.width_px, height_px=photo.height_px,
                          sha256=hashlib.sha256(photo.upload.data).hexdigest(), uploaded_by=uow.actor[:80]))
    uow.session.add_all(rows)
    uow.session.flush()
    audit.record(uow.session, actor=uow.actor, action="attach_photos", entity=record, entity_key=str(record_id),
                 detail={"photos": [r.id for r in rows]})
    if record == "incident":  # on the incident's timeline, so the duty view's feed shows it
        add_event(uow, record_id, "photo", "event.photos", {"n": len(rows)})
    return [_stored(r, record, record_id) for r in rows]


def write_photo_file(session: Session, path: Path, data: bytes) -> None:
    """Write a checked photo's bytes to a new file; the file is removed again if ``session`` rolls back."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)
    session.info.setdefault(_WRITTEN, []).append(path)  # removed again if the unit of work rolls back
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)


@event.listens_for(Session, "after_commit")
def _keep_files(session: Session) -> None:
    session.info.pop(_WRITTEN, None)


@event.listens_for(Session, "after_rollback")
def _remove_files(session: Session) -> None:
    for path in session.info.pop(_WRITTEN, ()):
        path.unlink(missing_ok=True)


def _stored(p: Photo, record: str, record_id: int) -> StoredPhoto:
    return StoredPhoto(id=p.id, record=record, record_id=record_id, content_type=p.content_type,
                       size_bytes=p.size_bytes, width_px=p.width_px, height_px=p.height_px,
                       uploaded_at=as_utc(p.uploaded_at).isoformat(), uploaded_by=p.uploaded_by)


def photos_of(uow: UnitOfWork, record: str, record_id: int) -> list[StoredPhoto]:
    """The photos of a record the caller may read (township staff: of their own township; an enterprise's account:
    its own dangers)."""
    if record not in RECORDS:
        raise PhotoError.of("record", "photo.record_unknown")
    _require_readable(uow, record, record_id)
    rows = uow.session.scalars(select(Photo).where(_column(record) == record_id).order_by(Photo.id)).all()
    return [_stored(p, record, record_id) for p in rows]


def _require_readable(uow: UnitOfWork, record: str, record_id: int) -> None:
    if record == "danger":
        require_enterprise(uow, _danger_enterprise(uow, record_id), "supervision.read")  # the danger's readers
        return
    uow.principal.require_township("records.read", _readable_township(uow, record, record_id))


def _readable_township(uow: UnitOfWork, record: str, record_id: int) -> str:
    if record == "incident":
        code = uow.session.scalar(select(Incident.township_code).where(Incident.id == record_id))
        if code is None:
            raise NotFound.of("incident_id", "incident.not_found", id=record_id)
        return code
    return patrol_township(uow, record_id)


def photo_file(uow: UnitOfWork, photo_id: int) -> tuple[Path, str]:
    """The file and content type of a photo, for someone who may read its incident, patrol or danger (else 403/404)."""
    photo = uow.session.get(Photo, photo_id)
    if photo is None:
        raise NotFound.of("photo_id", "photo.not_found", id=photo_id)
    _require_readable(uow, *_record_of(photo))
    path = photo_root(uow.settings) / photo.stored_name
    if not path.is_file():
        raise NotFound.of("photo_id", "photo.file_missing", id=photo_id)
    return path, photo.content_type


def thumbnail_file(uow: UnitOfWork, photo_id: int) -> tuple[Path, str]:
    """A JPEG of at most ``settings.photos.thumbnail_px`` on its longer side, for those who may read the photo.

    Made from the stored file on first request and kept under ``photos/thumbnails/``, named after the photo's
    stored name (random, never reused), so a thumbnail always belongs to the photo it is asked for.
    """
    photo = uow.session.get(Photo, photo_id)
    source, _ = photo_file(uow, photo_id)  # the same checks as the photo itself: who may read it, and that it exists
    size = uow.settings.photos.thumbnail_px
    target = photo_root(uow.settings) / THUMBNAILS / f"{Path(photo.stored_name).with_suffix('')}-{size}.jpg"
    if not target.is_file():
        _make_thumbnail(source, target, size, photo_id)
    return target, "image/jpeg"


def _make_thumbnail(source: Path, target: Path, size: int, photo_id: int) -> None:
    try:
        with Image.open(source, formats=list(FORMATS)) as image:
            image.draft("RGB", (size, size))  # a JPEG decodes at a fraction of its size: fast and small in memory
            small = ImageOps.exif_transpose(image)  # as the phone held it
            small.thumbnail((size, size))
            flat = Image.new("RGB", small.size, (255, 255, 255))
            flat.paste(small, mask=small.getchannel("A") if "A" in small.getbands() else None)
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError, EOFError):
        raise NotFound.of("photo_id", "photo.unreadable", id=photo_id) from None
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f"{target.name}.{secrets.token_hex(4)}.part")
    try:
        flat.save(partial, "JPEG", quality=80, optimize=True)
        os.replace(partial, target)  # atomic: two first requests at once both answer a whole file
    finally:
        partial.unlink(missing_ok=True)  # gone after the rename; left only by a failed write

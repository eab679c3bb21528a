"""/api/v1 endpoints of field work: patrols of hazard points, photos of incidents and patrols (and the photo files of
hidden dangers, uploaded under /api/v1/supervision/), one-tap 叫应,
and a township's field view (what the phone page at /m shows, for a township's own app).

Photos are multipart/form-data in the field ``photos`` (repeated); the body is capped before it is parsed
(photos per record × bytes per photo), and each photo is checked by decoding it (services/field/photos.py).
"""
from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint, request, send_file
from werkzeug.exceptions import RequestEntityTooLarge

from dashboard.api.models import body, parse, responds
from dashboard.api.models.field import (
    AckMine,
    PatrolAnswer,
    PatrolCreate,
    PatrolList,
    PhotoList,
    TownshipField,
)
from dashboard.api.support import app_settings, json_body, unit
from services.errors import FieldError
from services.field.patrols import PatrolReport, patrols_of, record_patrol
from services.field.photos import (
    Upload,
    attach_photos,
    photo_file,
    photos_of,
    thumbnail_file,
)

field_api = Blueprint("field_api", __name__)
MULTIPART_OVERHEAD_BYTES = 1024 * 1024  # part headers and the other fields of a form, beyond the photos


@field_api.post("/api/v1/hazards/<id:hazard_id>/patrols")
@body(PatrolCreate)
@responds(PatrolAnswer, 201, errors=(400, 403, 404, 409, 415, 503), links={"patrol_id": "id"})
def create_patrol(hazard_id: int):
    """Record a patrol (巡查) of a hazard point; ``raise_to`` raises its warning level (never lowers it)."""
    raw = json_body()
    req = parse(PatrolCreate, raw)
    with unit(write=True) as uow:
        patrol = record_patrol(uow, hazard_id, PatrolReport(state=req.state, crack_width_mm=req.crack_width_mm,
                                                            note=req.note or "", raise_to=req.raise_to))
    return asdict(patrol)


@field_api.get("/api/v1/hazards/<id:hazard_id>/patrols")
@responds(PatrolList, errors=(403, 404, 405, 503))
def patrols(hazard_id: int):
    """The newest patrols of a hazard point first, each with the ids of its photos."""
    with unit() as uow:
        return {"patrols": [asdict(p) for p in patrols_of(uow, hazard_id)]}


def received_photos() -> list[Upload]:
    """The request's photos, within the body cap; 415 when it is not multipart, 413 when it is too large."""
    limits = app_settings().photos
    cap = limits.max_per_record * limits.max_bytes + MULTIPART_OVERHEAD_BYTES
    if request.mimetype != "multipart/form-data":
        error = FieldError.of("Content-Type", "photo.not_multipart")
        error.code = "unsupported_media_type"
        raise error
    request.max_content_length = cap
    try:
        files = request.files.getlist("photos")
    except RequestEntityTooLarge:
        error = FieldError.of("photos", "photo.body_too_large", max_mb=f"{cap / 1048576:.0f}")
        error.code, error.status = "too_large", 413
        raise error from None
    return [Upload(f.filename or "", f.read()) for f in files]


def photo_answers(stored) -> list[dict]:
    """Stored photos as the API answers them: each with the address of its file (its thumbnail: + ``/thumbnail``)."""
    return [{**asdict(p), "url": f"/api/v1/photos/{p.id}"} for p in stored]


def _photos_answer(record: str, record_id: int):
    uploads = received_photos()
    with unit(write=True) as uow:
        stored = attach_photos(uow, record, record_id, uploads)
    return {"photos": photo_answers(stored)}


@field_api.post("/api/v1/incidents/<id:incident_id>/photos")
@responds(PhotoList, 201, errors=(400, 403, 404, 413, 415, 503))
def incident_photos_upload(incident_id: int):
    """Attach photos to an incident (multipart field ``photos``; JPEG, PNG or WebP, within the caps)."""
    return _photos_answer("incident", incident_id)


@field_api.get("/api/v1/incidents/<id:incident_id>/photos")
@responds(PhotoList, errors=(403, 404, 405, 503))
def incident_photos(incident_id: int):
    """The photos of an incident, with the address of each."""
    with unit() as uow:
        stored = photos_of(uow, "incident", incident_id)
    return {"photos": photo_answers(stored)}


@field_api.post("/api/v1/patrols/<id:patrol_id>/photos")
@responds(PhotoList, 201, errors=(400, 403, 404, 413, 415, 503))
def patrol_photos_upload(patrol_id: int):
    """Attach photos to a patrol (multipart field ``photos``; JPEG, PNG or WebP, within the caps)."""
    return _photos_answer("patrol", patrol_id)


@field_api.get("/api/v1/photos/<id:photo_id>")
@responds(None, media_type="image/*", errors=(403, 404, 503))
def photo(photo_id: int):
    """A photo's bytes, for those who may read its incident, patrol or hidden danger."""
    with unit() as uow:
        path, content_type = photo_file(uow, photo_id)
    return image_answer(path, content_type)


@field_api.get("/api/v1/photos/<id:photo_id>/thumbnail")
@responds(None, media_type="image/jpeg", errors=(403, 404, 503))
def photo_thumbnail(photo_id: int):
    """A photo made small (JPEG, at most 320 px on its longer side by default), for the same readers as the photo."""
    with unit() as uow:
        path, content_type = thumbnail_file(uow, photo_id)
    return image_answer(path, content_type)


def image_answer(path, content_type: str):
    """A stored image, kept by the reader's browser only (private), never sniffed as something else."""
    response = send_file(path, mimetype=content_type, conditional=False, max_age=0)
    response.headers["Cache-Control"] = "private, max-age=3600"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@field_api.post("/api/v1/warnings/<id:warning_id>/ack/mine")
@responds(AckMine, errors=(403, 404, 409, 503))
def ack_mine(warning_id: int):
    """叫应 in one tap: the signed-in township user acknowledges their own recipient row (no body needed)."""
    from services.dispatch.warnings import acknowledge_mine, warning_status
    with unit(write=True) as uow:
        recipient_id = acknowledge_mine(uow, warning_id)
        status = warning_status(uow, warning_id)
    return {"recipient_id": recipient_id, "warning": status}


@field_api.get("/api/v1/townships/<code>/field")
@responds(TownshipField, errors=(403, 404, 503))
def township_field(code: str):
    """A township's field view: outline and roads, hazard points (last patrol), shelters, warnings reaching it."""
    from services.field.township import township_view, township_warnings
    with unit() as uow:
        view = township_view(uow, code)
        warnings = township_warnings(uow, code)
    return {**asdict(view), "warnings": [asdict(w) for w in warnings]}

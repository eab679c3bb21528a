"""A photo of the hidden danger chosen in 安全监管's rectification form (隐患照片), taken or picked on a phone: stored by
services/field/photos.py, which checks the permission (danger.report, the township or the enterprise), the number
per danger, the size and that it is an image; the record panel then shows it among the danger's thumbnails."""
from __future__ import annotations

import base64
import binascii
import re

from dash import Input, Output, State, callback, dcc, html, no_update

from dashboard.state import settings
from services.db.uow import unit_of_work
from services.errors import FieldError
from services.field.photos import Upload, attach_photos
from services.text import t

PHOTO, PHOTO_MESSAGE = "safe-danger-photo", "safe-danger-photo-message"
_DATA_URL = re.compile(r"^data:[^,]*;base64,")


def photo_field(lang: str) -> html.Div:
    return html.Div([
        dcc.Upload(html.Div(t("safe.photo_upload", lang)), id=PHOTO, multiple=False, className="upload-box",
                   accept="image/jpeg,image/png,image/webp", max_size=settings().photos.max_bytes),
        html.Div(id=PHOTO_MESSAGE, role="status"),
    ], className="safe-photo")


def stand_in() -> list:
    return [dcc.Upload(id=PHOTO), html.Div(id=PHOTO_MESSAGE)]


def _decoded(contents) -> bytes:
    if not isinstance(contents, str) or not _DATA_URL.match(contents):
        raise FieldError.of("photo", "safe.photo_bad")
    try:
        return base64.b64decode(contents.split(",", 1)[1], validate=True)
    except (binascii.Error, ValueError):
        raise FieldError.of("photo", "safe.photo_bad") from None


def register(danger: str, version: str, lang_store: str, refusal) -> None:
    @callback(Output(PHOTO_MESSAGE, "children"), Output(version, "data", allow_duplicate=True),
              Input(PHOTO, "contents"), State(PHOTO, "filename"), State(danger, "value"), State(version, "data"),
              State(lang_store, "data"), prevent_initial_call=True)
    def _photo(contents, filename, danger_id, version_now, lang):
        if not contents:
            return no_update, no_update
        try:
            if not danger_id:
                raise FieldError.of("danger_id", "supervision.required")
            data = _decoded(contents)
            with unit_of_work(settings(), write=True) as uow:
                stored = attach_photos(uow, "danger", int(danger_id), [Upload(str(filename or "photo")[:200], data)])
        except FieldError as exc:
            return refusal(exc, lang), no_update
        return html.Span(t("safe.photo_saved", lang, n=len(stored)), className="ok"), (version_now or 0) + 1

"""Request bodies of the field API: a patrol of a hazard point (巡查). Photos come as multipart, not JSON."""
from __future__ import annotations

from typing import Literal

from pydantic import Field

from dashboard.api.models import Request, Text
from services import vocabulary
from services.field.patrols import MAX_CRACK_MM, MAX_NOTE_CHARS


class PatrolCreate(Request):
    state: Literal[vocabulary.PATROL_STATES]  # type: ignore[valid-type]
    crack_width_mm: float | None = Field(default=None, ge=0, le=MAX_CRACK_MM, allow_inf_nan=False)
    note: Text(MAX_NOTE_CHARS) | None = None
    # A warning level above the point's present one (only a patrol that found more than 正常 may raise it).
    raise_to: Literal[vocabulary.WARNING_COLOUR_LEVELS] | None = None  # type: ignore[valid-type]


# Answers

from dashboard.api.models import Number, Reply, Timestamp  # noqa: E402 — answers after the requests
from dashboard.api.models.dispatch import WarningDetail  # noqa: E402


class PatrolAnswer(Reply):
    id: int
    hazard_id: int
    at: Timestamp
    actor: str
    state: str
    crack_width_mm: Number | None
    note: str | None
    level_before: str
    raised_to: str | None
    level_now: str
    photo_ids: list[int]


class PatrolList(Reply):
    patrols: list[PatrolAnswer]


class PhotoAnswer(Reply):
    id: int
    record: str
    record_id: int
    content_type: str
    size_bytes: int
    width_px: int
    height_px: int
    uploaded_at: Timestamp
    uploaded_by: str
    url: str


class PhotoList(Reply):
    photos: list[PhotoAnswer]


class AckMine(Reply):
    recipient_id: int
    warning: WarningDetail


class HazardRowAnswer(Reply):
    id: int
    code: str
    name: str
    hazard_type: str
    warning_level: str
    village: str | None
    lon: Number
    lat: Number
    last_patrol_at: Timestamp | None


class ShelterRowAnswer(Reply):
    id: int
    name: str
    status: str
    capacity_people: int
    occupancy_people: int
    available_places: int
    lon: Number
    lat: Number


class WarningRowAnswer(Reply):
    id: int
    level: str
    hazard_type: str
    headline: str
    area_description: str
    valid_until: Timestamp
    acknowledged: int
    recipients_total: int
    recipient_id: int | None
    acknowledged_at: Timestamp | None


class TownshipField(Reply):
    code: str
    name: str
    name_en: str
    outline: dict  # a GeoJSON geometry
    roads: list[list[list[Number]]]
    hazards: list[HazardRowAnswer]
    shelters: list[ShelterRowAnswer]
    warnings: list[WarningRowAnswer]

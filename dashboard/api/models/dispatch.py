"""Request bodies of the dispatch API: incidents, their status, orders, warnings and 叫应."""
from __future__ import annotations

from typing import Literal

from pydantic import Field

from dashboard.api.models import Latitude, Longitude, RecordId, Request, Text, When
from services import vocabulary

Count = Field(default=0, ge=0, le=1_000_000)


class IncidentCreate(Request):
    title: Text(200, min_length=1)
    kind: Literal[vocabulary.INCIDENT_KINDS]  # type: ignore[valid-type]
    level: Literal[vocabulary.INCIDENT_LEVELS]  # type: ignore[valid-type]
    lon: Longitude
    lat: Latitude
    occurred_at: When | None = None  # ISO 8601; without an offset it is the deployment's local time
    reporter: Text(80) | None = None
    dead: int = Count
    injured: int = Count
    missing: int = Count
    people_affected: int = Count
    description: Text(4000) | None = None
    actor: Text(80) | None = None


class StatusChange(Request):
    status: Text(10, min_length=1)
    note: Text(500) | None = None
    actor: Text(80) | None = None


class OrderCreate(Request):
    incident_id: RecordId
    team_id: RecordId
    actor: Text(80) | None = None


class Recipient(Request):
    name: Text(80, min_length=1)
    role: Text(40) | None = None
    phone: Text(30) | None = None


class WarningCreate(Request):
    level: Literal[vocabulary.WARNING_COLOUR_LEVELS]  # type: ignore[valid-type]
    hazard_type: Text(20, min_length=1)
    headline: Text(200, min_length=1)
    valid_hours: float = Field(default=24.0, gt=0, le=720, allow_inf_nan=False)
    townships: list[Text(9)] = Field(default_factory=list, max_length=100)
    hazard_ids: list[RecordId] = Field(default_factory=list, max_length=1000)
    polygon: dict | None = None
    recipients: list[Recipient] = Field(default_factory=list, max_length=500)
    include_hazard_monitors: bool = True
    ack_timeout_min: int = Field(default=15, ge=1, le=1440)
    actor: Text(80) | None = None


class Acknowledge(Request):
    recipient_id: RecordId
    actor: Text(80) | None = None


class ActorOnly(Request):
    actor: Text(80) | None = None

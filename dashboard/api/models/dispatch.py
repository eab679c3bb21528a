"""Request and response models of the dispatch API: incidents, their status, orders, warnings and 叫应."""
from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from dashboard.api.models import (
    Latitude,
    Longitude,
    Number,
    RecordId,
    Reply,
    Request,
    Text,
    Timestamp,
    When,
)
from dashboard.api.models.geojson import Geometry
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


class StatusChange(Request):
    status: Text(10, min_length=1)
    note: Text(500) | None = None


class OrderCreate(Request):
    incident_id: RecordId
    team_id: RecordId


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


class Acknowledge(Request):
    recipient_id: RecordId


class EmptyBody(Request):
    """A body that names nothing: ``{}`` (who acts is the signed-in user, never a field)."""


class IncidentsQuery(Request):
    active: Literal["0", "1"] = "0"  # 1: only incidents not yet closed (已结束)


class EventsQuery(Request):
    since: int = Field(default=0, ge=0, le=2**62)  # the change number of the last event seen (``last_id``)


class FeedQuery(Request):
    kinds: Text(100) | None = None  # comma-separated: incident, patrol, warning, ack, closure, move (default: all)
    limit: int = Field(default=50, ge=1, le=200)


class CapImportQuery(Request):
    recipient: list[Text(80, min_length=1)] = Field(default_factory=list, max_length=500)  # names, each 责任人


# Answers


class TimelineEntry(Reply):
    """One line of an incident's timeline; ``code`` and ``params`` render it from the text catalogue."""

    at: Timestamp
    actor: str
    kind: str
    text: str = None
    text_en: str | None = None  # the same line in English
    code: str | None = None
    params: dict[str, Any] | None = None


class FeedEvent(TimelineEntry):
    """A line in the change feed with its change number: an incident's timeline line (``incident_id``) or a patrol
    of a hazard point (``patrol_id``; the point, township, finding, crack width and level raised in ``params``)."""

    id: int
    seq: int | None  # the change number (commit order)
    incident_id: int | None
    patrol_id: int | None = None


class DutyFeedLine(Reply):
    """A line of the duty feed, newest first: an incident's timeline, a patrol, a warning issued or lifted, a 叫应
    (or an overdue or escalated one: ``alarm``), a road closure or its lifting, an evacuation move."""

    at: Timestamp
    kind: str
    actor: str
    code: str
    params: dict[str, Any]
    alarm: bool
    incident_id: int | None
    warning_id: int | None
    text: str
    text_en: str


class DutyFeed(Reply):
    lines: list[DutyFeedLine]


class EventFeed(Reply):
    events: list[FeedEvent]
    last_id: int  # pass as ``since`` to get the events after these


class OrderLine(Reply):
    id: int
    team: str
    team_id: int
    status: str
    eta_s: Number | None


class IncidentSummary(Reply):
    id: int
    title: str
    kind: str
    level: str
    status: str
    township_code: str
    occurred_at: Timestamp
    lon: float
    lat: float


class IncidentList(Reply):
    incidents: list[IncidentSummary]


class IncidentDetail(Reply):
    id: int
    title: str
    category: str
    kind: str
    level: str
    status: str
    occurred_at: Timestamp
    reporter: str
    lon: float
    lat: float
    township_code: str
    dead: int
    injured: int
    missing: int
    people_affected: int
    description: str | None
    orders: list[OrderLine]
    timeline: list[TimelineEntry]


class OrderState(Reply):
    id: int
    status: str


class TeamChoice(Reply):
    team_id: int
    name: str
    kind: str
    members: int
    specialty_match: bool
    fit: str  # specialist (the incident's specialty), general (general rescue) or other
    travel_s: int | None  # null: no road reaches the incident
    reason: str  # why the team stands where it does (Chinese), e.g. a specialist above a nearer team
    reason_en: str


class DepotChoice(Reply):
    depot_id: int
    name: str
    vehicles_available: int
    travel_s: int | None


class Recommendations(Reply):
    """Teams and depots nearest the incident by road time, the teams of a matching speciality first."""

    teams: list[TeamChoice]
    depots: list[DepotChoice]


class WarningSummary(Reply):
    id: int
    level: str
    hazard_type: str
    headline: str
    area_description: str
    issued_at: Timestamp
    valid_until: Timestamp
    issued_by: str
    active: bool
    lifted_at: Timestamp | None
    acknowledged: int
    recipients_total: int
    escalated: int


class WarningList(Reply):
    warnings: list[WarningSummary]


class RecipientState(Reply):
    id: int
    name: str
    role: str
    phone: str | None
    acknowledged_at: Timestamp | None
    state: Literal["acknowledged", "waiting", "escalated"]


class WarningDetail(WarningSummary):
    recipients: list[RecipientState]
    area: Geometry | None


class RecipientMessage(Reply):
    """What one recipient is sent: the message and the personal 叫应 link in it (services/dispatch/ack_links.py)."""

    recipient_id: int
    name: str
    phone: str | None
    link: str
    text: str
    acknowledged: bool


class WarningMessages(Reply):
    messages: list[RecipientMessage]


class HandoverCreate(Request):
    """交接班: the note a duty officer leaves for the next (what is open, what to watch); lines allowed."""

    note: Text(4000, min_length=1)


class Handover(Reply):
    id: int
    written_at: Timestamp
    author: str
    note: str
    read_at: Timestamp | None
    read_by: str | None


class HandoverLatest(Reply):
    """The newest handover note (read or not), or null when none was ever left."""

    handover: Handover | None

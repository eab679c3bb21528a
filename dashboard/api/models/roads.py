"""Request and response models of the road API: closures, travel-time matrices, one route, supply routes and
isochrones."""
from __future__ import annotations

from typing import Annotated

from pydantic import Field, StrictBool

from dashboard.api.models import MAX_ID, CodedReason, Latitude, Longitude, Number, RecordId, Reply, Request, Text, Timestamp
from dashboard.api.models.geojson import Geometry, LineString

Point = tuple[Longitude, Latitude]
MAX_POINTS = 5000
KeyId = Annotated[int, Field(ge=1, le=MAX_ID)]  # a record id written as a JSON object's key ("12")


class BlockCreate(Request):
    """A road closure: at the road nearest a clicked ``point``, or every road crossing a drawn ``area``."""

    point: Point | None = None
    area: dict | None = None  # GeoJSON polygon (or a circle: a Point with properties.radius)
    reason: Text(200) | None = None


class MatrixRequest(Request):
    sources: list[Point] = Field(min_length=1, max_length=MAX_POINTS)
    targets: list[Point] = Field(min_length=1, max_length=MAX_POINTS)
    hazard_blocks: StrictBool = False


class RouteRequest(Request):
    start: Point = Field(alias="from")
    to: Point
    hazard_blocks: StrictBool = False


class Demand(Request):
    kg: float = Field(default=0, ge=0, le=1e9, allow_inf_nan=False)
    m3: float = Field(default=0, ge=0, le=1e7, allow_inf_nan=False)


class PlanRequest(Request):
    """Vehicle routes from depots to shelters; empty id lists mean every shelter, depot or truck that applies."""

    shelter_ids: list[RecordId] = Field(default_factory=list, max_length=MAX_POINTS)
    depot_ids: list[RecordId] = Field(default_factory=list, max_length=MAX_POINTS)
    vehicle_ids: list[RecordId] = Field(default_factory=list, max_length=MAX_POINTS)
    days: int = Field(default=1, ge=1, le=30, strict=True)
    demands: dict[KeyId, Demand] = Field(default_factory=dict, max_length=MAX_POINTS)
    shift_hours: float = Field(default=8.0, ge=1, le=24, allow_inf_nan=False)
    seconds: float = Field(default=5.0, ge=0.5, le=60, allow_inf_nan=False)  # the solver's time limit
    hazard_blocks: StrictBool = False
    critical_within_hours: float | None = Field(default=4.0, ge=0, le=720, allow_inf_nan=False)
    latest_arrival_min: dict[KeyId, Annotated[float, Field(ge=0, le=100_000, allow_inf_nan=False)]] = \
        Field(default_factory=dict, max_length=MAX_POINTS)


class IsochroneQuery(Request):
    lon: Longitude
    lat: Latitude
    minutes: Text(100, min_length=1) = "15,30,60"  # 1 to 6 comma-separated minutes, each in (0, 240]
    hazard_blocks: bool = False


# Answers


class Block(Reply):
    """A road closure: one road segment (``segment``) or the roads crossing an area (``area``)."""

    id: int
    kind: str
    reason: str
    actor: str
    created_at: Timestamp
    geometry: Geometry


class BlockList(Reply):
    blocks: list[Block]


class Lifted(Reply):
    lifted: int  # the closure's id


class TravelMatrix(Reply):
    """Rows are sources, columns targets; null where a target cannot be reached."""

    seconds: list[list[float | None]]
    metres: list[list[float | None]]
    blocked_edges: int
    synthetic_network: bool


class Route(Reply):
    geometry: LineString
    seconds: float
    metres: float
    via: list[str]  # the roads it follows, by name
    blocked_edges: int
    synthetic_network: bool


class LoadLine(Reply):
    code: str
    name: str
    unit: str
    quantity: Number
    critical: bool = False  # ★ water, food, medicine (listed first)


class Stop(Reply):
    shelter_id: int
    name: str
    kg: Number
    m3: Number
    eta_s: int
    latest_s: int | None  # the time window's end, when the shelter's needs are critical
    late: bool
    critical: bool
    items: list[LoadLine]
    trip: int = 1                   # the vehicle's trip (it reloads at its depot between trips)
    wave: int = 1                   # 1: critical items (or the whole demand); 2: the rest, after them
    ready_s: int | None = None      # unloading starts no earlier: after the shelter's critical items
    wait_s: int = 0
    split: CodedReason | None = None  # why the shelter gets more than one load
    split_text: str | None = None
    split_text_en: str | None = None
    roads: list[str] = []           # roads followed from the previous stop or the depot, in order
    contact_person: str | None = None
    contact_phone: str | None = None


class VehicleRoute(Reply):
    plate: str
    kind: str
    depot: str
    stops: list[Stop]
    kg: Number
    distance_m: Number
    duration_s: Number
    geometry: LineString
    driver_name: str | None = None
    driver_phone: str | None = None
    trips: int = 1


class TruckChange(Reply):
    """What a re-plan changed for one vehicle."""

    plate: str
    status: str  # same, changed, new, dropped
    added: list[str]
    removed: list[str]
    duration_change_s: int


class Unserved(Reply):
    shelter_id: int
    name: str
    kg: Number
    reason: str
    reason_en: str | None = None
    reason_code: CodedReason | None = None


class SupplyTotals(Reply):
    distance_m: Number
    duration_s: Number
    kg: Number


class SupplyPlan(Reply):
    """Vehicle routes from depots to shelters: stops with loads and arrival times, and the shelters unserved."""

    feasible: bool
    synthetic_network: bool
    vehicles: list[VehicleRoute]
    unserved: list[Unserved]
    totals: SupplyTotals
    changes: list[TruckChange] | None = None  # against the previous plan, when re-planned from one

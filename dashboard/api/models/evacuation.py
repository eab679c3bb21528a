"""Request and response models of the evacuation and supply API: capacity, 五有 coverage, the needs profile,
a shelter's head count, people moved from the field, and evacuation plans."""
from __future__ import annotations

from typing import Any, Literal

from pydantic import ConfigDict, Field, StrictBool

from dashboard.api.models import CodedReason, Number, RecordId, Reply, Request, Text, Timestamp
from services import vocabulary
from services.evacuation.moves import MAX_OCCUPANCY, MAX_PEOPLE_PER_MOVE
from services.text import t
from services.vocabulary import FIVE_HAVES


class PrintoutQuery(Request):
    """A saved plan on paper: its texts and township names in ``lang``."""

    lang: Literal["zh", "en"] = "zh"


class OccupancySet(Request):
    occupancy_people: int = Field(ge=0, le=MAX_OCCUPANCY, strict=True)


class MoveCreate(Request):
    """People moved away from a hazard point, and housed in a shelter if they arrived at one."""

    hazard_id: RecordId
    people: int = Field(ge=1, le=MAX_PEOPLE_PER_MOVE, strict=True)
    shelter_id: RecordId | None = None


class Need(Request):
    """One need of the 五有 profile: an amount per person per day, per person, or one unit per N people."""

    model_config = {**Request.model_config, "extra": "allow"}  # label, unit and notes travel with the need
    key: Text(40, min_length=1)
    have: Literal[FIVE_HAVES]  # type: ignore[valid-type]
    basis: Literal["person_day", "person", "people_per_unit"]
    amount: float = Field(gt=0, le=1_000_000, allow_inf_nan=False)
    items: dict[Text(40), float] = Field(min_length=1, max_length=20)


class ProfileSave(Request):
    needs: list[Need] = Field(min_length=1, max_length=100)
    note: Text(200) | None = None

    def entries(self) -> list[dict[str, Any]]:
        return [n.model_dump() for n in self.needs]


class ScenarioBody(Request):
    """An evacuation scenario: which hazard points move (empty lists: all), to shelters within a travel time."""

    name: Text(100) = t("plan.title")  # as services/evacuation/scenario.py names a plan
    hazard_types: list[Literal[vocabulary.HAZARD_TYPES]] = Field(default_factory=list)  # type: ignore[valid-type]
    warning_levels: list[Literal[vocabulary.WARNING_LEVELS]] = Field(default_factory=list)  # type: ignore[valid-type]
    townships: list[Text(9)] = Field(default_factory=list, max_length=100)  # official township codes
    area: dict | None = None  # GeoJSON polygon drawn on the map (or a circle: a Point with properties.radius)
    max_travel_min: float = Field(default=60.0, ge=1, le=600, allow_inf_nan=False)
    exclude_unsafe: StrictBool = False
    block_hazard_roads: StrictBool = False


# Answers


class ShelterState(Reply):
    """A shelter's places now: capacity, people housed, places blocked, free places, and why it may be unsafe."""

    id: int
    code: str
    name: str
    township_code: str
    township_name: str
    shelter_type: str
    status: str
    capacity_people: int
    occupancy_people: int
    blocked_places: int
    available_places: int
    occupancy_class: str
    lon: float
    lat: float
    unsafe_reasons: list[str]
    unsafe_reasons_en: list[str] = []
    unsafe_codes: list[CodedReason] = []


class TownshipPlaces(Reply):
    code: str
    name: str
    shelters: int
    capacity_people: int
    occupancy_people: int
    available_places: int
    blocked_places: int = 0


class Capacity(Reply):
    """Shelter places against the evacuation target, per shelter and per township."""

    target_people: int
    exclude_unsafe: bool
    shelters_counted: int
    capacity_people: int
    occupancy_people: int
    blocked_places: int
    available_places: int
    meets_target: bool
    shortfall_people: int
    shelters: list[ShelterState]
    townships: list[TownshipPlaces]


class Shortfall(Reply):
    """What to procure for one need: the catalogue item and how much of it."""

    code: str
    name: str
    unit: str
    quantity: Number
    weight_kg: Number
    volume_m3: Number


class NeedCoverage(Reply):
    key: str
    label: str
    have: str
    required: Number  # in the need's unit
    available: Number
    coverage: Number  # available / required, not capped
    days_of_autonomy: Number | None
    shortfall: list[Shortfall]


class Coverage(Reply):
    """五有 coverage of the stock: per 有 (worst need, capped at 1) and per need."""

    people: int
    days: int
    profile_version: int
    as_of: str  # the day (YYYY-MM-DD) stock expiry is judged on
    by_have: dict[str, Number]
    needs: list[NeedCoverage]
    guaranteed: bool


class ProfileNeed(Reply):
    """A need of the saved profile, as it was saved (label, unit and notes travel with it)."""

    model_config = ConfigDict(extra="allow")
    key: str
    have: str
    basis: str
    amount: Number
    items: dict[str, Number]


class Profile(Reply):
    version: int  # 0: the built-in default
    needs: list[ProfileNeed]


class ProfileVersion(Reply):
    version: int


class Moves(Reply):
    moved: int  # people moved away from hazard points, in all
    housed_by_moves: int  # of them, people recorded as arriving in a shelter


class HazardProgress(Reply):
    hazard_id: int
    name: str
    threatened: int
    moved: int


class Progress(Reply):
    hazards: list[HazardProgress]
    totals: Moves


class PlanScenario(Reply):
    name: str
    hazard_types: list[str]
    warning_levels: list[str]
    townships: list[str]
    area: dict[str, Any] | None  # GeoJSON
    max_travel_min: Number
    exclude_unsafe: bool
    block_hazard_roads: bool
    hazard_ids: list[int] = []  # a plan for these hazard points only (a confirmed warning proposal's); empty: all


class PlanNetwork(Reply):
    synthetic: bool
    nodes: int
    edges: int
    blocked_edges: int


class PlanTotals(Reply):
    demand_points: int
    people: int
    assigned: int
    unmet: int
    max_travel_s: int | None
    mean_travel_s: int | None


class Assignment(Reply):
    shelter_id: int
    shelter_name: str
    people: int
    travel_s: int
    to: list[float]  # [lon, lat]
    route: list[list[float]] | None  # [lon, lat] pairs along the roads
    via: list[str]


class PlanDemand(Reply):
    id: int
    name: str
    township_code: str | None = None
    township_name: str
    lon: float
    lat: float
    people: int
    assigned: list[Assignment]
    unmet: int
    unmet_reason: str | None
    unmet_reason_en: str | None = None
    unmet_code: CodedReason | None = None


class PlanShelter(Reply):
    id: int
    name: str
    township_code: str | None = None
    township_name: str
    lon: float
    lat: float
    available_before: int
    arrivals: int
    remaining: int


class Plan(Reply):
    """An evacuation plan: who moves from which hazard point to which shelter, by which road."""

    id: int
    scenario: PlanScenario
    road_network: PlanNetwork
    objective: str
    totals: PlanTotals
    demand: list[PlanDemand]
    shelters: list[PlanShelter]


class SavedPlan(Plan):
    name: str
    created_at: Timestamp
    actor: str


class PlanListed(Reply):
    id: int
    name: str
    created_at: Timestamp
    actor: str
    people: int
    assigned: int


class PlanList(Reply):
    plans: list[PlanListed]

"""Request bodies of the evacuation API: a shelter's head count, people moved from the field, the needs profile."""
from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, StrictBool

from dashboard.api.models import RecordId, Request, Text
from services import vocabulary
from services.evacuation.moves import MAX_OCCUPANCY, MAX_PEOPLE_PER_MOVE
from services.vocabulary import FIVE_HAVES


class OccupancySet(Request):
    occupancy_people: int = Field(ge=0, le=MAX_OCCUPANCY, strict=True)
    actor: Text(80) | None = None


class MoveCreate(Request):
    """People moved away from a hazard point, and housed in a shelter if they arrived at one."""

    hazard_id: RecordId
    people: int = Field(ge=1, le=MAX_PEOPLE_PER_MOVE, strict=True)
    shelter_id: RecordId | None = None
    actor: Text(80) | None = None


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
    actor: Text(80) | None = None

    def entries(self) -> list[dict[str, Any]]:
        return [n.model_dump() for n in self.needs]


class ScenarioBody(Request):
    """An evacuation scenario: which hazard points move (empty lists: all), to shelters within a travel time."""

    name: Text(100) = "疏散方案"
    hazard_types: list[Literal[vocabulary.HAZARD_TYPES]] = Field(default_factory=list)  # type: ignore[valid-type]
    warning_levels: list[Literal[vocabulary.WARNING_LEVELS]] = Field(default_factory=list)  # type: ignore[valid-type]
    townships: list[Text(9)] = Field(default_factory=list, max_length=100)  # official township codes
    area: dict | None = None  # GeoJSON polygon drawn on the map (or a circle: a Point with properties.radius)
    max_travel_min: float = Field(default=60.0, ge=1, le=600, allow_inf_nan=False)
    exclude_unsafe: StrictBool = False
    block_hazard_roads: StrictBool = False
    actor: Text(80) | None = None

"""Request bodies of the evacuation API: a shelter's head count, people moved from the field, the needs profile."""
from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from dashboard.api.models import RecordId, Request, Text
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

"""Shelter capacity (GB 21734-2008: more than 1.5 m² of living area per person) and occupancy classes."""
from __future__ import annotations

import math

from services import vocabulary

DEFAULT_AREA_PER_PERSON_M2 = 1.5
NEARLY_FULL_SHARE = 0.9  # at or above 90 % of capacity used, a shelter is shown as nearly full

OCCUPANCY_CLASSES = ("open", "nearly_full", "full", "closed")


def capacity_people(declared_people: int | None, effective_area_m2: float,
                    area_per_person_m2: float = DEFAULT_AREA_PER_PERSON_M2) -> int:
    """Declared capacity when given, else effective area ÷ living area per person, rounded down."""
    if declared_people is not None:
        return int(declared_people)
    return int(math.floor(effective_area_m2 / area_per_person_m2 + 1e-9))


def available_places(capacity: int, occupancy_people: int, blocked_places: int, status: str | None = None) -> int:
    """Places still free: capacity − occupancy − blocked, never below zero; a closed shelter has none."""
    if status == vocabulary.SHELTER_CLOSED:
        return 0
    return max(0, capacity - occupancy_people - blocked_places)


def occupancy_class(status: str, capacity: int, occupancy_people: int, blocked_places: int) -> str:
    """open (with room) / nearly_full / full / closed, for map colours and filters."""
    if status == vocabulary.SHELTER_CLOSED:
        return "closed"
    free = available_places(capacity, occupancy_people, blocked_places)
    if status == vocabulary.SHELTER_FULL or free == 0:
        return "full"
    if capacity and (capacity - free) / capacity >= NEARLY_FULL_SHARE:
        return "nearly_full"
    return "open"


def shelter_capacity(settings, declared_people: int | None, effective_area_m2: float, shelter_type: str) -> int:
    """A shelter's capacity under the deployment's rules (living area per person, per shelter type)."""
    rules = settings.evacuation
    per_person = float(rules.area_per_person_by_type.get(shelter_type, rules.area_per_person_m2))
    return capacity_people(declared_people, effective_area_m2, per_person)


def capacity_sql(settings):
    """The same capacity rule as ``shelter_capacity``, as a SQL expression over the shelter table.

    Counters change in the database (``UPDATE … WHERE <free places> >= :n``), so the rule must be one the
    database can evaluate; ``tests/services/test_occupancy.py`` checks both agree shelter by shelter.
    """
    from sqlalchemy import Integer, case, cast, func

    from services.models import Shelter
    rules = settings.evacuation
    per_person = case({k: float(v) for k, v in rules.area_per_person_by_type.items()}, value=Shelter.shelter_type,
                      else_=float(rules.area_per_person_m2)) if rules.area_per_person_by_type \
        else float(rules.area_per_person_m2)
    by_area = cast(func.floor(Shelter.effective_area_m2 / per_person + 1e-9), Integer)
    return func.coalesce(Shelter.declared_capacity_people, by_area)


def free_places_sql(settings):
    """Places still free in a shelter (capacity − occupancy − blocked), as a SQL expression (may be negative)."""
    from services.models import Shelter
    return capacity_sql(settings) - Shelter.occupancy_people - Shelter.blocked_places

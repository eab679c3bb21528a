"""An evacuation scenario (疏散情景): which hazard points' people move, within which travel time; checked once.

Refusals are coded (``ScenarioError.of(field, code, **params)``); the catalogue gives their text.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

import shapely

from services import vocabulary
from services.errors import FieldError
from services.map.area import polygon_from_geojson
from services.text import t

MAX_TRAVEL_RANGE_MIN = (1, 600)


class ScenarioError(FieldError):
    """A scenario that cannot be planned."""


@dataclass
class Scenario:
    name: str = field(default_factory=lambda: t("plan.title"))
    hazard_types: list[str] = field(default_factory=list)     # empty: all types
    warning_levels: list[str] = field(default_factory=list)   # empty: all levels
    townships: list[str] = field(default_factory=list)        # township codes; empty: the whole district
    area: dict | None = None                                  # GeoJSON polygon drawn on the map
    max_travel_min: float = 60.0
    exclude_unsafe: bool = False
    block_hazard_roads: bool = False  # close roads in the zones of red/orange-warning hazard points
    hazard_ids: list[int] = field(default_factory=list)      # these hazard points only; empty: all (a confirmed
                                                              # warning proposal plans for its point)

    @classmethod
    def from_json(cls, body: dict, known_townships: set[str]) -> Scenario:
        """The scenario of a request body (or a page's form), every field checked; raises ScenarioError."""
        if not isinstance(body, dict):
            raise ScenarioError.of("body", "body.not_object")
        unknown = sorted(set(body) - set(cls.__dataclass_fields__) - {"actor"})
        if unknown:
            raise ScenarioError.of(unknown[0], "scenario.unknown_field", name=unknown[0])
        s = cls(**{k: body[k] for k in cls.__dataclass_fields__ if k in body})
        for name, allowed in (("hazard_types", vocabulary.HAZARD_TYPES), ("warning_levels", vocabulary.WARNING_LEVELS),
                              ("townships", tuple(known_townships))):
            if not isinstance(getattr(s, name), list):
                raise ScenarioError.of(name, "scenario.not_list", name=name)
            bad = [v for v in getattr(s, name) if v not in allowed]
            if bad:
                raise ScenarioError.of(name, "scenario.value", value=bad[0], name=name)
        if not isinstance(s.hazard_ids, list) or \
                any(isinstance(v, bool) or not isinstance(v, int) or v < 1 for v in s.hazard_ids):
            raise ScenarioError.of("hazard_ids", "scenario.not_list", name="hazard_ids")
        try:
            s.max_travel_min = float(s.max_travel_min)
        except (TypeError, ValueError):
            s.max_travel_min = -1
        low, high = MAX_TRAVEL_RANGE_MIN
        if not low <= s.max_travel_min <= high:
            raise ScenarioError.of("max_travel_min", "scenario.max_travel", low=low, high=high)
        if not isinstance(s.name, str) or not isinstance(s.exclude_unsafe, bool) or \
                not isinstance(s.block_hazard_roads, bool):
            raise ScenarioError.of("name", "scenario.types")
        if s.area is not None:
            area = polygon_from_geojson(s.area, "area", ScenarioError)
            s.area = json.loads(shapely.to_geojson(area))  # a circle (point + radius) becomes its polygon
        return s

    @classmethod
    def saved(cls, data: dict) -> Scenario:
        """A scenario as a saved plan stored it (already checked when it was planned)."""
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})

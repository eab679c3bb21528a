"""Request and response models of the coverage and siting analysis: /api/v1/analysis/coverage and /analysis/siting."""
from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, StrictBool
from pydantic_core import PydanticCustomError

from dashboard.api.models import Latitude, Longitude, Reply, Request, Text
from geo.facilities import MODES
from services import vocabulary
from services.analysis.coverage import CoverageQuery
from services.analysis.places import DEMAND_KINDS, FACILITIES
from services.analysis.siting import SOURCES, SitingQuery

TownshipCode = Annotated[str, Field(pattern=r"^[0-9]{9}$", description="official 9-digit township code")]
HazardType = Literal[vocabulary.HAZARD_TYPES]  # type: ignore[valid-type]


def _comma_list(allowed: tuple[str, ...] | None, pattern: str | None = None):
    """A comma-separated query value, checked item by item, as a tuple (empty text: none)."""
    def split(text: str | None) -> tuple[str, ...]:
        items = tuple(v.strip() for v in (text or "").split(",") if v.strip())
        for v in items:
            if (allowed is not None and v not in allowed) or (pattern and not re.fullmatch(pattern, v)):
                raise PydanticCustomError("list_value", "'{value}' is not allowed", {"value": v})
        return items
    return AfterValidator(split)


class CoverageParams(Request):
    """Which demand points: comma-separated townships, hazard types and kinds (empty: all)."""

    townships: Annotated[Text(1000) | None, _comma_list(None, r"[0-9]{9}")] = Field(
        default=None, description="comma-separated 9-digit township codes (empty: the whole district)")
    hazard_types: Annotated[Text(200) | None, _comma_list(vocabulary.HAZARD_TYPES)] = Field(
        default=None, description=f"comma-separated hazard types, of: {', '.join(vocabulary.HAZARD_TYPES)}")
    kinds: Annotated[Text(40) | None, _comma_list(DEMAND_KINDS)] = Field(
        default=None, description="comma-separated demand kinds, of: hazard, village (empty: both)")
    hazard_blocks: bool = False  # also close the roads in the zones of red and orange warnings

    def query(self) -> CoverageQuery:
        return CoverageQuery(self.townships or (), self.hazard_types or (), self.kinds or DEMAND_KINDS,
                             self.hazard_blocks)


class SitingBody(Request):
    """K new sites for a facility kind, from candidates, maximising coverage within ``minutes`` or by p-median."""

    facility: Literal[FACILITIES] = "shelter"  # type: ignore[valid-type]
    k: int = Field(default=3, ge=1, le=20, strict=True)
    minutes: float = Field(default=30.0, ge=1, le=180, allow_inf_nan=False)
    objective: Literal["coverage", "p-median"] = "coverage"
    mode: Literal[MODES] = "drive"  # type: ignore[valid-type]
    townships: list[TownshipCode] = Field(default_factory=list, max_length=100)
    hazard_types: list[HazardType] = Field(default_factory=list, max_length=20)
    candidates: list[Literal[SOURCES]] = Field(default=["seats", "villages"], min_length=1, max_length=4)  # type: ignore[valid-type]
    points: list[tuple[Longitude, Latitude]] = Field(default_factory=list, max_length=500)
    grid_spacing_m: float = Field(default=2000.0, ge=500, le=20000, allow_inf_nan=False)
    capacity_people: int | None = Field(default=None, ge=1, le=1_000_000, strict=True)
    hazard_blocks: StrictBool = False
    time_limit_s: float = Field(default=20.0, ge=1, le=60, allow_inf_nan=False)

    def query(self) -> SitingQuery:
        return SitingQuery(self.facility, self.k, self.minutes, self.objective, self.mode, tuple(self.townships),
                           tuple(self.hazard_types), tuple(dict.fromkeys(self.candidates)),
                           tuple((float(lon), float(lat)) for lon, lat in self.points), self.grid_spacing_m,
                           self.capacity_people, self.hazard_blocks, self.time_limit_s)


# Answers


class CoverageAsked(Reply):
    townships: list[str]
    hazard_types: list[str]
    kinds: list[str]
    hazard_blocks: bool


class AnalysisNetwork(Reply):
    synthetic: bool
    nodes: int
    edges: int
    blocked_edges: int


class CoverageReach(Reply):
    facility_id: int | None   # null: none of the kind can be reached
    facility_name: str | None
    minutes: float | None
    free_places: int | None = None


class CoverageModeReach(Reply):
    walk: CoverageReach
    drive: CoverageReach


class CoveragePoint(Reply):
    kind: Literal[DEMAND_KINDS]  # type: ignore[valid-type]
    id: int | None
    code: str
    name: str
    township_code: str
    township_name: str
    people: int
    lon: float
    lat: float
    is_sample: bool
    shelter: CoverageModeReach
    team: CoverageModeReach
    depot: CoverageModeReach


class CoverageShelterGap(Reply):
    township_code: str | None
    township_name: str | None
    kind: str
    mode: str
    points: int
    people: int
    beyond_15_min: int
    beyond_30_min: int
    beyond_60_min: int
    unreachable_people: int


class CoverageTeamStandard(Reply):
    township_code: str
    township_name: str
    hazard_points: int
    within_standard: int
    unreachable: int
    worst_minutes: float | None
    meets_standard: bool
    late_points: list[str]


class CoverageOverflow(Reply):
    hazard_id: int
    code: str
    name: str
    township_name: str
    people: int
    mode: str
    shelter_id: int
    shelter_name: str
    free_places: int
    short_people: int


class CoverageShelterLoad(Reply):
    shelter_id: int
    shelter_name: str
    mode: str
    free_places: int
    hazard_points: int
    people: int
    short_people: int


class AnalysisCoverage(Reply):
    """Travel times from every demand point to the nearest shelter, team and depot, and the gaps they leave."""

    query: CoverageAsked
    gap_minutes: list[int]
    team_standard_minutes: int
    facilities: dict[str, int]
    road_network: AnalysisNetwork
    is_sample: bool
    points: list[CoveragePoint]
    shelter_gaps: list[CoverageShelterGap]
    shelter_gap_totals: list[CoverageShelterGap]
    team_standard: list[CoverageTeamStandard]
    overflow: list[CoverageOverflow]
    shelter_loads: list[CoverageShelterLoad]


class SitingAsked(Reply):
    facility: str
    k: int
    minutes: float
    objective: str
    mode: str
    townships: list[str]
    hazard_types: list[str]
    candidates: list[str]
    points: list[tuple[float, float]]
    grid_spacing_m: float
    capacity_people: int | None
    hazard_blocks: bool
    time_limit_s: float


class SitingCandidate(Reply):
    source: str
    ref: str
    name: str
    name_en: str
    township_code: str | None
    township_name: str | None
    lon: float
    lat: float
    is_sample: bool


class SitingScore(Reply):
    covered_people: int
    covered_share: float
    reached_people: int
    person_minutes: float
    mean_minutes: float | None


class SitingSite(Reply):
    rank: int
    candidate: SitingCandidate
    adds_covered_people: int
    adds_reached_people: int
    person_minutes_change: float
    after: SitingScore


class AnalysisSiting(Reply):
    """K proposed sites with the score before and after and what each adds, in order; solved exactly."""

    query: SitingAsked
    demand_points: int
    demand_people: int
    existing_facilities: int
    candidates_considered: int
    candidates_cut_off: int
    before: SitingScore
    after: SitingScore
    sites: list[SitingSite]
    optimal: bool
    solver: str
    solve_s: float
    road_network: AnalysisNetwork
    is_sample: bool

"""Request and response models of the 分析研判 API: the risk distribution and the composite risk index."""
from __future__ import annotations

from typing import Literal

from pydantic import Field

from dashboard.api.models import Number, Reply, Request, Text
from dashboard.api.models.geojson import FeatureCollection
from services.analysis.classes import DEFAULT_CLASSES, MAX_CLASSES, MIN_CLASSES, SCHEMES

CELL_MIN_M, CELL_MAX_M = 250, 20_000


class DistributionQuery(Request):
    """Filters (comma-separated values, empty: all), the class scheme of the choropleths and the density cell."""

    township: Text(600) | None = Field(default=None, description="official 9-digit township codes, comma-separated")
    sector: Text(200) | None = Field(default=None, description="enterprise sectors (stored values), comma-separated")
    risk_level: Text(100) | None = Field(default=None, description="enterprise risk levels, comma-separated")
    hazard_type: Text(200) | None = Field(default=None, description="hazard types, comma-separated")
    warning_level: Text(100) | None = Field(default=None, description="hazard warning levels, comma-separated")
    scheme: Literal[SCHEMES] = "quantiles"  # type: ignore[valid-type]
    classes: int = Field(default=DEFAULT_CLASSES, ge=MIN_CLASSES, le=MAX_CLASSES)
    cell_m: float | None = Field(default=None, ge=CELL_MIN_M, le=CELL_MAX_M, allow_inf_nan=False,
                                 description="side of the density grid's hexagons in metres (default: configured)")


class RiskIndexQuery(Request):
    township: Text(600) | None = Field(default=None, description="only these townships' rows (ranks stay "
                                                                 "district-wide), comma-separated codes")


# Answers


class Filters(Reply):
    township: list[str]
    sector: list[str]
    risk_level: list[str]
    hazard_type: list[str]
    warning_level: list[str]


class EnterpriseTally(Reply):
    total: int
    by_risk_level: dict[str, int]
    by_scale: dict[str, int]
    by_duty_card: dict[str, int]
    open_hidden_dangers: int
    risk_score: Number


class HazardTally(Reply):
    total: int
    by_hazard_type: dict[str, int]
    by_warning_level: dict[str, int]
    threatened_people: int
    threatened_households: int
    threatened_property_10k_yuan: Number


class ShelterTally(Reply):
    shelters: int
    capacity_people: int
    available_places: int
    population: int | None
    population_is_sample: bool
    places_per_1000: Number | None


class Totals(Reply):
    enterprises: EnterpriseTally
    hazards: HazardTally
    shelters: ShelterTally


class TownshipRow(Reply):
    code: str
    name: str
    name_en: str
    enterprises: EnterpriseTally
    hazards: HazardTally
    shelters: ShelterTally


class SectorRow(Reply):
    sector: str
    enterprises: EnterpriseTally


class Matrix(Reply):
    """Townships (rows) × a vocabulary (columns) with totals; ``by_level`` splits each cell by level."""

    rows: list[str]
    columns: list[str]
    counts: list[list[int]]
    row_totals: list[int]
    column_totals: list[int]
    total: int
    by_level: dict[str, list[list[int]]]


class ValueClass(Reply):
    """One class of a choropleth: its smallest and largest value, how many it holds, and its legend label."""

    lower: Number
    upper: Number
    count: int
    label: str


class Density(Reply):
    """Hexagons (built in ``crs``, metres; returned in WGS-84) with the counts and sums of their points."""

    cell_m: Number
    crs: str
    cell_area_km2: Number
    features: FeatureCollection
    classes: dict[str, list[ValueClass]]


class Distribution(Reply):
    filters: Filters
    totals: Totals
    townships: list[TownshipRow]
    sectors: list[SectorRow]
    township_sector: Matrix
    township_hazard_type: Matrix
    scheme: str
    classes: dict[str, list[ValueClass]]
    density: Density


class InputValue(Reply):
    input: str
    factor: str
    value: Number
    normalised: Number
    weight: Number
    weighted: Number
    rank_at_median: int
    pushes_up_by: int


class TownshipRisk(Reply):
    code: str
    name: str
    name_en: str
    rank: int
    risk: Number
    hazard: Number
    exposure: Number
    vulnerability: Number
    capacity: Number
    population_is_sample: bool
    inputs: list[InputValue]


class InputMethod(Reply):
    """One input of the index as shown beside the ranking: its factor, weight, unit and spread over townships."""

    input: str
    factor: str
    unit: str
    weight: Number
    min: Number
    median: Number
    max: Number
    label: str
    label_en: str
    description: str
    description_en: str


class Factor(Reply):
    factor: str
    label: str
    label_en: str


class RiskIndex(Reply):
    formula: str
    formula_en: str
    method: str
    method_en: str
    factors: list[Factor]
    inputs: list[InputMethod]
    townships: list[TownshipRisk]
    floor: Number
    scores: dict[str, dict[str, Number]]
    monitoring_radius_m: Number
    classes: list[ValueClass]

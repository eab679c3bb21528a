"""How risk is distributed, by township and by sector: enterprises by risk level, scale and 一线责任制 status;
hazard points by type and warning level with the people, households and property they threaten; shelter places
per 1,000 residents; the township × sector and township × hazard-type matrices with their totals; class breaks
for the choropleths and a hexagon density surface of enterprise risk and people threatened.

Counting is done on GeoDataFrames (services/analysis/frames.py); the tests count the same with SQL.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

import pandas as pd

from services import vocabulary
from services.analysis.classes import DEFAULT_CLASSES, ValueClass, class_breaks
from services.analysis.density import DensityGrid, hex_density
from services.analysis.frames import (
    AnalysisFilter,
    district_crs,
    enterprises_frame,
    hazards_frame,
    shelters_frame,
    townships_frame,
)
from services.db.uow import UnitOfWork

SECTORS = tuple(vocabulary.ENTERPRISE_SECTORS)
MAJOR_LEVELS = (vocabulary.RISK_MAJOR, vocabulary.RISK_SIGNIFICANT)
# Township measures that get class breaks for a choropleth.
CHOROPLETH_MEASURES = ("enterprises", "major_risk_enterprises", "enterprise_risk", "hazards", "threatened_people",
                       "threatened_households", "threatened_property_10k_yuan", "places_per_1000")


@dataclass(frozen=True)
class EnterpriseTally:
    total: int
    by_risk_level: dict[str, int]
    by_scale: dict[str, int]
    by_duty_card: dict[str, int]
    open_hidden_dangers: int  # hidden dangers not yet closed (隐患未销号), summed over the enterprises
    risk_score: float  # sum of each enterprise's score by risk level (RiskIndexRules.scores["risk_level"])


@dataclass(frozen=True)
class HazardTally:
    total: int
    by_hazard_type: dict[str, int]
    by_warning_level: dict[str, int]
    threatened_people: int
    threatened_households: int
    threatened_property_10k_yuan: float


@dataclass(frozen=True)
class ShelterTally:
    shelters: int
    capacity_people: int
    available_places: int  # in shelters that are not closed
    population: int | None
    population_is_sample: bool
    places_per_1000: float | None  # available places per 1,000 residents


@dataclass(frozen=True)
class TownshipRow:
    code: str
    name: str
    name_en: str
    enterprises: EnterpriseTally
    hazards: HazardTally
    shelters: ShelterTally


@dataclass(frozen=True)
class SectorRow:
    sector: str
    enterprises: EnterpriseTally


@dataclass(frozen=True)
class Matrix:
    """Counts of townships (rows) × a vocabulary (columns), with row, column and grand totals; ``by_level`` splits
    each cell by level (enterprise risk level or hazard warning level), each with the same shape."""

    rows: list[str]
    columns: list[str]
    counts: list[list[int]]
    row_totals: list[int]
    column_totals: list[int]
    total: int
    by_level: dict[str, list[list[int]]]


@dataclass(frozen=True)
class Distribution:
    filters: AnalysisFilter
    totals_enterprises: EnterpriseTally
    totals_hazards: HazardTally
    totals_shelters: ShelterTally
    townships: list[TownshipRow]
    sectors: list[SectorRow]
    township_sector: Matrix
    township_hazard_type: Matrix
    scheme: str
    classes: dict[str, list[ValueClass]]
    density: DensityGrid

    def to_json(self) -> dict:
        return {
            "filters": self.filters.to_json(),
            "totals": {"enterprises": asdict(self.totals_enterprises), "hazards": asdict(self.totals_hazards),
                       "shelters": asdict(self.totals_shelters)},
            "townships": [asdict(r) for r in self.townships],
            "sectors": [asdict(r) for r in self.sectors],
            "township_sector": asdict(self.township_sector),
            "township_hazard_type": asdict(self.township_hazard_type),
            "scheme": self.scheme,
            "classes": {m: [c.to_json() for c in cs] for m, cs in self.classes.items()},
            "density": self.density.to_json(),
        }


def _counts(series: pd.Series, values) -> dict[str, int]:
    counted = series.value_counts()
    return {v: int(counted.get(v, 0)) for v in values}


def _enterprise_tally(frame: pd.DataFrame, scores: dict[str, float]) -> EnterpriseTally:
    return EnterpriseTally(
        total=len(frame), by_risk_level=_counts(frame["risk_level"], vocabulary.RISK_LEVELS),
        by_scale=_counts(frame["scale"], vocabulary.ENTERPRISE_SCALES),
        by_duty_card=_counts(frame["duty_card_status"], vocabulary.DUTY_CARD_STATUSES),
        open_hidden_dangers=int(frame["open_hidden_dangers"].sum()),
        risk_score=float(frame["risk_level"].map(scores).sum()))


def _hazard_tally(frame: pd.DataFrame) -> HazardTally:
    return HazardTally(
        total=len(frame), by_hazard_type=_counts(frame["hazard_type"], vocabulary.HAZARD_TYPES),
        by_warning_level=_counts(frame["warning_level"], vocabulary.WARNING_LEVELS),
        threatened_people=int(frame["threatened_people"].sum()),
        threatened_households=int(frame["threatened_households"].sum()),
        threatened_property_10k_yuan=round(float(frame["threatened_property_10k_yuan"].sum()), 2))


def _shelter_tally(frame: pd.DataFrame, population: int | None, is_sample: bool) -> ShelterTally:
    free = int(frame["available_places"].sum())
    per_1000 = round(1000 * free / population, 1) if population else None
    return ShelterTally(len(frame), int(frame["capacity_people"].sum()), free, population, is_sample, per_1000)


def _matrix(frame: pd.DataFrame, rows: list[str], column: str, columns: list[str], level: str,
            levels: tuple[str, ...]) -> Matrix:
    def table(part: pd.DataFrame) -> pd.DataFrame:
        counted = pd.crosstab(part["township_code"], part[column]) if len(part) else pd.DataFrame()
        return counted.reindex(index=rows, columns=columns, fill_value=0).fillna(0).astype(int)

    counts = table(frame)
    return Matrix(rows, columns, counts.to_numpy().tolist(), counts.sum(axis=1).tolist(),
                  counts.sum(axis=0).tolist(), int(counts.to_numpy().sum()),
                  {lv: table(frame[frame[level] == lv]).to_numpy().tolist() for lv in levels})


def _township_rows(towns, firms, points, shelters, scores) -> list[TownshipRow]:
    rows = []
    for code, town in towns.iterrows():
        population = None if pd.isna(town["population"]) else int(town["population"])
        rows.append(TownshipRow(
            code, town["name"], town["name_en"],
            _enterprise_tally(firms[firms["township_code"] == code], scores),
            _hazard_tally(points[points["township_code"] == code]),
            _shelter_tally(shelters[shelters["township_code"] == code], population,
                           bool(town["population_is_sample"]))))
    return rows


def _measure(row: TownshipRow, measure: str) -> float | None:
    values = {
        "enterprises": row.enterprises.total, "enterprise_risk": row.enterprises.risk_score,
        "major_risk_enterprises": sum(row.enterprises.by_risk_level[lv] for lv in MAJOR_LEVELS),
        "hazards": row.hazards.total, "threatened_people": row.hazards.threatened_people,
        "threatened_households": row.hazards.threatened_households,
        "threatened_property_10k_yuan": row.hazards.threatened_property_10k_yuan,
        "places_per_1000": row.shelters.places_per_1000,
    }
    return values[measure]


def risk_distribution(uow: UnitOfWork, flt: AnalysisFilter | None = None, *, scheme: str = "quantiles",
                      k: int = DEFAULT_CLASSES, cell_m: float | None = None) -> Distribution:
    """Everything of the distribution under ``flt``: rows per township and sector, matrices, class breaks
    (``scheme`` quantiles or natural_breaks, up to ``k`` classes) and the density grid (hexagons of ``cell_m``)."""
    uow.principal.require("analysis.read")
    flt = flt or AnalysisFilter()
    rules = uow.settings.risk_index
    scores = rules.scores["risk_level"]
    towns = townships_frame(uow, flt)
    firms, points, shelters = enterprises_frame(uow, flt), hazards_frame(uow, flt), shelters_frame(uow, flt)
    codes = list(towns.index)
    sectors = list(flt.sector or SECTORS)
    rows = _township_rows(towns, firms, points, shelters, scores)
    known = towns["population"].dropna()
    population = int(known.sum()) if len(known) else None
    totals_shelters = _shelter_tally(shelters, population, bool(towns["population_is_sample"].any()))
    return Distribution(
        filters=flt, totals_enterprises=_enterprise_tally(firms, scores), totals_hazards=_hazard_tally(points),
        totals_shelters=totals_shelters, townships=rows,
        sectors=[SectorRow(s, _enterprise_tally(firms[firms["sector"] == s], scores)) for s in sectors],
        township_sector=_matrix(firms, codes, "sector", sectors, "risk_level", flt.risk_level or vocabulary.RISK_LEVELS),
        township_hazard_type=_matrix(points, codes, "hazard_type", list(flt.hazard_type or vocabulary.HAZARD_TYPES),
                                     "warning_level", flt.warning_level or vocabulary.WARNING_LEVELS),
        scheme=scheme,
        classes={m: class_breaks([_measure(r, m) for r in rows], scheme, k) for m in CHOROPLETH_MEASURES},
        density=hex_density(firms, points, district_crs(uow), cell_m or rules.density_cell_m, scores, scheme, k),
    )

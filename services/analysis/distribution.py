"""How risk is distributed, by township and by sector: enterprises by risk level, scale and 一线责任制 status;
hazard points by type and warning level with the people, households and property they threaten; shelter places
per 1,000 residents; the township × sector and township × hazard-type matrices with their totals; class breaks
for the choropleths and a hexagon density surface of enterprise risk and people threatened.

Counting is done on GeoDataFrames (services/analysis/frames.py); the tests count the same with SQL.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from services import vocabulary
from services.analysis.classes import DEFAULT_CLASSES, ValueClass, class_breaks
from services.analysis.density import DENSITY_MEASURES, DensityGrid, hex_density
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


def _cube(frame: pd.DataFrame, columns: list[str], values: list) -> np.ndarray:
    """Counts of ``frame``'s rows by each combination of ``values`` of ``columns`` (two or more), as an array."""
    shape = tuple(len(v) for v in values)
    if frame.empty:
        return np.zeros(shape, dtype=int)
    counted = frame.groupby(columns).size()
    return counted.reindex(pd.MultiIndex.from_product(values, names=columns), fill_value=0).to_numpy().reshape(shape)


def _sums(frame: pd.DataFrame, key: str, keys: list, column: str) -> np.ndarray:
    return frame.groupby(key)[column].sum().reindex(keys, fill_value=0).to_numpy() if len(frame) \
        else np.zeros(len(keys))


def _split(counts: np.ndarray, values) -> dict[str, int]:
    return {v: int(n) for v, n in zip(values, counts)}


def _enterprise_tallies(frame: pd.DataFrame, key: str, keys: list, scores: dict[str, float]) -> list[EnterpriseTally]:
    """One tally per value of ``key`` (township code or sector) in ``keys``, counted by groups."""
    levels = _cube(frame, [key, "risk_level"], [keys, list(vocabulary.RISK_LEVELS)])
    scales = _cube(frame, [key, "scale"], [keys, list(vocabulary.ENTERPRISE_SCALES)])
    cards = _cube(frame, [key, "duty_card_status"], [keys, list(vocabulary.DUTY_CARD_STATUSES)])
    hidden = _sums(frame, key, keys, "open_hidden_dangers")
    score = levels @ np.array([scores[lv] for lv in vocabulary.RISK_LEVELS], dtype=float)
    return [EnterpriseTally(int(levels[i].sum()), _split(levels[i], vocabulary.RISK_LEVELS),
                            _split(scales[i], vocabulary.ENTERPRISE_SCALES),
                            _split(cards[i], vocabulary.DUTY_CARD_STATUSES), int(hidden[i]), float(score[i]))
            for i in range(len(keys))]


def _hazard_tallies(frame: pd.DataFrame, key: str, keys: list) -> list[HazardTally]:
    types = _cube(frame, [key, "hazard_type"], [keys, list(vocabulary.HAZARD_TYPES)])
    levels = _cube(frame, [key, "warning_level"], [keys, list(vocabulary.WARNING_LEVELS)])
    people, households, prop = (_sums(frame, key, keys, c) for c in
                                ("threatened_people", "threatened_households", "threatened_property_10k_yuan"))
    return [HazardTally(int(types[i].sum()), _split(types[i], vocabulary.HAZARD_TYPES),
                        _split(levels[i], vocabulary.WARNING_LEVELS), int(people[i]), int(households[i]),
                        round(float(prop[i]), 2)) for i in range(len(keys))]


def _shelter_tallies(frame: pd.DataFrame, key: str, keys: list, population: list[int | None],
                     is_sample: list[bool]) -> list[ShelterTally]:
    counts = _cube(frame.assign(one=1), [key, "one"], [keys, [1]])[:, 0]
    capacity, free = (_sums(frame, key, keys, c) for c in ("capacity_people", "available_places"))
    return [ShelterTally(int(counts[i]), int(capacity[i]), int(free[i]), population[i], is_sample[i],
                         round(1000 * float(free[i]) / population[i], 1) if population[i] else None)
            for i in range(len(keys))]


def _matrix(frame: pd.DataFrame, rows: list[str], column: str, columns: list[str], level: str,
            levels: tuple[str, ...]) -> Matrix:
    cube = _cube(frame, ["township_code", column, level], [rows, columns, list(levels)])
    counts = cube.sum(axis=2)
    return Matrix(rows, columns, counts.tolist(), counts.sum(axis=1).tolist(), counts.sum(axis=0).tolist(),
                  int(counts.sum()), {lv: cube[:, :, i].tolist() for i, lv in enumerate(levels)})


def _township_rows(towns, firms, points, shelters, scores) -> list[TownshipRow]:
    codes = list(towns.index)
    population = [None if pd.isna(p) else int(p) for p in towns["population"]]
    return [TownshipRow(code, name, name_en, e, h, s) for code, name, name_en, e, h, s in zip(
        codes, towns["name"], towns["name_en"], _enterprise_tallies(firms, "township_code", codes, scores),
        _hazard_tallies(points, "township_code", codes),
        _shelter_tallies(shelters, "township_code", codes, population, [bool(v) for v in towns["population_is_sample"]]))]


def _totals(towns, firms, points, shelters, scores) -> tuple[EnterpriseTally, HazardTally, ShelterTally]:
    known = towns["population"].dropna()
    population = int(known.sum()) if len(known) else None
    return (_enterprise_tallies(firms.assign(all=0), "all", [0], scores)[0],
            _hazard_tallies(points.assign(all=0), "all", [0])[0],
            _shelter_tallies(shelters.assign(all=0), "all", [0], [population],
                             [bool(towns["population_is_sample"].any())])[0])


def township_measure(row: TownshipRow, measure: str) -> float | None:
    """The value of one of CHOROPLETH_MEASURES for a township row (None: no population to divide by)."""
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
                      k: int = DEFAULT_CLASSES, cell_m: float | None = None,
                      density_classed: tuple[str, ...] = DENSITY_MEASURES) -> Distribution:
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
    totals = _totals(towns, firms, points, shelters, scores)
    return Distribution(
        filters=flt, totals_enterprises=totals[0], totals_hazards=totals[1], totals_shelters=totals[2],
        townships=rows,
        sectors=[SectorRow(s, t) for s, t in zip(sectors, _enterprise_tallies(firms, "sector", sectors, scores))],
        township_sector=_matrix(firms, codes, "sector", sectors, "risk_level", flt.risk_level or vocabulary.RISK_LEVELS),
        township_hazard_type=_matrix(points, codes, "hazard_type", list(flt.hazard_type or vocabulary.HAZARD_TYPES),
                                     "warning_level", flt.warning_level or vocabulary.WARNING_LEVELS),
        scheme=scheme,
        classes={m: class_breaks([township_measure(r, m) for r in rows], scheme, k) for m in CHOROPLETH_MEASURES},
        density=hex_density(firms, points, district_crs(uow), cell_m or rules.density_cell_m, scores, scheme, k,
                            density_classed),
    )

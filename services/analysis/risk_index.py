"""The composite risk index per township, in the frame of the national natural-hazard risk census
(自然灾害综合风险普查): risk = hazard × exposure × vulnerability × (1 − capacity).

Each factor is a weighted sum of its inputs after min-max normalisation over the district's townships
(``(x − min) / (max − min)``, 0 for all when every township has the same value); hazard, exposure and
vulnerability are then lifted to ``[floor, 1]`` and capacity scaled to ``[0, 1 − floor]``, so no single factor at
the district's minimum wipes out a township's risk. Inputs, weights and scores come from ``settings.risk_index``
(config.py); docs/ANALYSIS.md describes them. For each township and input, the rank it would take if that input
were at the district median says what moves it up or down.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, replace

import numpy as np
import pandas as pd

from config import DEFAULT_RISK_WEIGHTS, RISK_FACTORS, RiskIndexRules
from services import vocabulary
from services.analysis.classes import ValueClass, class_breaks
from services.analysis.frames import (
    district_crs,
    enterprises_frame,
    hazards_frame,
    shelters_frame,
    stations_frame,
    stock_kg_by_township,
    teams_frame,
    to_metric,
    townships_frame,
)
from services.db.uow import UnitOfWork

# Every input, in a fixed order, with its factor and unit (the labels are in services/text/analysis.py).
INPUTS: tuple[str, ...] = tuple(name for factor in RISK_FACTORS for name in DEFAULT_RISK_WEIGHTS[factor])
FACTOR_OF: dict[str, str] = {name: f for f in RISK_FACTORS for name in DEFAULT_RISK_WEIGHTS[f]}
UNITS: dict[str, str] = {
    "hazard_points": "score", "enterprise_risk": "score", "threatened_people": "people",
    "threatened_property": "10k_yuan", "population": "people", "unmonitored_hazards": "share",
    "open_hidden_dangers": "share", "duty_cards_incomplete": "share", "shelter_cover": "share",
    "rescue_members_per_10k": "per_10k", "stock_kg_per_1000": "kg_per_1000",
}


@dataclass(frozen=True)
class InputValue:
    """One input of one township: raw value, normalised, its weighted part of the factor, and what it moves."""

    input: str
    factor: str
    value: float
    normalised: float
    weight: float
    weighted: float  # weight × normalised: this input's share of the factor (before the floor)
    rank_at_median: int  # the township's rank if this input were at the district median
    pushes_up_by: int  # rank_at_median − rank: places this input lifts the township (negative: holds it down)


@dataclass(frozen=True)
class TownshipRisk:
    code: str
    name: str
    name_en: str
    rank: int  # 1 = highest risk; equal risks share a rank
    risk: float
    hazard: float
    exposure: float
    vulnerability: float
    capacity: float
    population_is_sample: bool
    inputs: list[InputValue]


@dataclass(frozen=True)
class InputSpread:
    input: str
    factor: str
    unit: str
    weight: float
    min: float
    median: float
    max: float


@dataclass(frozen=True)
class RiskIndex:
    townships: list[TownshipRisk]  # by rank
    inputs: list[InputSpread]  # the method beside the ranking: each input's weight and spread over townships
    floor: float
    scores: dict
    monitoring_radius_m: float
    classes: list[ValueClass]  # natural breaks of the risk values, for a choropleth

    @property
    def tied_at_top(self) -> int:
        """How many townships share the highest index (all of them in a district with no records yet)."""
        if not self.townships:
            return 0
        top = self.townships[0].risk
        return sum(1 for r in self.townships if abs(r.risk - top) <= 1e-12 + 1e-9 * abs(top))

    @property
    def leader(self) -> TownshipRisk | None:
        """The township ranked first, or None when it shares first place with another."""
        return self.townships[0] if self.tied_at_top == 1 else None

    def to_json(self) -> dict:
        return {"townships": [asdict(t) for t in self.townships], "inputs": [asdict(i) for i in self.inputs],
                "floor": self.floor, "scores": self.scores, "monitoring_radius_m": self.monitoring_radius_m,
                "classes": [c.to_json() for c in self.classes]}


# The arithmetic, on arrays: rows are townships, columns are INPUTS.


def weight_matrix(weights: dict) -> np.ndarray:
    """INPUTS × factors: each input's weight in its factor (0 elsewhere, and for inputs a factor leaves out)."""
    matrix = np.zeros((len(INPUTS), len(RISK_FACTORS)))
    for j, name in enumerate(INPUTS):
        factor = FACTOR_OF[name]
        matrix[j, RISK_FACTORS.index(factor)] = float(weights[factor].get(name, 0.0))
    return matrix


def normalise(raw: np.ndarray) -> np.ndarray:
    """Min-max over townships, column by column; a column where every township is equal is 0 throughout."""
    low, high = raw.min(axis=0), raw.max(axis=0)
    span = high - low
    return np.where(span > 0, (raw - low) / np.where(span > 0, span, 1.0), 0.0)


def index_of(raw: np.ndarray, weights: np.ndarray, floor: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(normalised inputs, factors hazard/exposure/vulnerability/capacity in [0, 1], risk) of every township."""
    norm = normalise(raw)
    factors = norm @ weights
    lifted = floor + (1 - floor) * factors[:, :3]
    capacity = (1 - floor) * factors[:, 3]
    return norm, factors, lifted.prod(axis=1) * (1 - capacity)


def ranks(risk: np.ndarray) -> np.ndarray:
    """Competition ranks, highest risk first (1, 2, 2, 4 …); risks equal to 12 digits tie."""
    rounded = np.round(risk, 12)
    return 1 + (rounded[None, :] > rounded[:, None]).sum(axis=1)


def ranks_at_median(raw: np.ndarray, weights: np.ndarray, floor: float) -> np.ndarray:
    """townships × INPUTS: each township's rank with that one input set to the district median (all else kept)."""
    medians = np.median(raw, axis=0)
    out = np.zeros(raw.shape, dtype=int)
    for j in range(raw.shape[1]):
        for i in range(raw.shape[0]):
            moved = raw.copy()
            moved[i, j] = medians[j]
            out[i, j] = ranks(index_of(moved, weights, floor)[2])[i]
    return out


# The inputs, from the records.


def _shares(flags: pd.Series, by: pd.Series, codes) -> pd.Series:
    return flags.astype(float).groupby(by).mean().reindex(codes).fillna(0.0)


def _sums(values: pd.Series, by: pd.Series, codes) -> pd.Series:
    return values.astype(float).groupby(by).sum().reindex(codes).fillna(0.0)


def _monitored(uow: UnitOfWork, hazards, radius_m: float) -> pd.Series:
    """Whether a working (正常) station lies within ``radius_m`` of each hazard point, measured in metres."""
    crs = district_crs(uow)
    stations = stations_frame(uow)
    working = to_metric(stations[stations["status"] == vocabulary.STATION_NORMAL], crs)
    points = to_metric(hazards, crs)
    near = working.sindex.query(points.geometry, predicate="dwithin", distance=radius_m)[0] if len(working) \
        else np.array([], dtype=int)
    flags = np.zeros(len(points), dtype=bool)
    flags[np.unique(near)] = True
    return pd.Series(flags, index=hazards.index)


def township_inputs(uow: UnitOfWork, rules: RiskIndexRules) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(raw inputs per township code, in INPUTS order; the townships' names and population flags)."""
    towns = townships_frame(uow)
    codes = list(towns.index)
    firms, points, shelters, teams = enterprises_frame(uow), hazards_frame(uow), shelters_frame(uow), teams_frame(uow)
    s = rules.scores
    point_score = (points["warning_level"].map(s["warning_level"]) * points["stability"].map(s["stability"])
                   * points["hazard_type"].map(s["hazard_type"]))
    population = towns["population"].astype(float).fillna(0.0)
    per_resident = population.where(population > 0)
    people = _sums(points["threatened_people"], points["township_code"], codes)
    places = _sums(shelters["capacity_people"].where(shelters["is_open"], 0), shelters["township_code"], codes)
    raw = pd.DataFrame({
        "hazard_points": _sums(point_score, points["township_code"], codes),
        "enterprise_risk": _sums(firms["risk_level"].map(s["risk_level"]), firms["township_code"], codes),
        "threatened_people": people,
        "threatened_property": _sums(points["threatened_property_10k_yuan"], points["township_code"], codes),
        "population": population,
        "unmonitored_hazards": _shares(~_monitored(uow, points, rules.monitoring_radius_m),
                                       points["township_code"], codes),
        "open_hidden_dangers": _shares(firms["open_hidden_dangers"] > 0, firms["township_code"], codes),
        "duty_cards_incomplete": _shares(firms["duty_card_status"] != vocabulary.DUTY_CARD_STATUSES[-1],
                                         firms["township_code"], codes),
        "shelter_cover": (places / people.where(people > 0)).clip(upper=1.0).fillna(1.0),
        "rescue_members_per_10k": (_sums(teams["members"], teams["township_code"], codes) * 1e4 / per_resident)
        .fillna(0.0),
        "stock_kg_per_1000": (stock_kg_by_township(uow).reindex(codes).fillna(0.0) * 1e3 / per_resident).fillna(0.0),
    }, index=codes)
    return raw[list(INPUTS)], towns[["name", "name_en", "population_is_sample"]]


def index_table(raw: pd.DataFrame, rules: RiskIndexRules) -> tuple[list[TownshipRisk], list[InputSpread]]:
    """The ranking and the method beside it, from raw inputs (rows: township codes; columns: INPUTS)."""
    values, weights = raw.to_numpy(dtype=float), weight_matrix(rules.weights)
    norm, factors, risk = index_of(values, weights, rules.floor)
    rank, at_median = ranks(risk), ranks_at_median(values, weights, rules.floor)
    rows = []
    for i, code in enumerate(raw.index):
        inputs = [InputValue(name, FACTOR_OF[name], round(float(values[i, j]), 4), round(float(norm[i, j]), 4),
                             float(weights[j].sum()), round(float(norm[i, j] * weights[j].sum()), 4),
                             int(at_median[i, j]), int(at_median[i, j] - rank[i])) for j, name in enumerate(INPUTS)]
        rows.append(TownshipRisk(code, "", "", int(rank[i]), round(float(risk[i]), 6),
                                 *(round(float(f), 4) for f in factors[i]), False, inputs))
    spread = [InputSpread(name, FACTOR_OF[name], UNITS[name], float(weights[j].sum()), round(float(values[:, j].min()), 4),
                          round(float(np.median(values[:, j])), 4), round(float(values[:, j].max()), 4))
              for j, name in enumerate(INPUTS)]
    return rows, spread


def risk_index(uow: UnitOfWork, townships: tuple[str, ...] = ()) -> RiskIndex:
    """The index of every township (ranked over the whole district); ``townships`` limits the rows returned."""
    uow.principal.require("analysis.read")
    rules = uow.settings.risk_index
    raw, names = township_inputs(uow, rules)
    rows, spread = index_table(raw, rules)
    named = [replace(r, name=names.at[r.code, "name"], name_en=names.at[r.code, "name_en"],
                     population_is_sample=bool(names.at[r.code, "population_is_sample"])) for r in rows]
    chosen = [r for r in named if not townships or r.code in townships]
    chosen.sort(key=lambda r: (r.rank, r.code))
    return RiskIndex(chosen, spread, rules.floor, rules.scores, rules.monitoring_radius_m,
                     class_breaks([r.risk for r in named], "natural_breaks"))

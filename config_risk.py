"""The composite risk index's configuration (services/analysis/risk_index.py, docs/ANALYSIS.md), beside config.py
(which reads it from QJ_RISK_* variables and re-exports these names)."""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

from services import vocabulary

# The composite risk index (services/analysis/risk_index.py, docs/ANALYSIS.md): each factor's inputs and weights.
RISK_FACTORS = ("hazard", "exposure", "vulnerability", "capacity")
DEFAULT_RISK_WEIGHTS: dict[str, dict[str, float]] = {
    "hazard": {"hazard_points": 0.6, "enterprise_risk": 0.4},
    "exposure": {"threatened_people": 0.5, "threatened_property": 0.25, "population": 0.25},
    "vulnerability": {"unmonitored_hazards": 0.4, "open_hidden_dangers": 0.3, "duty_cards_incomplete": 0.3},
    "capacity": {"shelter_cover": 0.5, "rescue_members_per_10k": 0.3, "stock_kg_per_1000": 0.2},
}
DEFAULT_RISK_SCORES: dict[str, dict[str, float]] = {
    "risk_level": dict(zip(vocabulary.RISK_LEVELS, (4.0, 3.0, 2.0, 1.0))),  # 重大 4 … 低 1
    "warning_level": dict(zip(vocabulary.WARNING_LEVELS, (1.0, 1.25, 1.5, 2.0, 3.0))),  # 无 … 红
    "stability": dict(zip(vocabulary.HAZARD_STABILITY, (0.5, 1.0, 1.5))),  # 稳定, 基本稳定, 不稳定
    "hazard_type": dict.fromkeys(vocabulary.HAZARD_TYPES, 1.0),
}
_SCORE_VOCABULARIES = {"risk_level": vocabulary.RISK_LEVELS, "warning_level": vocabulary.WARNING_LEVELS,
                       "stability": vocabulary.HAZARD_STABILITY, "hazard_type": vocabulary.HAZARD_TYPES}
WEIGHT_TOLERANCE = 1e-6


@dataclass(frozen=True)
class RiskIndexRules:
    """The risk index (hazard × exposure × vulnerability × (1 − capacity)) and the risk density grid, configurable.

    ``weights``: factor → input → weight (non-negative, each factor's summing to 1; an input left out weighs 0).
    ``scores``: what one enterprise (by risk level) or hazard point (warning level × stability × type) counts.
    ``floor``: the lowest a factor may go after min-max normalisation, so that the district's least exposed
    township is not given no risk at all; ``monitoring_radius_m``: a hazard point with no working station this
    close counts as unmonitored; ``density_cell_m``: the default side of the density grid's hexagons.
    Checked when built: a wrong value stops the app at start with the factor and input named.
    """

    weights: dict = field(default_factory=lambda: {f: dict(w) for f, w in DEFAULT_RISK_WEIGHTS.items()})
    scores: dict = field(default_factory=lambda: {k: dict(v) for k, v in DEFAULT_RISK_SCORES.items()})
    floor: float = 0.1
    monitoring_radius_m: float = 2000.0
    density_cell_m: float = 2000.0

    def __post_init__(self):
        _check_weights(self.weights)
        _check_scores(self.scores)
        if not 0 <= self.floor < 1:
            raise ValueError(f"risk index floor must be at least 0 and below 1, not {self.floor}")
        if not self.monitoring_radius_m > 0:
            raise ValueError(f"monitoring radius must be positive, not {self.monitoring_radius_m}")
        if not 250 <= self.density_cell_m <= 20000:
            raise ValueError(f"density cell must be 250–20000 m, not {self.density_cell_m}")


def _finite_non_negative(value, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
        raise ValueError(f"{where} must be a non-negative number, not {value!r}")
    return float(value)


def _check_weights(weights: dict) -> None:
    if not isinstance(weights, dict) or set(weights) != set(RISK_FACTORS):
        raise ValueError(f"risk weights must name the factors {', '.join(RISK_FACTORS)}")
    for factor, inputs in weights.items():
        known = DEFAULT_RISK_WEIGHTS[factor]
        if not isinstance(inputs, dict) or not inputs:
            raise ValueError(f"risk weights of {factor} must map inputs to weights")
        unknown = set(inputs) - set(known)
        if unknown:
            raise ValueError(f"risk weights of {factor}: unknown input {min(unknown)!r} "
                             f"(one of {', '.join(known)})")
        total = sum(_finite_non_negative(w, f"risk weight {factor}.{name}") for name, w in inputs.items())
        if abs(total - 1) > WEIGHT_TOLERANCE:
            raise ValueError(f"risk weights of {factor} must sum to 1, not {total:g}")


def _check_scores(scores: dict) -> None:
    if not isinstance(scores, dict) or set(scores) != set(_SCORE_VOCABULARIES):
        raise ValueError(f"risk scores must name {', '.join(_SCORE_VOCABULARIES)}")
    for name, values in scores.items():
        if not isinstance(values, dict) or set(values) != set(_SCORE_VOCABULARIES[name]):
            raise ValueError(f"risk scores of {name} must give every value of its vocabulary")
        for value, score in values.items():
            _finite_non_negative(score, f"risk score {name}.{value}")


def risk_rules_from(weights_json: str, scores_json: str, **limits) -> RiskIndexRules:
    """Rules with the factors in ``weights_json`` replaced and the scores in ``scores_json`` merged over defaults."""
    weights = {f: dict(w) for f, w in DEFAULT_RISK_WEIGHTS.items()}
    weights.update(json.loads(weights_json or "{}"))
    scores = {k: dict(v) for k, v in DEFAULT_RISK_SCORES.items()}
    for name, values in json.loads(scores_json or "{}").items():
        scores[name] = {**scores.get(name, {}), **values} if isinstance(values, dict) else values
    return RiskIndexRules(weights=weights, scores=scores, **limits)

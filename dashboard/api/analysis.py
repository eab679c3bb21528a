"""/api/v1/analysis endpoints of 分析研判: how risk is distributed, and the composite risk index per township."""
from __future__ import annotations

from flask import Blueprint, request

from config import RISK_FACTORS
from dashboard.api.models import parse_query, query, responds
from dashboard.api.models.analysis import (
    Distribution,
    DistributionQuery,
    RiskIndex,
    RiskIndexQuery,
)
from dashboard.api.support import unit
from services.analysis.distribution import risk_distribution
from services.analysis.frames import parse_filter
from services.analysis.risk_index import risk_index as township_risk_index
from services.map.layers import township_codes
from services.text import both

analysis_api = Blueprint("analysis_api", __name__)


@analysis_api.get("/api/v1/analysis/distribution")
@query(DistributionQuery)
@responds(Distribution, errors=(400, 503))
def distribution():
    """Enterprises, hazard points, people threatened and shelter places by township and sector, the township ×
    sector and township × hazard-type matrices, choropleth classes and the hexagon density surface."""
    req = parse_query(DistributionQuery, request.args)
    with unit() as uow:
        flt = parse_filter(req.model_dump(include={"township", "sector", "risk_level", "hazard_type",
                                                   "warning_level"}), township_codes(uow))
        return risk_distribution(uow, flt, scheme=req.scheme, k=req.classes, cell_m=req.cell_m)


def _method(index: dict, radius_m: float) -> dict:
    """The index's answer with the texts the ranking is shown beside: formula, method, factor and input labels."""
    floor = index["floor"]
    formula, formula_en = both("risk.formula")
    method, method_en = both("risk.method", floor=floor, capacity_max=round(1 - floor, 4))
    factors = [{"factor": f, **dict(zip(("label", "label_en"), both(f"risk.factor.{f}")))}
               for f in RISK_FACTORS]
    inputs = []
    for spread in index["inputs"]:
        label, label_en = both("risk.input." + spread["input"])
        description, description_en = both("risk.input_doc." + spread["input"], radius_m=f"{radius_m:g}")
        inputs.append({**spread, "label": label, "label_en": label_en, "description": description,
                       "description_en": description_en})
    return {**index, "formula": formula, "formula_en": formula_en, "method": method, "method_en": method_en,
            "factors": factors, "inputs": inputs}


@analysis_api.get("/api/v1/analysis/risk-index")
@query(RiskIndexQuery)
@responds(RiskIndex, errors=(400, 503))
def risk_index():
    """Townships ranked by risk = hazard × exposure × vulnerability × (1 − capacity), each with its factors and
    inputs (weight, normalised value, the rank it would take with that input at the district median), and the
    method: every input's weight and spread."""
    req = parse_query(RiskIndexQuery, request.args)
    with unit() as uow:
        townships = parse_filter({"township": req.township}, township_codes(uow)).township
        index = township_risk_index(uow, townships)
    return _method(index.to_json(), index.monitoring_radius_m)

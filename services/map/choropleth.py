"""Figures per township for the choropleth and the planners: people threatened, risky enterprises, shelter places.

Class breaks are quantiles, so each colour holds about as many townships; the legend states the ranges.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
from sqlalchemy import case, func, select

from services import vocabulary
from services.db.uow import UnitOfWork
from services.evacuation.capacity import available_places, shelter_capacity
from services.models import Enterprise, HazardPoint, Shelter, Township

MEASURES = ("threatened_people", "major_risk_enterprises", "shelter_places_per_1000", "risk_four_colour")
# 四色图: each township in the colour of its highest enterprise risk level (1 低 blue … 4 重大 red), not quantiles.
FOUR_COLOUR = "risk_four_colour"
FOUR_LEVELS = tuple(reversed(vocabulary.RISK_LEVELS))  # 低, 一般, 较大, 重大 → 1, 2, 3, 4
CHOROPLETH_COLOURS = ("#fff5eb", "#fdd0a2", "#fd8d3c", "#d94801", "#7f2704")
# Shelter places per 1000 residents: more is better, so its ramp runs the other way.
GOOD_IS_HIGH = {"shelter_places_per_1000"}


@dataclass
class TownshipFigures:
    population: int | None
    hazards: int = 0
    threatened_people: int = 0
    enterprises: int = 0
    major_risk_enterprises: int = 0  # 重大 + 较大
    shelter_capacity: int = 0
    shelter_available: int = 0
    shelter_places_per_1000: float | None = None
    risk_four_colour: int | None = None  # 1 低 … 4 重大: the highest risk level of its enterprises


@dataclass(frozen=True)
class Choropleth:
    """One measure per township code, its class breaks (upper bounds, ascending) and a colour per class."""

    measure: str
    values: dict[str, float | int | None]
    breaks: list[float]
    colours: list[str]

    def to_json(self) -> dict:
        return asdict(self)


def township_figures(uow: UnitOfWork) -> dict[str, TownshipFigures]:
    session = uow.session
    figures = {code: TownshipFigures(population=pop)
               for code, pop in session.execute(select(Township.code, Township.population))}
    for code, n, people in session.execute(select(
            HazardPoint.township_code, func.count(), func.sum(HazardPoint.threatened_people))
            .group_by(HazardPoint.township_code)):
        figures[code].hazards, figures[code].threatened_people = n, int(people or 0)
    major = func.sum(case((Enterprise.risk_level.in_((vocabulary.RISK_MAJOR, vocabulary.RISK_SIGNIFICANT)), 1), else_=0))
    rank = func.max(case(*[(Enterprise.risk_level == level, i + 1) for i, level in enumerate(FOUR_LEVELS)]))
    for code, n, m, top in session.execute(select(Enterprise.township_code, func.count(), major, rank)
                                           .group_by(Enterprise.township_code)):
        figures[code].enterprises, figures[code].major_risk_enterprises = n, int(m or 0)
        figures[code].risk_four_colour = int(top) if top is not None else None
    for s in session.execute(select(Shelter.township_code, Shelter.declared_capacity_people,
                                    Shelter.effective_area_m2, Shelter.occupancy_people,
                                    Shelter.blocked_places, Shelter.status, Shelter.shelter_type)):
        cap = shelter_capacity(uow.settings, s.declared_capacity_people, s.effective_area_m2, s.shelter_type)
        figures[s.township_code].shelter_capacity += cap
        if s.status != vocabulary.SHELTER_CLOSED:
            figures[s.township_code].shelter_available += available_places(
                cap, s.occupancy_people, s.blocked_places)
    for f in figures.values():
        if f.population:
            f.shelter_places_per_1000 = round(1000 * f.shelter_available / f.population, 1)
    return figures


def class_breaks(values: list[float], classes: int = len(CHOROPLETH_COLOURS)) -> list[float]:
    """Upper bounds of up to ``classes`` quantile classes (ascending, distinct)."""
    data = np.asarray([v for v in values if v is not None], dtype=float)
    if data.size == 0:
        return []
    quantiles = np.quantile(data, np.linspace(0, 1, classes + 1)[1:])
    return sorted({round(float(q), 1) for q in quantiles})


def choropleth(uow: UnitOfWork, measure: str) -> Choropleth:
    """Values per township code, class breaks and colours for one measure (township staff: their own only)."""
    figures = township_figures(uow)
    home = uow.principal.township_filter()
    if home is not None:
        figures = {code: f for code, f in figures.items() if code == home}
    values = {code: asdict(f)[measure] for code, f in figures.items()}
    if measure == FOUR_COLOUR:  # categories, not quantiles: every level keeps its colour
        return Choropleth(measure, values, [1.0, 2.0, 3.0, 4.0], [vocabulary.RISK_COLOURS[lv] for lv in FOUR_LEVELS])
    breaks = class_breaks(list(values.values()))
    colours = list(CHOROPLETH_COLOURS[:len(breaks)])
    if measure in GOOD_IS_HIGH:
        colours.reverse()
    return Choropleth(measure, values, breaks, colours)

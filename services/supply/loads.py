"""Truck-loads of a shelter's demand: whole item units, ★ critical items (water, food, medicine) packed first.

A demand that fits one truck is one load (one stop, the critical items listed first). A larger demand is split
into as few loads as first-fit packing gives, critical units first: when the critical part fits one truck, its
load is topped up with other items; otherwise the critical units fill loads of their own. Each load is closed
only when no further unit of any remaining line fits, so two loads of one shelter never fit one truck together
(one truck never calls twice on a trip). Loads are sized to the largest payload and volume of the fleet.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from services.text.reasons import Reason

if TYPE_CHECKING:
    from services.supply.routes import Place

_SLACK = 1e-6  # the solver rounds a load up to whole kg and litres: stay below the truck's whole capacity


@dataclass(frozen=True)
class Line:
    """Some units of one catalogue item, with their weight and volume; ``critical``: water, food, medicine."""

    code: str
    name: str
    unit: str
    quantity: float
    critical: bool
    kg: float
    m3: float

    def part(self, quantity: float) -> Line:
        share = quantity / self.quantity if self.quantity else 0.0
        return Line(self.code, self.name, self.unit, quantity, self.critical, self.kg * share, self.m3 * share)


@dataclass(frozen=True)
class Packed:
    """A shelter's loads in delivery order and, when there is more than one, why (a coded reason)."""

    loads: tuple[tuple[Line, ...], ...]
    split: Reason | None


def _room(quantity: float, line: Line, room_kg: float, room_l: float) -> float:
    """How many of ``quantity`` units of ``line`` fit in the room left: whole units, or all that remain."""
    fits = quantity
    if line.kg > 0:
        fits = min(fits, math.floor(room_kg / (line.kg / line.quantity)))
    if line.m3 > 0:
        fits = min(fits, math.floor(room_l / (line.m3 * 1000 / line.quantity)))
    return max(0.0, fits)


def _first_fit(lines: list[Line], cap_kg: float, cap_l: float, start: list[Line] | None = None) -> list[list[Line]]:
    """Loads of ``lines`` (first-fit, one pass per load), the first continuing ``start``."""
    left = [x.quantity for x in lines]
    loads: list[list[Line]] = []
    load = list(start or [])
    while any(q > 0 for q in left):
        room_kg = cap_kg - sum(x.kg for x in load)
        room_l = cap_l - sum(x.m3 for x in load) * 1000
        added = False
        for i, line in enumerate(lines):
            n = _room(left[i], line, room_kg, room_l) if left[i] > 0 else 0
            if n <= 0 and not load and not added:  # one unit weighs more than a truck carries: a share of it
                n = min(left[i], left[i] * min(room_kg / line.kg if line.kg else math.inf,
                                               room_l / (line.m3 * 1000) if line.m3 else math.inf))
            if n > 0:
                part = line.part(n)
                load.append(part)
                left[i] -= n
                room_kg, room_l, added = room_kg - part.kg, room_l - part.m3 * 1000, True
        if not added and not load:
            break  # nothing fits an empty truck (zero capacity): leave the rest out of the loads
        loads.append(load)
        load = []
    if load:
        loads.append(load)
    return loads


def pack(lines: list[Line], payload_kg: float, volume_m3: float) -> Packed:
    """Split a shelter's ``lines`` into truck-loads, critical units first (see the module's docstring)."""
    cap_kg, cap_l = math.floor(payload_kg) - _SLACK, math.floor(volume_m3 * 1000) - _SLACK
    ordered = [x for x in lines if x.critical] + [x for x in lines if not x.critical]
    kg, m3 = sum(x.kg for x in lines), sum(x.m3 for x in lines)
    if kg <= cap_kg and m3 * 1000 <= cap_l:
        return Packed((tuple(ordered),), None)
    critical = _first_fit([x for x in lines if x.critical], cap_kg, cap_l)
    others = [x for x in lines if not x.critical]
    if len(critical) <= 1:
        loads = _first_fit(others, cap_kg, cap_l, critical[0] if critical else None)
    else:
        loads = critical + _first_fit(others, cap_kg, cap_l)
    by_weight = kg / max(cap_kg, _SLACK) >= m3 * 1000 / max(cap_l, _SLACK)
    split = (Reason("sup.split.kg", {"kg": f"{kg:,.0f}", "capacity_kg": f"{math.floor(payload_kg):,}",
                                     "loads": len(loads)}) if by_weight else
             Reason("sup.split.m3", {"m3": f"{m3:,.1f}", "capacity_m3": f"{volume_m3:,.1f}", "loads": len(loads)}))
    return Packed(tuple(tuple(load) for load in loads), split)


@dataclass(frozen=True)
class ShelterLoad:
    """One visit of the plan: one truck-load of a shelter's lines, in wave 1 (critical items) or wave 2 (after)."""

    shelter: Place             # services.supply.routes.Place
    row: int                   # the shelter's row of the travel matrices
    lines: tuple[Line, ...]
    wave: int
    window_s: float | None
    split: Reason | None       # why the shelter gets more than one load
    role: str = "load"         # "load"; or, for a demand one truck carries: "whole", or its "critical" part
    group: int | None = None   # "whole" and "critical" of one shelter are alternatives (wave 1); "rest" follows

    @property
    def kg(self) -> float:
        return sum(x.kg for x in self.lines)

    @property
    def m3(self) -> float:
        return sum(x.m3 for x in self.lines)


def shelter_loads(shelter: Place, row: int, lines: list[Line], max_kg: float, max_m3: float,
                  latest: float | None, critical_within_hours: float | None) -> list[ShelterLoad]:
    """A shelter's truck-loads, critical units first; loads with no critical item wait for wave 2 when some do.

    ``latest`` is the shelter's time window end (minutes, or None); critical loads must also arrive within
    ``critical_within_hours`` (None: no such rule)."""
    packed = pack(lines, max_kg, max_m3)
    ordered = any(x.critical for x in lines) and len(packed.loads) > 1
    base = latest * 60 if latest is not None else None
    urgent = base if critical_within_hours is None else \
        min(base if base is not None else math.inf, critical_within_hours * 3600)
    mixed = any(x.critical for x in lines) and any(not x.critical for x in lines)
    if len(packed.loads) == 1 and mixed and critical_within_hours is not None:
        # One truck carries it all, but bringing it all in one stop may cost other shelters their critical items
        # within the window: the solve chooses between the whole load and its critical part (the rest then
        # follows in wave 2).
        why = Reason("sup.split.window", {"hours": f"{critical_within_hours:g}"})
        critical = tuple(x for x in packed.loads[0] if x.critical)
        rest = tuple(x for x in packed.loads[0] if not x.critical)
        return [ShelterLoad(shelter, row, packed.loads[0], 1, urgent, None, "whole", row),
                ShelterLoad(shelter, row, critical, 1, urgent, why, "critical", row),
                ShelterLoad(shelter, row, rest, 2, base, why, "rest", row)]
    return [ShelterLoad(shelter, row, load, 2 if ordered and not any(x.critical for x in load) else 1,
                        urgent if any(x.critical for x in load) else base, packed.split) for load in packed.loads]

"""五有 supply coverage: a versioned needs profile × people × days against unexpired depot stock.

A need is an amount per person per day (water, rice), per person once (quilt, clothing set, covered space),
or one unit per N people (toilet, family kit, medical kit). Each need names the catalogue items that meet
it and how much of the need one item unit covers (a 24-bottle box holds 13.2 L of water). Coverage of one
有 is its worst-covered need, capped at 100 %; consumables also give days of autonomy.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from typing import NamedTuple

from sqlalchemy import func, or_, select

from config import ROOT
from services.clock import local_today
from services.db import audit
from services.db.uow import UnitOfWork
from services.errors import FieldError
from services.models import NeedsProfile, StockLine, SupplyItem
from services.vocabulary import FIVE_HAVES

BASES = ("person_day", "person", "people_per_unit")
# The built-in profile (version 0), data/needs_profile.json: Sphere Handbook (water 15 L/day, covered space
# 3.5 m², 1 toilet per 20), InaSAFE/BNPB (rice 0.4 kg/day, 1 family kit per 5), 1 basic medical kit per 100 people.
DEFAULT_NEEDS_FILE = ROOT / "data" / "needs_profile.json"
DEFAULT_NEEDS: list[dict] = json.loads(DEFAULT_NEEDS_FILE.read_text(encoding="utf-8"))


class ProfileError(FieldError):
    """A needs profile that cannot be used; the reason names the entry (number and key) and what is wrong."""


class ProfileVersion(NamedTuple):
    """The needs profile in force: its version (0: the built-in default) and its needs (the stored document)."""

    version: int
    needs: list[dict]


@dataclass(frozen=True)
class Shortfall:
    """What to procure to close a need's gap: the first listed item, in whole units, with weight and volume."""

    code: str
    name: str
    unit: str
    quantity: int
    weight_kg: float
    volume_m3: float


@dataclass(frozen=True)
class NeedCoverage:
    key: str
    label: str
    have: str
    required: float           # in the need's unit (L, kg, 床, m², units)
    available: float          # the same, from unexpired stock
    coverage: float           # available / required, not capped
    days_of_autonomy: float | None
    shortfall: tuple[Shortfall, ...] = ()  # what to procure


@dataclass(frozen=True)
class SupplyCoverage:
    people: int
    days: int
    profile_version: int
    as_of: str
    by_have: dict[str, float]          # 五有 → coverage 0..1 (worst need, capped)
    needs: list[NeedCoverage]
    guaranteed: bool                   # every 有 at 100 %


def validate_needs(entries: list[dict], item_codes: set[str]) -> list[dict]:
    """``entries`` if every need is usable; else ProfileError naming the first entry (1-based) that is not."""
    if not isinstance(entries, list) or not entries:
        raise ProfileError.of("needs", "profile.not_list")
    keys = set()
    for i, e in enumerate(entries, start=1):
        where = {"index": i, "need": str(e.get("key", "?")) if isinstance(e, dict) else "?"}
        if not isinstance(e, dict):
            raise ProfileError.of("needs", "profile.not_object", **where)
        if not e.get("key") or e["key"] in keys:
            raise ProfileError.of("needs", "profile.key", **where)
        keys.add(e["key"])
        if e.get("have") not in FIVE_HAVES:
            raise ProfileError.of("needs", "profile.have", **where, allowed=", ".join(FIVE_HAVES))
        if e.get("basis") not in BASES:
            raise ProfileError.of("needs", "profile.basis", **where, allowed=", ".join(BASES))
        if not isinstance(e.get("amount"), (int, float)) or e["amount"] <= 0:
            raise ProfileError.of("needs", "profile.amount", **where)
        items = e.get("items")
        if not isinstance(items, dict) or not items:
            raise ProfileError.of("needs", "profile.items", **where)
        for code, per_unit in items.items():
            if code not in item_codes:
                raise ProfileError.of("needs", "profile.unknown_item", **where, item=code)
            if not isinstance(per_unit, (int, float)) or per_unit <= 0:
                raise ProfileError.of("needs", "profile.item_amount", **where, item=code)
    return entries


def current_profile(uow: UnitOfWork) -> ProfileVersion:
    """The newest saved profile; version 0 is the built-in default."""
    row = uow.session.scalars(select(NeedsProfile).order_by(NeedsProfile.version.desc()).limit(1)).first()
    return ProfileVersion(row.version, json.loads(row.entries)) if row else ProfileVersion(0, DEFAULT_NEEDS)


def save_profile(uow: UnitOfWork, entries: list[dict], *, note: str | None = None) -> int:
    """Store ``entries`` as a new profile version (earlier versions stay); returns the version.

    The version comes from the table's sequence, so two planners saving at once get two versions.
    """
    uow.principal.require("needs.edit")
    session = uow.session
    validate_needs(entries, set(session.scalars(select(SupplyItem.code))))
    row = NeedsProfile(actor=uow.actor[:80], note=note, entries=json.dumps(entries, ensure_ascii=False))
    session.add(row)
    session.flush()
    audit.record(session, actor=uow.actor, action="create", entity="needs_profile", entity_key=str(row.version),
                 detail={"needs": len(entries), "note": note})
    return row.version


def _exact(value) -> Decimal:
    """A number as the decimal it was written as (0.1 stays 0.1, not 0.1000000000000000055…)."""
    return value if isinstance(value, Decimal) else Decimal(str(value))


def required_exact(need: dict, people: int, days: int) -> Decimal:
    """How much of a need (in its unit; units for one-per-N needs) ``people`` have over ``days``, exactly."""
    amount = _exact(need["amount"])
    if need["basis"] == "person_day":
        return amount * people * days
    if need["basis"] == "person":
        return amount * people
    return units_to_cover(Decimal(people), amount)  # units, one per N people


def required_amount(need: dict, people: int, days: int) -> float:
    """``required_exact`` as a float, for display and weights."""
    return float(required_exact(need, people, days))


def units_to_cover(amount, per_unit) -> int:
    """The one rounding rule: whole item units that cover ``amount`` when one unit covers ``per_unit``.

    Exact decimal arithmetic rounded up, so a need is never under-supplied by a rounding error and never
    over-supplied by one: 0.1 L × 132 people in 13.2 L boxes is 1 box, not 2.
    """
    amount, per_unit = _exact(amount), _exact(per_unit)
    if amount <= 0:
        return 0
    return int((amount / per_unit).to_integral_value(rounding=ROUND_CEILING))


def required_units(need: dict, people: int, days: int, per_unit) -> int:
    """Whole units of an item (covering ``per_unit`` of the need each) for ``people`` over ``days``."""
    return units_to_cover(required_exact(need, people, days), per_unit)


def stock_on_hand(uow: UnitOfWork, today: dt.date) -> dict[str, float]:
    """Unexpired stock per catalogue item, all depots together."""
    rows = uow.session.execute(select(StockLine.item_code, func.sum(StockLine.quantity))
                               .where(or_(StockLine.expires_on.is_(None), StockLine.expires_on >= today))
                               .group_by(StockLine.item_code)).all()
    return {code: float(q or 0) for code, q in rows}


def supply_coverage(uow: UnitOfWork, people: int | None = None, days: int | None = None,
                    today: dt.date | None = None) -> SupplyCoverage:
    """Coverage of each 五有 for ``people`` (default: the evacuation target) over ``days``, from one snapshot.

    The county's stock against the county's need: ``plan.read``, which township staff do not hold.
    """
    uow.principal.require("plan.read")
    settings = uow.settings
    people = settings.region.evacuation_target_people if people is None else int(people)
    days = settings.evacuation.supply_days if days is None else int(days)
    today = today or local_today(settings)
    version, needs = current_profile(uow)
    stock = stock_on_hand(uow, today)
    catalogue = {i.code: i for i in uow.session.scalars(select(SupplyItem))}
    result = []
    for need in needs:
        exact = required_exact(need, people, days)
        available_exact = sum((_exact(stock.get(code, 0.0)) * _exact(per_unit)
                               for code, per_unit in need["items"].items()), Decimal(0))
        required, available = float(exact), float(available_exact)
        coverage = available / required if required else 1.0
        autonomy = None
        if need["basis"] == "person_day" and people:
            autonomy = available / (need["amount"] * people)
        shortfall = []
        if available_exact < exact:
            code, per_unit = next(iter(need["items"].items()))  # procure the first listed item
            quantity = units_to_cover(exact - available_exact, per_unit)
            item = catalogue[code]
            shortfall.append(Shortfall(code, item.name, item.unit, quantity,
                                       round(quantity * item.unit_weight_kg, 1),
                                       round(quantity * item.unit_volume_m3, 2)))
        result.append(NeedCoverage(need["key"], need.get("label", need["key"]), need["have"], round(required, 2),
                                   round(available, 2), coverage, autonomy, tuple(shortfall)))
    by_have = {have: min([min(1.0, n.coverage) for n in result if n.have == have] or [1.0]) for have in FIVE_HAVES}
    return SupplyCoverage(people, days, version, today.isoformat(), by_have, result,
                          all(v >= 1.0 for v in by_have.values()))

"""熔断 orders as their readers see them: the list with progress (confirmed / total per action 禁停撤疏) and one
order with its items. Township staff see the orders that have items in their township, and only those items."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import shapely
from sqlalchemy import case, func, select

from services import vocabulary as v
from services.db.uow import UnitOfWork
from services.errors import Forbidden, NotFound
from services.models import ControlItem, ControlOrder, Township

LISTED = 200


def _iso(at: dt.datetime | None) -> str | None:
    return at.isoformat() if at else None


@dataclass(frozen=True)
class OrderSummary:
    id: int
    drill_id: int
    warning_id: int | None
    level: str
    hazard_type: str
    area_description: str
    created_at: dt.datetime
    created_by: str
    closed_at: dt.datetime | None
    closed_by: str | None
    progress: dict[str, dict[str, int]]  # action -> {"confirmed", "total"}
    sample: bool

    @property
    def confirmed(self) -> int:
        return sum(p["confirmed"] for p in self.progress.values())

    @property
    def total(self) -> int:
        return sum(p["total"] for p in self.progress.values())

    def to_json(self) -> dict:
        return {"id": self.id, "drill_id": self.drill_id, "warning_id": self.warning_id, "level": self.level,
                "hazard_type": self.hazard_type, "area_description": self.area_description,
                "created_at": _iso(self.created_at), "created_by": self.created_by,
                "closed_at": _iso(self.closed_at), "closed_by": self.closed_by, "open": self.closed_at is None,
                "progress": self.progress, "confirmed": self.confirmed, "total": self.total, "sample": self.sample}


@dataclass(frozen=True)
class ItemRecord:
    id: int
    action: str
    layer: str
    target_id: int
    name: str
    sector: str | None
    category: str | None
    township_code: str
    township_name: str
    contact_person: str | None
    contact_phone: str | None
    people: int | None
    detail: str | None
    is_sample: bool
    confirmed_at: dt.datetime | None
    confirmed_by: str | None
    note: str | None
    road_block_id: int | None

    def to_json(self) -> dict:
        return {**self.__dict__, "confirmed_at": _iso(self.confirmed_at)}


@dataclass(frozen=True)
class OrderDetail:
    summary: OrderSummary
    area: dict  # GeoJSON
    items: tuple[ItemRecord, ...]

    def to_json(self) -> dict:
        return {**self.summary.to_json(), "area": self.area, "items": [i.to_json() for i in self.items]}


def _scope(uow: UnitOfWork):
    uow.principal.require("controls.read")
    home = uow.principal.township_filter()
    return [] if home is None else [ControlItem.township_code == home]


def _progress(uow: UnitOfWork, order_ids: list[int], where) -> dict[int, tuple[dict, bool]]:
    rows = uow.session.execute(
        select(ControlItem.order_id, ControlItem.action, func.count(), func.count(ControlItem.confirmed_at),
               func.max(case((ControlItem.is_sample, 1), else_=0)))
        .where(ControlItem.order_id.in_(order_ids), *where)
        .group_by(ControlItem.order_id, ControlItem.action)).all()
    out: dict[int, tuple[dict, bool]] = {}
    for order_id, action, total, confirmed, sample in rows:
        progress, was = out.get(order_id, ({a: {"confirmed": 0, "total": 0} for a in v.CONTROL_ACTIONS}, False))
        progress[action] = {"confirmed": int(confirmed), "total": int(total)}
        out[order_id] = (progress, was or bool(sample))
    return out


def _summary(o: ControlOrder, progress: dict, sample: bool) -> OrderSummary:
    return OrderSummary(o.id, o.drill_id, o.warning_id, o.level, o.hazard_type, o.area_description, o.created_at,
                        o.created_by, o.closed_at, o.closed_by, progress, sample)


def list_orders(uow: UnitOfWork, *, drill_id: int = 0, open_only: bool = False,
                warning_id: int | None = None) -> list[OrderSummary]:
    """The orders of a drill (0: live), the newest first, each with its progress per action (township staff: the
    orders with items in their township, counted over those items)."""
    where = _scope(uow)
    query = select(ControlOrder).where(ControlOrder.drill_id == drill_id)
    if open_only:
        query = query.where(ControlOrder.closed_at.is_(None))
    if warning_id is not None:
        query = query.where(ControlOrder.warning_id == warning_id)
    if where:
        query = query.where(select(ControlItem.id).where(ControlItem.order_id == ControlOrder.id, *where).exists())
    orders = uow.session.scalars(query.order_by(ControlOrder.id.desc()).limit(LISTED)).all()
    progress = _progress(uow, [o.id for o in orders], where)
    empty = {a: {"confirmed": 0, "total": 0} for a in v.CONTROL_ACTIONS}
    return [_summary(o, *progress.get(o.id, (empty, False))) for o in orders]


def order_detail(uow: UnitOfWork, order_id: int) -> OrderDetail:
    """One order with its items by action (禁停撤疏), township and name; township staff see their township's items."""
    where = _scope(uow)
    order = uow.session.get(ControlOrder, order_id)
    if order is None:
        raise NotFound.of("order_id", "controls.order_not_found", id=order_id)
    towns = dict(uow.session.execute(select(Township.code, Township.name)).all())
    rows = uow.session.scalars(select(ControlItem).where(ControlItem.order_id == order_id, *where)).all()
    if where and not rows:
        raise Forbidden.of("order_id", "controls.order_elsewhere", id=order_id, own=uow.principal.township_code or "")
    order_of = {a: i for i, a in enumerate(v.CONTROL_ACTIONS)}
    rows = sorted(rows, key=lambda r: (order_of[r.action], r.township_code, r.name, r.id))
    items = tuple(ItemRecord(r.id, r.action, r.target_layer, r.target_id, r.name, r.sector, r.category,
                             r.township_code, towns.get(r.township_code, r.township_code), r.contact_person,
                             r.contact_phone, r.people, r.detail, bool(r.is_sample), r.confirmed_at, r.confirmed_by,
                             r.note, r.road_block_id) for r in rows)
    progress = {a: {"confirmed": sum(1 for i in items if i.action == a and i.confirmed_at is not None),
                    "total": sum(1 for i in items if i.action == a)} for a in v.CONTROL_ACTIONS}
    summary = _summary(order, progress, any(i.is_sample for i in items))
    return OrderDetail(summary, json.loads(shapely.to_geojson(shapely.set_precision(order.area, 1e-6))), items)

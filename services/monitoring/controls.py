"""熔断 (issue 15 point 4): the controls 禁、停、撤、疏 a warning area calls for at a level, issued as one order whose
items are ticked off as each site, road zone or hazard point confirms.

Which controls apply at which level is the configured table (config_controls.py, ``settings.monitoring.controls``).
The area is a warning's, or townships and/or a drawn polygon. What lies in it: enterprises whose point is inside (by the
rules' sectors and categories), hazard points inside (撤 their threatened people; 禁 their influence zone where a
road of the deployment's network crosses it). Issuing stores the order and its items in the caller's transaction;
an item is confirmed once, by a conditional UPDATE, and a road item confirmed by someone who may close roads closes
the zone (services/roads/closures.py) in the same transaction. Reads and printouts are in control_reads.py and
control_print.py.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import shapely
from sqlalchemy import exists, select, update

from services import vocabulary as v
from services.db import audit
from services.db.uow import UnitOfWork
from services.errors import Conflict, FieldError, NotFound
from services.map.area import circle_polygon, polygon_from_geojson
from services.models import ControlItem, ControlOrder, Enterprise, HazardPoint, RoadBlock, Township, Warning, utcnow
from services.roads.network import base_graph
from services.text import t

MIN_ZONE_M = 10.0  # a hazard zone at least this wide (as services/roads/closures.py draws them)
ROAD_NAMES_LISTED = 6
NOTE_CHARS = 500


class ControlError(FieldError):
    """A 熔断 request that cannot be applied (no area, unknown township, bad level, nothing to control)."""


@dataclass
class ControlRequest:
    """What the controls are for: a warning (its area, level and hazard type) or townships and/or a polygon with a
    level; ``drill_id`` 0 for live."""

    level: str | None = None
    townships: list[str] = field(default_factory=list)
    polygon: dict | None = None
    warning_id: int | None = None
    hazard_type: str = v.WARNING_DEFAULT_HAZARD
    drill_id: int = 0


@dataclass(frozen=True)
class ControlTarget:
    """One control that applies: the action, what it names (layer and id), and who to call."""

    action: str
    layer: str            # enterprises | hazards | roads
    target_id: int
    name: str
    sector: str | None
    category: str | None
    township_code: str
    township_name: str
    contact_person: str | None
    contact_phone: str | None
    people: int | None    # 撤: threatened people
    detail: str | None    # 禁: the roads through the zone
    is_sample: bool

    def to_json(self) -> dict:
        return dict(self.__dict__)


@dataclass(frozen=True)
class ControlPreview:
    level: str
    hazard_type: str
    warning_id: int | None
    area_description: str
    area: object          # shapely geometry (WGS-84)
    items: tuple[ControlTarget, ...]

    @property
    def counts(self) -> dict[str, int]:
        return {a: sum(1 for i in self.items if i.action == a) for a in v.CONTROL_ACTIONS}

    @property
    def people(self) -> int:
        return sum(i.people or 0 for i in self.items if i.action == v.CONTROL_EVACUATE)

    @property
    def sample(self) -> bool:
        return any(i.is_sample for i in self.items)

    def to_json(self) -> dict:
        return {"level": self.level, "hazard_type": self.hazard_type, "warning_id": self.warning_id,
                "area_description": self.area_description, "counts": self.counts, "people": self.people,
                "sample": self.sample, "items": [i.to_json() for i in self.items]}


def _level(level: str | None) -> str:
    if level not in v.WARNING_COLOUR_LEVELS:
        raise ControlError.of("level", "controls.level_invalid", levels=t("list.separator").join(v.WARNING_COLOUR_LEVELS))
    return level


def _area(uow: UnitOfWork, req: ControlRequest) -> tuple[object, str, str, str]:
    """(area, description, level, hazard type) of the request; the warning's unless townships or a polygon."""
    session = uow.session
    if req.warning_id is not None:
        if req.townships or req.polygon is not None:
            raise ControlError.of("warning_id", "controls.one_area")
        warning = session.get(Warning, req.warning_id)
        if warning is None:
            raise NotFound.of("warning_id", "warning.not_found", id=req.warning_id)
        if warning.area is None:
            raise ControlError.of("warning_id", "controls.warning_no_area", id=req.warning_id)
        level = _level(req.level or warning.level)
        return warning.area, warning.area_description, level, warning.hazard_type
    level = _level(req.level)
    parts, names = [], []
    codes = list(dict.fromkeys(req.townships))
    found = {c: (n, g) for c, n, g in session.execute(select(Township.code, Township.name, Township.geom)
                                                      .where(Township.code.in_(codes)))}
    for code in codes:
        if code not in found:
            raise ControlError.of("townships", "controls.township_unknown", township=str(code)[:20])
        parts.append(found[code][1])
        names.append(found[code][0])
    if req.polygon is not None:
        parts.append(polygon_from_geojson(req.polygon, "polygon", ControlError))
        names.append(t("warning.area_drawn"))
    if not parts:
        raise ControlError.of("area", "controls.area_required")
    hazard = (req.hazard_type or v.WARNING_DEFAULT_HAZARD).strip()[:20] or v.WARNING_DEFAULT_HAZARD
    return shapely.union_all(parts), t("list.separator").join(names)[:500], level, hazard


def _inside(area, lon, lat) -> np.ndarray:
    return shapely.contains_xy(area, np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))


def _bbox(column_lon, column_lat, area):
    x0, y0, x1, y1 = area.bounds
    return (column_lon >= x0, column_lon <= x1, column_lat >= y0, column_lat <= y1)


def _enterprise_targets(uow: UnitOfWork, area, rules, towns: dict) -> list[ControlTarget]:
    rules = [r for r in rules if r.target == "enterprises"]
    if not rules:
        return []
    rows = uow.session.execute(select(Enterprise).where(Enterprise.sector.in_({r.sector for r in rules}),
                                                        *_bbox(Enterprise.lon, Enterprise.lat, area))
                               .order_by(Enterprise.id)).scalars().all()
    inside = _inside(area, [e.lon for e in rows], [e.lat for e in rows]) if rows else []
    targets: dict[tuple[str, int], ControlTarget] = {}
    for e, ok in zip(rows, inside):
        if not ok:
            continue
        for rule in rules:
            if rule.matches(e.sector, e.category) and (rule.action, e.id) not in targets:
                targets[(rule.action, e.id)] = ControlTarget(
                    rule.action, "enterprises", e.id, e.name, e.sector, e.category, e.township_code,
                    towns.get(e.township_code, e.township_code), e.contact_person, e.contact_phone, None, None,
                    bool(e.is_sample))
    return list(targets.values())


def _hazard_targets(uow: UnitOfWork, area, rules, towns: dict) -> list[ControlTarget]:
    wanted = {r.target for r in rules}
    if not wanted & {"hazards", "roads"}:
        return []
    rows = uow.session.execute(select(HazardPoint).where(*_bbox(HazardPoint.lon, HazardPoint.lat, area))
                               .order_by(HazardPoint.id)).scalars().all()
    inside = _inside(area, [h.lon for h in rows], [h.lat for h in rows]) if rows else []
    hazards = [h for h, ok in zip(rows, inside) if ok]
    targets = []
    for h in hazards:
        if "hazards" in wanted and h.threatened_people > 0:
            targets.append(ControlTarget(v.CONTROL_EVACUATE, "hazards", h.id, h.name, h.hazard_type, None,
                                         h.township_code, towns.get(h.township_code, h.township_code),
                                         h.contact_person, h.contact_phone, h.threatened_people, None,
                                         bool(h.is_sample)))
    if "roads" in wanted and hazards:
        graph = base_graph(uow.settings)
        for h in hazards:
            crossing = np.nonzero(graph.edges_crossing(hazard_zone(h)))[0]
            if not len(crossing):
                continue
            names = list(dict.fromkeys(graph.edge_name[e] for e in crossing if graph.edge_name[e]))
            detail = t("list.separator").join(names[:ROAD_NAMES_LISTED]) if names else None
            targets.append(ControlTarget(v.CONTROL_BAN, "roads", h.id, h.name, h.hazard_type, None, h.township_code,
                                         towns.get(h.township_code, h.township_code), h.contact_person,
                                         h.contact_phone, None, detail and detail[:300], bool(h.is_sample)))
    return targets


def hazard_zone(h: HazardPoint):
    """The influence circle of a hazard point (entry and the roads through it banned: 禁)."""
    return circle_polygon(h.lon, h.lat, max(h.influence_radius_m, MIN_ZONE_M))


_ACTION_ORDER = {a: i for i, a in enumerate(v.CONTROL_ACTIONS)}


def preview_controls(uow: UnitOfWork, req: ControlRequest) -> ControlPreview:
    """What an order for ``req`` would hold: every control of the level's rules in the area, by action (禁停撤疏),
    then township and name. Held by those who issue warnings (the commander issues the order)."""
    uow.principal.require("warning.issue")
    return _preview(uow, req)


def _preview(uow: UnitOfWork, req: ControlRequest) -> ControlPreview:
    area, description, level, hazard = _area(uow, req)
    rules = uow.settings.monitoring.controls.for_level(level)
    towns = dict(uow.session.execute(select(Township.code, Township.name)).all())
    items = _enterprise_targets(uow, area, rules, towns) + _hazard_targets(uow, area, rules, towns)
    items.sort(key=lambda i: (_ACTION_ORDER[i.action], i.township_code, i.name, i.target_id))
    return ControlPreview(level, hazard, req.warning_id, description, area, tuple(items))


def issue_controls(uow: UnitOfWork, req: ControlRequest) -> int:
    """Store the order and every item of its preview in the caller's transaction (the commander's: controls.issue);
    an order with nothing to control is refused. Returns the order's id."""
    uow.principal.require("controls.issue")
    if not isinstance(req.drill_id, int) or req.drill_id < 0:
        raise ControlError.of("drill_id", "controls.drill_invalid")
    preview = _preview(uow, req)
    if not preview.items:
        raise ControlError.of("level", "controls.nothing", level=preview.level)
    session = uow.session
    order = ControlOrder(drill_id=req.drill_id, warning_id=req.warning_id, level=preview.level,
                         hazard_type=preview.hazard_type, area=preview.area,
                         area_description=preview.area_description, created_by=uow.actor[:80])
    session.add(order)
    session.flush()
    session.add_all(ControlItem(order_id=order.id, action=i.action, target_layer=i.layer, target_id=i.target_id,
                                name=i.name[:200], sector=i.sector, category=i.category,
                                township_code=i.township_code, contact_person=i.contact_person,
                                contact_phone=i.contact_phone, people=i.people, detail=i.detail,
                                is_sample=i.is_sample) for i in preview.items)
    session.flush()
    audit.record(session, actor=uow.actor, action="issue", entity="control_order", entity_key=str(order.id),
                 detail={"level": preview.level, "warning_id": req.warning_id, "drill_id": req.drill_id,
                         "counts": preview.counts})
    return order.id


def confirm_item(uow: UnitOfWork, item_id: int, note: str | None = None) -> int | None:
    """Tick an item off, once, while its order is open: a conditional UPDATE decides, so of two confirming at once
    one wins and the other is told it is done. Township staff confirm only items of their own township. A road
    item confirmed by someone who may close roads closes its hazard zone (an area closure); returns that
    closure's id, if any."""
    uow.principal.require("controls.confirm")
    session = uow.session
    item = session.get(ControlItem, item_id)
    if item is None:
        raise NotFound.of("item_id", "controls.item_not_found", id=item_id)
    uow.principal.require_township("controls.confirm", item.township_code)
    note = (note or "").strip()[:NOTE_CHARS] or None
    is_open = exists().where(ControlOrder.id == ControlItem.order_id, ControlOrder.closed_at.is_(None))
    won = session.execute(update(ControlItem)
                          .where(ControlItem.id == item_id, ControlItem.confirmed_at.is_(None), is_open)
                          .values(confirmed_at=utcnow(), confirmed_by=uow.actor[:80], note=note)
                          .returning(ControlItem.id).execution_options(synchronize_session=False)).scalar()
    if won is None:
        session.refresh(item)
        if item.confirmed_at is not None:
            raise Conflict.of("item_id", "controls.item_confirmed", name=item.name, by=item.confirmed_by or "")
        raise Conflict.of("item_id", "controls.order_closed", id=item.order_id)
    block_id = _close_zone(uow, item) if item.target_layer == "roads" else None
    audit.record(session, actor=uow.actor, action="confirm", entity="control_item", entity_key=str(item_id),
                 detail={"order_id": item.order_id, "action": item.action, "name": item.name,
                         "road_block_id": block_id})
    return block_id


def _close_zone(uow: UnitOfWork, item: ControlItem) -> int | None:
    """The road closure of a confirmed 禁 item: its hazard zone, unless the zone is closed already (then that
    closure is linked) or the confirmer may not close roads (township staff: recorded only)."""
    from services.roads.closures import block_area, closure_key
    hazard = uow.session.get(HazardPoint, item.target_id)
    if hazard is None or not uow.principal.may("road.close"):
        return None
    zone = hazard_zone(hazard)
    try:
        block_id = block_area(uow, shapely.geometry.mapping(zone), t("controls.road_reason", name=item.name)).id
    except Conflict:  # closed already (a duty officer's closure of the same zone): link it
        block_id = uow.session.scalar(select(RoadBlock.id).where(RoadBlock.closure_key == closure_key("area", zone),
                                                                 RoadBlock.active.is_(True)))
    uow.session.execute(update(ControlItem).where(ControlItem.id == item.id).values(road_block_id=block_id)
                        .execution_options(synchronize_session=False))
    return block_id


def close_order(uow: UnitOfWork, order_id: int) -> list[int]:
    """Close an open order (the commander's, when the warning is lifted): once, by a conditional UPDATE; the road
    closures its items made and still active are lifted with it. Returns the ids of the closures lifted."""
    from services.roads.closures import lift_block
    uow.principal.require("controls.issue")
    session = uow.session
    closed = session.execute(update(ControlOrder).where(ControlOrder.id == order_id, ControlOrder.closed_at.is_(None))
                             .values(closed_at=utcnow(), closed_by=uow.actor[:80]).returning(ControlOrder.id)
                             .execution_options(synchronize_session=False)).scalar()
    if closed is None:
        if session.get(ControlOrder, order_id) is None:
            raise NotFound.of("order_id", "controls.order_not_found", id=order_id)
        raise Conflict.of("order_id", "controls.order_closed", id=order_id)
    blocks = session.scalars(select(RoadBlock.id).join(ControlItem, ControlItem.road_block_id == RoadBlock.id)
                             .where(ControlItem.order_id == order_id, RoadBlock.active.is_(True))
                             .order_by(RoadBlock.id)).all()
    lifted = []
    for block_id in blocks:
        try:
            lift_block(uow, block_id)
            lifted.append(block_id)
        except NotFound:  # lifted by someone else meanwhile: nothing left to lift
            continue
    audit.record(session, actor=uow.actor, action="close", entity="control_order", entity_key=str(order_id),
                 detail={"road_blocks_lifted": lifted})
    return lifted

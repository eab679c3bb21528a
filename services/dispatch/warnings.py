"""Warnings (预警) and 叫应: a warning must reach each responsible person and be acknowledged.

The area is townships, hazard points (their influence zones) and/or a drawn polygon; the monitors of the
hazard points inside it are added as recipients. A recipient who has not acknowledged within the
warning's timeout (15 minutes by default) is escalated, shown red, until they do.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

import shapely
from sqlalchemy import select

from config import Settings
from services.db import audit, read_session, transaction
from services.errors import FieldError
from services.map.area import circle_polygon, polygon_from_geojson
from services.models import HazardPoint, Township, Warning, WarningRecipient, utcnow

LEVELS = ("蓝", "黄", "橙", "红")


class WarningError(FieldError):
    """A warning, acknowledgement or lifting that cannot be applied."""


@dataclass
class WarningRequest:
    level: str
    hazard_type: str
    headline: str
    valid_hours: float = 24.0
    townships: list[str] = field(default_factory=list)
    hazard_ids: list[int] = field(default_factory=list)
    polygon: dict | None = None
    recipients: list[dict] = field(default_factory=list)  # {"name", "role", "phone"}
    include_hazard_monitors: bool = True
    ack_timeout_min: int = 15


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _aware(at: dt.datetime | None) -> dt.datetime | None:
    return None if at is None else (at if at.tzinfo else at.replace(tzinfo=dt.timezone.utc))


def _area(session, req: WarningRequest):
    parts, names = [], []
    for township in session.scalars(select(Township).where(Township.code.in_(req.townships))):
        parts.append(township.geom)
        names.append(township.name)
    if len(names) != len(set(req.townships)):
        raise WarningError("townships", "含有不是本区的乡镇街道代码", "unknown township code")
    for hazard in session.scalars(select(HazardPoint).where(HazardPoint.id.in_(req.hazard_ids))):
        parts.append(circle_polygon(hazard.lon, hazard.lat, max(hazard.influence_radius_m, 50.0)))
        names.append(hazard.name)
    if req.polygon is not None:
        parts.append(polygon_from_geojson(req.polygon, "polygon", WarningError))
        names.append("圈选范围")
    if not parts:
        raise WarningError("area", "请选择预警范围（乡镇、隐患点或圈选）", "choose an area: townships, hazards or a polygon")
    return shapely.union_all(parts), "、".join(names)[:500]


def issue_warning(settings: Settings, req: WarningRequest, *, actor: str) -> int:
    if req.level not in LEVELS:
        raise WarningError("level", "预警等级应为 蓝/黄/橙/红", "level must be 蓝, 黄, 橙 or 红")
    if not req.headline.strip() or not req.hazard_type.strip():
        raise WarningError("headline", "请填写预警标题和灾种", "headline and hazard type are required")
    if not 0 < req.valid_hours <= 24 * 30 or not 1 <= req.ack_timeout_min <= 24 * 60:
        raise WarningError("valid_hours", "有效期 0–720 小时，叫应时限 1–1440 分钟",
                           "valid_hours 0-720 and ack_timeout_min 1-1440")
    with transaction(settings.database_url) as session:
        area, description = _area(session, req)
        people = {(r.get("name", "").strip(), str(r.get("phone") or "")): r.get("role") or "责任人"
                  for r in req.recipients if r.get("name", "").strip()}
        if req.include_hazard_monitors:
            shapely.prepare(area)
            for h in session.scalars(select(HazardPoint).where(HazardPoint.contact_person.is_not(None))):
                if area.intersects(shapely.Point(h.lon, h.lat)):
                    people.setdefault((h.contact_person, h.contact_phone or ""), f"监测员（{h.name}）"[:40])
        if not people:
            raise WarningError("recipients", "预警没有接收人", "the warning has no recipient")
        warning = Warning(level=req.level, hazard_type=req.hazard_type.strip()[:20], headline=req.headline.strip()[:200],
                          area_description=description, area=area, issued_by=actor,
                          valid_until=_now() + dt.timedelta(hours=req.valid_hours), ack_timeout_min=req.ack_timeout_min)
        session.add(warning)
        session.flush()
        session.add_all(WarningRecipient(warning_id=warning.id, name=name[:80], role=role[:40], phone=phone or None)
                        for (name, phone), role in people.items())
        audit.record(session, actor=actor, action="issue", entity="warning", entity_key=str(warning.id),
                     detail={"level": req.level, "recipients": len(people)})
        return warning.id


def acknowledge(settings: Settings, warning_id: int, recipient_id: int, *, actor: str) -> None:
    """Record a recipient's 叫应 (once)."""
    with transaction(settings.database_url) as session:
        recipient = session.get(WarningRecipient, recipient_id)
        if recipient is None or recipient.warning_id != warning_id:
            raise WarningError("id", "该预警没有这个接收人", "no such recipient of this warning")
        if recipient.acknowledged_at is not None:
            raise WarningError("recipient_id", f"{recipient.name} 已叫应", f"{recipient.name} has acknowledged already")
        recipient.acknowledged_at = utcnow()
        audit.record(session, actor=actor, action="acknowledge", entity="warning", entity_key=str(warning_id),
                     detail={"recipient": recipient.name})


def lift_warning(settings: Settings, warning_id: int, *, actor: str) -> None:
    with transaction(settings.database_url) as session:
        warning = session.get(Warning, warning_id)
        if warning is None or warning.lifted_at is not None:
            raise WarningError("id", f"没有生效中的预警 #{warning_id}", f"no active warning #{warning_id}")
        warning.lifted_at, warning.lifted_by = utcnow(), actor
        audit.record(session, actor=actor, action="lift", entity="warning", entity_key=str(warning_id))


def warning_status(settings: Settings, warning_id: int, now: dt.datetime | None = None) -> dict | None:
    """The warning with each recipient's state: acknowledged, waiting, or escalated (past the timeout)."""
    now = now or _now()
    with read_session(settings.database_url) as session:
        w = session.get(Warning, warning_id)
        if w is None:
            return None
        recipients = session.scalars(select(WarningRecipient).where(WarningRecipient.warning_id == warning_id)
                                     .order_by(WarningRecipient.id)).all()
        deadline = _aware(w.issued_at) + dt.timedelta(minutes=w.ack_timeout_min)
        rows = [{"id": r.id, "name": r.name, "role": r.role, "phone": r.phone,
                 "acknowledged_at": _aware(r.acknowledged_at).isoformat() if r.acknowledged_at else None,
                 "state": "acknowledged" if r.acknowledged_at else ("escalated" if now > deadline else "waiting")}
                for r in recipients]
        active = w.lifted_at is None and now < _aware(w.valid_until)
        return {"id": w.id, "level": w.level, "hazard_type": w.hazard_type, "headline": w.headline,
                "area_description": w.area_description, "issued_at": _aware(w.issued_at).isoformat(),
                "valid_until": _aware(w.valid_until).isoformat(), "issued_by": w.issued_by, "active": active,
                "lifted_at": _aware(w.lifted_at).isoformat() if w.lifted_at else None,
                "acknowledged": sum(r["state"] == "acknowledged" for r in rows), "recipients_total": len(rows),
                "escalated": sum(r["state"] == "escalated" for r in rows), "recipients": rows,
                "area": json.loads(shapely.to_geojson(w.area)) if w.area is not None else None}


def active_warnings(settings: Settings, now: dt.datetime | None = None) -> list[dict]:
    with read_session(settings.database_url) as session:
        ids = list(session.scalars(select(Warning.id).where(Warning.lifted_at.is_(None)).order_by(Warning.id.desc())))
    statuses = [warning_status(settings, i, now) for i in ids]
    return [{k: v for k, v in s.items() if k not in ("recipients", "area")} for s in statuses if s and s["active"]]

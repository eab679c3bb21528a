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
from sqlalchemy import exists, func, select, update

from services import vocabulary
from services.db import audit
from services.dispatch.ack_links import new_token
from services.db.uow import UnitOfWork
from services.errors import Conflict, FieldError, Forbidden, NotFound
from services.map.area import circle_polygon, polygon_from_geojson
from services.models import HazardPoint, Township, UserAccount, Warning, WarningRecipient, utcnow
from services.text import t, term

LEVELS = vocabulary.WARNING_COLOUR_LEVELS


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


def _area(session, req: WarningRequest):
    parts, names = [], []
    for township in session.scalars(select(Township).where(Township.code.in_(req.townships))):
        parts.append(township.geom)
        names.append(township.name)
    if len(names) != len(set(req.townships)):
        raise WarningError.of("townships", "warning.township_unknown")
    for hazard in session.scalars(select(HazardPoint).where(HazardPoint.id.in_(req.hazard_ids))):
        parts.append(circle_polygon(hazard.lon, hazard.lat, max(hazard.influence_radius_m, 50.0)))
        names.append(hazard.name)
    if req.polygon is not None:
        parts.append(polygon_from_geojson(req.polygon, "polygon", WarningError))
        names.append(t("warning.area_drawn"))
    if not parts:
        raise WarningError.of("area", "warning.area_required")
    # The description is stored with the warning (CAP <areaDesc>, written in zh-CN): names are data, the rest zh.
    return shapely.union_all(parts), t("list.separator").join(names)[:500]


def issue_warning(uow: UnitOfWork, req: WarningRequest) -> int:
    uow.principal.require("warning.issue")
    if req.level == vocabulary.WARNING_RED:
        uow.principal.require("warning.confirm_red")  # 红色预警 is the commander's to confirm
    if req.level not in LEVELS:
        raise WarningError.of("level", "warning.level_invalid")
    if not req.headline.strip() or not req.hazard_type.strip():
        raise WarningError.of("headline", "warning.headline_required")
    if not 0 < req.valid_hours <= 24 * 30 or not 1 <= req.ack_timeout_min <= 24 * 60:
        raise WarningError.of("valid_hours", "warning.limits")
    session = uow.session
    area, description = _area(session, req)
    people = {(r.get("name", "").strip(), str(r.get("phone") or "")):
              r.get("role") or vocabulary.RECIPIENT_RESPONSIBLE for r in req.recipients if r.get("name", "").strip()}
    if req.include_hazard_monitors:
        shapely.prepare(area)
        for h in session.scalars(select(HazardPoint).where(HazardPoint.contact_person.is_not(None))):
            if area.intersects(shapely.Point(h.lon, h.lat)):
                people.setdefault((h.contact_person, h.contact_phone or ""),
                                  t("warning.monitor_role", hazard=h.name)[:40])
    staff = _township_staff(session, area)
    if not people and not staff:
        raise WarningError.of("recipients", "warning.no_recipient")
    warning = Warning(level=req.level, hazard_type=req.hazard_type.strip()[:20], headline=req.headline.strip()[:200],
                      area_description=description, area=area, issued_by=uow.actor[:80],
                      valid_until=_now() + dt.timedelta(hours=req.valid_hours), ack_timeout_min=req.ack_timeout_min)
    session.add(warning)
    session.flush()
    session.add_all(WarningRecipient(warning_id=warning.id, name=name[:80], role=role[:40], phone=phone[:30] or None,
                                     ack_token=new_token())  # the personal 叫应 link (ack_links.py)
                    for (name, phone), role in people.items())
    session.add_all(WarningRecipient(warning_id=warning.id, user_id=user.id, name=user.display_name[:80],
                                     role=vocabulary.RECIPIENT_TOWNSHIP, phone=user.phone, ack_token=new_token())
                    for user in staff)
    audit.record(session, actor=uow.actor, action="issue", entity="warning", entity_key=str(warning.id),
                 detail={"level": req.level, "recipients": len(people) + len(staff)})
    return warning.id


def _township_staff(session, area) -> list[UserAccount]:
    """The active township accounts of every township the area reaches: recipients who acknowledge in one tap."""
    rows = session.execute(select(UserAccount, Township.geom).join(Township, Township.code == UserAccount.township_code)
                           .where(UserAccount.role == "township", UserAccount.disabled.is_(False))
                           .order_by(UserAccount.id)).all()
    return [user for user, geom in rows if reaches(area, geom)]


def acknowledge(uow: UnitOfWork, warning_id: int, recipient_id: int) -> None:
    """Record a recipient's 叫应, once, while the warning is in force (a conditional UPDATE decides).

    Township staff acknowledge only warnings whose area reaches their township.
    """
    uow.principal.require("warning.acknowledge")
    if uow.principal.scoped:
        _require_reaches_township(uow, warning_id)
    live = exists().where(Warning.id == warning_id, Warning.lifted_at.is_(None), Warning.valid_until > _now())
    done = uow.session.execute(
        update(WarningRecipient).where(WarningRecipient.id == recipient_id, WarningRecipient.warning_id == warning_id,
                                       WarningRecipient.acknowledged_at.is_(None), live)
        .values(acknowledged_at=utcnow()).returning(WarningRecipient.name)).first()
    if done is None:
        recipient = uow.session.get(WarningRecipient, recipient_id)
        if recipient is None or recipient.warning_id != warning_id:
            raise NotFound.of("recipient_id", "recipient.not_found")
        if recipient.acknowledged_at is not None:
            raise Conflict.of("recipient_id", "warning.acknowledged", name=recipient.name)
        raise Conflict.of("id", "warning.inactive", id=warning_id)
    audit.record(uow.session, actor=uow.actor, action="acknowledge", entity="warning", entity_key=str(warning_id),
                 detail={"recipient": done.name})


def acknowledge_mine(uow: UnitOfWork, warning_id: int) -> int:
    """A township user's 叫应 of their own recipient row, in one tap; returns the row's id.

    The row was added when the warning was issued (their township is in its area); the same conditional UPDATE
    as ``acknowledge`` decides, so a second tap is told it is done already.
    """
    uow.principal.require("warning.acknowledge")
    mine = uow.session.scalar(select(WarningRecipient.id).where(WarningRecipient.warning_id == warning_id,
                                                                WarningRecipient.user_id == uow.principal.user_id))
    if mine is None:
        if uow.session.get(Warning, warning_id) is None:
            raise NotFound.of("id", "warning.not_found", id=warning_id)
        raise NotFound.of("id", "warning.not_a_recipient", id=warning_id)
    acknowledge(uow, warning_id, mine)
    return mine


def reaches(area, township) -> bool:
    """Whether a warning's area covers part of a township: more than a shared border (or its rounding)."""
    return area is not None and area.intersects(township) and \
        area.intersection(township).area > 1e-6 * max(township.area, 1e-12)


def _require_reaches_township(uow: UnitOfWork, warning_id: int) -> None:
    warning = uow.session.get(Warning, warning_id)
    if warning is None:
        raise NotFound.of("id", "warning.not_found", id=warning_id)
    home = uow.session.get(Township, uow.principal.township_code)
    if home is None or not reaches(warning.area, home.geom):
        raise Forbidden.of("id", "permission.warning_elsewhere", id=warning_id, own=uow.principal.township_code)


def lift_warning(uow: UnitOfWork, warning_id: int) -> None:
    uow.principal.require("warning.lift")
    lifted = uow.session.execute(update(Warning).where(Warning.id == warning_id, Warning.lifted_at.is_(None))
                                 .values(lifted_at=utcnow(), lifted_by=uow.actor[:80]).returning(Warning.id)).first()
    if lifted is None:
        if uow.session.get(Warning, warning_id) is None:
            raise NotFound.of("id", "warning.not_found", id=warning_id)
        raise Conflict.of("id", "warning.lifted", id=warning_id)
    audit.record(uow.session, actor=uow.actor, action="lift", entity="warning", entity_key=str(warning_id))


def _summary(w: Warning, now: dt.datetime, total: int, acked: int, escalated: int) -> dict:
    return {"id": w.id, "level": w.level, "hazard_type": w.hazard_type, "headline": w.headline,
            "area_description": w.area_description, "issued_at": w.issued_at.isoformat(),
            "valid_until": w.valid_until.isoformat(), "issued_by": w.issued_by,
            "active": w.lifted_at is None and now < w.valid_until,
            "lifted_at": w.lifted_at.isoformat() if w.lifted_at else None,
            "acknowledged": acked, "recipients_total": total, "escalated": escalated}


def warning_status(uow: UnitOfWork, warning_id: int, now: dt.datetime | None = None) -> dict | None:
    """The warning with each recipient's state: acknowledged, waiting, or escalated (past the timeout)."""
    now = now or _now()
    w = uow.session.get(Warning, warning_id)
    if w is None:
        return None
    if uow.principal.scoped:
        _require_reaches_township(uow, warning_id)
    recipients = uow.session.scalars(select(WarningRecipient).where(WarningRecipient.warning_id == warning_id)
                                     .order_by(WarningRecipient.id)).all()
    deadline = w.issued_at + dt.timedelta(minutes=w.ack_timeout_min)
    rows = [{"id": r.id, "name": r.name, "role": r.role, "phone": r.phone,
             "acknowledged_at": r.acknowledged_at.isoformat() if r.acknowledged_at else None,
             "state": "acknowledged" if r.acknowledged_at else ("escalated" if now > deadline else "waiting")}
            for r in recipients]
    acked = sum(r["state"] == "acknowledged" for r in rows)
    escalated = sum(r["state"] == "escalated" for r in rows)
    return {**_summary(w, now, len(rows), acked, escalated), "recipients": rows,
            "area": json.loads(shapely.to_geojson(w.area)) if w.area is not None else None}


def active_warnings(uow: UnitOfWork, now: dt.datetime | None = None) -> list[dict]:
    """Warnings in force, newest first, with their 叫应 counts: two queries, whatever the number of warnings."""
    now = now or _now()
    live = select(Warning).where(Warning.lifted_at.is_(None), Warning.valid_until > now).order_by(Warning.id.desc())
    warnings = uow.session.scalars(live).all()
    if uow.principal.scoped:  # township staff: the warnings that reach their township
        home = uow.session.get(Township, uow.principal.township_code)
        warnings = [w for w in warnings if home is not None and reaches(w.area, home.geom)]
    if not warnings:
        return []
    counts = {row[0]: row[1:] for row in uow.session.execute(
        select(WarningRecipient.warning_id, func.count(),
               func.count(WarningRecipient.acknowledged_at))
        .where(WarningRecipient.warning_id.in_([w.id for w in warnings]))
        .group_by(WarningRecipient.warning_id))}
    result = []
    for w in warnings:
        total, acked = counts.get(w.id, (0, 0))
        overdue = now > w.issued_at + dt.timedelta(minutes=w.ack_timeout_min)
        result.append(_summary(w, now, total, acked, total - acked if overdue else 0))
    return result


def role_text(role: str | None, lang: str = "zh") -> str:
    """A recipient's role as the reader sees it: a vocabulary role (责任人, 监测员, 乡镇值守) in the reader's language,
    a hazard point's monitor as ``warning.monitor_role`` stored it (Chinese, with the point's name) re-rendered in the
    reader's language, any role a person typed (乡长) as typed."""
    if not role:
        return ""
    if role in vocabulary.RECIPIENT_ROLES:
        return term(role, lang)
    head, tail = t("warning.monitor_role", "zh", hazard="\0").split("\0")
    if role.startswith(head) and role.endswith(tail) and len(role) > len(head) + len(tail):
        return t("warning.monitor_role", lang, hazard=role[len(head):len(role) - len(tail)])
    return role


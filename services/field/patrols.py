"""Patrols of hazard points (巡查): what a township patrol found, the crack width measured, and a level raised.

A patrol that found more than 正常 may raise the point's warning level; it never lowers one. The raise is a
conditional UPDATE (``WHERE warning_level IN (<levels below>)``) on a row locked before it is read, so two
patrols raising at once end at the higher level whatever the order they commit in, and the audit log records
each raise with the level it replaced. Every patrol joins the live feed (an ``incident_event`` row naming the
patrol, numbered with the transaction's change number) with the point, its township, the finding, the crack
width and whether it raised the level, so the duty view sees it within its next poll.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import select, update

from services import vocabulary
from services.clock import as_utc
from services.db import audit
from services.db.uow import UnitOfWork
from services.errors import FieldError, NotFound
from services.models import HazardPatrol, HazardPoint, IncidentEvent, Photo, Township
from services.text import t

MAX_CRACK_MM = 10_000.0   # 10 m: a wider "crack" is a typing mistake
MAX_NOTE_CHARS = 2000
RANK = {level: i for i, level in enumerate(vocabulary.WARNING_LEVELS)}


class PatrolError(FieldError):
    """A patrol report that cannot be recorded."""


@dataclass(frozen=True)
class PatrolReport:
    state: str
    crack_width_mm: float | None = None
    note: str = ""
    raise_to: str | None = None  # a warning level above the point's present one, or None


@dataclass(frozen=True)
class Patrol:
    id: int
    hazard_id: int
    at: str                   # ISO 8601, UTC
    actor: str
    state: str
    crack_width_mm: float | None
    note: str | None
    level_before: str
    raised_to: str | None     # set when this patrol raised the level
    level_now: str            # the point's level after the patrol (higher than asked if someone raised it more)
    photo_ids: tuple[int, ...] = ()


def _check(report: PatrolReport) -> None:
    if report.state not in vocabulary.PATROL_STATES:
        raise PatrolError.of("state", "patrol.state_invalid", states=t("list.separator").join(vocabulary.PATROL_STATES))
    width = report.crack_width_mm
    if width is not None and (isinstance(width, bool) or not isinstance(width, (int, float)) or
                              not math.isfinite(width) or not 0 <= width <= MAX_CRACK_MM):
        raise PatrolError.of("crack_width_mm", "patrol.crack_range", limit=f"{MAX_CRACK_MM:,.0f}")
    if len(report.note or "") > MAX_NOTE_CHARS:
        raise PatrolError.of("note", "patrol.note_long", limit=MAX_NOTE_CHARS)
    if report.raise_to is not None:
        if report.raise_to not in vocabulary.WARNING_COLOUR_LEVELS:
            raise PatrolError.of("raise_to", "patrol.level_invalid")
        if report.state == vocabulary.PATROL_NORMAL:
            raise PatrolError.of("raise_to", "patrol.raise_needs_finding")


def hazard_township(uow: UnitOfWork, hazard_id: int) -> str:
    """The township of a hazard point (404 if there is no such point): what township staff are held to."""
    code = uow.session.scalar(select(HazardPoint.township_code).where(HazardPoint.id == hazard_id))
    if code is None:
        raise NotFound.of("hazard_id", "hazard.not_found", id=hazard_id)
    return code


def record_patrol(uow: UnitOfWork, hazard_id: int, report: PatrolReport) -> Patrol:
    """Record a patrol of ``hazard_id`` (township staff: of their own township) and raise its level if asked."""
    uow.principal.require_township("hazard.patrol", hazard_township(uow, hazard_id))
    _check(report)
    session = uow.session
    # Locked before it is read (PostgreSQL; SQLite's BEGIN IMMEDIATE serialises writers already): the level the
    # audit names as replaced is the one this write replaced.
    point = session.execute(select(HazardPoint.code, HazardPoint.name, HazardPoint.township_code,
                                   HazardPoint.warning_level).where(HazardPoint.id == hazard_id)
                            .with_for_update()).one()
    code, before = point.code, point.warning_level
    raised = None
    if report.raise_to is not None:
        below = [level for level in vocabulary.WARNING_LEVELS if RANK[level] < RANK[report.raise_to]]
        row = session.execute(update(HazardPoint).where(HazardPoint.id == hazard_id,
                                                        HazardPoint.warning_level.in_(below))
                              .values(warning_level=report.raise_to).returning(HazardPoint.id)).first()
        raised = report.raise_to if row is not None else None
    patrol = HazardPatrol(hazard_id=hazard_id, actor=uow.actor[:80], state=report.state,
                          crack_width_mm=None if report.crack_width_mm is None else float(report.crack_width_mm),
                          note=(report.note or "").strip() or None, level_before=before, raised_to=raised)
    session.add(patrol)
    session.flush()
    audit.record(session, actor=uow.actor, action="patrol", entity="hazard_point", entity_key=code,
                 detail={"patrol": patrol.id, "state": report.state, "crack_width_mm": patrol.crack_width_mm})
    if raised is not None:
        audit.record(session, actor=uow.actor, action="raise_level", entity="hazard_point", entity_key=code,
                     detail={"from": before, "to": raised, "patrol": patrol.id})
    _feed_event(uow, patrol, point.name, session.get(Township, point.township_code), raised or before)
    return _patrol(patrol, raised or before)  # the row is locked: nobody changed it since it was read


def _feed_event(uow: UnitOfWork, patrol: HazardPatrol, hazard: str, township: Township, level_now: str) -> None:
    """The patrol's line in the live feed: a catalogue code (with or without a crack width, raised or not) and
    the facts as parameters, numbered with the transaction's change number like every timeline event."""
    raised = patrol.raised_to is not None
    code = "event.patrol" + ("_crack" if patrol.crack_width_mm is not None else "") + ("_raised" if raised else "")
    params = {"hazard_id": patrol.hazard_id, "hazard": hazard, "township_code": township.code,
              "township": township.name, "township_en": township.name_en, "state": patrol.state,
              "crack_width_mm": patrol.crack_width_mm, "raised": raised, "before": patrol.level_before,
              "level": level_now}
    event = IncidentEvent(patrol_id=patrol.id, actor=uow.actor, kind="patrol", code=code, params=params)
    uow.session.add(event)
    audit.track_change(uow.session, event)


def _patrol(p: HazardPatrol, level_now: str, photo_ids: tuple[int, ...] = ()) -> Patrol:
    return Patrol(id=p.id, hazard_id=p.hazard_id, at=as_utc(p.at).isoformat(), actor=p.actor, state=p.state,
                  crack_width_mm=p.crack_width_mm, note=p.note, level_before=p.level_before, raised_to=p.raised_to,
                  level_now=level_now, photo_ids=photo_ids)


def patrols_of(uow: UnitOfWork, hazard_id: int, limit: int = 50) -> list[Patrol]:
    """The newest patrols of a hazard point first, with their photos (township staff: of their township only)."""
    uow.principal.require_township("records.read", hazard_township(uow, hazard_id))
    level = uow.session.scalar(select(HazardPoint.warning_level).where(HazardPoint.id == hazard_id))
    rows = uow.session.scalars(select(HazardPatrol).where(HazardPatrol.hazard_id == hazard_id)
                               .order_by(HazardPatrol.id.desc()).limit(limit)).all()
    photos: dict[int, list[int]] = {}
    if rows:
        for patrol_id, photo_id in uow.session.execute(
                select(Photo.patrol_id, Photo.id).where(Photo.patrol_id.in_([p.id for p in rows]))
                .order_by(Photo.id)):
            photos.setdefault(patrol_id, []).append(photo_id)
    return [_patrol(p, level, tuple(photos.get(p.id, ()))) for p in rows]


def patrol_township(uow: UnitOfWork, patrol_id: int) -> str:
    """The township of a patrol's hazard point (404 if there is no such patrol)."""
    code = uow.session.scalar(select(HazardPoint.township_code).join(HazardPatrol,
                                                                     HazardPatrol.hazard_id == HazardPoint.id)
                              .where(HazardPatrol.id == patrol_id))
    if code is None:
        raise NotFound.of("patrol_id", "patrol.not_found", id=patrol_id)
    return code

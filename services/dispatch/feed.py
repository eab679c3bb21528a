"""The duty officer's feed (动态): everything that happened, newest first, by kind.

Six kinds: incident timelines (接报, status, orders, photos), hazard patrols, warnings issued and lifted, 叫应
(each acknowledgement, each escalation by the duty officer, and each recipient past the warning's timeout, once,
at the moment they became overdue),
road closures and their lifting, and evacuation moves. Each source is read newest first (``limit`` rows each) and
the lines merged by time, so the newest events are always the ones shown, whatever the history. A line is a
catalogue code with parameters, rendered in the reader's language when read.

Township staff read their own township: its incidents and patrols, the warnings that reach it (and their 叫应),
closures that touch it, and moves from its hazard points.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

from sqlalchemy import select

from services.clock import as_utc
from services.db.uow import UnitOfWork
from services.dispatch.incidents import _in_scope
from services.dispatch.warnings import reaches
from services.models import (
    EvacuationMove,
    HazardPoint,
    IncidentEvent,
    RoadBlock,
    Shelter,
    Township,
    Warning,
    WarningRecipient,
)
from services.text import t

INCIDENT, PATROL, WARNING, ACK, CLOSURE, MOVE = "incident", "patrol", "warning", "ack", "closure", "move"
FEED_KINDS = (INCIDENT, PATROL, WARNING, ACK, CLOSURE, MOVE)


@dataclass(frozen=True)
class FeedLine:
    """One line of the feed: when (UTC), its kind, who, what (code + params), whether it is an alarm (red)."""

    at: dt.datetime
    kind: str
    actor: str
    code: str
    params: dict = field(default_factory=dict)
    alarm: bool = False
    incident_id: int | None = None
    warning_id: int | None = None

    def text(self, lang: str = "zh") -> str:
        return t(self.code, lang, **self.params)

    def to_json(self) -> dict:
        return {**asdict(self), "at": self.at.isoformat(), "text": self.text("zh"), "text_en": self.text("en")}


def duty_feed(uow: UnitOfWork, kinds=None, limit: int = 50, now: dt.datetime | None = None) -> list[FeedLine]:
    """The newest ``limit`` lines of the kinds asked for (all when ``kinds`` is None), newest first."""
    wanted = set(FEED_KINDS if kinds is None else kinds)
    now = as_utc(now or dt.datetime.now(dt.timezone.utc))
    lines: list[FeedLine] = []
    if wanted & {INCIDENT, PATROL}:
        lines += _events(uow, wanted, limit)
    if wanted & {WARNING, ACK}:
        lines += _warnings(uow, wanted, limit, now)
    if CLOSURE in wanted:
        lines += _closures(uow, limit)
    if MOVE in wanted:
        lines += _moves(uow, limit)
    lines.sort(key=lambda line: line.at, reverse=True)
    return lines[:limit]


def _home(uow: UnitOfWork):
    """The township user's township geometry (None for everyone else)."""
    if uow.principal.township_filter() is None:
        return None
    home = uow.session.get(Township, uow.principal.township_filter())
    return home.geom if home is not None else Township  # a township without a geometry sees nothing


def _events(uow: UnitOfWork, wanted: set, limit: int) -> list[FeedLine]:
    query = _in_scope(uow, select(IncidentEvent))
    if INCIDENT not in wanted:
        query = query.where(IncidentEvent.patrol_id.is_not(None))
    elif PATROL not in wanted:
        query = query.where(IncidentEvent.incident_id.is_not(None))
    rows = uow.session.scalars(query.order_by(IncidentEvent.at.desc(), IncidentEvent.id.desc()).limit(limit))
    return [FeedLine(as_utc(e.at), PATROL if e.patrol_id else INCIDENT, e.actor, e.code, dict(e.params or {}),
                     alarm=bool((e.params or {}).get("raised")), incident_id=e.incident_id) for e in rows]


def _warnings(uow: UnitOfWork, wanted: set, limit: int, now: dt.datetime) -> list[FeedLine]:
    session, home = uow.session, _home(uow)
    recent = session.scalars(select(Warning).order_by(Warning.issued_at.desc(), Warning.id.desc()).limit(limit)).all()
    lifted = session.scalars(select(Warning).where(Warning.lifted_at.is_not(None))
                             .order_by(Warning.lifted_at.desc()).limit(limit)).all()
    ours = (lambda w: True) if home is None else (lambda w: home is not Township and reaches(w.area, home))
    lines = []
    if WARNING in wanted:
        lines += [FeedLine(as_utc(w.issued_at), WARNING, w.issued_by, "feed.warning_issued",
                           {"id": w.id, "level": w.level, "headline": w.headline}, warning_id=w.id)
                  for w in recent if ours(w)]
        lines += [FeedLine(as_utc(w.lifted_at), WARNING, w.lifted_by or "", "feed.warning_lifted",
                           {"id": w.id, "level": w.level, "headline": w.headline}, warning_id=w.id)
                  for w in lifted if ours(w)]
    if ACK in wanted:
        acks = session.execute(select(WarningRecipient, Warning).join(Warning)
                               .where(WarningRecipient.acknowledged_at.is_not(None))
                               .order_by(WarningRecipient.acknowledged_at.desc()).limit(limit)).all()
        lines += [FeedLine(as_utc(r.acknowledged_at), ACK, r.name, "feed.ack",
                           {"id": w.id, "name": r.name, "headline": w.headline}, warning_id=w.id)
                  for r, w in acks if ours(w)]
        raised = session.execute(select(WarningRecipient, Warning).join(Warning)
                                 .where(WarningRecipient.escalated_at.is_not(None))
                                 .order_by(WarningRecipient.escalated_at.desc()).limit(limit)).all()
        lines += [FeedLine(as_utc(r.escalated_at), ACK, r.escalated_by or "", "feed.escalated",
                           {"id": w.id, "name": r.name, "headline": w.headline}, alarm=True, warning_id=w.id)
                  for r, w in raised if ours(w)]
        # Overdue: a recipient of a warning in force who has not confirmed past its timeout, at that moment.
        live = [w for w in session.scalars(select(Warning).where(Warning.lifted_at.is_(None),
                                                                 Warning.valid_until > now)) if ours(w)]
        late = {w.id: as_utc(w.issued_at) + dt.timedelta(minutes=w.ack_timeout_min) for w in live}
        late = {k: v for k, v in late.items() if v < now}
        if late:
            by_id = {w.id: w for w in live}
            waiting = session.scalars(select(WarningRecipient).where(WarningRecipient.warning_id.in_(list(late)),
                                                                     WarningRecipient.acknowledged_at.is_(None))
                                      .order_by(WarningRecipient.id)).all()
            lines += [FeedLine(late[r.warning_id], ACK, "", "feed.ack_overdue",
                               {"id": r.warning_id, "name": r.name, "headline": by_id[r.warning_id].headline},
                               alarm=True, warning_id=r.warning_id) for r in waiting]
    return lines


def _closures(uow: UnitOfWork, limit: int) -> list[FeedLine]:
    session, home = uow.session, _home(uow)
    made = session.scalars(select(RoadBlock).order_by(RoadBlock.created_at.desc(), RoadBlock.id.desc())
                           .limit(limit)).all()
    lifted = session.scalars(select(RoadBlock).where(RoadBlock.lifted_at.is_not(None))
                             .order_by(RoadBlock.lifted_at.desc()).limit(limit)).all()
    ours = (lambda b: True) if home is None else (lambda b: home is not Township and b.geom.intersects(home))
    return ([FeedLine(as_utc(b.created_at), CLOSURE, b.actor, "feed.closure", {"id": b.id, "reason": b.reason})
             for b in made if ours(b)] +
            [FeedLine(as_utc(b.lifted_at), CLOSURE, b.lifted_by or "", "feed.closure_lifted",
                      {"id": b.id, "reason": b.reason}) for b in lifted if ours(b)])


def _moves(uow: UnitOfWork, limit: int) -> list[FeedLine]:
    query = (select(EvacuationMove, HazardPoint.name, Shelter.name).join(HazardPoint)
             .outerjoin(Shelter, Shelter.id == EvacuationMove.shelter_id))
    if uow.principal.township_filter() is not None:
        query = query.where(HazardPoint.township_code == uow.principal.township_filter())
    rows = uow.session.execute(query.order_by(EvacuationMove.at.desc(), EvacuationMove.id.desc()).limit(limit))
    return [FeedLine(as_utc(m.at), MOVE, m.actor, "feed.move_housed" if shelter else "feed.move",
                     {"people": m.people, "hazard": hazard, **({"shelter": shelter} if shelter else {})})
            for m, hazard, shelter in rows]

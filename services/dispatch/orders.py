"""Dispatch orders (派遣指令): a team sent to an incident, 已派 → 出发 → 到达 → 完成 (or 取消).

A team holds one active order at a time: a partial unique index decides in the database, so of two
dispatchers racing for one team exactly one succeeds and the other is told why, whatever the processes.
"""
from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from services import vocabulary
from services.db import audit
from services.db.uow import UnitOfWork
from services.dispatch.incidents import add_event, transition
from services.errors import Conflict, NotFound
from services.models import DispatchOrder, Incident, RescueTeam

ACTIVE_TEAM_INDEX = "uq_dispatch_order_active_team"


def _is_team_clash(exc: IntegrityError) -> bool:
    """True when the one-active-order-per-team index refused the row (PostgreSQL names it; SQLite names columns)."""
    text = str(exc.orig)
    return ACTIVE_TEAM_INDEX in text or "dispatch_order.team_id" in text


def assign_team(uow: UnitOfWork, incident_id: int, team_id: int, *, eta_s: float | None = None) -> int:
    """Send a team to an incident; refused (``Conflict``) if the team already has an active order."""
    uow.principal.require("dispatch.order")
    session = uow.session
    incident, team = session.get(Incident, incident_id), session.get(RescueTeam, team_id)
    if incident is None:
        raise NotFound.of("incident_id", "incident.not_found", id=incident_id)
    if team is None:
        raise NotFound.of("team_id", "team.not_found", id=team_id)
    if incident.status == vocabulary.INCIDENT_CLOSED:
        raise Conflict.of("incident_id", "incident.closed")
    order = DispatchOrder(incident_id=incident_id, team_id=team_id, status=vocabulary.ORDER_SENT, actor=uow.actor,
                          eta_s=eta_s)
    try:
        with session.begin_nested():  # the partial unique index decides here, in the database
            session.add(order)
    except IntegrityError as exc:
        if not _is_team_clash(exc):
            raise
        raise Conflict.of("team_id", "team.busy") from None
    session.execute(update(RescueTeam).where(RescueTeam.id == team_id).values(status=vocabulary.TEAM_DEPLOYED))
    add_event(uow, incident_id, "order", "event.dispatch", {"team": team.name})
    audit.record(session, actor=uow.actor, action="dispatch", entity="rescue_team", entity_key=team.code,
                 detail={"incident": incident_id, "order": order.id})
    return order.id


def advance_order(uow: UnitOfWork, order_id: int, status: str) -> None:
    """出发 / 到达 / 完成 / 取消 (on the way, arrived, done, cancelled); the team is back on standby when its order
    ends."""
    uow.principal.require("dispatch.order")
    before = transition(uow, DispatchOrder, order_id, status, vocabulary.ORDER_TRANSITIONS, "order")
    order = uow.session.get(DispatchOrder, order_id)
    team = uow.session.get(RescueTeam, order.team_id)
    if status in vocabulary.ENDED_ORDER_STATUSES:
        uow.session.execute(update(RescueTeam).where(RescueTeam.id == order.team_id)
                            .values(status=vocabulary.TEAM_STANDBY))
    add_event(uow, order.incident_id, "order", "event.order", {"team": team.name, "before": before, "status": status})
    audit.record(uow.session, actor=uow.actor, action="update", entity="dispatch_order", entity_key=str(order_id),
                 detail={"from": before, "to": status})


def active_orders(uow: UnitOfWork) -> list[dict]:
    """Orders not yet finished, newest first, with their team and incident."""
    rows = uow.session.execute(select(DispatchOrder, RescueTeam.name, Incident.title)
                               .join(RescueTeam, RescueTeam.id == DispatchOrder.team_id)
                               .join(Incident, Incident.id == DispatchOrder.incident_id)
                               .where(DispatchOrder.status.in_(vocabulary.ACTIVE_ORDER_STATUSES))
                               .order_by(DispatchOrder.id.desc())).all()
    return [{"id": o.id, "status": o.status, "team": team, "incident": title, "eta_s": o.eta_s,
             "next": list(vocabulary.ORDER_TRANSITIONS[o.status])} for o, team, title in rows]

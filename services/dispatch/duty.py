"""The duty officer's live picture (值班态势): headline figures from one snapshot, and the change counter to poll.

Every write transaction takes the next change number when it commits (services.db.audit), so a live view polls
one row and redraws only when the number moved; numbers are committed in order on both back-ends.
"""
from __future__ import annotations

from sqlalchemy import func, select

from services import vocabulary
from services.db import audit
from services.db.uow import UnitOfWork
from services.dispatch.warnings import active_warnings
from services.evacuation.moves import move_totals
from services.evacuation.shelters import capacity_summary
from services.models import DispatchOrder, Incident


def change_counter(uow: UnitOfWork) -> int:
    return audit.change_counter(uow.session)


def duty_figures(uow: UnitOfWork) -> dict:
    """The headline figures; township staff get their township's (incidents there, orders for them, its shelters)."""
    session = uow.session
    home = uow.principal.township_filter()
    open_incidents = select(Incident.level, func.count()).where(Incident.status != vocabulary.INCIDENT_CLOSED)
    if home is not None:
        open_incidents = open_incidents.where(Incident.township_code == home)
    by_level = dict(session.execute(open_incidents.group_by(Incident.level)).all())
    orders = select(DispatchOrder.team_id).where(DispatchOrder.status.in_(vocabulary.ACTIVE_ORDER_STATUSES))
    if home is not None:
        orders = orders.join(Incident, Incident.id == DispatchOrder.incident_id).where(Incident.township_code == home)
    # Teams out: the teams with an active order (sent, on the way, on site), whatever their roster status says;
    # one active order per team is held by the database, so counting orders counts teams.
    teams_out = session.scalar(select(func.count(func.distinct(orders.subquery().c.team_id))))
    active_orders = session.scalar(select(func.count()).select_from(orders.subquery()))
    warnings = active_warnings(uow)
    capacity = capacity_summary(uow)
    return {
        "incidents_by_level": {level: int(by_level.get(level, 0)) for level in vocabulary.INCIDENT_LEVELS},
        "warnings_active": len(warnings),
        "recipients_waiting": sum(w["recipients_total"] - w["acknowledged"] for w in warnings),
        "recipients_escalated": sum(w["escalated"] for w in warnings),
        "teams_out": int(teams_out or 0), "active_orders": int(active_orders or 0),
        "people_moved": move_totals(uow).moved,
        "people_evacuated": capacity.occupancy_people, "places_free": capacity.available_places,
        "target_people": capacity.target_people,
    }

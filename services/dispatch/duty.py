"""The duty officer's live picture (值班态势): headline figures and a cheap change counter to poll.

Every write in the product lands in the audit log in its own transaction, so the newest audit id is the
change counter: a live view polls it every few seconds and redraws only when it moves.
"""
from __future__ import annotations

from sqlalchemy import func, select

from config import Settings
from services import vocabulary
from services.db import read_session
from services.dispatch.warnings import active_warnings
from services.evacuation.shelters import capacity_summary, evacuation_progress
from services.models import AuditLog, DispatchOrder, Incident, RescueTeam


def change_counter(settings: Settings) -> int:
    with read_session(settings.database_url) as session:
        return int(session.scalar(select(func.coalesce(func.max(AuditLog.id), 0))))


def duty_figures(settings: Settings) -> dict:
    with read_session(settings.database_url) as session:
        by_level = dict(session.execute(select(Incident.level, func.count()).where(Incident.status != "已结束")
                                        .group_by(Incident.level)).all())
        teams_out = session.scalar(select(func.count()).select_from(RescueTeam).where(RescueTeam.status == "出动"))
        active_orders = session.scalar(select(func.count()).select_from(DispatchOrder).where(
            DispatchOrder.status.in_(vocabulary.ACTIVE_ORDER_STATUSES)))
    warnings = active_warnings(settings)
    capacity = capacity_summary(settings)
    return {
        "incidents_by_level": {level: int(by_level.get(level, 0)) for level in vocabulary.INCIDENT_LEVELS},
        "warnings_active": len(warnings),
        "recipients_waiting": sum(w["recipients_total"] - w["acknowledged"] for w in warnings),
        "recipients_escalated": sum(w["escalated"] for w in warnings),
        "teams_out": int(teams_out or 0), "active_orders": int(active_orders or 0),
        "people_moved": evacuation_progress(settings)["totals"]["moved"],
        "people_evacuated": capacity.occupancy_people, "places_free": capacity.available_places,
        "target_people": capacity.target_people,
    }

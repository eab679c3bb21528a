"""An enterprise dropdown that searches on the server: a county may hold tens of thousands of enterprises, too many
to send with the page (20,000 names made the 安全监管 layout 850 kB), so the page sends the first few and each
typed search asks for the names that match (township staff: their township's only)."""
from __future__ import annotations

from dash import Input, Output, State, callback, no_update
from sqlalchemy import or_, select

from dashboard.state import settings
from services.db.uow import unit_of_work
from services.models import Enterprise

SHOWN = 50  # options sent at a time: the first by name, or the first that match what was typed


def enterprise_options(uow, text: str = "", chosen: int | None = None, limit: int = SHOWN) -> list[dict]:
    """Enterprises whose name contains ``text`` (or whose credit code starts with it), by name; ``chosen`` kept."""
    scope = uow.principal.township_filter()
    query = select(Enterprise.id, Enterprise.name)
    if scope is not None:
        query = query.where(Enterprise.township_code == scope)
    typed = (text or "").strip()[:60]
    found = query.where(or_(Enterprise.name.contains(typed, autoescape=True),
                            Enterprise.credit_code.startswith(typed.upper(), autoescape=True))) if typed else query
    rows = uow.session.execute(found.order_by(Enterprise.name, Enterprise.id).limit(limit)).all()
    if chosen is not None and all(firm != chosen for firm, _ in rows):
        rows = uow.session.execute(query.where(Enterprise.id == chosen)).all() + rows
    return [{"label": name, "value": firm} for firm, name in rows]


def register(dropdown_id: str) -> None:
    """Typed searches of ``dropdown_id`` answered from the database."""
    @callback(Output(dropdown_id, "options"), Input(dropdown_id, "search_value"), State(dropdown_id, "value"),
              prevent_initial_call=True)
    def _search(text, chosen):
        if not text:
            return no_update  # the search cleared (a choice made): keep the options that hold it
        with unit_of_work(settings()) as uow:
            return enterprise_options(uow, text, int(chosen) if chosen else None)

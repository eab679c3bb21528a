"""The honest notice for a page whose features are not built yet, with what the database already holds."""
from __future__ import annotations

from dash import html

from dashboard.state import settings
from services.db.uow import unit_of_work
from services.map.layers import entity_counts
from services.text import t


def pending_page(plan_key: str, lang: str) -> html.Div:
    s = settings()
    with unit_of_work(s) as uow:
        counts = entity_counts(uow)
    items = [html.Li(f"{t(f'layer.{k}', lang)}: {counts[k]}") for k in
             ("enterprises", "hazards", "shelters", "depots", "teams", "stations")]
    return html.Div([
        html.H2(t("pending.title", lang)),
        html.P(t(plan_key, lang, n=s.region.evacuation_target_people)),
        html.P(t("pending.now", lang)),
        html.Ul(items),
    ], className="pending-page")

"""分析研判 (analysis): placeholder until its issue lands; it says so and shows what the database holds."""
from __future__ import annotations

import dash

from dashboard.components.pending import pending_page
from services.text import normalise_language, t

dash.register_page(__name__, path="/analysis", name=t("nav.analysis"), order=4)


def layout(lang: str | None = None, **_query):
    return pending_page("pending.analysis", normalise_language(lang))

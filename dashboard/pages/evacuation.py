"""疏散安置: placeholder until its issue lands; it says so and shows what the database holds."""
from __future__ import annotations

import dash

from dashboard.components.pending import pending_page
from dashboard.i18n import normalise_language

dash.register_page(__name__, path="/evacuation", name="疏散安置", order=1)


def layout(lang: str | None = None, **_query):
    return pending_page("pending.evacuation", normalise_language(lang))

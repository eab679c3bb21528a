"""值班态势: placeholder until its issue lands; it says so and shows what the database holds."""
from __future__ import annotations

import dash

from dashboard.components.pending import pending_page
from dashboard.i18n import normalise_language

dash.register_page(__name__, path="/duty", name="值班态势", order=3)


def layout(lang: str | None = None, **_query):
    return pending_page("pending.duty", normalise_language(lang))

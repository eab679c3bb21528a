"""What a page says to someone whose role may not see it; the page's layout asks before it reads anything."""
from __future__ import annotations

from dash import html

from dashboard.auth.principal import current_principal
from dashboard.auth.routes import PAGE_PERMISSIONS
from services.text import t


def page_may_show(path: str) -> bool:
    """Whether the signed-in principal holds what the page at ``path`` needs (dashboard/auth/routes.py)."""
    principal = current_principal()
    needed = PAGE_PERMISSIONS.get(path, "map.read")
    return principal is not None and principal.may(needed)


def refused_page(path: str, title_key: str, lang: str) -> html.Div:
    principal = current_principal()
    role = t(f"role.{principal.role}", lang) if principal is not None else ""
    return html.Div([html.H2(t(title_key, lang)), html.P(t("page.refused", lang, role=role), className="short")],
                    className="data-page refused-page")

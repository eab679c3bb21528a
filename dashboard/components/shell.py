"""The page shell: title bar with the district name, navigation, language switch and sample notice."""
from __future__ import annotations

from urllib.parse import parse_qs

from dash import dcc, html

from config import Settings
from dashboard.auth.principal import current_principal
from dashboard.auth.routes import PAGE_PERMISSIONS
from services.text import normalise_language, t

NAV = (("/", "nav.map"), ("/evacuation", "nav.evacuation"), ("/supply", "nav.supply"),
       ("/duty", "nav.duty"), ("/analysis", "nav.analysis"), ("/supervision", "nav.supervision"),
       ("/data", "nav.data"))


def language_from_search(search: str | None) -> str:
    values = parse_qs((search or "").lstrip("?")).get("lang", [None])
    return normalise_language(values[0])


def header(settings: Settings, pathname: str | None, lang: str, sample: bool) -> list:
    """Children of the header bar for the current page and language."""
    other = "en" if lang == "zh" else "zh"
    principal = current_principal()
    nav = [(href, key) for href, key in NAV + (("/users", "nav.users"),)  # only the pages one may open
           if principal is not None and principal.may(PAGE_PERMISSIONS.get(href, "map.read"))]

    def links(kind: str) -> list:  # "nav-link" in the bar, "menu-link" in the folded menu
        items = [dcc.Link(t(key, lang), href=f"{href}?lang={lang}",
                          className=f"{kind} active" if (pathname or "/") == href else kind)
                 for href, key in nav]
        if principal is not None and principal.may("incident.report"):  # the phone page is no Dash page
            items.append(html.A(t("nav.field", lang), href=f"/m?lang={lang}", className=kind))
        return items

    region = settings.region.name_zh if lang == "zh" else settings.region.name_en
    badge = [html.Span(t("app.drill", lang, name=settings.drill), className="drill-badge",
                       title=t("app.drill_hint", lang))] if settings.drill else []
    if sample:
        badge.append(html.Span(t("app.sample", lang), className="sample-badge", title=t("app.sample_hint", lang)))
    if settings.road_network_synthetic:  # a county without a network of its own runs on a generated one
        badge.append(html.Span(t("app.synthetic_roads", lang), className="sample-badge",
                               title=t("app.synthetic_roads_hint", lang)))
    return [
        *_account_area(lang),
        # Below 768 px the navigation folds into a menu (the CSS shows one or the other); each redraw of the header,
        # on every change of page, closes it again.
        html.Details([html.Summary("☰", className="nav-menu-button", title=t("app.menu", lang)),
                      html.Nav(links("menu-link"), className="nav-menu-list")], className="nav-menu", open=False),
        html.Div([html.H1(t("app.title", lang, region=region), className="app-title"),
                  html.Span(t("app.subtitle", lang), className="app-subtitle"), *badge],
                 className="brand"),
        html.Nav(links("nav-link"), className="nav"),
        dcc.Link(t("app.language", lang), href=f"{pathname or '/'}?lang={other}", className="lang-switch",
                 id="lang-switch"),
    ]


def _account_area(lang: str) -> list:
    """Who is signed in, and the sign-out button (a form POST with the CSRF token, so no site can sign one out)."""
    from flask_wtf.csrf import generate_csrf
    principal = current_principal()
    if principal is None or principal.via != "session":
        return []
    return [html.Form([
        html.Span(t("auth.signed_in_as", lang, name=principal.display_name, role=t(f"role.{principal.role}", lang)),
                  className="account-name"),
        dcc.Input(type="hidden", name="csrf_token", value=generate_csrf()),
        html.Button(t("auth.sign_out", lang), type="submit", className="sign-out"),
    ], method="post", action="/logout", className="account-area")]

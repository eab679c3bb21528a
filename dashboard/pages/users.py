"""账号管理: the administrator's list of accounts — create, disable or enable, reset a password, set the phone
number warnings are also sent to, issue API tokens.

Passwords and tokens are generated here and shown once; the services refuse all of it to anyone without
``user.manage`` (the page only says so).
"""
from __future__ import annotations

import dash
from dash import ALL, Input, Output, State, callback, ctx, dcc, html
from sqlalchemy import select

from dashboard.components.widgets import dropdown
from dashboard.components.refused import page_may_show, refused_page
from dashboard.state import settings
from services.accounts import tokens, users
from services.accounts.permissions import ROLES
from services.db.uow import unit_of_work
from services.errors import FieldError
from services.models import Township
from services.text import normalise_language, t

dash.register_page(__name__, path="/users", name=t("nav.users"), order=7)

ACTIONS = ("disable", "enable", "reset", "token", "phone")
PHONE_INPUT = "users-phone"


def _state(user, lang: str) -> str:
    flags = [key for key, on in (("users.state_disabled", user.disabled), ("users.state_locked", user.locked),
                                 ("users.state_must_change", user.must_change_password)) if on]
    return " / ".join(t(k, lang) for k in flags) or t("users.state_ok", lang)


def _button(user: str, action: str, lang: str) -> html.Button:
    return html.Button(t(f"users.{action}", lang), id={"type": "users-act", "user": user, "act": action},
                       className="small-button", n_clicks=0)


def _phone_cell(user, lang: str) -> html.Td:
    """The account's phone in a small input, saved (or cleared, when emptied) by its button."""
    return html.Td([dcc.Input(id={"type": PHONE_INPUT, "user": user.username}, value=user.phone or "", maxLength=20,
                              type="tel", placeholder=t("users.phone_hint", lang), className="users-phone",
                              debounce=False),
                    html.Button(t("users.phone_save", lang), className="small-button", n_clicks=0,
                                id={"type": "users-act", "user": user.username, "act": "phone"})])


def _tables(lang: str) -> list:
    with unit_of_work(settings()) as uow:
        accounts = users.list_users(uow)
        keys = tokens.list_tokens(uow)
        names = {tw.code: (tw.name if lang == "zh" else tw.name_en) for tw in uow.session.scalars(select(Township))}
    head = [t(f"users.col_{c}", lang) for c in ("username", "name", "role", "township", "phone", "state", "actions")]
    rows = [html.Tr([html.Td(u.username), html.Td(u.display_name), html.Td(t(f"role.{u.role}", lang)),
                     html.Td(names.get(u.township_code, "")), _phone_cell(u, lang), html.Td(_state(u, lang)),
                     html.Td([_button(u.username, "enable" if u.disabled else "disable", lang),
                              _button(u.username, "reset", lang), _button(u.username, "token", lang)])])
            for u in accounts]
    token_rows = [html.Tr([html.Td(k.username), html.Td(k.label), html.Td(k.prefix + "…"),
                           html.Td("" if k.revoked else html.Button(
                               t("users.revoke", lang), id={"type": "users-revoke", "id": k.id},
                               className="small-button", n_clicks=0))])
                  for k in keys if not k.revoked]
    return [html.Table([html.Thead(html.Tr([html.Th(h) for h in head])), html.Tbody(rows)], className="data-table"),
            html.H3(t("users.tokens", lang)),
            html.Table([html.Thead(html.Tr([html.Th(t(f"users.col_{c}", lang))
                                            for c in ("username", "label", "token", "actions")])),
                        html.Tbody(token_rows)], className="data-table")]


def layout(lang: str | None = None, **_query) -> html.Div:
    lang = normalise_language(lang)
    if not page_may_show("/users"):
        return refused_page("/users", "users.title", lang)
    with unit_of_work(settings()) as uow:
        townships = [{"label": tw.name if lang == "zh" else tw.name_en, "value": tw.code}
                     for tw in uow.session.scalars(select(Township).order_by(Township.code))]
    roles = [{"label": t(f"role.{r}", lang), "value": r} for r in ROLES]
    return html.Div([
        dcc.Store(id="users-lang", data=lang),
        html.H2(t("users.title", lang)),
        html.Div(id="users-message", className="import-result", role="status"),
        html.Div(_tables(lang), id="users-tables"),
        html.H3(t("users.add", lang)),
        html.Div([
            html.Label([t("users.col_username", lang), dcc.Input(id="users-new-name", maxLength=40)]),
            html.Label([t("users.display_name", lang), dcc.Input(id="users-new-display", maxLength=50)]),
            html.Label([t("users.col_role", lang), dropdown(roles, "viewer", lang=lang, id="users-new-role",
                                                                clearable=False)]),
            html.Label([t("users.col_township", lang), dropdown(townships, None, lang=lang, id="users-new-township")]),
            html.Label([t("users.enterprise", lang), dcc.Input(id="users-new-enterprise", maxLength=18,
                                                                placeholder=t("users.enterprise_hint", lang))]),
            html.Label([t("users.col_phone", lang), dcc.Input(id="users-new-phone", maxLength=20, type="tel",
                                                               placeholder=t("users.phone_hint", lang))]),
            html.Button(t("users.add_button", lang), id="users-add", className="button-link", n_clicks=0),
        ], className="import-controls users-form"),
    ], className="data-page users-page")


@callback(
    Output("users-message", "children"), Output("users-tables", "children"),
    Input("users-add", "n_clicks"), Input({"type": "users-act", "user": ALL, "act": ALL}, "n_clicks"),
    Input({"type": "users-revoke", "id": ALL}, "n_clicks"),
    State("users-new-name", "value"), State("users-new-display", "value"), State("users-new-role", "value"),
    State("users-new-township", "value"), State("users-new-phone", "value"),
    State({"type": PHONE_INPUT, "user": ALL}, "value"), State("users-lang", "data"),
    State("users-new-enterprise", "value"), prevent_initial_call=True,
)
def _act(_add, _acts, _revokes, name, display, role, township, phone, _phones, lang, enterprise):
    lang = normalise_language(lang)
    trigger = ctx.triggered_id
    if trigger is None or not any(item.get("value") for item in ctx.triggered):
        return dash.no_update, dash.no_update  # a button drawn anew, not pressed
    try:
        with unit_of_work(settings(), write=True) as uow:
            message = _do(uow, trigger, {"name": name, "display": display, "role": role, "township": township,
                                         "phone": phone, "enterprise": enterprise}, lang)
    except FieldError as exc:
        return html.P(exc.reason_en if lang == "en" else exc.reason, className="import-error"), dash.no_update
    return html.P(message, className="import-ok"), _tables(lang)


def _row_phone(username: str) -> str | None:
    """What the phone input of ``username``'s row holds (the rows' inputs come as one pattern-matched list)."""
    for group in ctx.states_list:
        for item in group if isinstance(group, list) else ():
            if item["id"].get("type") == PHONE_INPUT and item["id"].get("user") == username:
                return item.get("value")
    return None


def _do(uow, trigger, form: dict, lang: str) -> str:
    if trigger == "users-add":
        from services.accounts.passwords import generate
        password = generate()
        role = form["role"]
        created = users.create_user(uow, (form["name"] or "").strip(), role=role, password=password,
                                    display_name=form["display"], phone=form["phone"],
                                    township_code=form["township"] if role == "township" else None,
                                    enterprise=form.get("enterprise") if role == "enterprise" else None)
        return t("users.created", lang, user=created.username, password=password)
    if trigger.get("type") == "users-revoke":
        prefix = next((k.prefix for k in tokens.list_tokens(uow) if k.id == trigger["id"]), "")
        tokens.revoke_token(uow, int(trigger["id"]))
        return t("users.revoked", lang, prefix=prefix)
    user, action = trigger["user"], trigger["act"]
    if action in ("disable", "enable"):
        users.set_disabled(uow, user, action == "disable")
        return t(f"users.{action}d", lang, user=user)
    if action == "phone":
        phone = users.set_phone(uow, user, _row_phone(user)).phone
        return t("users.phone_set", lang, user=user, phone=phone) if phone else t("users.phone_cleared", lang, user=user)
    if action == "reset":
        return t("users.was_reset", lang, user=user, password=users.reset_password(uow, user))
    token, _ = tokens.issue_token(uow, user, "web")
    return t("users.token_issued", lang, user=user, token=token)

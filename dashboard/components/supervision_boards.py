"""The 安全监管 page's boards beside its work bench: 一线责任制 progress (a bar per milestone and per sector, with the
date, and the enterprises behind), the month's ranking and bulletin (月排名、月通报, with its Word and Excel), and the
专项整治 campaigns' progress. Figures come from services/supervision (milestones, bulletin, campaigns), which keep
township staff to their own township."""
from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from dash import Input, Output, State, callback, ctx, dcc, html, no_update
from dash.dash_table import DataTable

from dashboard.components.analysis_views import FONT
from dashboard.components.analysis_views import table as titled_table
from dashboard.components.widgets import dropdown
from dashboard.state import settings
from services import vocabulary
from services.clock import local_today
from services.db.uow import unit_of_work
from services.errors import FieldError
from services.supervision.bulletin import bulletin, percent, ranking_table
from services.supervision.campaigns import CampaignInput, create_campaign, list_campaigns
from services.supervision.milestones import MILESTONES, behind, progress
from services.text import CATALOGUE, t, term, term_options

TABS = "safe-tabs"
MILESTONE_BOARD, BEHIND_MILESTONE, BEHIND_SECTOR, BEHIND_LIST = (
    "safe-milestones", "safe-behind-milestone", "safe-behind-sector", "safe-behind")
RANK_MONTH, RANK_BY, RANK_BOARD = "safe-rank-month", "safe-rank-by", "safe-rankings"
CAMPAIGN_BOARD, CAMPAIGN_SAVE, CAMPAIGN_MESSAGE = "safe-campaigns", "safe-campaign-save", "safe-campaign-message"
CAMPAIGN_FIELDS = ("safe-campaign-name", "safe-campaign-sectors", "safe-campaign-starts", "safe-campaign-ends",
                   "safe-campaign-note")
GROUPINGS = ("sector", "township", "department")
BEHIND_SHOWN = 200


# A refused field as its form labels it: the services name fields by code (findings[0].deadline, danger_id).
FIELD_LABELS = {"description": "safe.f_finding", "danger_id": "safe.f_danger", "enterprise_id": "safe.enterprise",
                "funds_yuan": "safe.f_funds", "responsible_person": "safe.f_responsible", "report": "safe.rep.report",
                "supervising_leader": "safe.f_leader", "amount_yuan": "safe.f_amount", "name": "safe.board.campaign_name",
                "sectors": "safe.board.sector", "starts_on": "safe.board.starts_on", "ends_on": "safe.board.ends_on",
                "note": "safe.board.note", "outcome": "safe.rep.outcome", "status": "safe.rep.verdict",
                "photos": "safe.f_photo"}


def refusal(exc: FieldError, lang: str) -> html.Span:
    """未保存：<the field's label>：<why>, for any form of the page."""
    name = exc.field.rsplit(".", 1)[-1]
    key = FIELD_LABELS.get(name, f"safe.f_{name}")
    label = t(key, lang) if key in CATALOGUE else exc.field
    return html.Span(t("safe.refused", lang, field=label, reason=exc.reason_en if lang == "en" else exc.reason),
                     className="error")


def bar(share: float | None, caption: str, *, late: bool = False) -> html.Div:
    """A labelled progress bar (role progressbar); ``share`` None: nothing is required, drawn empty and said so."""
    value = percent(share)
    fill = html.Div(className="safe-bar-fill" + (" late" if late else ""), style={"width": f"{value or 0}%"})
    return html.Div([html.Div(caption, className="safe-bar-caption"),
                     html.Div(fill, className="safe-bar", role="progressbar", **{
                         "aria-valuemin": "0", "aria-valuemax": "100", "aria-valuenow": str(value or 0),
                         "aria-label": caption})], className="safe-bar-row")


def _done_caption(label: str, done: int, required: int, share: float | None, lang: str) -> str:
    if share is None:
        return t("safe.board.none_required", lang, label=label)
    return t("safe.board.done_of", lang, label=label, done=done, required=required, share=percent(share))


def _milestone_card(m, lang: str) -> html.Div:
    """One milestone: its date and state, the bar for all, and a bar per sector that has enterprises required."""
    late = m.state == "passed" and m.behind > 0
    when = t("safe.board.days_left", lang, n=m.days_left) if m.days_left >= 0 else \
        t("safe.board.days_past", lang, n=-m.days_left)
    title = t(f"milestone.{m.milestone}", lang)
    head = html.Div([html.Strong(title[:1].upper() + title[1:]),
                     html.Span(f"{t('safe.board.due', lang, date=m.due_on)} · {t(f'milestone.state.{m.state}', lang)}"
                               f" · {when}", className="hint")], className="safe-milestone-head")
    sectors = [bar(s.share, _done_caption(term(s.sector, lang), s.done, s.required, s.share, lang),
                   late=late and s.done < s.required) for s in m.sectors if s.required]
    return html.Div([head, bar(m.share, _done_caption(t("safe.board.all", lang), m.done, m.required, m.share, lang),
                               late=late),
                     html.Details([html.Summary(t("safe.board.by_sector", lang, behind=m.behind)), *sectors],
                                  open=m.state != "later")],
                    className="safe-milestone" + (" late" if late else ""))


def milestones_panel(lang: str) -> html.Div:
    options = [{"label": t(f"milestone.{k}", lang), "value": k} for k in MILESTONES]
    return html.Div([
        html.Div(id=MILESTONE_BOARD, className="safe-milestones"),
        html.H4(t("safe.board.behind_title", lang)),
        html.Div([html.Label([t("safe.board.milestone", lang), dropdown(
                      options, None, lang=lang, id=BEHIND_MILESTONE, placeholder=t("safe.board.next", lang))],
                             className="filter"),
                  html.Label([t("safe.board.sector", lang), dropdown(
                      term_options(vocabulary.ENTERPRISE_SECTORS, lang), None, lang=lang, id=BEHIND_SECTOR,
                      placeholder=t("safe.board.all_sectors", lang))], className="filter")],
                 className="safe-board-filters"),
        html.Div(id=BEHIND_LIST),
    ], className="safe-board")


def _behind_table(found, lang: str) -> list:
    columns = [("name", "safe.col_enterprise"), ("sector", "safe.board.sector"), ("scale", "safe.board.scale"),
               ("milestone", "safe.board.milestone"), ("due_on", "safe.board.due_on"),
               ("days_overdue", "safe.col_days_overdue"), ("cards", "safe.board.cards")]
    rows = [{"name": r.name, "sector": term(r.sector, lang), "scale": term(r.scale, lang),
             "milestone": t(f"milestone.{r.milestone}", lang), "due_on": r.due_on, "days_overdue": r.days_overdue,
             "cards": t("list.separator", lang).join(t("safe.board.card_state", lang, card=term(card, lang),
                                                          status=term(status, lang)) for card, status in r.cards.items())}
            for r in found.enterprises]
    summary = t("safe.board.behind_count", lang, n=found.total, milestone=t(f"milestone.{found.milestone}", lang),
                date=found.due_on)
    if found.total > len(rows):
        summary += t("safe.board.first_shown", lang, n=len(rows))
    grid = DataTable(data=rows, columns=[{"name": t(k, lang), "id": c} for c, k in columns], sort_action="native",
                     page_size=25, export_format="xlsx", export_headers="display",
                     style_table={"overflowX": "auto"}, style_cell={"textAlign": "left", "whiteSpace": "normal",
                                                                     "height": "auto", "fontSize": 12,
                                                                     "fontFamily": FONT})
    return [html.P(summary, className="hint"), grid if rows else html.P(t("safe.list_empty", lang), className="hint")]


def months(today: dt.date, count: int = 12) -> list[str]:
    """The current month and the ``count - 1`` before it, newest first, as 2026-07."""
    out, year, month = [], today.year, today.month
    for _ in range(count):
        out.append(f"{year}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return out


def rankings_panel(lang: str) -> html.Div:
    shown = months(local_today(settings()))
    return html.Div([
        html.Div([html.Label([t("safe.board.month", lang), dropdown(
                      [{"label": m, "value": m} for m in shown], shown[0], lang=lang, id=RANK_MONTH, clearable=False)],
                             className="filter"),
                  html.Label([t("safe.board.grouping", lang), dropdown(
                      [{"label": t(f"ranking.col.{g}", lang), "value": g} for g in GROUPINGS], "sector", lang=lang,
                      id=RANK_BY, clearable=False)], className="filter")], className="safe-board-filters"),
        html.Div(id=RANK_BOARD),
    ], className="safe-board")


def _downloads(month: str, lang: str) -> html.Div:
    query = urlencode({"month": month, "lang": lang})
    return html.Div([html.A(t("safe.board.docx", lang), href=f"/api/v1/supervision/rankings/bulletin.docx?{query}",
                            className="button-link", download=""),
                     html.A(t("safe.board.xlsx", lang), href=f"/api/v1/supervision/rankings.xlsx?{query}",
                            className="button-link", download="")], className="button-row")


def _ranking_view(month: str, by: str, lang: str) -> list:
    with unit_of_work(settings()) as uow:
        report = bulletin(uow, month, lang)
        tables = {table.key: table for table in report.tables()}
        # the bulletin ranks by sector and by township; by department is ranked for the page on demand
        ranking = tables.get(by) or ranking_table(uow, month, by, lang)
    paragraphs = [p for section in report.sections for p in section.paragraphs]
    sample = [html.P(t("safe.board.sample", lang), className="sample-note")] if report.sample else []
    shown = [ranking, *([tables["major"]] if "major" in tables else [])]
    return [*sample, *[html.P(p) for p in paragraphs], _downloads(month, lang), *[titled_table(x, lang) for x in shown]]


def _campaign_card(c, lang: str) -> html.Div:
    sectors = t("list.separator", lang).join(term(s, lang) for s in c.sectors)
    return html.Div([
        html.Div([html.Strong(c.name), html.Span(t(f"campaign.state.{c.state}", lang), className=f"tag {c.state}")],
                 className="safe-milestone-head"),
        html.P(t("safe.board.campaign_line", lang, sectors=sectors, starts=c.starts_on, ends=c.ends_on,
                 targets=c.targets, found=c.dangers_found, closed=c.dangers_closed), className="hint"),
        bar(c.inspected_share, _done_caption(t("safe.board.inspected", lang), c.inspected, c.targets,
                                             c.inspected_share, lang)),
        bar(c.closed_share, _done_caption(t("safe.board.all_closed", lang), c.targets_all_closed,
                                          c.targets_with_dangers, c.closed_share, lang)),
        *([html.P(c.note, className="hint")] if c.note else []),
    ], className="safe-milestone")


def _campaign_form(lang: str) -> html.Details:
    """专项整治 as a supervisor starts one: name, sectors, period, note; every enterprise of the sectors is a target."""
    today = local_today(settings()).isoformat()
    def field(key, component):
        return html.Label([t(key, lang), component], className="filter")
    return html.Details([
        html.Summary(t("safe.board.new_campaign", lang)),
        field("safe.board.campaign_name", dcc.Input(id=CAMPAIGN_FIELDS[0], maxLength=100)),
        field("safe.board.sector", dropdown(term_options(vocabulary.ENTERPRISE_SECTORS, lang), [], lang=lang,
                                            id=CAMPAIGN_FIELDS[1], multi=True)),
        field("safe.board.starts_on", dcc.Input(id=CAMPAIGN_FIELDS[2], value=today, maxLength=10,
                                                placeholder=t("safe.date_placeholder", lang))),
        field("safe.board.ends_on", dcc.Input(id=CAMPAIGN_FIELDS[3], maxLength=10,
                                              placeholder=t("safe.date_placeholder", lang))),
        field("safe.board.note", dcc.Textarea(id=CAMPAIGN_FIELDS[4], maxLength=500)),
        html.Div(html.Button(t("safe.board.create_campaign", lang), id=CAMPAIGN_SAVE, n_clicks=0,
                             className="button-link"), className="button-row"),
        html.Div(id=CAMPAIGN_MESSAGE, role="status"),
    ], className="safe-form", open=False)


def campaigns_panel(lang: str, *, write: bool) -> html.Div:
    form = _campaign_form(lang) if write else html.Div([html.Button(id=CAMPAIGN_SAVE, n_clicks=0),
                                                        html.Div(id=CAMPAIGN_MESSAGE),
                                                        dcc.Dropdown(id=CAMPAIGN_FIELDS[1], multi=True),
                                                        *[dcc.Input(id=i, type="hidden") for i in
                                                          CAMPAIGN_FIELDS[:1] + CAMPAIGN_FIELDS[2:]]], hidden=True)
    return html.Div([form, html.Div(id=CAMPAIGN_BOARD, className="safe-milestones")], className="safe-board")


def _day(value, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise FieldError.of(name, "safe.date_bad") from None


def create_from_form(values: list, lang: str) -> str:
    """The form's campaign, created by the service (which checks supervision.write); the message to show."""
    name, sectors, starts, ends, note = values
    with unit_of_work(settings(), write=True) as uow:
        made = create_campaign(uow, CampaignInput(name=name or "", sectors=list(sectors or []),
                                                  starts_on=_day(starts, "starts_on"), ends_on=_day(ends, "ends_on"),
                                                  note=note or ""))
    return t("safe.board.campaign_made", lang, name=made.name, targets=made.targets)


def _refused(exc: FieldError, lang: str) -> html.P:
    return html.P(exc.reason_en if lang == "en" else exc.reason, className="error")


def register(lang_store: str) -> None:
    """The boards' callbacks; each runs when its tab is open (and again when its choices change)."""

    @callback(Output(MILESTONE_BOARD, "children"), Output(BEHIND_LIST, "children"), Input(TABS, "value"),
              Input(BEHIND_MILESTONE, "value"), Input(BEHIND_SECTOR, "value"), State(lang_store, "data"))
    def _milestones(tab, milestone, sector, lang):
        if tab != "milestones":
            return [], []
        try:
            with unit_of_work(settings()) as uow:
                found, late = progress(uow), behind(uow, milestone=milestone, sector=sector, limit=BEHIND_SHOWN)
        except FieldError as exc:
            return [], _refused(exc, lang)
        cards = [html.P(t("safe.board.year", lang, year=found.year, status=term(found.done_status, lang)),
                        className="hint"), *[_milestone_card(m, lang) for m in found.milestones]]
        return cards, _behind_table(late, lang)

    @callback(Output(RANK_BOARD, "children"), Input(TABS, "value"), Input(RANK_MONTH, "value"),
              Input(RANK_BY, "value"), State(lang_store, "data"))
    def _rankings(tab, month, by, lang):
        if tab != "rankings" or not month:
            return []
        try:
            return _ranking_view(month, by if by in GROUPINGS else "sector", lang)
        except FieldError as exc:
            return _refused(exc, lang)

    @callback(Output(CAMPAIGN_MESSAGE, "children"), Output(CAMPAIGN_BOARD, "children"), Input(TABS, "value"),
              Input(CAMPAIGN_SAVE, "n_clicks"), State(lang_store, "data"), [State(i, "value") for i in CAMPAIGN_FIELDS])
    def _campaigns(tab, _clicks, lang, *values):
        if tab != "campaigns":
            return no_update, []
        message = no_update
        if ctx.triggered_id == CAMPAIGN_SAVE:
            try:
                message = html.Span(create_from_form(values, lang), className="ok")
            except FieldError as exc:
                message = refusal(exc, lang)
        with unit_of_work(settings()) as uow:
            found = list_campaigns(uow)
        if not found:
            return message, html.P(t("safe.board.no_campaigns", lang), className="hint")
        return message, [_campaign_card(c, lang) for c in found]

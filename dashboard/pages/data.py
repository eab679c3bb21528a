"""数据管理: import CSV/Excel files with validation, download templates, see counts and the audit log."""
from __future__ import annotations

import base64
import binascii
import datetime as dt
import logging
import re

import dash
from dash import Input, Output, State, callback, dcc, html

from dashboard.components.audit_view import audit_list
from dashboard.components.widgets import dropdown
from dashboard import ids
from dashboard.state import settings
from services.clock import format_local
from services.data.imports import ImportRejected, import_table, read_file
from services.data.specs import SPECS
from services.data.audit_log import audit_entries
from services.db.uow import UnitOfWork, unit_of_work
from services.map.layers import entity_counts
from services.text import normalise_language, t

dash.register_page(__name__, path="/data", name=t("nav.data"), order=5)

_DATA_URL = re.compile(r"^data:[^,]*;base64,")


def _crs_options(lang: str) -> list[dict]:
    return [{"label": "WGS-84 / CGCS2000", "value": "WGS84"}, {"label": t("data.crs_gcj02", lang), "value": "GCJ02"},
            {"label": t("data.crs_bd09", lang), "value": "BD09"}]


def _table(headers: list[str], rows: list[list], class_name: str) -> html.Table:
    return html.Table([html.Thead(html.Tr([html.Th(h) for h in headers])),
                       html.Tbody([html.Tr([html.Td(str(c)) for c in r]) for r in rows])], className=class_name)


def _local_time(at: dt.datetime) -> str:
    """An audit time as the users read it, in the deployment's zone (services.clock)."""
    return format_local(at, settings())


def _audit_table(uow: UnitOfWork, lang: str) -> html.Ol:
    """The newest changes, one sentence each, built from the rows' codes and parameters."""
    return audit_list(audit_entries(uow), _local_time, lang)


def _counts(uow: UnitOfWork, lang: str) -> html.Ul:
    counts = entity_counts(uow)
    return html.Ul([html.Li(f"{t(f'layer.{k}', lang)}: {counts[k]}") for k in
                    ("enterprises", "hazards", "shelters", "depots", "teams", "stations", "stock_lines",
                     "vehicles")])


def _figures(lang: str) -> tuple[html.Ul, html.Table]:
    """The counts and the audit log from one snapshot."""
    with unit_of_work(settings()) as uow:
        return _counts(uow, lang), _audit_table(uow, lang)


def layout(lang: str | None = None, **_query) -> html.Div:
    lang = normalise_language(lang)
    options = [{"label": spec.title_zh if lang == "zh" else spec.title_en, "value": key}
               for key, spec in SPECS.items()]
    counts, audit_table = _figures(lang)
    return html.Div([
        dcc.Store(id="data-lang", data=lang),
        html.H2(t("data.title", lang)),
        html.Div([
            html.Label([t("data.entity", lang),
                        dropdown(options, "enterprises", lang=lang, id=ids.DATA_ENTITY, clearable=False)]),
            html.Label([t("data.crs", lang),
                        dropdown(_crs_options(lang), "WGS84", lang=lang, id=ids.DATA_CRS, clearable=False)]),
            html.A(t("data.template", lang), id=ids.DATA_TEMPLATE, href=f"/api/v1/templates/enterprises.xlsx?lang={lang}",
                   className="button-link"),
        ], className="import-controls"),
        dcc.Upload(html.Div(t("data.upload", lang)), id=ids.DATA_UPLOAD, className="upload-box", multiple=False,
                   max_size=settings().imports.max_upload_bytes),
        html.Div(id=ids.DATA_RESULT, className="import-result"),
        html.Div([html.H3(t("data.counts", lang)), html.Div(counts, id=ids.DATA_COUNTS)],
                 className="data-block"),
        html.Div([html.H3(t("data.audit", lang)), html.Div(audit_table, id=ids.DATA_AUDIT)],
                 className="data-block data-audit"),
    ], className="data-page data-import-page")


@callback(Output(ids.DATA_TEMPLATE, "href"), Input(ids.DATA_ENTITY, "value"), State("data-lang", "data"))
def _template_link(entity: str, lang: str) -> str:
    return f"/api/v1/templates/{entity}.xlsx?lang={normalise_language(lang)}"


@callback(
    Output(ids.DATA_RESULT, "children"), Output(ids.DATA_COUNTS, "children"), Output(ids.DATA_AUDIT, "children"),
    Input(ids.DATA_UPLOAD, "contents"),
    State(ids.DATA_UPLOAD, "filename"), State(ids.DATA_ENTITY, "value"), State(ids.DATA_CRS, "value"),
    State("data-lang", "data"), prevent_initial_call=True,
)
def _import(contents: str, filename: str, entity: str, crs: str, lang: str):
    lang = normalise_language(lang)
    content, problem = _decode_upload(contents, filename, entity)
    if problem:
        message = html.P(t(problem, lang, entity=str(entity)[:40]), className="import-error")
        return message, dash.no_update, dash.no_update
    try:
        table = read_file(content, filename, crs=str(crs), limits=settings().imports)  # parsed before the write lock
        with unit_of_work(settings(), write=True) as uow:
            result = import_table(uow, entity, table)
    except ImportRejected as exc:
        return _rejection(exc, lang), dash.no_update, dash.no_update
    except Exception:  # noqa: BLE001 — a fault of ours: logged, and the user told nothing was written
        logging.getLogger(__name__).exception("import of %s failed", filename)
        return html.P(t("data.failed", lang), className="import-error"), dash.no_update, dash.no_update
    ok = [html.P(t("data.ok", lang, rows=result.rows, created=result.created, updated=result.updated,
                   crs=result.crs), className="import-ok")]
    if result.ignored_columns:
        ok.append(html.P(t("data.ignored", lang, cols=t("list.separator", lang).join(result.ignored_columns)),
                         className="hint"))
    return ok, *_figures(lang)


def _decode_upload(contents, filename, entity) -> tuple[bytes, str | None]:
    """The uploaded bytes, or the i18n key of what is wrong with the payload (``data:<type>;base64,<data>``)."""
    if not isinstance(entity, str) or entity not in SPECS:
        return b"", "data.bad_entity"
    if not isinstance(filename, str) or not filename.strip():
        return b"", "data.no_filename"
    if not isinstance(contents, str) or not _DATA_URL.match(contents):
        return b"", "data.bad_upload"
    try:
        return base64.b64decode(contents.split(",", 1)[1], validate=True), None
    except (binascii.Error, ValueError):
        return b"", "data.bad_upload"


def _rejection(exc: ImportRejected, lang: str) -> html.Div:
    rows = [[e.row, e.column, e.reason if lang == "zh" else e.reason_en] for e in exc.errors]
    return html.Div([
        html.P(t("data.rejected", lang, n=exc.total), className="import-error"),
        html.P(t("data.row_note", lang), className="hint"),
        _table([t("data.col_row", lang), t("data.col_column", lang), t("data.col_reason", lang)], rows,
               "data-table errors"),
    ])

"""数据管理: import CSV/Excel/WPS files with validation, download templates, see counts and the audit log.

An upload first shows a preview (the column → field mapping, editable; the first rows as they would be stored; the
errors); the confirm button writes it with the mapping shown, all or nothing.
"""
from __future__ import annotations

import base64
import binascii
import datetime as dt
import logging
import re

import dash
from dash import ALL, Input, Output, State, callback, dcc, html
from dash.dash_table import DataTable

from dashboard.components.audit_view import audit_list
from dashboard.components.widgets import dropdown
from dashboard import ids
from dashboard.state import settings
from services.clock import format_local
from services.data.imports import ImportRejected, import_table, read_file
from services.data.geography import township_names
from services.data.locations import unverified_locations
from services.data.preview import ImportPreview, MappedColumn, file_columns, preview_import
from services.data.specs import IMPORTABLE
from services.data.audit_log import audit_entries
from services.db.uow import UnitOfWork, unit_of_work
from services.map.layers import entity_counts
from services.text import normalise_language, t, term

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


def _unverified(uow: UnitOfWork, lang: str) -> html.Div:
    """待核实: records placed from their address (hollow on the map) until someone moves them to their spot."""
    found = unverified_locations(uow)
    if not found:
        return html.Div([html.H3(t("location.unverified", lang)), html.P(t("location.none", lang), className="hint")],
                        className="data-unverified")
    columns = [("layer", "location.col.layer"), ("name", "location.col.name"), ("township", "location.col.township"),
               ("quality", "location.col.quality"), ("address", "location.col.address")]
    towns = township_names(uow, lang)
    rows = [{"layer": t(f"layer.{u.layer}", lang), "name": u.name, "township": towns.get(u.township_code, u.township_code),
             "quality": term(u.quality, lang), "address": u.address or ""} for u in found]
    return html.Div([
        html.H3(t("location.unverified", lang) + f" ({len(found)})"),
        html.P(t("location.unverified_hint", lang), className="hint"),
        DataTable(data=rows, columns=[{"name": t(key, lang), "id": c} for c, key in columns], page_size=15,
                  sort_action="native", style_table={"overflowX": "auto"},
                  style_cell={"textAlign": "left", "fontSize": 13, "fontFamily": "inherit"}, id="data-unverified-table"),
    ], className="data-unverified")


def _figures(lang: str) -> tuple[list, html.Table]:
    """The counts, the 待核实 locations and the audit log from one snapshot."""
    with unit_of_work(settings()) as uow:
        return [_counts(uow, lang), _unverified(uow, lang)], _audit_table(uow, lang)


def layout(lang: str | None = None, **_query) -> html.Div:
    lang = normalise_language(lang)
    options = [{"label": spec.title_zh if lang == "zh" else spec.title_en, "value": key}
               for key, spec in IMPORTABLE.items()]
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
        html.Div(id=ids.DATA_PREVIEW, className="import-preview"),
        html.Div(id=ids.DATA_RESULT, className="import-result"),
        html.Div([html.H3(t("data.counts", lang)), html.Div(counts, id=ids.DATA_COUNTS)],
                 className="data-block"),
        html.Div([html.H3(t("data.audit", lang)), html.Div(audit_table, id=ids.DATA_AUDIT)],
                 className="data-block data-audit"),
    ], className="data-page data-import-page")


@callback(Output(ids.DATA_TEMPLATE, "href"), Input(ids.DATA_ENTITY, "value"), State("data-lang", "data"))
def _template_link(entity: str, lang: str) -> str:
    return f"/api/v1/templates/{entity}.xlsx?lang={normalise_language(lang)}"


_IGNORE = "-"  # the dropdown value of a column not imported


@callback(
    Output(ids.DATA_PREVIEW, "children"), Output(ids.DATA_RESULT, "children"),
    Input(ids.DATA_UPLOAD, "contents"), Input(ids.DATA_ENTITY, "value"),
    State(ids.DATA_UPLOAD, "filename"), State("data-lang", "data"), prevent_initial_call=True,
)
def _preview_mapping(contents: str, entity: str, filename: str, lang: str):
    """An upload (or another data type): the columns of the file found, each with its field as a dropdown."""
    lang = normalise_language(lang)
    if contents is None:
        return [], dash.no_update
    content, problem = _decode_upload(contents, filename, entity)
    if problem:
        return [], html.P(t(problem, lang, entity=str(entity)[:40]), className="import-error")
    try:
        columns = file_columns(entity, read_file(content, filename, limits=settings().imports))
    except ImportRejected as exc:
        return [], _rejection(exc, lang)
    return _mapping_block(entity, columns, lang), []


def _mapping_block(entity: str, columns: tuple[MappedColumn, ...], lang: str) -> list:
    spec = IMPORTABLE[entity]
    options = [{"label": t("data.ignore", lang), "value": _IGNORE}] + [
        {"label": c.header if lang == "zh" else c.header_en, "value": c.field} for c in spec.columns]
    rows = [html.Tr([html.Td(c.letter), html.Td(c.header),
                     html.Td(dropdown(options, c.field or _IGNORE, lang=lang,
                                      id={"type": ids.DATA_MAP, "col": c.position}, clearable=False))])
            for c in columns]
    mapping = html.Div([html.H4(t("data.mapping", lang)),
                        html.Table([html.Thead(html.Tr([html.Th(t(k, lang)) for k in
                                                        ("data.col_letter", "data.col_header", "data.col_field")])),
                                    html.Tbody(rows)], className="data-table mapping")], className="preview-mapping")
    understood = html.Div([
        html.Div(id=ids.DATA_PREVIEW_ROWS),
        html.Button(t("data.confirm", lang), id=ids.DATA_CONFIRM, disabled=True, className="button-link"),
    ], className="preview-understood")
    return [html.H3(t("data.preview", lang)), html.Div([understood, mapping], className="preview-grid")]


def _mapping(values) -> list[str | None]:
    return [None if v in (None, _IGNORE) else str(v) for v in (values or [])]


@callback(
    Output(ids.DATA_PREVIEW_ROWS, "children"), Output(ids.DATA_CONFIRM, "disabled"),
    Input({"type": ids.DATA_MAP, "col": ALL}, "value"), Input(ids.DATA_CRS, "value"),
    State(ids.DATA_UPLOAD, "contents"), State(ids.DATA_UPLOAD, "filename"), State(ids.DATA_ENTITY, "value"),
    State("data-lang", "data"),  # fires when the mapping's dropdowns appear (they come with the preview)
)
def _preview_rows(values, crs: str, contents: str, filename: str, entity: str, lang: str):
    """The rows as they would be stored with the mapping shown, and every error; nothing is written."""
    lang = normalise_language(lang)
    content, problem = _decode_upload(contents, filename, entity)
    if problem or not values:
        return [], True
    try:
        table = read_file(content, filename, crs=str(crs), limits=settings().imports)
        with unit_of_work(settings()) as uow:
            preview = preview_import(uow, entity, table, _mapping(values))
    except ImportRejected as exc:
        return _rejection(exc, lang), True
    return _preview_view(preview, lang), not preview.importable


def _preview_view(preview: ImportPreview, lang: str) -> list:
    spec = IMPORTABLE[preview.entity]
    out = [html.P(t("data.preview_where", lang, filename=preview.filename, sheet=preview.sheet,
                    row=preview.header_row, rows=preview.total_rows), className="hint"),
           html.H4(t("data.preview_rows", lang, n=len(preview.rows)))]
    heads = [t("data.col_row", lang)] + [spec.column(f).header if lang == "zh" else spec.column(f).header_en
                                         for f in preview.fields]
    out.append(_table(heads, [[r.row, *(_shown(r.values.get(f), lang) for f in preview.fields)] for r in preview.rows],
                      "data-table preview"))
    if preview.error_total:
        out.append(_rejection(ImportRejected(list(preview.errors), preview.error_total), lang, "data.preview_errors"))
    else:
        out.append(html.P(t("data.preview_ok", lang, rows=preview.total_rows), className="import-ok"))
    return out


def _shown(value, lang: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return t("map.yes", lang) if value else ""
    return str(value)


@callback(
    Output(ids.DATA_RESULT, "children", allow_duplicate=True), Output(ids.DATA_COUNTS, "children"),
    Output(ids.DATA_AUDIT, "children"), Output(ids.DATA_PREVIEW, "children", allow_duplicate=True),
    Input(ids.DATA_CONFIRM, "n_clicks"),
    State(ids.DATA_UPLOAD, "contents"), State(ids.DATA_UPLOAD, "filename"), State(ids.DATA_ENTITY, "value"),
    State(ids.DATA_CRS, "value"), State({"type": ids.DATA_MAP, "col": ALL}, "value"), State("data-lang", "data"),
    prevent_initial_call=True,
)
def _import(clicks, contents: str, filename: str, entity: str, crs: str, values, lang: str):
    """The confirmed import, written with the mapping of the preview; the preview closes once it is written."""
    lang = normalise_language(lang)
    unchanged = dash.no_update
    if not clicks:
        return unchanged, unchanged, unchanged, unchanged
    content, problem = _decode_upload(contents, filename, entity)
    if problem:
        message = html.P(t(problem, lang, entity=str(entity)[:40]), className="import-error")
        return message, unchanged, unchanged, unchanged
    try:
        table = read_file(content, filename, crs=str(crs), limits=settings().imports)  # parsed before the write lock
        with unit_of_work(settings(), write=True) as uow:
            result = import_table(uow, entity, table, mapping=_mapping(values) if values else None)
    except ImportRejected as exc:
        return _rejection(exc, lang), unchanged, unchanged, unchanged
    except Exception:  # noqa: BLE001 — a fault of ours: logged, and the user told nothing was written
        logging.getLogger(__name__).exception("import of %s failed", filename)
        return html.P(t("data.failed", lang), className="import-error"), unchanged, unchanged, unchanged
    ok = [html.P(t("data.ok", lang, rows=result.rows, created=result.created, updated=result.updated,
                   crs=result.crs), className="import-ok")]
    if result.ignored_columns:
        ok.append(html.P(t("data.ignored", lang, cols=t("list.separator", lang).join(result.ignored_columns)),
                         className="hint"))
    return ok, *_figures(lang), []


def _decode_upload(contents, filename, entity) -> tuple[bytes, str | None]:
    """The uploaded bytes, or the i18n key of what is wrong with the payload (``data:<type>;base64,<data>``)."""
    if not isinstance(entity, str) or entity not in IMPORTABLE:
        return b"", "data.bad_entity"
    if not isinstance(filename, str) or not filename.strip():
        return b"", "data.no_filename"
    if not isinstance(contents, str) or not _DATA_URL.match(contents):
        return b"", "data.bad_upload"
    try:
        return base64.b64decode(contents.split(",", 1)[1], validate=True), None
    except (binascii.Error, ValueError):
        return b"", "data.bad_upload"


def _rejection(exc: ImportRejected, lang: str, key: str = "data.rejected") -> html.Div:
    rows = [[e.row, e.column, e.reason if lang == "zh" else e.reason_en] for e in exc.errors]
    return html.Div([
        html.P(t(key, lang, n=exc.total), className="import-error"),
        html.P(t("data.row_note", lang), className="hint"),
        _table([t("data.col_row", lang), t("data.col_column", lang), t("data.col_reason", lang)], rows,
               "data-table errors"),
    ])

"""/api/v1/analysis: trends from the live records, and the planners' report as Word and Excel files.

Every route takes the same period, townships and variant; a bad one answers 400 naming the parameter.
"""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, Response, jsonify, request

from dashboard.api.exports import content_disposition
from dashboard.api.models import XLSX, parse_query, query, responds
from dashboard.api.models.reports import DOCX, ReportQuery, Trends, TrendsQuery
from dashboard.api.support import app_settings, unit
from services.analysis.period import resolve_period
from services.analysis.report import Report, build_report, draw_maps, report_filter
from services.analysis.report_docx import report_docx as docx_bytes
from services.analysis.report_xlsx import report_xlsx as xlsx_bytes
from services.analysis.trends import trend_filter
from services.analysis.trends import trends as compute_trends
from services.clock import now_utc, to_local
from services.map.render_worker import RenderTimeout

reports_api = Blueprint("reports_api", __name__)


def _period(req: TrendsQuery, now: dt.datetime):
    return resolve_period(app_settings(), req.period, since=req.since, until=req.until, quarter=req.quarter, now=now)


@reports_api.get("/api/v1/analysis/trends")
@query(TrendsQuery)
@responds(Trends, errors=(400, 503))
def trends():
    """Incidents by month, warnings and 叫应, dispatch to arrival and evacuation moves, over a period.

    ``period`` 24h / 7d / 30d / quarter (``quarter=2026Q4``) / custom (``since``, ``until``), read in the
    deployment's zone; ``townships`` comma-separated codes; ``variant=fire`` keeps fire incidents and hazards.
    """
    req, now = parse_query(TrendsQuery, request.args), now_utc()
    with unit() as uow:
        flt = trend_filter(uow, _period(req, now), req.township_codes(), req.variant)
        return compute_trends(uow, flt, now=now)


def _report(req: ReportQuery) -> Report:
    """The report of the request, read in one unit of work; its maps drawn once that has closed."""
    now = now_utc()
    with unit() as uow:
        flt = report_filter(uow, _period(req, now), req.township_codes(), req.variant, req.lang)
        report = build_report(uow, flt, now=now)
    return draw_maps(report, app_settings().export_render_limit_s)


def _download(body: bytes, mimetype: str, suffix: str, req: ReportQuery, report: Report) -> Response:
    """风险研判报告_20261203.docx (or the report's title in English), with an ASCII name beside it."""
    day = to_local(now_utc(), app_settings()).strftime("%Y%m%d")
    fallback = f"{'fire' if req.variant == 'fire' else 'risk'}_report_{day}.{suffix}"
    name = "_".join(report.title.replace(":", " ").replace(",", " ").replace("/", " ").split()) + f"_{day}.{suffix}"
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": content_disposition(name, fallback), "Cache-Control": "no-store"})


@reports_api.get("/api/v1/analysis/report.docx")
@query(ReportQuery)
@responds(None, media_type=DOCX, errors=(400, 503))
def report_docx():
    """The report (风险研判报告, or 火灾形势分析研判 with ``variant=fire``) as a Word document: map, figures, tables.

    Takes the parameters of /api/v1/analysis/trends, and ``lang`` (zh or en).
    """
    req = parse_query(ReportQuery, request.args)
    report = _report(req)
    return _download(docx_bytes(report), DOCX, "docx", req, report)


@reports_api.get("/api/v1/analysis/report.xlsx")
@query(ReportQuery)
@responds(None, media_type=XLSX, errors=(400, 503))
def report_xlsx():
    """The report's tables as an Excel workbook: a summary sheet, then one sheet per table."""
    req = parse_query(ReportQuery, request.args)
    now = now_utc()
    with unit() as uow:  # the tables only: no chart or map is drawn
        flt = report_filter(uow, _period(req, now), req.township_codes(), req.variant, req.lang, figures=False)
        report = build_report(uow, flt, now=now)
    return _download(xlsx_bytes(report), XLSX, "xlsx", req, report)


@reports_api.errorhandler(RenderTimeout)
def _render_timeout(exc: RenderTimeout):
    """The report's map took longer than the export limit: a server condition, answered 503 as the map export."""
    return jsonify({"error": "render_timeout", "reason": exc.reason, "reason_en": exc.reason_en}), 503, \
        {"Retry-After": "10"}

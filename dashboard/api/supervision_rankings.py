"""/api/v1/supervision/rankings: the month's ranking of enforcement (月排名) as JSON, and the bulletin (月通报) as
Word and Excel. A bad month, grouping, township or language answers 400 naming the parameter."""
from __future__ import annotations

from flask import Blueprint, Response, request

from dashboard.api.exports import content_disposition
from dashboard.api.models import XLSX, parse_query, query, responds
from dashboard.api.models.reports import DOCX
from dashboard.api.models.supervision_rankings import BulletinQuery, RankingsQuery, RankingsReply
from dashboard.api.support import unit
from services.analysis.report import Report
from services.supervision.bulletin import MAJOR_LISTED, bulletin, bulletin_docx, bulletin_xlsx
from services.supervision.rankings import major_overdue, monthly_rankings

rankings_api = Blueprint("rankings_api", __name__)


@rankings_api.get("/api/v1/supervision/rankings")
@query(RankingsQuery)
@responds(RankingsReply, errors=(400, 403, 503))
def rankings():
    """Per sector, township or inspecting department: the month's inspections, hidden dangers found, closed off
    (and in time), overdue on the month's last day, penalties and their fines, ranked (share closed in time, then
    fewer overdue, then more inspections)."""
    req = parse_query(RankingsQuery, request.args)
    with unit() as uow:
        ranked = monthly_rankings(uow, req.month, req.by, township_code=req.township)
        count, listed = major_overdue(uow, req.month, township_code=req.township, limit=MAJOR_LISTED)
    return {**ranked.to_json(), "major_overdue_total": count, "major_overdue": [d.to_json() for d in listed]}


def _bulletin(req: BulletinQuery) -> Report:
    with unit() as uow:
        return bulletin(uow, req.month, req.lang, township_code=req.township)


def _download(body: bytes, mimetype: str, suffix: str, req: BulletinQuery, report: Report) -> Response:
    """安全生产…通报（2026年7月）.docx, with an ASCII name (supervision_bulletin_2026-07.docx) beside it."""
    fallback = f"supervision_bulletin_{req.month}{'_' + req.township if req.township else ''}.{suffix}"
    name = "_".join(report.title.replace(":", " ").replace("/", " ").split()) + f".{suffix}"
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": content_disposition(name, fallback), "Cache-Control": "no-store"})


@rankings_api.get("/api/v1/supervision/rankings/bulletin.docx")
@query(BulletinQuery)
@responds(None, media_type=DOCX, errors=(400, 403, 503))
def bulletin_document():
    """The month's bulletin (月通报) as a Word document: the totals, the rankings by sector and by township, and the
    重大隐患 overdue at the month's end (挂牌督办); marked 示例数据 when sample records are counted."""
    req = parse_query(BulletinQuery, request.args)
    report = _bulletin(req)
    return _download(bulletin_docx(report), DOCX, "docx", req, report)


@rankings_api.get("/api/v1/supervision/rankings.xlsx")
@query(BulletinQuery)
@responds(None, media_type=XLSX, errors=(400, 403, 503))
def rankings_workbook():
    """The bulletin's tables as an Excel workbook: a summary sheet, then one sheet per table."""
    req = parse_query(BulletinQuery, request.args)
    report = _bulletin(req)
    return _download(bulletin_xlsx(report), XLSX, "xlsx", req, report)

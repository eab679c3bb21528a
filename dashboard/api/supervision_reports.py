"""/api/v1/supervision/reports: 有奖举报. Anyone may make a report (JSON, no account: the same flood limit and
photo checks as the form at /report) and look its outcome up by reference; staff list, verify and reward them.

The public routes are listed in dashboard/auth/routes.py (``PUBLIC`` and ``PUBLIC_JSON``): they take JSON only,
which a page of another site cannot send without a CORS preflight we never allow, and the guard refuses a write
whose Origin names another site.
"""
from __future__ import annotations

import base64
import binascii
import math
from contextlib import contextmanager

from flask import Blueprint, request
from werkzeug.exceptions import RequestEntityTooLarge

from dashboard.api.field import image_answer
from dashboard.api.models import body, parse, parse_query, query, responds
from dashboard.api.models.supervision_reports import (
    LookupQuery,
    ReportList,
    ReportOut,
    ReportOutcome,
    ReportQuery,
    ReportReceipt,
    ReportSubmit,
    RewardStep,
    VerificationCreate,
    report_out,
)
from dashboard.api.support import app_settings, json_body, unit
from services.accounts.permissions import PUBLIC_VISITOR
from services.db.uow import unit_of_work
from services.errors import FieldError
from services.field.photos import Upload
from services.supervision import report_review as R
from services.supervision.reports import ReportInput, lookup_report, submit_report

supervision_reports_api = Blueprint("supervision_reports_api", __name__)
ROOT = "/api/v1/supervision/reports"
JSON_OVERHEAD_BYTES = 256 * 1024  # the text fields (a description of 2000 characters as \\u escapes is 12 kB)


@contextmanager
def public_unit(*, write: bool = False):
    """A unit of work of someone without an account: it acts as ``public`` and holds no permission."""
    with unit_of_work(app_settings(), write=write, principal=PUBLIC_VISITOR) as uow:
        yield uow


def public_body_cap() -> int:
    """The most a public report's body may be: its photo in base64 and the text fields."""
    return math.ceil(app_settings().photos.max_bytes * 4 / 3) + JSON_OVERHEAD_BYTES


def _photo(req: ReportSubmit) -> Upload | None:
    if not req.photo_base64:
        return None
    encoded = req.photo_base64.split(",", 1)[1] if req.photo_base64.startswith("data:") else req.photo_base64
    try:
        data = base64.b64decode("".join(encoded.split()), validate=True)
    except (binascii.Error, ValueError):
        raise FieldError.of("photo_base64", "report.photo_base64") from None
    return Upload(req.photo_name or "photo", data)


@supervision_reports_api.post(ROOT)
@body(ReportSubmit)
@responds(ReportReceipt, 201, errors=(400, 413, 415, 429, 503))
def submit():
    """Make a report (有奖举报) without an account; the answer's ``reference`` looks its outcome up.

    At most ``QJ_REPORT_MAX_PER_HOUR`` reports an hour and ``QJ_REPORT_MAX_PER_DAY`` a day from one address (429,
    naming the limit); a photo that is too large or not a JPEG, PNG or WebP image is refused (nothing is stored)."""
    request.max_content_length = public_body_cap()
    try:
        raw = json_body()
    except RequestEntityTooLarge:
        error = FieldError.of("body", "report.body_too_large", max_mb=f"{public_body_cap() / 1048576:.0f}")
        error.code, error.status = "too_large", 413
        raise error from None
    req = parse(ReportSubmit, raw)
    data = ReportInput(description=req.description, enterprise_name=req.enterprise_name, place=req.place,
                       township_code=req.township_code, contact=req.contact, photo=_photo(req))
    with public_unit(write=True) as uow:
        sent = submit_report(uow, data, sender=request.remote_addr)
    return {**sent.to_json(), "lookup_url": f"{ROOT}/lookup?reference={sent.reference}"}


@supervision_reports_api.get(f"{ROOT}/lookup")
@query(LookupQuery)
@responds(ReportOutcome, errors=(400, 404, 503))
def lookup():
    """The outcome of a report, by the reference its reporter was given (no account needed)."""
    req = parse_query(LookupQuery, request.args)
    with public_unit() as uow:
        return lookup_report(uow, req.reference)


@supervision_reports_api.get(ROOT)
@query(ReportQuery)
@responds(ReportList, errors=(400, 403, 503))
def reports():
    """Reports from the public, the newest first (``status=pending``: those to verify); township staff see their
    township's."""
    req = parse_query(ReportQuery, request.args)
    with unit() as uow:
        total, rows = R.list_reports(uow, status=req.status, township_code=req.township, limit=req.limit,
                                     offset=req.offset)
    return {"total": total, "reports": [report_out(r) for r in rows]}


@supervision_reports_api.get(f"{ROOT}/<id:report_id>")
@responds(ReportOut, errors=(403, 404, 503))
def report(report_id: int):
    """One report as staff see it (with the reporter's phone, if given)."""
    with unit() as uow:
        return report_out(R.report_detail(uow, report_id))


@supervision_reports_api.get(f"{ROOT}/<id:report_id>/photo")
@responds(None, media_type="image/*", errors=(403, 404, 503))
def report_photo(report_id: int):
    """The photo sent with a report, for staff who may read the report."""
    with unit() as uow:
        path, content_type = R.report_photo(uow, report_id)
    return image_answer(path, content_type)


@supervision_reports_api.post(f"{ROOT}/<id:report_id>/verification")
@body(VerificationCreate)
@responds(ReportOut, errors=(400, 403, 404, 409, 415, 503))
def verification(report_id: int):
    """Verify a 待核实 report: 属实 makes a hidden danger (source 群众举报) of the enterprise named; 不属实 and 重复
    close it with an answer. A report verified meanwhile answers 409."""
    req = parse(VerificationCreate, json_body())
    with unit(write=True) as uow:
        return report_out(R.verify_report(uow, report_id, R.Verification(**req.model_dump())))


@supervision_reports_api.post(f"{ROOT}/<id:report_id>/reward")
@body(RewardStep)
@responds(ReportOut, errors=(400, 403, 404, 409, 415, 503))
def reward(report_id: int):
    """The reward of a true report: 不适用 → 待发放 (with the amount in yuan, exact) → 已发放, or 待发放 → 不适用."""
    req = parse(RewardStep, json_body())
    with unit(write=True) as uow:
        return report_out(R.set_reward(uow, report_id, req.status, req.amount_yuan))

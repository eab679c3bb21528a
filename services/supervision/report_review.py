"""Staff's side of 有奖举报: the reports to verify (township staff: their township's), the verification (属实 makes a
hidden danger of source 群众举报 at the enterprise staff name; 不属实 and 重复 close the report with an answer), and
the reward (不适用 → 待发放 with its amount → 已发放, or back from 待发放 to 不适用).

Every step is one conditional UPDATE (``WHERE status = '待核实'``, ``WHERE reward_status IN (...)``): of two staff
verifying one report at once exactly one succeeds and makes the danger, the other is told it was verified meanwhile
(409). Each step is audited; the reporter's phone is shown only to those who may verify (supervision.write).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from pathlib import Path

from sqlalchemy import func, select, update

from services import vocabulary
from services.clock import as_utc, now_utc, to_local
from services.db import audit
from services.db.uow import UnitOfWork
from services.errors import Conflict, FieldError, NotFound
from services.field.photos import Upload, attach_photos, photo_root
from services.models import HiddenDanger, PublicReport
from services.supervision.dangers import DangerInput, clean_text, danger_row, money, record_danger
from services.supervision.risk_points import choices
from services.text import t, term

MAX_OUTCOME = 2000
STATUS_FILTERS = ("pending", "verified", "reward_due", "all") + vocabulary.REPORT_STATUSES
# reward status asked for → the statuses it may come from
REWARD_STEPS = {vocabulary.REWARD_DUE: (vocabulary.REWARD_NONE,), vocabulary.REWARD_PAID: (vocabulary.REWARD_DUE,),
                vocabulary.REWARD_NONE: (vocabulary.REWARD_DUE,)}


@dataclass(frozen=True)
class Verification:
    """A verdict on a report. 属实: ``enterprise_id`` and ``deadline`` of the hidden danger it becomes (its level,
    description — by default the report's — and, for a 重大 one, the supervising leader); 不属实 / 重复: ``outcome``,
    the answer the reporter reads, and for 重复 optionally ``danger_id``, the danger already recorded."""

    status: str
    outcome: str = ""
    enterprise_id: int | None = None
    deadline: dt.date | None = None
    level: str = vocabulary.DANGER_ORDINARY
    description: str = ""
    supervising_leader: str = ""
    danger_id: int | None = None


@dataclass(frozen=True)
class ReportRow:
    id: int
    reference: str
    submitted_at: str
    township_code: str | None
    enterprise_name: str | None
    enterprise_id: int | None
    place: str | None
    description: str
    contact: str | None
    has_photo: bool
    status: str
    verified_by: str | None
    verified_at: str | None
    outcome: str | None
    danger_id: int | None
    danger_code: str | None
    danger_status: str | None
    reward_status: str
    reward_yuan: str | None

    def to_json(self) -> dict:
        return asdict(self)


def _row(r: PublicReport, danger_code: str | None, danger_status: str | None, contact: bool) -> ReportRow:
    return ReportRow(
        id=r.id, reference=r.reference, submitted_at=as_utc(r.submitted_at).isoformat(), township_code=r.township_code,
        enterprise_name=r.enterprise_name, enterprise_id=r.enterprise_id, place=r.place, description=r.description,
        contact=r.contact if contact else None, has_photo=r.photo_name is not None, status=r.status,
        verified_by=r.verified_by,
        verified_at=as_utc(r.verified_at).isoformat() if r.verified_at else None, outcome=r.outcome,
        danger_id=r.danger_id, danger_code=danger_code, danger_status=danger_status, reward_status=r.reward_status,
        reward_yuan=None if r.reward_yuan is None else f"{r.reward_yuan:.2f}")


def _query():
    return (select(PublicReport, HiddenDanger.code, HiddenDanger.status)
            .outerjoin(HiddenDanger, HiddenDanger.id == PublicReport.danger_id))


def list_reports(uow: UnitOfWork, *, status: str = "pending", township_code: str | None = None, limit: int = 200,
                 offset: int = 0) -> tuple[int, list[ReportRow]]:
    """Reports by ``status`` (pending = 待核实, verified, reward_due = 待发放, all, or one status), the newest first;
    township staff see their township's only (a report naming no township is the county's). (total, the page)."""
    if status not in STATUS_FILTERS:
        raise FieldError.of("status", "supervision.one_of", values=t("list.separator").join(STATUS_FILTERS),
                            values_en=", ".join(term(s, "en") for s in STATUS_FILTERS))
    uow.principal.require("supervision.read")
    conditions = []
    if status == "pending":
        conditions.append(PublicReport.status == vocabulary.REPORT_PENDING)
    elif status == "verified":
        conditions.append(PublicReport.status != vocabulary.REPORT_PENDING)
    elif status == "reward_due":
        conditions.append(PublicReport.reward_status == vocabulary.REWARD_DUE)
    elif status in vocabulary.REPORT_STATUSES:
        conditions.append(PublicReport.status == status)
    scope = uow.principal.township_filter() or township_code
    if scope is not None:
        conditions.append(PublicReport.township_code == scope)
    total = uow.session.scalar(select(func.count()).select_from(PublicReport).where(*conditions))
    rows = uow.session.execute(_query().where(*conditions)
                               .order_by(PublicReport.submitted_at.desc(), PublicReport.id.desc())
                               .limit(max(1, min(limit, 1000))).offset(max(0, offset))).all()
    contact = _sees_contact(uow)
    return total, [_row(*r, contact) for r in rows]


def _sees_contact(uow: UnitOfWork) -> bool:
    """The reporter's phone is for those who verify reports and pay rewards, not for every reader."""
    return uow.principal.may("supervision.write")


def _report(uow: UnitOfWork, report_id: int, permission: str) -> PublicReport:
    """The report (404 if none), once the principal may ``permission`` it (township staff: of their township)."""
    report = uow.session.get(PublicReport, report_id, populate_existing=True)
    if report is None:
        raise NotFound.of("report_id", "report.id_not_found", id=report_id)
    uow.principal.require_township(permission, report.township_code)
    return report


def report_detail(uow: UnitOfWork, report_id: int) -> ReportRow:
    _report(uow, report_id, "supervision.read")
    return _row(*uow.session.execute(_query().where(PublicReport.id == report_id)).one(), _sees_contact(uow))


def _links(uow: UnitOfWork, data: Verification) -> dict:
    """The columns a verdict sets besides its status, checked: nothing is written before this passes."""
    if data.status not in vocabulary.REPORT_VERDICTS:
        raise FieldError.of("status", "supervision.one_of", **choices(vocabulary.REPORT_VERDICTS))
    outcome = clean_text(data.outcome, "outcome", MAX_OUTCOME, required=data.status != vocabulary.REPORT_TRUE)
    values = {"status": data.status, "outcome": outcome, "verified_by": uow.actor[:80], "verified_at": now_utc()}
    if data.status == vocabulary.REPORT_TRUE:
        if data.enterprise_id is None:
            raise FieldError.of("enterprise_id", "report.enterprise_required")
        if not isinstance(data.deadline, dt.date):
            raise FieldError.of("deadline", "supervision.required")
    if data.danger_id is not None:
        if data.status != vocabulary.REPORT_DUPLICATE:
            raise FieldError.of("danger_id", "report.danger_for_duplicate")
        known = danger_row(uow, data.danger_id)  # 404, and township staff's scope
        values.update(danger_id=known.id, enterprise_id=known.enterprise_id)
    return values


def verify_report(uow: UnitOfWork, report_id: int, data: Verification) -> ReportRow:
    """Verify a 待核实 report (supervision.write); 属实 records its hidden danger (source 群众举报, found on the day
    the report came in, by the report's reference) and links it. A report verified meanwhile is a 409."""
    report = _report(uow, report_id, "supervision.write")
    values = _links(uow, data)
    claimed = uow.session.execute(update(PublicReport).where(PublicReport.id == report_id,
                                                             PublicReport.status == vocabulary.REPORT_PENDING)
                                  .values(**values).returning(PublicReport.id)).first()
    if claimed is None:
        now = uow.session.scalar(select(PublicReport.status).where(PublicReport.id == report_id))
        raise Conflict.of("status", "report.already_verified", reference=report.reference, status=now)
    detail = {"status": data.status, "danger": None}
    if data.status == vocabulary.REPORT_TRUE:
        danger = record_danger(uow, DangerInput(
            enterprise_id=data.enterprise_id, level=data.level, source=vocabulary.SOURCE_PUBLIC,
            description=(data.description or "").strip() or report.description,
            found_on=to_local(report.submitted_at, uow.settings).date(),
            found_by=f"{vocabulary.SOURCE_PUBLIC} {report.reference}", deadline=data.deadline,
            place=report.place or "", supervising_leader=data.supervising_leader or ""))
        uow.session.execute(update(PublicReport).where(PublicReport.id == report_id).values(
            danger_id=danger.id, enterprise_id=danger.enterprise_id, township_code=danger.township_code))
        detail.update(danger=danger.code, enterprise_id=danger.enterprise_id)
        _copy_photo(uow, report, danger.id)
    elif "danger_id" in values:
        detail["danger"] = values["danger_id"]
    audit.record(uow.session, actor=uow.actor, action="verify", entity="public_report", entity_key=report.reference,
                 detail=detail)
    return report_detail(uow, report_id)


def _copy_photo(uow: UnitOfWork, report: PublicReport, danger_id: int) -> None:
    """The reporter's photo goes with the danger it became (checked again as every danger photo is)."""
    if report.photo_name is None:
        return
    path = photo_root(uow.settings) / report.photo_name
    if path.is_file():
        attach_photos(uow, "danger", danger_id, [Upload(f"{report.reference}{path.suffix}", path.read_bytes())])


def set_reward(uow: UnitOfWork, report_id: int, status: str, amount_yuan=None) -> ReportRow:
    """Move a true report's reward (supervision.write): → 待发放 with ``amount_yuan`` (exact, in yuan), → 已发放
    (paid, the amount proposed), or 待发放 → 不适用 (withdrawn). The wrong step is a 409 naming the reward's state."""
    report = _report(uow, report_id, "supervision.write")
    if status not in REWARD_STEPS:
        raise FieldError.of("status", "supervision.one_of", **choices(vocabulary.REWARD_STATUSES))
    values: dict = {"reward_status": status}
    amount = money(amount_yuan, "amount_yuan")
    if status == vocabulary.REWARD_DUE:
        if amount is None:
            raise FieldError.of("amount_yuan", "report.reward_amount_required")
        if amount == 0:
            raise FieldError.of("amount_yuan", "report.reward_positive")
        values["reward_yuan"] = amount
    elif amount is not None:
        raise FieldError.of("amount_yuan", "report.reward_amount_on_proposal")
    elif status == vocabulary.REWARD_NONE:
        values["reward_yuan"] = None
    if report.status != vocabulary.REPORT_TRUE:
        raise Conflict.of("status", "report.reward_needs_true", reference=report.reference, status=report.status)
    allowed = REWARD_STEPS[status]
    moved = uow.session.execute(update(PublicReport).where(
        PublicReport.id == report_id, PublicReport.status == vocabulary.REPORT_TRUE,
        PublicReport.reward_status.in_(allowed)).values(**values).returning(PublicReport.id)).first()
    if moved is None:
        now = uow.session.scalar(select(PublicReport.reward_status).where(PublicReport.id == report_id))
        raise Conflict.of("reward_status", "report.reward_wrong_status", reference=report.reference, status=now,
                          needed=t("list.separator").join(allowed),
                          needed_en=", ".join(term(s, "en") for s in allowed))
    audit.record(uow.session, actor=uow.actor, action="reward", entity="public_report", entity_key=report.reference,
                 detail={"from": report.reward_status, "to": status,
                         "amount_yuan": None if amount is None else f"{amount:.2f}"})
    return report_detail(uow, report_id)


def report_photo(uow: UnitOfWork, report_id: int) -> tuple[Path, str]:
    """The file and decoded type of a report's photo, for staff who may read the report (404 if it has none)."""
    report = _report(uow, report_id, "supervision.read")
    if report.photo_name is None:
        raise NotFound.of("report_id", "report.photo_missing", reference=report.reference)
    path = photo_root(uow.settings) / report.photo_name
    if not path.is_file():
        raise NotFound.of("report_id", "report.photo_missing", reference=report.reference)
    return path, report.photo_type

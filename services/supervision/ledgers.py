"""The ledgers offices already keep, imported (issue 14 point 9): 隐患台账 (hidden dangers with where each stands)
and 检查记录 (inspections). The importer (services/data/imports.py) reads, maps and parses them like every file;
this module adds their checks, row by row (``ledger_errors``, shown in the preview too), and writes them.

A ledger row's danger is recorded by ``dangers.record_danger`` (its code, audit row and the enterprise's open count),
then moved to the state the ledger gives it: 整改中 and 待验收 as rectified and submitted, 已销号 closed off by the
acceptance check the ledger names — whose checker must be another person than its finder, as on the page.
"""
from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select, tuple_, update

from services import vocabulary
from services.clock import local_today, now_utc
from services.data.cells import RowError, row_error
from services.data.specs import ITEM_BREAKS
from services.db.uow import UnitOfWork
from services.errors import FieldError
from services.models import Enterprise, HiddenDanger, Inspection, Recheck
from services.supervision import dangers as D
from services.supervision.inspections import InspectionInput, record_inspection
from services.text import both

DANGER_LEDGER, INSPECTION_LEDGER = "danger_ledger", "inspection_ledger"
CLOSED, PENDING = vocabulary.DANGER_CLOSED, vocabulary.DANGER_PENDING


def enterprise_ids(uow: UnitOfWork) -> dict[str, int]:
    """Credit code → enterprise id, for the ledgers' first column."""
    return dict(uow.session.execute(select(Enterprise.credit_code, Enterprise.id)).all())


def _danger_input(rec: dict, firm: int) -> D.DangerInput:
    return D.DangerInput(
        enterprise_id=firm, level=rec["level"], source=rec["source"], self_check_cycle=rec.get("self_check_cycle"),
        found_on=rec["found_on"], found_by=rec["found_by"] or "", description=rec["description"] or "",
        place=rec.get("place") or "", responsible_person=rec.get("responsible_person") or "",
        measures=rec.get("measures") or "", funds_yuan=rec.get("funds_yuan"), deadline=rec["deadline"],
        supervising_leader=rec.get("supervising_leader") or "")


def _danger_problems(uow: UnitOfWork, rec: dict, firm: int) -> list[tuple[str, str, dict]]:
    """(field, catalogue key, parameters) of what is wrong with a parsed 隐患台账 row beyond its cells."""
    try:
        D.check_danger(uow, _danger_input(rec, firm))
    except FieldError as exc:
        return [(exc.field, "ledger.field", {"reason": exc.reason, "reason_en": exc.reason_en})]
    problems: list[tuple[str, str, dict]] = []
    closed, checked_by, checked_on = rec["status"] == CLOSED, rec.get("checked_by"), rec.get("checked_on")
    if closed and not checked_by:
        problems.append(("checked_by", "ledger.closed_needs_check", {}))
    if closed and checked_on is None:
        problems.append(("checked_on", "ledger.closed_needs_check", {}))
    if not closed and (checked_by or checked_on is not None):
        problems.append(("checked_by" if checked_by else "checked_on", "ledger.check_only_closed", {}))
    if checked_by and checked_by.strip() == (rec["found_by"] or "").strip():
        problems.append(("checked_by", "ledger.self_check", {"name": checked_by}))
    if checked_on is not None and checked_on > local_today(uow.settings, now_utc()):
        problems.append(("checked_on", "ledger.future", {}))
    elif checked_on is not None and checked_on < rec["found_on"]:
        problems.append(("checked_on", "ledger.check_before_found", {}))
    return problems


def _exists_danger(uow: UnitOfWork, rec: dict, firm: int) -> bool:
    if rec.get("code"):
        return uow.session.scalar(select(HiddenDanger.id).where(HiddenDanger.code == rec["code"])) is not None
    return uow.session.scalar(select(HiddenDanger.id).where(
        HiddenDanger.enterprise_id == firm, HiddenDanger.found_on == rec["found_on"],
        HiddenDanger.description == (rec["description"] or "").strip()).limit(1)) is not None


def _inspection_problems(uow: UnitOfWork, rec: dict, firm: int) -> list[tuple[str, str, dict]]:
    if rec["inspected_on"] > local_today(uow.settings, now_utc()):
        return [("inspected_on", "ledger.future", {})]
    same = uow.session.scalar(select(Inspection.id).where(
        tuple_(Inspection.enterprise_id, Inspection.inspected_on, Inspection.inspectors)
        == (firm, rec["inspected_on"], (rec["inspectors"] or "").strip())).limit(1))
    return [("inspected_on", "ledger.inspection_exists", {})] if same is not None else []


def ledger_errors(uow: UnitOfWork, entity: str, rec: dict, row_no: int, firms: dict[str, int],
                  header: Callable[[str], str]) -> list[RowError]:
    """The errors of one parsed ledger row (cells already parsed; a bad cell's field is None and not judged)."""
    if rec.get("_bad") or rec.get("credit_code") is None:
        return []
    firm = firms.get(rec["credit_code"])
    if firm is None:
        what_zh, what_en = both("import.ref.enterprises")
        return [row_error(row_no, header("credit_code"), "unknown_ref", value=rec["credit_code"], what=what_zh,
                          what_en=what_en)]
    if entity == DANGER_LEDGER:
        problems = _danger_problems(uow, rec, firm)
        if not problems and _exists_danger(uow, rec, firm):
            problems = [("code" if rec.get("code") else "description", "ledger.danger_exists", {})]
    else:
        problems = _inspection_problems(uow, rec, firm)
    return [row_error(row_no, header(field), key, **params) for field, key, params in problems]


def _advance(uow: UnitOfWork, danger_id: int, rec: dict) -> None:
    """Move a danger just recorded to the ledger's state, with the timestamps of each step and, for 已销号, the
    ledger's acceptance check (a passed Recheck by the checker it names)."""
    status = rec["status"]
    if status == PENDING:
        return
    now = now_utc()
    values: dict = {"status": status, "rectifying_at": now}
    if status in (vocabulary.DANGER_SUBMITTED, CLOSED):
        values["submitted_at"] = now
    if status == CLOSED:
        values.update(closed_at=now, closed_on=rec["checked_on"])
        uow.session.add(Recheck(danger_id=danger_id, checked_on=rec["checked_on"], checked_by=rec["checked_by"].strip(),
                                passed=True, note=None, actor=uow.actor[:80]))
    uow.session.execute(update(HiddenDanger).where(HiddenDanger.id == danger_id, HiddenDanger.status == PENDING)
                        .values(**values))


def write_ledger(uow: UnitOfWork, entity: str, records: list[dict], is_sample: bool = False) -> int:
    """Write checked ledger rows (``ledger_errors`` found none) in the caller's transaction; the records made."""
    uow.principal.require("supervision.write")
    firms = enterprise_ids(uow)
    touched: set[int] = set()
    made: list[int] = []
    for rec in records:
        firm = firms[rec["credit_code"]]
        if entity == DANGER_LEDGER:
            row = D.record_danger(uow, _danger_input(rec, firm), code=rec.get("code"))
            _advance(uow, row.id, rec)
            made.append(row.id)
            touched.add(firm)
        else:
            items = tuple(part.strip() for part in ITEM_BREAKS.split(rec.get("items") or "") if part.strip())
            made.append(record_inspection(uow, InspectionInput(enterprise_id=firm, inspected_on=rec["inspected_on"],
                                                   inspectors=rec["inspectors"] or "",
                                                   department=rec.get("department") or "", items=items,
                                                   note=rec.get("note") or "")).id)
    for firm in touched:
        D.recount(uow, firm)
    if is_sample and made:
        model = HiddenDanger if entity == DANGER_LEDGER else Inspection
        uow.session.execute(update(model).where(model.id.in_(made)).values(is_sample=True))
    uow.session.flush()
    return len(made)

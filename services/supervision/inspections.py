"""Enforcement (执法三部曲): inspections (检查诊断) with their findings, and administrative penalties (行政处罚).

An inspection and the hidden dangers it found are written in one transaction (found by the inspectors, on the
inspection's date, source 部门检查 — or 专项整治 when it belongs to a campaign); a bad finding refuses the whole
inspection. Rechecks (整改复查) are the acceptance checks of services/supervision/dangers.py.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from services import vocabulary
from services.clock import local_today, now_utc
from services.db import audit
from services.db.uow import UnitOfWork
from services.errors import Conflict, FieldError, NotFound
from services.models import Campaign, HiddenDanger, Inspection, Penalty
from services.supervision.dangers import DangerInput, clean_text, money, record_danger
from services.supervision.risk_points import choices, lock_enterprise, require_enterprise

MAX_ITEMS = 100
MAX_FINDINGS = 50


@dataclass(frozen=True)
class Finding:
    """A hidden danger found by an inspection: what, how serious, and by when it must be put right."""

    description: str
    deadline: dt.date
    level: str = vocabulary.DANGER_ORDINARY
    place: str = ""
    responsible_person: str = ""
    measures: str = ""
    supervising_leader: str = ""


@dataclass(frozen=True)
class InspectionInput:
    enterprise_id: int
    inspected_on: dt.date
    inspectors: str
    department: str = ""
    items: tuple[str, ...] = ()
    campaign_id: int | None = None
    note: str = ""
    findings: tuple[Finding, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class InspectionRow:
    id: int
    code: str
    enterprise_id: int
    inspected_on: str
    inspectors: str
    department: str | None
    items: list[str]
    campaign_id: int | None
    note: str | None
    danger_ids: list[int]

    def to_json(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class PenaltyInput:
    enterprise_id: int
    decision_no: str
    penalty_type: str
    decided_on: dt.date
    amount_yuan: Decimal | str | None = None
    inspection_id: int | None = None
    note: str = ""


@dataclass(frozen=True)
class PenaltyRow:
    id: int
    decision_no: str
    enterprise_id: int
    inspection_id: int | None
    penalty_type: str
    amount_yuan: str | None
    decided_on: str
    note: str | None

    def to_json(self) -> dict:
        return asdict(self)


def _check_date(uow: UnitOfWork, value, name: str) -> dt.date:
    if not isinstance(value, dt.date):
        raise FieldError.of(name, "supervision.date_invalid")
    if value > local_today(uow.settings, now_utc()):
        raise FieldError.of(name, "supervision.date_future")
    return value


def inspection_code(inspected_on: dt.date, inspection_id: int) -> str:
    """JC-2026-000123: the year of the inspection and its id."""
    return f"JC-{inspected_on.year}-{inspection_id:06d}"


def record_inspection(uow: UnitOfWork, data: InspectionInput) -> InspectionRow:
    """Record an inspection and its findings as hidden dangers (supervision.write), all or nothing."""
    firm = lock_enterprise(uow, data.enterprise_id, "supervision.write")
    on = _check_date(uow, data.inspected_on, "inspected_on")
    inspectors = clean_text(data.inspectors, "inspectors", 200, required=True)
    items = [i.strip() for i in data.items if i and i.strip()]
    if len(items) > MAX_ITEMS or any(len(i) > 200 for i in items):
        raise FieldError.of("items", "inspection.items_limit", limit=MAX_ITEMS)
    if len(data.findings) > MAX_FINDINGS:
        raise FieldError.of("findings", "inspection.findings_limit", limit=MAX_FINDINGS)
    if data.campaign_id is not None:
        period = uow.session.execute(select(Campaign.starts_on, Campaign.ends_on)
                                     .where(Campaign.id == data.campaign_id)).first()
        if period is None:
            raise NotFound.of("campaign_id", "campaign.not_found", id=data.campaign_id)
        if not period.starts_on <= on <= period.ends_on:
            raise FieldError.of("inspected_on", "inspection.outside_campaign", starts=period.starts_on.isoformat(),
                                ends=period.ends_on.isoformat())
    inspection = Inspection(enterprise_id=data.enterprise_id, inspected_on=on, inspectors=inspectors,
                            department=clean_text(data.department, "department", 100), items="\n".join(items) or None,
                            campaign_id=data.campaign_id, note=clean_text(data.note, "note", 4000),
                            created_by=uow.actor[:80])
    uow.session.add(inspection)
    uow.session.flush()
    inspection.code = inspection_code(on, inspection.id)
    source = vocabulary.SOURCE_CAMPAIGN if data.campaign_id is not None else vocabulary.SOURCE_INSPECTION
    danger_ids = []
    for index, finding in enumerate(data.findings):
        try:
            danger = record_danger(uow, DangerInput(
                enterprise_id=data.enterprise_id, level=finding.level, source=source, description=finding.description,
                found_on=on, found_by=inspectors, deadline=finding.deadline, place=finding.place,
                inspection_id=inspection.id, campaign_id=data.campaign_id,
                responsible_person=finding.responsible_person, measures=finding.measures,
                supervising_leader=finding.supervising_leader))
        except FieldError as exc:  # name the finding: "findings[2].deadline"
            exc.field = f"findings[{index}].{exc.field}"
            raise
        danger_ids.append(danger.id)
    audit.record(uow.session, actor=uow.actor, action="inspect", entity="inspection", entity_key=inspection.code,
                 detail={"enterprise": firm.credit_code, "on": on.isoformat(), "findings": len(danger_ids)})
    return _inspection_row(inspection, danger_ids)


def _inspection_row(i: Inspection, danger_ids: list[int]) -> InspectionRow:
    return InspectionRow(id=i.id, code=i.code or "", enterprise_id=i.enterprise_id, inspected_on=i.inspected_on.isoformat(),
                         inspectors=i.inspectors, department=i.department,
                         items=i.items.split("\n") if i.items else [], campaign_id=i.campaign_id, note=i.note,
                         danger_ids=danger_ids)


def record_penalty(uow: UnitOfWork, data: PenaltyInput) -> PenaltyRow:
    """Record a penalty decision (supervision.write); its number is unique, decided by the database."""
    firm = lock_enterprise(uow, data.enterprise_id, "supervision.write")
    number = clean_text(data.decision_no, "decision_no", 60, required=True)
    if data.penalty_type not in vocabulary.PENALTY_TYPES:
        raise FieldError.of("penalty_type", "supervision.one_of", **choices(vocabulary.PENALTY_TYPES))
    amount = money(data.amount_yuan, "amount_yuan", positive=data.penalty_type == vocabulary.PENALTY_FINE)
    if data.penalty_type == vocabulary.PENALTY_FINE and amount is None:
        raise FieldError.of("amount_yuan", "supervision.money_positive")
    on = _check_date(uow, data.decided_on, "decided_on")
    if data.inspection_id is not None:
        of = uow.session.scalar(select(Inspection.enterprise_id).where(Inspection.id == data.inspection_id))
        if of != data.enterprise_id:
            raise FieldError.of("inspection_id", "danger.inspection_other")
    penalty = Penalty(decision_no=number, enterprise_id=data.enterprise_id, inspection_id=data.inspection_id,
                      penalty_type=data.penalty_type, amount_yuan=amount, decided_on=on,
                      note=clean_text(data.note, "note", 4000), created_by=uow.actor[:80])
    try:
        with uow.session.begin_nested():  # the unique decision number is decided here, in the database
            uow.session.add(penalty)
            uow.session.flush()
    except IntegrityError:
        raise Conflict.of("decision_no", "penalty.number_taken", number=number) from None
    audit.record(uow.session, actor=uow.actor, action="penalty", entity="penalty", entity_key=number,
                 detail={"enterprise": firm.credit_code, "type": data.penalty_type,
                         "amount_yuan": None if amount is None else str(amount)})
    return penalty_row(penalty)


def penalty_row(p: Penalty) -> PenaltyRow:
    return PenaltyRow(id=p.id, decision_no=p.decision_no, enterprise_id=p.enterprise_id, inspection_id=p.inspection_id,
                      penalty_type=p.penalty_type, amount_yuan=None if p.amount_yuan is None else f"{p.amount_yuan:.2f}",
                      decided_on=p.decided_on.isoformat(), note=p.note)


def inspections_of(uow: UnitOfWork, enterprise_id: int, limit: int = 50) -> list[InspectionRow]:
    """The newest inspections of an enterprise first, with the dangers each found (township staff: their own)."""
    require_enterprise(uow, enterprise_id)
    rows = uow.session.scalars(select(Inspection).where(Inspection.enterprise_id == enterprise_id)
                               .order_by(Inspection.inspected_on.desc(), Inspection.id.desc()).limit(limit)).all()
    found: dict[int, list[int]] = {}
    if rows:
        for inspection_id, danger_id in uow.session.execute(
                select(HiddenDanger.inspection_id, HiddenDanger.id)
                .where(HiddenDanger.inspection_id.in_([r.id for r in rows])).order_by(HiddenDanger.id)):
            found.setdefault(inspection_id, []).append(danger_id)
    return [_inspection_row(r, found.get(r.id, [])) for r in rows]


def penalties_of(uow: UnitOfWork, enterprise_id: int, limit: int = 50) -> list[PenaltyRow]:
    """The newest penalty decisions of an enterprise first (township staff: their own)."""
    require_enterprise(uow, enterprise_id)
    rows = uow.session.scalars(select(Penalty).where(Penalty.enterprise_id == enterprise_id)
                               .order_by(Penalty.decided_on.desc(), Penalty.id.desc()).limit(limit)).all()
    return [penalty_row(p) for p in rows]

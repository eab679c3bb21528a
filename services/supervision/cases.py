"""The closed loop of an enforcement case as a timeline: 检查诊断 → 行政处罚 → 整改复查, with the steps missing.

A case is one inspection with what followed it: the hidden dangers it found (each with its rectification, its
rechecks and its closing off) and the penalties decided on it. A case is flagged when a danger of it is past its
deadline without a passing recheck (the 整改复查 step is missing), or when a 重大 danger of it has no penalty
decision once its deadline has passed (the 行政处罚 step is missing — documented, not the law: a department may
decide not to punish; the flag asks for that decision to be recorded).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

from sqlalchemy import select

from services import vocabulary
from services.clock import as_utc, local_today, now_utc, to_local
from services.db.uow import UnitOfWork
from services.errors import NotFound
from services.models import Enterprise, HiddenDanger, Inspection, Penalty, Recheck


@dataclass(frozen=True)
class Step:
    on: str          # the local date of the step
    kind: str        # inspection / danger / rectify / submit / recheck_pass / recheck_fail / penalty / closed
    ref: str         # the record's code or number
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Case:
    inspection_id: int
    code: str
    enterprise_id: int
    enterprise: str
    steps: list[Step]
    flags: list[dict]   # {"code": "case.no_recheck" | "case.no_penalty", "danger": code, "deadline": date}

    def to_json(self) -> dict:
        return asdict(self)


def case_of(uow: UnitOfWork, inspection_id: int) -> Case:
    """The timeline of the case opened by ``inspection_id`` (township staff: of their township only)."""
    found = uow.session.execute(select(Inspection, Enterprise.name, Enterprise.township_code)
                                .join(Enterprise, Enterprise.id == Inspection.enterprise_id)
                                .where(Inspection.id == inspection_id)).first()
    if found is None:
        raise NotFound.of("inspection_id", "inspection.not_found", id=inspection_id)
    inspection, firm, township = found
    uow.principal.require_enterprise("supervision.read", inspection.enterprise_id, township)
    today = local_today(uow.settings, now_utc())
    dangers = uow.session.scalars(select(HiddenDanger).where(HiddenDanger.inspection_id == inspection_id)
                                  .order_by(HiddenDanger.id)).all()
    penalties = uow.session.scalars(select(Penalty).where(Penalty.inspection_id == inspection_id)
                                    .order_by(Penalty.decided_on, Penalty.id)).all()
    checks = uow.session.scalars(select(Recheck).where(Recheck.danger_id.in_([d.id for d in dangers]))
                                 .order_by(Recheck.checked_on, Recheck.id)).all() if dangers else []
    steps = [Step(inspection.inspected_on.isoformat(), "inspection", inspection.code or "",
                  {"inspectors": inspection.inspectors, "findings": len(dangers)})]
    code_of = {d.id: d.code or "" for d in dangers}
    for d in dangers:
        steps.append(Step(d.found_on.isoformat(), "danger", code_of[d.id],
                          {"level": d.level, "deadline": d.deadline.isoformat(), "status": d.status}))
        for kind, at in (("rectify", d.rectifying_at), ("submit", d.submitted_at)):
            if at is not None:
                steps.append(Step(_local_date(at, uow.settings), kind, code_of[d.id], {}))
    steps += [Step(r.checked_on.isoformat(), "recheck_pass" if r.passed else "recheck_fail", code_of[r.danger_id],
                   {"by": r.checked_by}) for r in checks]
    steps += [Step(p.decided_on.isoformat(), "penalty", p.decision_no,
                   {"type": p.penalty_type, "amount_yuan": None if p.amount_yuan is None else f"{p.amount_yuan:.2f}"})
              for p in penalties]
    order = {"inspection": 0, "danger": 1, "rectify": 2, "submit": 3, "recheck_fail": 4, "recheck_pass": 5,
             "penalty": 6}
    steps.sort(key=lambda s: (s.on, order[s.kind]))
    return Case(inspection.id, inspection.code or "", inspection.enterprise_id, firm, steps,
                _flags(dangers, checks, penalties, today))


def _local_date(at: dt.datetime, settings) -> str:
    return to_local(as_utc(at), settings).date().isoformat()


def _flags(dangers, checks, penalties, today: dt.date) -> list[dict]:
    passed = {r.danger_id for r in checks if r.passed}
    flags = []
    for d in dangers:
        if d.deadline < today and d.id not in passed and d.status != vocabulary.DANGER_CLOSED:
            flags.append({"code": "case.no_recheck", "danger": d.code, "deadline": d.deadline.isoformat()})
        if d.level == vocabulary.DANGER_MAJOR and d.deadline < today and not penalties:
            flags.append({"code": "case.no_penalty", "danger": d.code, "deadline": d.deadline.isoformat()})
    return flags


def flagged_cases(uow: UnitOfWork, limit: int = 100) -> list[dict]:
    """Inspections whose case misses a step after a deadline (the work list), most late first.

    One query finds the candidates (an open danger of an inspection past its deadline, or a 重大 one past its
    deadline on an inspection without a penalty); township staff see their township's only."""
    today = local_today(uow.settings, now_utc())
    uow.principal.require_overview("supervision.read")
    no_penalty = ~select(Penalty.id).where(Penalty.inspection_id == HiddenDanger.inspection_id).exists()
    late = ((HiddenDanger.status.in_(vocabulary.DANGER_OPEN_STATUSES))
            | ((HiddenDanger.level == vocabulary.DANGER_MAJOR) & no_penalty))
    query = (select(Inspection.id, Inspection.code, Enterprise.id, Enterprise.name, HiddenDanger.code,
                    HiddenDanger.deadline, HiddenDanger.status, HiddenDanger.level)
             .join(HiddenDanger, HiddenDanger.inspection_id == Inspection.id)
             .join(Enterprise, Enterprise.id == Inspection.enterprise_id)
             .where(HiddenDanger.deadline < today, late))
    scope = uow.principal.township_filter()
    if scope is not None:
        query = query.where(Enterprise.township_code == scope)
    rows = uow.session.execute(query.order_by(HiddenDanger.deadline, Inspection.id).limit(limit * 5)).all()
    cases: dict[int, dict] = {}
    for inspection_id, code, firm_id, firm, danger, deadline, status, level in rows:
        case = cases.setdefault(inspection_id, {"inspection_id": inspection_id, "code": code, "enterprise_id": firm_id,
                                                "enterprise": firm, "dangers": [], "oldest_deadline": deadline.isoformat()})
        missing = "case.no_recheck" if status in vocabulary.DANGER_OPEN_STATUSES else "case.no_penalty"
        case["dangers"].append({"code": danger, "deadline": deadline.isoformat(), "missing": missing, "level": level})
    return list(cases.values())[:limit]

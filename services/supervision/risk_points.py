"""Risk points (风险点) of an enterprise and their grade, and the enterprise's level derived from them.

Two documented methods (the district's 双重预防 practice, after GB/T 13861 and the LEC method of 作业条件危险性分析):

- **LS risk matrix** — R = L × S, L (likelihood) and S (severity) each 1–5: R ≥ 20 重大 (red), 15–19 较大 (orange),
  9–14 一般 (yellow), ≤ 8 低 (blue). (The products possible are 1–6, 8–10, 12, 15, 16, 20, 25.)
- **LEC** — D = L × E × C with L ∈ {0.1, 0.2, 0.5, 1, 3, 6, 10} (likelihood), E ∈ {0.5, 1, 2, 3, 6, 10} (exposure
  frequency), C ∈ {1, 3, 7, 15, 40, 100} (consequence): D > 320 重大, 160 < D ≤ 320 较大, 70 < D ≤ 160 一般,
  D ≤ 70 低 (the method's 稍有危险 and 一般危险 both blue).

The enterprise's level is the highest of its points unless the supervising department set it
(``risk_level_by_department``); it is recomputed in SQL under the enterprise's row lock on every change.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from sqlalchemy import case, delete, func, select, update

from services import vocabulary
from services.db import audit
from services.db.uow import UnitOfWork
from services.errors import FieldError, NotFound
from services.models import Enterprise, RiskPoint
from services.text import t, term

LS_SCALE = (1, 2, 3, 4, 5)
LEC_L = (0.1, 0.2, 0.5, 1, 3, 6, 10)
LEC_E = (0.5, 1, 2, 3, 6, 10)
LEC_C = (1, 3, 7, 15, 40, 100)
MAX_TEXT = 2000
RANK = {level: i for i, level in enumerate(vocabulary.RISK_LEVELS)}  # 重大 0 … 低 3: lower is higher


@dataclass(frozen=True)
class RiskPointInput:
    name: str
    kind: str
    method: str
    likelihood: float
    severity: float
    exposure: float | None = None
    control_tier: str = vocabulary.CONTROL_TIERS[0]
    measures: str = ""
    responsible_person: str = ""


@dataclass(frozen=True)
class RiskPointRow:
    id: int
    enterprise_id: int
    name: str
    kind: str
    method: str
    likelihood: float
    exposure: float | None
    severity: float
    score: float
    level: str
    control_tier: str
    measures: str | None
    responsible_person: str | None

    def to_json(self) -> dict:
        return asdict(self)


def choices(values) -> dict:
    """``values`` and ``values_en`` for a catalogue text that lists the allowed values."""
    return {"values": t("list.separator").join(values), "values_en": ", ".join(term(v, "en") for v in values)}


def grade(method: str, likelihood: float, severity: float, exposure: float | None = None) -> tuple[float, str]:
    """The score and level of a risk point (see the module docstring); FieldError on a value off the scale."""
    if method == vocabulary.RISK_METHOD_LS:
        _on_scale("likelihood", likelihood, LS_SCALE)
        _on_scale("severity", severity, LS_SCALE)
        if exposure is not None:
            raise FieldError.of("exposure", "risk.exposure_ls")
        score = float(likelihood * severity)
        level = (vocabulary.RISK_MAJOR if score >= 20 else vocabulary.RISK_SIGNIFICANT if score >= 15
                 else vocabulary.RISK_MODERATE if score >= 9 else vocabulary.RISK_LOW)
        return score, level
    if method == vocabulary.RISK_METHOD_LEC:
        _on_scale("likelihood", likelihood, LEC_L)
        _on_scale("exposure", exposure, LEC_E)
        _on_scale("severity", severity, LEC_C)
        score = round(float(likelihood) * float(exposure) * float(severity), 6)
        level = (vocabulary.RISK_MAJOR if score > 320 else vocabulary.RISK_SIGNIFICANT if score > 160
                 else vocabulary.RISK_MODERATE if score > 70 else vocabulary.RISK_LOW)
        return score, level
    raise FieldError.of("method", "supervision.one_of", **choices(vocabulary.RISK_METHODS))


def _on_scale(field: str, value, scale: tuple) -> None:
    ok = (value is not None and not isinstance(value, bool) and isinstance(value, (int, float))
          and math.isfinite(value) and any(math.isclose(value, s) for s in scale))
    if not ok:
        raise FieldError.of(field, "risk.factor_scale", values=t("list.separator").join(f"{s:g}" for s in scale))


def _check(data: RiskPointInput) -> None:
    if not (data.name or "").strip() or len(data.name) > 200:
        raise FieldError.of("name", "risk.name_required")
    if data.kind not in vocabulary.RISK_POINT_KINDS:
        raise FieldError.of("kind", "supervision.one_of", **choices(vocabulary.RISK_POINT_KINDS))
    if data.control_tier not in vocabulary.CONTROL_TIERS:
        raise FieldError.of("control_tier", "supervision.one_of", **choices(vocabulary.CONTROL_TIERS))
    if len(data.measures or "") > MAX_TEXT:
        raise FieldError.of("measures", "supervision.too_long", limit=MAX_TEXT)
    if len(data.responsible_person or "") > 50:
        raise FieldError.of("responsible_person", "supervision.too_long", limit=50)


def lock_enterprise(uow: UnitOfWork, enterprise_id: int, permission: str) -> Enterprise:
    """The enterprise row, locked for this transaction (404 if none; township staff: of their township only; an
    enterprise's account: itself only)."""
    firm = uow.session.execute(select(Enterprise).where(Enterprise.id == enterprise_id)
                               .with_for_update()).scalar_one_or_none()
    if firm is None:
        raise NotFound.of("enterprise_id", "enterprise.not_found", id=enterprise_id)
    uow.principal.require_enterprise(permission, firm.id, firm.township_code)
    return firm


def require_enterprise(uow: UnitOfWork, enterprise_id: int, permission: str = "supervision.read") -> str:
    """The township of ``enterprise_id`` once the principal may ``permission`` it (404 if there is none; township
    staff: their own township only; an enterprise's account: itself only) — what every reading service checks first."""
    code = uow.session.scalar(select(Enterprise.township_code).where(Enterprise.id == enterprise_id))
    if code is None:
        raise NotFound.of("enterprise_id", "enterprise.not_found", id=enterprise_id)
    uow.principal.require_enterprise(permission, enterprise_id, code)
    return code


def add_risk_point(uow: UnitOfWork, enterprise_id: int, data: RiskPointInput) -> RiskPointRow:
    """Record a risk point of ``enterprise_id`` graded by its method; the enterprise's level follows."""
    firm = lock_enterprise(uow, enterprise_id, "supervision.write")
    _check(data)
    score, level = grade(data.method, data.likelihood, data.severity, data.exposure)
    point = RiskPoint(enterprise_id=enterprise_id, name=data.name.strip(), kind=data.kind, method=data.method,
                      likelihood=float(data.likelihood), severity=float(data.severity),
                      exposure=None if data.exposure is None else float(data.exposure), score=score, level=level,
                      control_tier=data.control_tier, measures=(data.measures or "").strip() or None,
                      responsible_person=(data.responsible_person or "").strip() or None)
    uow.session.add(point)
    uow.session.flush()
    audit.record(uow.session, actor=uow.actor, action="create", entity="risk_point", entity_key=str(point.id),
                 detail={"enterprise": firm.credit_code, "method": data.method, "score": score, "level": level})
    _follow_points(uow, enterprise_id)
    return _row(point)


def remove_risk_point(uow: UnitOfWork, point_id: int) -> None:
    enterprise_id = uow.session.scalar(select(RiskPoint.enterprise_id).where(RiskPoint.id == point_id))
    if enterprise_id is None:
        raise NotFound.of("risk_point_id", "risk.not_found", id=point_id)
    lock_enterprise(uow, enterprise_id, "supervision.write")
    if uow.session.execute(delete(RiskPoint).where(RiskPoint.id == point_id)).rowcount != 1:
        raise NotFound.of("risk_point_id", "risk.not_found", id=point_id)
    audit.record(uow.session, actor=uow.actor, action="delete", entity="risk_point", entity_key=str(point_id))
    _follow_points(uow, enterprise_id)


def set_department_level(uow: UnitOfWork, enterprise_id: int, level: str | None) -> str:
    """The supervising department sets the level (kept whatever the points say), or hands it back (None)."""
    firm = lock_enterprise(uow, enterprise_id, "supervision.write")
    if level is not None and level not in vocabulary.RISK_LEVELS:
        raise FieldError.of("risk_level", "supervision.one_of", **choices(vocabulary.RISK_LEVELS))
    before = firm.risk_level
    values = {"risk_level_by_department": level is not None}
    if level is not None:
        values["risk_level"] = level
    uow.session.execute(update(Enterprise).where(Enterprise.id == enterprise_id).values(**values))
    _follow_points(uow, enterprise_id)
    after = uow.session.scalar(select(Enterprise.risk_level).where(Enterprise.id == enterprise_id))
    audit.record(uow.session, actor=uow.actor, action="risk_level", entity="enterprise", entity_key=firm.credit_code,
                 detail={"from": before, "to": after, "by_department": level is not None})
    return after


def _follow_points(uow: UnitOfWork, enterprise_id: int) -> None:
    follow_points(uow, [enterprise_id])


def follow_points(uow: UnitOfWork, enterprise_ids: list[int]) -> None:
    """Each enterprise's level := the highest of its points (one UPDATE), unless the department set it or it has
    none."""
    highest = (select(func.min(case(*[(RiskPoint.level == lv, rank) for lv, rank in RANK.items()])))
               .where(RiskPoint.enterprise_id == Enterprise.id).correlate(Enterprise).scalar_subquery())
    level = case(*[(highest == rank, lv) for lv, rank in RANK.items()], else_=Enterprise.risk_level)
    uow.session.execute(update(Enterprise).where(Enterprise.id.in_(enterprise_ids),
                                                 Enterprise.risk_level_by_department.is_(False))
                        .values(risk_level=level))


def risk_points_of(uow: UnitOfWork, enterprise_id: int) -> list[RiskPointRow]:
    require_enterprise(uow, enterprise_id)
    rows = uow.session.scalars(select(RiskPoint).where(RiskPoint.enterprise_id == enterprise_id)
                               .order_by(RiskPoint.score.desc(), RiskPoint.id)).all()
    return [_row(p) for p in rows]


def _row(p: RiskPoint) -> RiskPointRow:
    return RiskPointRow(id=p.id, enterprise_id=p.enterprise_id, name=p.name, kind=p.kind, method=p.method,
                        likelihood=p.likelihood, exposure=p.exposure, severity=p.severity, score=p.score,
                        level=p.level, control_tier=p.control_tier, measures=p.measures,
                        responsible_person=p.responsible_person)

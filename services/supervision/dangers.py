"""Hidden dangers (隐患) and their closed loop: found → 待整改 → 整改中 → 待验收 → 已销号 (closed off only by an
acceptance check made by someone other than the account that recorded it), reopened when they come back.

Every change is one conditional UPDATE (``WHERE status IN (<allowed before>)``) under the enterprise's row lock,
and the enterprise's open count (``open_hidden_dangers``) is recounted in SQL in the same transaction: it is
derived from these records, never typed. Overdue means open with its deadline before today in the deployment's
zone (Asia/Shanghai): the deadline day itself is still in time.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from decimal import Decimal, InvalidOperation

from sqlalchemy import func, select, update

from services import vocabulary
from services.clock import local_today, now_utc
from services.db import audit
from services.db.uow import UnitOfWork
from services.errors import Conflict, FieldError, Forbidden, NotFound
from services.models import Enterprise, HiddenDanger, Inspection, Photo, Recheck
from services.supervision.risk_points import choices, lock_enterprise
from services.text import t, term

MAX_TEXT = 4000
MAX_FUNDS_YUAN = Decimal("1000000000")  # 10 亿: more is a typing mistake
OPEN = vocabulary.DANGER_OPEN_STATUSES


@dataclass(frozen=True)
class DangerInput:
    enterprise_id: int
    level: str
    source: str
    description: str
    found_on: dt.date
    found_by: str
    deadline: dt.date
    place: str = ""
    self_check_cycle: str | None = None
    inspection_id: int | None = None
    campaign_id: int | None = None
    responsible_person: str = ""
    measures: str = ""
    funds_yuan: Decimal | None = None
    supervising_leader: str = ""


@dataclass(frozen=True)
class DangerRow:
    id: int
    code: str
    enterprise_id: int
    enterprise: str
    township_code: str
    level: str
    source: str
    self_check_cycle: str | None
    status: str
    found_on: str
    found_by: str
    deadline: str
    overdue: bool
    days_overdue: int
    description: str
    place: str | None
    responsible_person: str | None
    measures: str | None
    funds_yuan: str | None
    supervising_leader: str | None
    inspection_id: int | None
    campaign_id: int | None
    reported_by: str
    closed_on: str | None
    reopened_count: int
    photo_ids: tuple[int, ...] = ()  # its photos (隐患照片: services/field/photos.py), oldest first

    def to_json(self) -> dict:
        return asdict(self)


def money(value, field: str = "funds_yuan", *, positive: bool = False) -> Decimal | None:
    """An amount in yuan as an exact decimal of at most two places (None for an empty one)."""
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        raise FieldError.of(field, "supervision.money_invalid") from None
    if not amount.is_finite() or amount < 0 or amount > MAX_FUNDS_YUAN or amount != amount.quantize(Decimal("0.01")):
        raise FieldError.of(field, "supervision.money_invalid")
    if positive and amount == 0:
        raise FieldError.of(field, "supervision.money_positive")
    return amount.quantize(Decimal("0.01"))


def clean_text(value: str | None, field: str, limit: int, *, required: bool = False) -> str | None:
    """``value`` stripped (None when empty), refused naming ``field`` when required and empty or over ``limit``."""
    text = (value or "").strip()
    if required and not text:
        raise FieldError.of(field, "supervision.required")
    if len(text) > limit:
        raise FieldError.of(field, "supervision.too_long", limit=limit)
    return text or None


def check_danger(uow: UnitOfWork, data: DangerInput) -> None:
    """Refuse (FieldError naming the field) a danger the closed loop would not take: the page's, the API's and the
    ledger import's one set of rules."""
    if data.level not in vocabulary.DANGER_LEVELS:
        raise FieldError.of("level", "supervision.one_of", **choices(vocabulary.DANGER_LEVELS))
    if data.source not in vocabulary.DANGER_SOURCES:
        raise FieldError.of("source", "supervision.one_of", **choices(vocabulary.DANGER_SOURCES))
    if data.source == vocabulary.SOURCE_SELF:
        if data.self_check_cycle not in vocabulary.SELF_CHECK_CYCLES:
            raise FieldError.of("self_check_cycle", "supervision.one_of", **choices(vocabulary.SELF_CHECK_CYCLES))
    elif data.self_check_cycle is not None:
        raise FieldError.of("self_check_cycle", "danger.cycle_self_only")
    for name in ("found_on", "deadline"):
        if not isinstance(getattr(data, name), dt.date):
            raise FieldError.of(name, "supervision.date_invalid")
    if data.found_on > local_today(uow.settings, now_utc()):
        raise FieldError.of("found_on", "supervision.date_future")
    if data.deadline < data.found_on:
        raise FieldError.of("deadline", "danger.deadline_before_found")
    if data.level == vocabulary.DANGER_MAJOR and not (data.supervising_leader or "").strip():
        raise FieldError.of("supervising_leader", "danger.major_needs_leader")
    clean_text(data.description, "description", MAX_TEXT, required=True)
    clean_text(data.found_by, "found_by", 100, required=True)
    clean_text(data.place, "place", 200)
    clean_text(data.responsible_person, "responsible_person", 50)
    clean_text(data.supervising_leader, "supervising_leader", 50)
    clean_text(data.measures, "measures", MAX_TEXT)


def record_danger(uow: UnitOfWork, data: DangerInput, *, code: str | None = None) -> DangerRow:
    """Record a hidden danger of an enterprise (township staff: of their township); it starts 待整改. Its code is
    YH-<year>-<id>, or ``code`` (a ledger's own number, unique) when one is given."""
    firm = lock_enterprise(uow, data.enterprise_id, "danger.report")
    if uow.principal.enterprise_filter() is not None and data.source != vocabulary.SOURCE_SELF:
        raise Forbidden.of("source", "permission.enterprise_self_check")
    check_danger(uow, data)
    funds = money(data.funds_yuan)
    if data.inspection_id is not None and uow.session.scalar(
            select(Inspection.enterprise_id).where(Inspection.id == data.inspection_id)) != data.enterprise_id:
        raise FieldError.of("inspection_id", "danger.inspection_other")
    danger = HiddenDanger(
        enterprise_id=data.enterprise_id, level=data.level, source=data.source, self_check_cycle=data.self_check_cycle,
        inspection_id=data.inspection_id, campaign_id=data.campaign_id, found_on=data.found_on,
        found_by=data.found_by.strip(), description=data.description.strip(), place=clean_text(data.place, "place", 200),
        responsible_person=clean_text(data.responsible_person, "responsible_person", 50),
        measures=clean_text(data.measures, "measures", MAX_TEXT), funds_yuan=funds, deadline=data.deadline,
        supervising_leader=clean_text(data.supervising_leader, "supervising_leader", 50),
        status=vocabulary.DANGER_PENDING, reported_by=uow.actor[:80])
    uow.session.add(danger)
    uow.session.flush()
    danger.code = code.strip() if code and code.strip() else danger_code(data.found_on, danger.id)
    audit.record(uow.session, actor=uow.actor, action="create", entity="hidden_danger", entity_key=danger.code,
                 detail={"enterprise": firm.credit_code, "level": data.level, "source": data.source,
                         "deadline": data.deadline.isoformat()})
    recount(uow, data.enterprise_id)
    return danger_row(uow, danger.id)


def danger_code(found_on: dt.date, danger_id: int) -> str:
    """YH-2026-000123: the year it was found and its id."""
    return f"YH-{found_on.year}-{danger_id:06d}"


def recount_all(uow: UnitOfWork, enterprise_ids: list[int]) -> None:
    """``recount`` for many enterprises in one UPDATE (a bulk load; the caller holds what it loads)."""
    count = (select(func.count(HiddenDanger.id)).where(HiddenDanger.enterprise_id == Enterprise.id,
                                                       HiddenDanger.status.in_(OPEN))
             .correlate(Enterprise).scalar_subquery())
    uow.session.execute(update(Enterprise).where(Enterprise.id.in_(enterprise_ids)).values(open_hidden_dangers=count))


def recount(uow: UnitOfWork, enterprise_id: int) -> int:
    """The enterprise's open count := its dangers not 已销号, counted in the database (under its row lock)."""
    count = (select(func.count(HiddenDanger.id)).where(HiddenDanger.enterprise_id == enterprise_id,
                                                       HiddenDanger.status.in_(OPEN)).scalar_subquery())
    return uow.session.execute(update(Enterprise).where(Enterprise.id == enterprise_id)
                               .values(open_hidden_dangers=count).returning(Enterprise.open_hidden_dangers)).scalar_one()


def _locked_danger(uow: UnitOfWork, danger_id: int, permission: str) -> HiddenDanger:
    enterprise_id = uow.session.scalar(select(HiddenDanger.enterprise_id).where(HiddenDanger.id == danger_id))
    if enterprise_id is None:
        raise NotFound.of("danger_id", "danger.not_found", id=danger_id)
    lock_enterprise(uow, enterprise_id, permission)  # every change of a danger holds its enterprise's lock
    return uow.session.get(HiddenDanger, danger_id, populate_existing=True)


def _move(uow: UnitOfWork, danger: HiddenDanger, allowed_from: tuple[str, ...], values: dict, action: str,
          detail: dict | None = None, *, extra_where=()) -> None:
    """The conditional UPDATE of one step; a danger no longer in ``allowed_from`` is a conflict, named."""
    row = uow.session.execute(update(HiddenDanger).where(HiddenDanger.id == danger.id,
                                                         HiddenDanger.status.in_(allowed_from), *extra_where)
                              .values(**values).returning(HiddenDanger.id)).first()
    if row is None:
        raise Conflict.of("status", "danger.wrong_status", danger=danger.code, status=danger.status,
                          needed=t("list.separator").join(allowed_from), needed_en=", ".join(term(s, "en") for s in allowed_from))
    audit.record(uow.session, actor=uow.actor, action=action, entity="hidden_danger", entity_key=danger.code,
                 detail={"from": danger.status, **(detail or {})})
    recount(uow, danger.enterprise_id)


def start_rectification(uow: UnitOfWork, danger_id: int, *, responsible_person: str, measures: str,
                        deadline: dt.date | None = None, funds_yuan=None) -> DangerRow:
    """待整改 → 整改中 with who rectifies, how, the funds and (if changed) the deadline."""
    danger = _locked_danger(uow, danger_id, "danger.report")
    who = clean_text(responsible_person, "responsible_person", 50, required=True)
    how = clean_text(measures, "measures", MAX_TEXT, required=True)
    values = {"status": vocabulary.DANGER_RECTIFYING, "responsible_person": who, "measures": how,
              "rectifying_at": now_utc()}
    if funds_yuan not in (None, ""):
        values["funds_yuan"] = money(funds_yuan)
    if deadline is not None:
        if not isinstance(deadline, dt.date) or deadline < danger.found_on:
            raise FieldError.of("deadline", "danger.deadline_before_found")
        values["deadline"] = deadline
    _move(uow, danger, (vocabulary.DANGER_PENDING,), values, "rectify",
          {"deadline": (deadline or danger.deadline).isoformat()})
    return danger_row(uow, danger_id)


def submit_for_acceptance(uow: UnitOfWork, danger_id: int, note: str = "") -> DangerRow:
    """Rectified (整改中, or 待整改 when put right on the spot) → 待验收."""
    danger = _locked_danger(uow, danger_id, "danger.report")
    clean_text(note, "note", MAX_TEXT)
    _move(uow, danger, (vocabulary.DANGER_PENDING, vocabulary.DANGER_RECTIFYING),
          {"status": vocabulary.DANGER_SUBMITTED, "submitted_at": now_utc()}, "submit", {"note": note or None})
    return danger_row(uow, danger_id)


def accept_check(uow: UnitOfWork, danger_id: int, *, passed: bool, checked_by: str, checked_on: dt.date,
                 note: str = "") -> DangerRow:
    """整改复查 / 验收 of a danger 待验收: passed closes it off (已销号), failed sends it back to 整改中.

    The check is refused to the account that recorded the danger (``danger.self_acceptance``), in the UPDATE's
    condition as well as here."""
    danger = _locked_danger(uow, danger_id, "supervision.write")
    if not isinstance(passed, bool):
        raise FieldError.of("passed", "supervision.required")
    who = clean_text(checked_by, "checked_by", 100, required=True)
    if not isinstance(checked_on, dt.date) or checked_on > local_today(uow.settings, now_utc()):
        raise FieldError.of("checked_on", "supervision.date_future")
    if checked_on < danger.found_on:
        raise FieldError.of("checked_on", "danger.check_before_found")
    if danger.reported_by == uow.actor:
        raise Conflict.of("checked_by", "danger.self_acceptance", danger=danger.code)
    if passed:
        values = {"status": vocabulary.DANGER_CLOSED, "closed_at": now_utc(), "closed_on": checked_on}
    else:
        values = {"status": vocabulary.DANGER_RECTIFYING}
    _move(uow, danger, (vocabulary.DANGER_SUBMITTED,), values, "accept" if passed else "reject",
          {"checked_by": who, "checked_on": checked_on.isoformat()},
          extra_where=(HiddenDanger.reported_by != uow.actor[:80],))
    uow.session.add(Recheck(danger_id=danger_id, checked_on=checked_on, checked_by=who, passed=passed,
                            note=clean_text(note, "note", MAX_TEXT), actor=uow.actor[:80]))
    return danger_row(uow, danger_id)


def reopen(uow: UnitOfWork, danger_id: int, *, reason: str, deadline: dt.date) -> DangerRow:
    """A danger closed off that came back: 已销号 → 整改中 with a new deadline (a recheck or a report found it)."""
    danger = _locked_danger(uow, danger_id, "supervision.write")
    why = clean_text(reason, "reason", MAX_TEXT, required=True)
    if not isinstance(deadline, dt.date) or deadline < danger.found_on:
        raise FieldError.of("deadline", "danger.deadline_before_found")
    _move(uow, danger, (vocabulary.DANGER_CLOSED,),
          {"status": vocabulary.DANGER_RECTIFYING, "closed_at": None, "closed_on": None, "deadline": deadline,
           "reopened_count": HiddenDanger.reopened_count + 1}, "reopen",
          {"reason": why, "deadline": deadline.isoformat()})
    return danger_row(uow, danger_id)


def _photo_ids(uow: UnitOfWork, danger_ids: list[int]) -> dict[int, tuple[int, ...]]:
    """The photos of each of ``danger_ids``, oldest first (one query for a page of dangers)."""
    photos: dict[int, list[int]] = {}
    if danger_ids:
        for danger_id, photo_id in uow.session.execute(select(Photo.danger_id, Photo.id)
                                                       .where(Photo.danger_id.in_(danger_ids)).order_by(Photo.id)):
            photos.setdefault(danger_id, []).append(photo_id)
    return {k: tuple(v) for k, v in photos.items()}


def _row(d: HiddenDanger, firm_name: str, township: str, today: dt.date,
         photo_ids: tuple[int, ...] = ()) -> DangerRow:
    late = d.status in OPEN and d.deadline < today
    return DangerRow(
        id=d.id, code=d.code or "", enterprise_id=d.enterprise_id, enterprise=firm_name, township_code=township,
        level=d.level, source=d.source, self_check_cycle=d.self_check_cycle, status=d.status,
        found_on=d.found_on.isoformat(), found_by=d.found_by, deadline=d.deadline.isoformat(), overdue=late,
        days_overdue=(today - d.deadline).days if late else 0, description=d.description, place=d.place,
        responsible_person=d.responsible_person, measures=d.measures,
        funds_yuan=None if d.funds_yuan is None else f"{d.funds_yuan:.2f}", supervising_leader=d.supervising_leader,
        inspection_id=d.inspection_id, campaign_id=d.campaign_id, reported_by=d.reported_by,
        closed_on=d.closed_on.isoformat() if d.closed_on else None, reopened_count=d.reopened_count,
        photo_ids=photo_ids)


def danger_row(uow: UnitOfWork, danger_id: int) -> DangerRow:
    found = uow.session.execute(select(HiddenDanger, Enterprise.name, Enterprise.township_code)
                                .join(Enterprise, Enterprise.id == HiddenDanger.enterprise_id)
                                .where(HiddenDanger.id == danger_id)).first()
    if found is None:
        raise NotFound.of("danger_id", "danger.not_found", id=danger_id)
    uow.principal.require_enterprise("supervision.read", found[0].enterprise_id, found[2])
    return _row(found[0], found[1], found[2], local_today(uow.settings, now_utc()),
                _photo_ids(uow, [danger_id]).get(danger_id, ()))


STATUS_FILTERS = ("open", "overdue", "major", "closed", "all") + vocabulary.DANGER_STATUSES


def list_dangers(uow: UnitOfWork, *, status: str = "open", enterprise_id: int | None = None,
                 township_code: str | None = None, limit: int = 200, offset: int = 0) -> tuple[int, list[DangerRow]]:
    """Dangers by ``status`` (open / overdue / major = 重大 open, 挂牌督办 / closed / all / one status), most late
    first; township staff see their township's only, an enterprise's account its own. Returns (total matching, the
    page)."""
    if status not in STATUS_FILTERS:
        raise FieldError.of("status", "supervision.one_of", values=t("list.separator").join(STATUS_FILTERS),
                            values_en=", ".join(STATUS_FILTERS))
    uow.principal.require("supervision.read")
    today = local_today(uow.settings, now_utc())
    query = (select(HiddenDanger, Enterprise.name, Enterprise.township_code)
             .join(Enterprise, Enterprise.id == HiddenDanger.enterprise_id))
    conditions = []
    if status in ("open", "overdue", "major"):
        conditions.append(HiddenDanger.status.in_(OPEN))
    if status == "overdue":
        conditions.append(HiddenDanger.deadline < today)
    if status == "major":
        conditions.append(HiddenDanger.level == vocabulary.DANGER_MAJOR)
    if status == "closed":
        conditions.append(HiddenDanger.status == vocabulary.DANGER_CLOSED)
    if status in vocabulary.DANGER_STATUSES:
        conditions.append(HiddenDanger.status == status)
    own = uow.principal.enterprise_filter()
    if own is not None:
        conditions.append(HiddenDanger.enterprise_id == own)
    if enterprise_id is not None:
        conditions.append(HiddenDanger.enterprise_id == enterprise_id)
    scope = uow.principal.township_filter() or township_code
    if scope is not None:
        conditions.append(Enterprise.township_code == scope)
    total = uow.session.scalar(select(func.count()).select_from(query.where(*conditions).subquery()))
    rows = uow.session.execute(query.where(*conditions).order_by(HiddenDanger.deadline, HiddenDanger.id)
                               .limit(max(1, min(limit, 1000))).offset(max(0, offset))).all()
    photos = _photo_ids(uow, [d.id for d, _, _ in rows])
    return total, [_row(d, name, code, today, photos.get(d.id, ())) for d, name, code in rows]


def rechecks_of(uow: UnitOfWork, danger_id: int) -> list[dict]:
    danger_row(uow, danger_id)  # 404 and township scope
    rows = uow.session.scalars(select(Recheck).where(Recheck.danger_id == danger_id).order_by(Recheck.id)).all()
    return [{"id": r.id, "checked_on": r.checked_on.isoformat(), "checked_by": r.checked_by, "passed": r.passed,
             "note": r.note, "actor": r.actor} for r in rows]

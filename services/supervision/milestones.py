"""The 一线责任制 milestones (两单两卡): who must have finished the four cards by which date, and who is behind.

The plan's three dates (config ``DutyMilestones``, defaults 3/31, 9/30, 12/31 of the year in force) each add
enterprises to those required, so the requirement is cumulative:

- ``pilots``: the pilot enterprises (``Enterprise.duty_pilot``) of the pilot sectors;
- ``above_size``: those, and every enterprise of the key sectors or of scale 规上 / 限上 / 资质以上;
- ``all``: every enterprise.

An enterprise is done when all four cards (岗位风险清单, 岗位职责清单, 岗位操作卡, 岗位应急处置卡) have reached the
configured status (default 已应用) or a later step; a card without a row is 未编制. Counts are SQL aggregates;
township staff see their township's enterprises only. A milestone is ``passed`` the day after its date, the
``next`` one is the first not passed, the others are ``later``.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from sqlalchemy import and_, case, false, func, or_, select, true

from config import DUTY_MILESTONES
from services import vocabulary
from services.clock import local_today, now_utc
from services.db.uow import UnitOfWork
from services.errors import FieldError, NotFound
from services.models import DutyCard, Enterprise
from services.supervision.cards import summary_of
from services.supervision.risk_points import choices

MILESTONES: tuple[str, ...] = DUTY_MILESTONES
CARDS = vocabulary.DUTY_CARDS
FIRST = vocabulary.CARD_STATUSES[0]


@dataclass(frozen=True)
class SectorProgress:
    sector: str
    required: int
    done: int
    share: float | None  # done / required; None when none is required


@dataclass(frozen=True)
class MilestoneProgress:
    milestone: str
    due_on: str
    state: str            # passed / next / later
    days_left: int        # negative: days past the date
    required: int
    done: int
    share: float | None
    behind: int           # required and not done
    sectors: list[SectorProgress]


@dataclass(frozen=True)
class Progress:
    year: int
    today: str
    done_status: str
    township_code: str | None
    milestones: list[MilestoneProgress]

    def to_json(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class BehindRow:
    enterprise_id: int
    credit_code: str
    name: str
    sector: str
    scale: str
    township_code: str
    duty_pilot: bool
    milestone: str        # the first milestone that requires it
    due_on: str
    days_overdue: int     # 0 while its date has not passed
    cards: dict[str, str]
    summary: str


@dataclass(frozen=True)
class Behind:
    year: int
    milestone: str
    due_on: str
    total: int
    enterprises: list[BehindRow]

    def to_json(self) -> dict:
        return asdict(self)


def _year(uow: UnitOfWork, year: int | None, today: dt.date) -> int:
    chosen = year if year is not None else uow.settings.duty_milestones.year or today.year
    if isinstance(chosen, bool) or not isinstance(chosen, int) or not 2000 <= chosen <= 2100:
        raise FieldError.of("year", "milestone.year_range")
    return chosen


def _conditions(uow: UnitOfWork) -> dict:
    """Each milestone → the SQL condition of the enterprises it requires (cumulative)."""
    rules = uow.settings.duty_milestones
    pilots = and_(Enterprise.duty_pilot == true(), Enterprise.sector.in_(rules.pilot_sectors)) \
        if rules.pilot_sectors else false()
    above = or_(Enterprise.sector.in_(rules.key_sectors) if rules.key_sectors else false(),
                Enterprise.scale.in_(vocabulary.SCALES_ABOVE_SIZE))
    return {"pilots": pilots, "above_size": or_(pilots, above), "all": true()}


def _done_join(uow: UnitOfWork):
    """(cards reached per enterprise as a subquery, the SQL condition 'all four reached')."""
    statuses = vocabulary.CARD_STATUSES
    reached = statuses[statuses.index(uow.settings.duty_milestones.done_status):]
    counted = (select(DutyCard.enterprise_id.label("enterprise_id"), func.count().label("n"))
               .where(DutyCard.status.in_(reached), DutyCard.card.in_(CARDS))
               .group_by(DutyCard.enterprise_id).subquery())
    return counted, func.coalesce(counted.c.n, 0) == len(CARDS)


def _states(dates: dict[str, dt.date], today: dt.date) -> dict[str, str]:
    states, seen_next = {}, False
    for key in MILESTONES:
        if dates[key] < today:
            states[key] = "passed"
        elif not seen_next:
            states[key], seen_next = "next", True
        else:
            states[key] = "later"
    return states


def _scope(uow: UnitOfWork, township_code: str | None) -> list:
    uow.principal.require_overview("supervision.read")
    scope = uow.principal.township_filter() or township_code
    return [Enterprise.township_code == scope] if scope is not None else []


def _share(done: int, required: int) -> float | None:
    return round(done / required, 4) if required else None


def progress(uow: UnitOfWork, *, year: int | None = None, township_code: str | None = None) -> Progress:
    """Per milestone and per sector: required, done, share, the date, days left (negative: past it)."""
    where = _scope(uow, township_code)
    today = local_today(uow.settings, now_utc())
    year = _year(uow, year, today)
    dates = uow.settings.duty_milestones.due_dates(year)
    states = _states(dates, today)
    conditions = _conditions(uow)
    counted, done = _done_join(uow)
    columns = []
    for key in MILESTONES:
        columns.append(func.sum(case((conditions[key], 1), else_=0)).label(f"{key}_required"))
        columns.append(func.sum(case((and_(conditions[key], done), 1), else_=0)).label(f"{key}_done"))
    rows = {r.sector: r for r in uow.session.execute(
        select(Enterprise.sector, *columns).outerjoin(counted, counted.c.enterprise_id == Enterprise.id)
        .where(*where).group_by(Enterprise.sector)).all()}
    milestones = []
    for key in MILESTONES:
        sectors = []
        for sector in vocabulary.ENTERPRISE_SECTORS:
            row = rows.get(sector)
            required = int(getattr(row, f"{key}_required") or 0) if row else 0
            finished = int(getattr(row, f"{key}_done") or 0) if row else 0
            sectors.append(SectorProgress(sector, required, finished, _share(finished, required)))
        required, finished = sum(s.required for s in sectors), sum(s.done for s in sectors)
        milestones.append(MilestoneProgress(
            milestone=key, due_on=dates[key].isoformat(), state=states[key], days_left=(dates[key] - today).days,
            required=required, done=finished, share=_share(finished, required), behind=required - finished,
            sectors=sectors))
    return Progress(year, today.isoformat(), uow.settings.duty_milestones.done_status,
                    uow.principal.township_filter() or township_code, milestones)


def _default_milestone(states: dict[str, str]) -> str:
    """The next milestone (it requires every enterprise a passed one does); the last once all have passed."""
    return next((key for key in MILESTONES if states[key] == "next"), MILESTONES[-1])


def behind(uow: UnitOfWork, *, milestone: str | None = None, sector: str | None = None, year: int | None = None,
           township_code: str | None = None, limit: int = 200, offset: int = 0) -> Behind:
    """Enterprises required by ``milestone`` (default: the next one, which includes every passed one) and not
    done, the longest overdue first (then by sector in the vocabulary's order and name), each with the first milestone requiring it and its four cards."""
    if milestone is not None and milestone not in MILESTONES:
        raise FieldError.of("milestone", "milestone.unknown", values=", ".join(MILESTONES),
                            values_en=", ".join(MILESTONES))
    if sector is not None and sector not in vocabulary.ENTERPRISE_SECTORS:
        raise FieldError.of("sector", "supervision.one_of", **choices(tuple(vocabulary.ENTERPRISE_SECTORS)))
    where = _scope(uow, township_code)
    today = local_today(uow.settings, now_utc())
    year = _year(uow, year, today)
    dates = uow.settings.duty_milestones.due_dates(year)
    chosen = milestone or _default_milestone(_states(dates, today))
    conditions = _conditions(uow)
    counted, done = _done_join(uow)
    first = case(*[(conditions[key], i) for i, key in enumerate(MILESTONES)], else_=len(MILESTONES) - 1)
    where += [conditions[chosen], ~done]
    if sector is not None:
        where.append(Enterprise.sector == sector)
    query = (select(Enterprise.id, Enterprise.credit_code, Enterprise.name, Enterprise.sector, Enterprise.scale,
                    Enterprise.township_code, Enterprise.duty_pilot, first.label("first"))
             .outerjoin(counted, counted.c.enterprise_id == Enterprise.id).where(*where))
    total = uow.session.scalar(select(func.count()).select_from(query.subquery()))
    sector_order = case({s: i for i, s in enumerate(vocabulary.ENTERPRISE_SECTORS)}, value=Enterprise.sector)
    page = uow.session.execute(query.order_by(first, sector_order, Enterprise.name, Enterprise.id)
                               .limit(max(1, min(limit, 1000))).offset(max(0, offset))).all()
    cards = _cards_of(uow, [r.id for r in page])
    rows = []
    for r in page:
        key = MILESTONES[r.first]
        own = cards.get(r.id, {})
        statuses = {card: own.get(card, FIRST) for card in CARDS}
        rows.append(BehindRow(r.id, r.credit_code, r.name, r.sector, r.scale, r.township_code, bool(r.duty_pilot),
                              key, dates[key].isoformat(), max(0, (today - dates[key]).days), statuses,
                              summary_of(statuses.values())))
    return Behind(year, chosen, dates[chosen].isoformat(), total or 0, rows)


def _cards_of(uow: UnitOfWork, ids: list[int]) -> dict[int, dict[str, str]]:
    found: dict[int, dict[str, str]] = {}
    if ids:
        for firm, card, status in uow.session.execute(select(DutyCard.enterprise_id, DutyCard.card, DutyCard.status)
                                                      .where(DutyCard.enterprise_id.in_(ids))).all():
            found.setdefault(firm, {})[card] = status
    return found


def enterprise_cards(uow: UnitOfWork, enterprise_id: int) -> dict:
    """One enterprise's four cards (未编制 when there is no row) and their summary; township staff: their own."""
    firm = uow.session.execute(select(Enterprise.id, Enterprise.township_code)
                               .where(Enterprise.id == enterprise_id)).first()
    if firm is None:
        raise NotFound.of("enterprise_id", "enterprise.not_found", id=enterprise_id)
    uow.principal.require_enterprise("supervision.read", enterprise_id, firm.township_code)
    own = _cards_of(uow, [enterprise_id]).get(enterprise_id, {})
    cards = {card: own.get(card, FIRST) for card in CARDS}
    return {"enterprise_id": enterprise_id, "cards": cards, "summary": summary_of(cards.values())}

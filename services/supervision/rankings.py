"""The monthly ranking of enforcement (月排名, issue 14 point 5): per sector, township or inspecting department, the
month's inspections, hidden dangers found / closed / overdue, penalties and the share closed in time, ranked.

A month is a calendar month of the deployment's zone (Asia/Shanghai); the dates counted are the local dates the
records carry. Per group:

- ``inspections``: inspections with ``inspected_on`` in the month;
- ``dangers_found``: hidden dangers with ``found_on`` in the month;
- ``dangers_closed``: dangers closed off (已销号) with ``closed_on`` in the month, and ``closed_in_time`` those of
  them with ``closed_on <= deadline``; ``in_time_share`` is their ratio (None when nothing was closed);
- ``overdue``: dangers overdue on the month's counting day ``as_of`` — the month's last day, or today in the
  current month: found by then, not closed off by then (``closed_on`` after it, or open now), and with a deadline
  before it (the deadline day itself is in time, as in services/supervision/dangers.py);
- ``penalties`` and ``penalty_yuan``: penalties with ``decided_on`` in the month, and the exact sum of their amounts.

Groups: ``sector`` is the enterprise's sector (every sector of the vocabulary is listed), ``township`` its township
(every township), ``department`` the ``Inspection.department`` of the inspection — for a danger or a penalty, of
the inspection it came from (``inspection_id``). What no department's inspection found (企业自查, 群众举报, a
campaign's record without an inspection) and inspections that name no department form one row of their own, key
``""`` (``ranking.other_department``). Township staff see their township's enterprises only.

Ranking (``rank``, ties share it, "1, 2, 2, 4"): the higher share closed in time first, groups that closed nothing
last; then fewer overdue; then more inspections.

Known limits: the deadline counted is the danger's deadline now (a rectification may have moved it); a danger
reopened after being closed off counts as open since it was found (reopening clears ``closed_on``).

Every figure is one SQL aggregate per table (GROUP BY the group's key), never a loop over records.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass
from decimal import Decimal
from fractions import Fraction

from sqlalchemy import and_, case, func, literal, or_, select

from services import vocabulary
from services.clock import local_today, now_utc
from services.db.uow import UnitOfWork
from services.errors import FieldError
from services.models import Enterprise, HiddenDanger, Inspection, Penalty, Township
from services.text import t, term

GROUPINGS = ("sector", "township", "department")
OTHER_DEPARTMENT = ""
_MONTH = re.compile(r"^(20\d\d)-(0[1-9]|1[0-2])$")
CENT = Decimal("0.01")
LAST_DAY = dt.date(9999, 12, 31)  # the upper bound of "closed off after the day" (see overdue_on)


@dataclass(frozen=True)
class Month:
    """A local calendar month: ``key`` 2026-07, its first and last day, and the day overdue is judged on."""

    key: str
    starts_on: dt.date
    ends_on: dt.date
    as_of: dt.date


@dataclass(frozen=True)
class Figures:
    inspections: int = 0
    dangers_found: int = 0
    dangers_closed: int = 0
    closed_in_time: int = 0
    overdue: int = 0
    penalties: int = 0
    penalty_yuan: Decimal = Decimal("0.00")

    @property
    def in_time(self) -> Fraction | None:
        return None if not self.dangers_closed else Fraction(self.closed_in_time, self.dangers_closed)

    @property
    def in_time_share(self) -> float | None:
        share = self.in_time
        return None if share is None else round(float(share), 4)

    def figures_json(self) -> dict:
        return {"inspections": self.inspections, "dangers_found": self.dangers_found,
                "dangers_closed": self.dangers_closed, "closed_in_time": self.closed_in_time,
                "in_time_share": self.in_time_share, "overdue": self.overdue, "penalties": self.penalties,
                "penalty_yuan": f"{self.penalty_yuan:.2f}"}


@dataclass(frozen=True)
class RankingRow(Figures):
    """One group's figures and rank; ``key`` is the sector, township code or department (``""``: other sources)."""

    rank: int = 0
    key: str = ""
    name: str = ""
    name_en: str = ""

    def to_json(self) -> dict:
        return {"rank": self.rank, "key": self.key, "name": self.name, "name_en": self.name_en,
                **self.figures_json()}


@dataclass(frozen=True)
class Rankings:
    month: Month
    by: str
    township_code: str | None  # the scope: one township, or None for the whole county
    rows: list[RankingRow]
    totals: Figures
    sample: bool  # sample (示例数据) records are among those counted

    def to_json(self) -> dict:
        return {"month": self.month.key, "by": self.by, "starts_on": self.month.starts_on.isoformat(),
                "ends_on": self.month.ends_on.isoformat(), "as_of": self.month.as_of.isoformat(),
                "township_code": self.township_code, "sample": self.sample,
                "totals": self.totals.figures_json(), "rows": [r.to_json() for r in self.rows]}


@dataclass(frozen=True)
class MajorOverdue:
    """A 重大隐患 overdue on the month's counting day (挂牌督办), and where it stands now."""

    id: int
    code: str
    enterprise_id: int
    enterprise: str
    township_code: str
    sector: str
    found_on: dt.date
    deadline: dt.date
    days_overdue: int  # on the counting day
    supervising_leader: str | None
    status: str
    closed_on: dt.date | None

    def to_json(self) -> dict:
        row = asdict(self)
        row.update(found_on=self.found_on.isoformat(), deadline=self.deadline.isoformat(),
                   closed_on=self.closed_on.isoformat() if self.closed_on else None)
        return row


def parse_month(text: str, today: dt.date) -> Month:
    """``2026-07`` as a Month; a month not yet begun is refused, the current one is counted up to ``today``."""
    found = _MONTH.match(text.strip()) if isinstance(text, str) else None
    if found is None:
        raise FieldError.of("month", "ranking.month_invalid")
    year, number = int(found[1]), int(found[2])
    starts = dt.date(year, number, 1)
    ends = (starts + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    if starts > today:
        raise FieldError.of("month", "ranking.month_future", month=found[0])
    return Month(found[0], starts, ends, min(ends, today))


def resolve(uow: UnitOfWork, month: str, township_code: str | None = None) -> tuple[Month, str | None]:
    """The month and the township scope of a request: township staff are kept to their own township."""
    uow.principal.require_overview("supervision.read")
    if township_code:
        uow.principal.require_township("supervision.read", township_code)
        if uow.session.get(Township, township_code) is None:
            raise FieldError.of("township", "filter.township", township=township_code)
    scope = uow.principal.township_filter() or township_code or None
    return parse_month(month, local_today(uow.settings, now_utc())), scope


def _in(column, m: Month):
    return column.between(m.starts_on, m.ends_on)


def overdue_on(day: dt.date):
    """The condition "overdue on ``day``": found by then, not closed off by then, deadline before it.

    Written as two disjoint cases each led by ``closed_on`` — closed off after the day (a range bounded on both
    sides), or still open (IS NULL) — so that SQLite, which keeps no statistics of ranges, reads them through the
    index on closed_on rather than every danger found before the day (bench/supervision_rankings.py: a month's
    ranking of 100,000 dangers 200 → 65 ms; PostgreSQL's plan is the same either way)."""
    due = and_(HiddenDanger.found_on <= day, HiddenDanger.deadline < day)
    closed_later = and_(HiddenDanger.closed_on > day, HiddenDanger.closed_on <= LAST_DAY, due)
    still_open = and_(HiddenDanger.closed_on.is_(None), HiddenDanger.status.in_(vocabulary.DANGER_OPEN_STATUSES), due)
    return or_(closed_later, still_open)


def _keyed(by: str, record, scope: str | None):
    """A select from ``record`` joined to what gives the group key, scoped; returns (the select, the key). The
    enterprise is joined only when the key or the scope needs it (every record has one: its NOT NULL foreign key)."""
    stmt = select().select_from(record)
    if by in ("sector", "township") or scope is not None:
        stmt = stmt.join(Enterprise, Enterprise.id == record.enterprise_id)
    if by == "sector":
        key = Enterprise.sector
    elif by == "township":
        key = Enterprise.township_code
    elif record is Inspection:
        key = func.coalesce(Inspection.department, literal(OTHER_DEPARTMENT))
    else:
        stmt = stmt.outerjoin(Inspection, Inspection.id == record.inspection_id)
        key = func.coalesce(Inspection.department, literal(OTHER_DEPARTMENT))
    if scope is not None:
        stmt = stmt.where(Enterprise.township_code == scope)
    return stmt, key


def _count(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _aggregate(uow: UnitOfWork, m: Month, by: str, scope: str | None) -> dict[str, dict]:
    """Each group's figures, from three GROUP BY queries (inspections, dangers, penalties)."""
    figures: dict[str, dict] = {}
    stmt, key = _keyed(by, Inspection, scope)
    for k, n in uow.session.execute(stmt.add_columns(key, func.count(Inspection.id))
                                    .where(_in(Inspection.inspected_on, m)).group_by(key)):
        figures.setdefault(k, {})["inspections"] = int(n)
    found, closed = _in(HiddenDanger.found_on, m), _in(HiddenDanger.closed_on, m)
    late = overdue_on(m.as_of)
    stmt, key = _keyed(by, HiddenDanger, scope)
    stmt = stmt.add_columns(key, _count(found), _count(closed),
                            _count(and_(closed, HiddenDanger.closed_on <= HiddenDanger.deadline)), _count(late))
    for k, *n in uow.session.execute(stmt.where(or_(found, closed, late)).group_by(key)):
        figures.setdefault(k, {}).update(zip(("dangers_found", "dangers_closed", "closed_in_time", "overdue"),
                                             map(int, n)))
    # Sum whole cents: exact on both back-ends (SQLite keeps NUMERIC as a binary float).
    cents = func.coalesce(func.sum(func.round(Penalty.amount_yuan * 100)), 0)
    stmt, key = _keyed(by, Penalty, scope)
    for k, n, c in uow.session.execute(stmt.add_columns(key, func.count(Penalty.id), cents)
                                       .where(_in(Penalty.decided_on, m)).group_by(key)):
        figures.setdefault(k, {}).update(penalties=int(n), penalty_yuan=(Decimal(int(c)) / 100).quantize(CENT))
    return figures


def _groups(uow: UnitOfWork, by: str, scope: str | None, seen) -> list[tuple[str, str, str]]:
    """(key, name, English name) of every group listed: all sectors, all townships in scope, departments seen."""
    if by == "sector":
        return [(s, s, term(s, "en")) for s in vocabulary.ENTERPRISE_SECTORS]
    if by == "township":
        stmt = select(Township.code, Township.name, Township.name_en).order_by(Township.code)
        if scope is not None:
            stmt = stmt.where(Township.code == scope)
        return [tuple(r) for r in uow.session.execute(stmt)]
    named = sorted(k for k in seen if k != OTHER_DEPARTMENT)
    groups = [(k, k, k) for k in named]
    if OTHER_DEPARTMENT in seen:
        groups.append((OTHER_DEPARTMENT, t("ranking.other_department"), t("ranking.other_department", "en")))
    return groups


def _order(row: Figures) -> tuple:
    share = row.in_time
    return (share is None, -(share or 0), row.overdue, -row.inspections)


def ranked(rows: list[RankingRow]) -> list[RankingRow]:
    """``rows`` in ranking order with their competition rank (equal figures share a rank, in the groups' order)."""
    ordered = sorted(rows, key=_order)
    out: list[RankingRow] = []
    for n, row in enumerate(ordered, 1):
        rank = out[-1].rank if out and _order(out[-1]) == _order(row) else n
        out.append(RankingRow(**{**_figures(row), "rank": rank, "key": row.key, "name": row.name,
                                 "name_en": row.name_en}))
    return out


def _figures(row: Figures) -> dict:
    return {name: getattr(row, name) for name in Figures.__dataclass_fields__}


def total(rows) -> Figures:
    """The sum of the groups (each record belongs to exactly one group, so this is the scope's total)."""
    sums = {name: sum((getattr(r, name) for r in rows), Decimal("0.00") if name == "penalty_yuan" else 0)
            for name in Figures.__dataclass_fields__}
    return Figures(**sums)


def sample_counted(uow: UnitOfWork, scope: str | None) -> bool:
    """Whether sample (示例数据) enterprises or supervision records are in scope."""
    firms = select(Enterprise.id).where(Enterprise.is_sample.is_(True))
    if scope is not None:
        firms = firms.where(Enterprise.township_code == scope)
    records = [select(m.id).where(m.is_sample.is_(True)) for m in (HiddenDanger, Inspection, Penalty)]
    return bool(uow.session.scalar(select(or_(firms.exists(), *(r.exists() for r in records)))))


def monthly_rankings(uow: UnitOfWork, month: str, by: str = "sector", *,
                     township_code: str | None = None) -> Rankings:
    """The ranking of ``month`` (2026-07) by ``by`` (sector | township | department), in ranking order."""
    if by not in GROUPINGS:
        raise FieldError.of("by", "ranking.by_invalid")
    m, scope = resolve(uow, month, township_code)
    figures = _aggregate(uow, m, by, scope)
    rows = [RankingRow(**figures.get(key, {}), key=key, name=name, name_en=name_en)
            for key, name, name_en in _groups(uow, by, scope, figures.keys())]
    return Rankings(m, by, scope, ranked(rows), total(rows), sample_counted(uow, scope))


def major_overdue(uow: UnitOfWork, month: str, *, township_code: str | None = None,
                  limit: int = 200) -> tuple[int, list[MajorOverdue]]:
    """The 重大隐患 overdue on the month's counting day (挂牌督办), the longest overdue first: (count, the first
    ``limit``)."""
    m, scope = resolve(uow, month, township_code)
    conditions = [HiddenDanger.level == vocabulary.DANGER_MAJOR, overdue_on(m.as_of)]
    if scope is not None:
        conditions.append(Enterprise.township_code == scope)
    base = select(HiddenDanger.id).join(Enterprise, Enterprise.id == HiddenDanger.enterprise_id).where(*conditions)
    count = uow.session.scalar(select(func.count()).select_from(base.subquery()))
    rows = uow.session.execute(
        select(HiddenDanger.id, HiddenDanger.code, HiddenDanger.enterprise_id, Enterprise.name,
               Enterprise.township_code, Enterprise.sector, HiddenDanger.found_on, HiddenDanger.deadline,
               HiddenDanger.supervising_leader, HiddenDanger.status, HiddenDanger.closed_on)
        .join(Enterprise, Enterprise.id == HiddenDanger.enterprise_id).where(*conditions)
        .order_by(HiddenDanger.deadline, HiddenDanger.id).limit(max(0, min(limit, 5000)))).all()
    return count, [MajorOverdue(r.id, r.code or "", r.enterprise_id, r.name, r.township_code, r.sector, r.found_on,
                                r.deadline, (m.as_of - r.deadline).days, r.supervising_leader, r.status, r.closed_on)
                   for r in rows]

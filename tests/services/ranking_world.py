"""A small supervision history around July 2026 with known dates, for the ranking and bulletin tests.

Three enterprises (A 工贸 and C 危险化学品 in 城西街道, B 燃气 in 正阳街道); inspections and penalties inserted with the
models (their services are not this module's), hidden dangers made and closed through services/supervision/dangers.py.
The dates sit on the month's edges (06-30, 07-01, 07-31, 08-01): local calendar dates of Asia/Shanghai, as the
records carry them. ``expected`` counts the figures from these inputs by the definitions, without SQL.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from services import vocabulary
from services.data.imports import import_file
from services.db.uow import unit_of_work
from services.models import Enterprise, Inspection, Penalty
from services.supervision import dangers as D
from tests.conftest import call, csv_for
from tests.services.test_imports import enterprise_row

CX, ZY = "500114003", "500114004"  # 城西街道, 正阳街道
MONTH = "2026-07"
JULY_FIRST, JULY_LAST = dt.date(2026, 7, 1), dt.date(2026, 7, 31)
FIRMS = {"A": ("工贸", "建材", "城西街道", ("108.7748", "29.5328")),
         "C": ("危险化学品", "使用", "城西街道", ("108.7750", "29.5330")),
         "B": ("燃气", "燃气经营", "正阳街道", ("108.7873", "29.45873"))}
TOWN_OF = {"A": CX, "C": CX, "B": ZY}


def d(month: int, day: int) -> dt.date:
    return dt.date(2026, month, day)


# name: firm, inspected on, department
INSPECTIONS = {"A0": ("A", d(6, 30), "区应急局"), "A1": ("A", d(7, 1), "区应急局"), "A2": ("A", d(7, 31), "区应急局"),
               "A3": ("A", d(8, 1), "区应急局"), "B1": ("B", d(7, 15), "区住建委"), "B2": ("B", d(7, 20), None)}


@dataclass(frozen=True)
class Danger:
    firm: str
    found_on: dt.date
    deadline: dt.date
    closed_on: dt.date | None = None
    inspection: str | None = None
    major: bool = False
    source: str = vocabulary.SOURCE_INSPECTION


DANGERS = [
    Danger("A", d(7, 1), d(7, 10), d(7, 10), "A1"),            # closed in July, on its deadline: in time
    Danger("A", d(7, 5), d(7, 8), d(7, 9), source=vocabulary.SOURCE_PUBLIC),  # closed in July, a day late
    Danger("A", d(6, 30), d(7, 5), None, "A0", major=True),   # found in June, open: overdue at the end of July
    Danger("A", d(7, 31), d(7, 31), None),                     # deadline on the last day: still in time then
    Danger("B", d(7, 15), d(7, 20), d(8, 2), "B1", major=True),  # open on 07-31 past its deadline: overdue then
    Danger("B", d(6, 10), d(6, 20), d(7, 1), source=vocabulary.SOURCE_PUBLIC),  # found in June, closed 07-01 late
    Danger("C", d(8, 1), d(8, 5), None),                       # found in August: nothing of July
    Danger("C", d(7, 20), d(7, 30), None, source=vocabulary.SOURCE_SELF),  # open, deadline the day before the end
    Danger("B", d(7, 31), d(8, 10), d(7, 31), "B2"),           # found and closed on the last day
]
# decision number: firm, inspection, type, amount, decided on
PENALTIES = {"P1": ("A", "A1", vocabulary.PENALTY_FINE, Decimal("1234.56"), d(7, 1)),
             "P2": ("A", None, vocabulary.PENALTY_FINE, Decimal("0.10"), d(7, 31)),
             "P3": ("A", "A3", vocabulary.PENALTY_FINE, Decimal("999.00"), d(8, 1)),
             "P4": ("B", "B1", vocabulary.PENALTY_TYPES[0], None, d(7, 15)),
             "P5": ("C", None, vocabulary.PENALTY_FINE, Decimal("5.00"), d(6, 30)),
             "P6": ("B", "B2", vocabulary.PENALTY_FINE, Decimal("0.20"), d(7, 20))}


@dataclass
class World:
    settings: object
    firm_ids: dict[str, int]
    inspection_ids: dict[str, int]
    danger_ids: list[int]


def _firms(settings) -> dict[str, int]:
    rows = [enterprise_row(n, **{"行业": sector, "类别": category, "乡镇街道": town, "地址": town,
                                 "经度": lon, "纬度": lat, "企业名称": f"测试企业{key}"})
            for n, (key, (sector, category, town, (lon, lat))) in enumerate(FIRMS.items(), 1)]
    call(settings, import_file, "enterprises", csv_for("enterprises", rows), "e.csv")
    with unit_of_work(settings) as uow:
        ids = dict(uow.session.execute(select(Enterprise.name, Enterprise.id)).all())
    return {key: ids[f"测试企业{key}"] for key in FIRMS}


def _inspections_and_penalties(settings, firm_ids) -> dict[str, int]:
    with unit_of_work(settings, write=True) as uow:
        made = {}
        for name, (firm, day, department) in INSPECTIONS.items():
            made[name] = Inspection(code=f"JC-{name}", enterprise_id=firm_ids[firm], inspected_on=day,
                                    inspectors="张三、李四", department=department, created_by="test")
        uow.session.add_all(made.values())
        uow.session.flush()
        ids = {name: row.id for name, row in made.items()}
        uow.session.add_all(Penalty(decision_no=f"黔江应急罚〔2026〕{no}号", enterprise_id=firm_ids[firm],
                                    inspection_id=ids[insp] if insp else None, penalty_type=kind, amount_yuan=amount,
                                    decided_on=day, created_by="test")
                            for no, (firm, insp, kind, amount, day) in PENALTIES.items())
    return ids


def _danger(settings, danger: Danger, firm_ids, inspection_ids) -> int:
    data = D.DangerInput(
        enterprise_id=firm_ids[danger.firm], level=vocabulary.DANGER_MAJOR if danger.major else vocabulary.DANGER_ORDINARY,
        source=danger.source, self_check_cycle="日" if danger.source == vocabulary.SOURCE_SELF else None,
        description="安全出口堵塞", found_on=danger.found_on, found_by="检查组",
        deadline=danger.deadline, inspection_id=inspection_ids[danger.inspection] if danger.inspection else None,
        supervising_leader="王副区长" if danger.major else "")
    row = call(settings, D.record_danger, data, actor="inspector")
    if danger.closed_on is not None:
        call(settings, D.submit_for_acceptance, row.id, actor="inspector")
        call(settings, D.accept_check, row.id, passed=True, checked_by="验收组", checked_on=danger.closed_on,
             actor="chief")
    return row.id


def build_world(settings) -> World:
    firm_ids = _firms(settings)
    inspection_ids = _inspections_and_penalties(settings, firm_ids)
    danger_ids = [_danger(settings, x, firm_ids, inspection_ids) for x in DANGERS]
    return World(settings, firm_ids, inspection_ids, danger_ids)


# The oracle: the figures of one group, counted from the inputs above by the definitions of rankings.py.

def group_of(by: str, firm: str, inspection: str | None) -> str:
    if by == "sector":
        return FIRMS[firm][0]
    if by == "township":
        return TOWN_OF[firm]
    return (INSPECTIONS[inspection][2] or "") if inspection else ""


def overdue(x: Danger, day: dt.date) -> bool:
    return x.found_on <= day and x.deadline < day and (x.closed_on is None or x.closed_on > day)


def expected(by: str, first: dt.date = JULY_FIRST, last: dt.date = JULY_LAST, as_of: dt.date | None = None,
             towns=(CX, ZY)) -> dict[str, dict]:
    """Group key → figures of the month [first, last], overdue judged on ``as_of`` (default ``last``)."""
    as_of = as_of or last
    out: dict[str, dict] = {}

    def add(key, name, amount=1):
        row = out.setdefault(key, dict.fromkeys(("inspections", "dangers_found", "dangers_closed", "closed_in_time",
                                                 "overdue", "penalties"), 0) | {"penalty_yuan": Decimal("0.00")})
        row[name] += amount

    inside = lambda day: day is not None and first <= day <= last  # noqa: E731
    for name, (firm, day, _) in INSPECTIONS.items():
        if TOWN_OF[firm] in towns and inside(day):
            add(group_of(by, firm, name), "inspections")
    for x in DANGERS:
        if TOWN_OF[x.firm] not in towns:
            continue
        key = group_of(by, x.firm, x.inspection)
        for name, counted in (("dangers_found", inside(x.found_on)), ("dangers_closed", inside(x.closed_on)),
                              ("closed_in_time", inside(x.closed_on) and x.closed_on <= x.deadline),
                              ("overdue", overdue(x, as_of))):
            if counted:
                add(key, name)
    for firm, inspection, _, amount, day in PENALTIES.values():
        if TOWN_OF[firm] in towns and inside(day):
            add(group_of(by, firm, inspection), "penalties")
            add(group_of(by, firm, inspection), "penalty_yuan", amount or Decimal("0"))
    return out


def expected_major_overdue(as_of: dt.date = JULY_LAST, towns=(CX, ZY)) -> list[int]:
    """Indexes into DANGERS of the major ones overdue on ``as_of``."""
    return [i for i, x in enumerate(DANGERS) if x.major and overdue(x, as_of) and TOWN_OF[x.firm] in towns]

"""一线责任制 milestones by hand (issue 14, point 4): ten enterprises of different sectors, scales, pilot flags and
card states, and which of them each deadline requires and counts as done, written out; both back-ends."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import text

from config import DutyMilestones
from services import clock
from services.accounts.permissions import Principal
from services.data.imports import import_file
from services.db import get_engine
from services.errors import FieldError
from services.supervision import milestones as M
from services.supervision.cards import set_card
from tests.conftest import call, call_as, csv_for, read
from tests.services.test_imports import enterprise_row

CHENGDONG, CHENGXI = "500114001", "500114003"
APPLIED, TRAINED, DRAFTED = "已应用", "已培训", "已编制"
CARDS = ("岗位风险清单", "岗位职责清单", "岗位操作卡", "岗位应急处置卡")

# name → (sector, category, scale, pilot, stated summary, cards set afterwards {card index: status}, township)
FIRMS = {
    "A": ("工贸", "建材", "其他", True, "已完成", {}, CHENGXI),                        # pilot sector, all applied
    "B": ("燃气", "燃气经营", "其他", True, "已完成", {3: TRAINED}, CHENGXI),         # pilot, one card trained
    "C": ("成品油", "加油站", "其他", True, "已完成", {}, CHENGXI),                   # pilot flag, no pilot sector
    "D": ("工贸", "机械", "规上", False, "未启动", {}, CHENGXI),                      # 规上, nothing begun
    "E": ("人员密集场所", "商场超市", "限上", False, "已完成", {}, CHENGXI),          # 限上, done
    "F": ("建筑施工", "房屋建筑", "资质以上", False, "建设中", {}, CHENGXI),          # 资质以上, drafted only
    "G": ("人员密集场所", "餐饮住宿", "其他", False, "已完成", {}, CHENGXI),          # 12/31 only, done
    "H": ("再生资源", "再生资源回收", "其他", True, "未启动", {}, CHENGXI),           # pilot flag, no pilot sector
    "I": ("工贸", "商贸", "其他", False, "建设中", {i: TRAINED for i in range(4)}, CHENGXI),  # all trained
    "J": ("危险化学品", "使用", "其他", False, "未启动", {0: APPLIED, 1: APPLIED, 2: APPLIED}, CHENGDONG),
}
# Who each milestone requires (cumulative) and who is done, by the default rule (all four cards 已应用) …
REQUIRED = {"pilots": {"A", "B"}, "above_size": {"A", "B", "C", "D", "E", "F", "J"}, "all": set(FIRMS)}
DONE = {"A", "C", "E", "G"}
# … and by a rule of 已培训 or later: B (three applied, one trained) and I (all trained) join; F (drafted) not.
DONE_TRAINED = DONE | {"B", "I"}
FIRST_REQUIRED = {"A": "pilots", "B": "pilots", "C": "above_size", "D": "above_size", "E": "above_size",
                  "F": "above_size", "J": "above_size", "G": "all", "H": "all", "I": "all"}


@pytest.fixture(autouse=True)
def _real_clock():
    yield
    clock.shift_for_tests(dt.timedelta(0))


@pytest.fixture
def firms(fresh):
    """The ten enterprises; returns (settings, name → id)."""
    rows = []
    for k, (name, (sector, category, scale, _, summary, _, township)) in enumerate(FIRMS.items(), 1):
        lon, lat = ("108.7869", "29.5251") if township == CHENGDONG else ("108.7748", "29.5328")
        rows.append(enterprise_row(k, **{"企业名称": f"企业{name}", "行业": sector, "类别": category, "规模": scale,
                                         "两单两卡": summary, "乡镇街道": "城东街道" if township == CHENGDONG
                                         else "城西街道", "经度": lon, "纬度": lat}))
    call(fresh, import_file, "enterprises", csv_for("enterprises", rows), "e.csv")
    with get_engine(fresh.database_url).begin() as conn:
        ids = {name[-1]: i for name, i in conn.execute(text("SELECT name, id FROM enterprise")).all()}
        pilots = [ids[n] for n, spec in FIRMS.items() if spec[3]]
        conn.execute(text("UPDATE enterprise SET duty_pilot = :t WHERE id = :i"), [{"t": True, "i": i} for i in pilots])
    for name, spec in FIRMS.items():
        for index, status in spec[5].items():
            call(fresh, set_card, ids[name], CARDS[index], status)
    return fresh, ids


def _by_key(progress: M.Progress) -> dict[str, M.MilestoneProgress]:
    return {m.milestone: m for m in progress.milestones}


def _sector_counts(names: set[str], done: set[str]) -> dict[str, tuple[int, int]]:
    counts: dict[str, list[int]] = {}
    for name in names:
        entry = counts.setdefault(FIRMS[name][0], [0, 0])
        entry[0] += 1
        entry[1] += name in done
    return {s: tuple(v) for s, v in counts.items()}


def _check(progress: M.Progress, required: dict[str, set[str]], done: set[str]) -> None:
    got = _by_key(progress)
    for key, names in required.items():
        m = got[key]
        assert (m.required, m.done, m.behind) == (len(names), len(names & done), len(names - done)), key
        assert m.share == (round(len(names & done) / len(names), 4) if names else None)
        sectors = {s.sector: (s.required, s.done) for s in m.sectors if s.required}
        assert sectors == _sector_counts(names, done), key


def test_each_deadline_counts_whom_it_requires_and_who_is_done(firms):
    settings, _ = firms
    result = read(settings, M.progress, year=2026)
    _check(result, REQUIRED, DONE)
    m = _by_key(result)
    assert (m["pilots"].required, m["pilots"].done) == (2, 1)         # A, B; A done
    assert (m["above_size"].required, m["above_size"].done) == (7, 3)  # A B C D E F J; A C E done
    assert (m["all"].required, m["all"].done) == (10, 4)               # everyone; A C E G done
    assert [m[k].due_on for k in M.MILESTONES] == ["2026-03-31", "2026-09-30", "2026-12-31"]
    today = dt.date.fromisoformat(result.today)
    assert m["pilots"].days_left == (dt.date(2026, 3, 31) - today).days


def test_the_done_status_is_configurable(firms):
    settings, _ = firms
    trained = dataclasses.replace(settings, duty_milestones=DutyMilestones(done_status=TRAINED))
    _check(read(trained, M.progress, year=2026), REQUIRED, DONE_TRAINED)


def test_the_dates_and_sectors_are_configurable(firms):
    settings, _ = firms
    rules = DutyMilestones(pilots_by="02-15", above_size_by="06-30", all_by="11-30", pilot_sectors=("燃气",),
                           key_sectors=("工贸",))
    result = _by_key(read(dataclasses.replace(settings, duty_milestones=rules), M.progress, year=2027))
    assert [result[k].due_on for k in M.MILESTONES] == ["2027-02-15", "2027-06-30", "2027-11-30"]
    assert result["pilots"].required == 1  # B only
    # B, 工贸 A D I, and the 规上/限上/资质以上 D E F
    assert (result["above_size"].required, result["above_size"].done) == (6, 2)  # B A D I E F; A E done
    with pytest.raises(ValueError):
        DutyMilestones(pilots_by="10-01")  # after the 9/30 one
    with pytest.raises(ValueError):
        DutyMilestones(key_sectors=("交通运输",))
    with pytest.raises(ValueError):
        DutyMilestones(done_status="未编制")


def test_states_follow_the_local_calendar(firms):
    settings, _ = firms
    # 2026-09-30 16:30 UTC is 10-01 00:30 in Asia/Shanghai: the 9/30 milestone has passed there
    clock.shift_for_tests(dt.datetime(2026, 9, 30, 16, 30, tzinfo=dt.timezone.utc) - clock.real_now_utc())
    m = _by_key(read(settings, M.progress, year=2026))
    assert [m[k].state for k in M.MILESTONES] == ["passed", "passed", "next"]
    assert m["above_size"].days_left == -1 and m["all"].days_left == 91
    clock.shift_for_tests(dt.datetime(2026, 9, 30, 15, 30, tzinfo=dt.timezone.utc) - clock.real_now_utc())
    m = _by_key(read(settings, M.progress, year=2026))
    assert [m[k].state for k in M.MILESTONES] == ["passed", "next", "later"]
    assert m["above_size"].days_left == 0


def test_who_is_behind(firms):
    settings, ids = firms
    clock.shift_for_tests(dt.datetime(2026, 10, 10, 4, tzinfo=dt.timezone.utc) - clock.real_now_utc())
    result = read(settings, M.behind, year=2026)
    assert result.milestone == "all" and result.due_on == "2026-12-31"  # the next one: it includes the passed ones
    names = [r.name[-1] for r in result.enterprises]
    assert names == ["B", "J", "D", "F", "I", "H"] and result.total == 6  # pilots first, then by sector
    row = {r.name[-1]: r for r in result.enterprises}
    assert {n: r.milestone for n, r in row.items()} == {n: FIRST_REQUIRED[n] for n in row}
    assert row["B"].days_overdue == (dt.date(2026, 10, 10) - dt.date(2026, 3, 31)).days
    assert row["D"].days_overdue == 10 and row["H"].days_overdue == 0
    assert row["B"].cards == dict(zip(CARDS, (APPLIED, APPLIED, APPLIED, TRAINED)))
    assert row["J"].cards == dict(zip(CARDS, (APPLIED, APPLIED, APPLIED, "未编制")))  # a missing row is 未编制
    assert row["D"].summary == "未启动" and row["B"].summary == "建设中"
    assert [r.name[-1] for r in read(settings, M.behind, year=2026, milestone="pilots").enterprises] == ["B"]
    only = read(settings, M.behind, year=2026, milestone="above_size", sector="工贸")
    assert [r.name[-1] for r in only.enterprises] == ["D"] and only.enterprises[0].enterprise_id == ids["D"]
    page = read(settings, M.behind, year=2026, limit=2, offset=2)
    assert [r.name[-1] for r in page.enterprises] == ["D", "F"] and page.total == 6
    # a year to come: the pilots' date is the next one, nobody is overdue yet
    ahead = read(settings, M.behind, year=2027)
    assert ahead.milestone == "pilots" and [r.name[-1] for r in ahead.enterprises] == ["B"]
    assert ahead.enterprises[0].days_overdue == 0


def test_township_staff_see_their_township(firms):
    settings, _ = firms
    staff = Principal(99, "t-cd", "t-cd", "township", CHENGDONG)
    m = _by_key(call_as(settings, staff, M.progress, year=2026, write=False))
    assert (m["pilots"].required, m["above_size"].required, m["all"].required) == (0, 1, 1)  # J
    assert [r.name[-1] for r in call_as(settings, staff, M.behind, year=2026, write=False).enterprises] == ["J"]
    # a county reader may ask for one township
    assert _by_key(read(settings, M.progress, year=2026, township_code=CHENGDONG))["all"].required == 1


def test_bad_choices_are_refused(firms):
    settings, _ = firms
    for kwargs in ({"milestone": "soon"}, {"sector": "交通运输"}, {"year": 1999}):
        with pytest.raises(FieldError):
            read(settings, M.behind, **kwargs)

"""The monthly ranking and bulletin (月排名、月通报, issue 14 point 5) on both back-ends: the figures of a small
history against counts made here from its inputs (and by SQL), month edges and the current month on the calendar of
Asia/Shanghai, exact yuan, the ranking rule, township scope, and the .docx / .xlsx read back."""
from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from fractions import Fraction

import docx
import openpyxl
import pytest

from services import clock, vocabulary
from services.errors import FieldError, Forbidden
from services.supervision import rankings as R
from services.supervision.bulletin import bulletin, bulletin_docx, bulletin_xlsx, percent
from services.text import t, term
from tests.conftest import BACKENDS, _cleanup, call_as, prepared, principal_for, read
from tests.services import ranking_world as W
from tests.services.test_concurrency import scalar
from tests.services.test_report import docx_tables, xlsx_tables

FIGURES = ("inspections", "dangers_found", "dangers_closed", "closed_in_time", "overdue", "penalties", "penalty_yuan")
UTC = dt.timezone.utc


@pytest.fixture(scope="module", params=BACKENDS)
def world(request, tmp_path_factory) -> W.World:
    settings = prepared(request.param, tmp_path_factory.mktemp(f"rankings-{request.param}"), tmp_path_factory,
                        with_sample=False)
    yield W.build_world(settings)
    _cleanup(settings)


@pytest.fixture(autouse=True)
def _real_clock():
    yield
    clock.shift_for_tests(dt.timedelta(0))


def at_utc(*args) -> None:
    """Move the test clock to the UTC instant ``args`` (year, month, day, hour, minute)."""
    clock.shift_for_tests(dt.datetime(*args, tzinfo=UTC) - clock.real_now_utc())


def figures(row) -> dict:
    return {name: getattr(row, name) for name in FIGURES}


def zero() -> dict:
    return dict.fromkeys(FIGURES[:-1], 0) | {"penalty_yuan": Decimal("0.00")}


@pytest.mark.parametrize("by", R.GROUPINGS)
def test_the_figures_equal_counts_made_from_the_inputs(world, by):
    ranking = read(world.settings, R.monthly_rankings, W.MONTH, by)
    wanted = W.expected(by)
    got = {row.key: figures(row) for row in ranking.rows}
    if by == "sector":
        assert list(got) != [] and set(got) == set(vocabulary.ENTERPRISE_SECTORS)  # every sector listed
    for key in set(got) | set(wanted):
        assert got.get(key, zero()) == wanted.get(key, zero()), (by, key)
    assert (ranking.month.starts_on, ranking.month.ends_on, ranking.month.as_of) == \
        (W.JULY_FIRST, W.JULY_LAST, W.JULY_LAST)
    assert ranking.sample is False


def test_the_totals_by_hand_and_by_sql(world):
    """The month's totals as counted by hand from ranking_world.py's comments, and by direct SQL."""
    totals = read(world.settings, R.monthly_rankings, W.MONTH, "township").totals
    assert figures(totals) == {"inspections": 4, "dangers_found": 6, "dangers_closed": 4, "closed_in_time": 2,
                               "overdue": 3, "penalties": 4, "penalty_yuan": Decimal("1234.86")}
    assert totals.in_time_share == 0.5 and isinstance(totals.penalty_yuan, Decimal)
    s = world.settings
    july = "BETWEEN '2026-07-01' AND '2026-07-31'"
    assert totals.inspections == scalar(s, f"SELECT count(*) FROM inspection WHERE inspected_on {july}")
    assert totals.dangers_found == scalar(s, f"SELECT count(*) FROM hidden_danger WHERE found_on {july}")
    assert totals.closed_in_time == scalar(s, f"SELECT count(*) FROM hidden_danger WHERE closed_on {july} "
                                              "AND closed_on <= deadline")
    assert totals.overdue == scalar(s, "SELECT count(*) FROM hidden_danger WHERE found_on <= '2026-07-31' AND "
                                       "deadline < '2026-07-31' AND (closed_on IS NULL OR closed_on > '2026-07-31')")
    cents = scalar(s, f"SELECT sum(CAST(round(amount_yuan * 100) AS INTEGER)) FROM penalty WHERE decided_on {july}")
    assert totals.penalty_yuan == Decimal(cents) / 100


def test_june_and_august_are_counted_on_their_own_calendar(world):
    june = read(world.settings, R.monthly_rankings, "2026-06", "sector")
    wanted = W.expected("sector", dt.date(2026, 6, 1), dt.date(2026, 6, 30))
    assert {r.key: figures(r) for r in june.rows if r.key in wanted} == wanted
    assert june.totals.inspections == 1 and june.totals.penalty_yuan == Decimal("5.00")
    august = read(world.settings, R.monthly_rankings, "2026-08", "department")
    assert figures(august.totals) == figures(R.total([R.RankingRow(**v) for v in W.expected(
        "department", dt.date(2026, 8, 1), dt.date(2026, 8, 31)).values()]))


def _better(a, b) -> bool:
    """Whether group ``a`` ranks strictly before ``b`` by the documented rule, with exact cross-multiplication."""
    if (a.dangers_closed > 0) != (b.dangers_closed > 0):
        return a.dangers_closed > 0
    left, right = a.closed_in_time * max(b.dangers_closed, 1), b.closed_in_time * max(a.dangers_closed, 1)
    if left != right:
        return left > right
    if a.overdue != b.overdue:
        return a.overdue < b.overdue
    return a.inspections > b.inspections


@pytest.mark.parametrize("by", R.GROUPINGS)
def test_ranks_follow_the_rule_and_ties_share_a_rank(world, by):
    rows = read(world.settings, R.monthly_rankings, W.MONTH, by).rows
    for row in rows:
        assert row.rank == 1 + sum(_better(other, row) for other in rows), (by, row.key)
    assert [r.rank for r in rows] == sorted(r.rank for r in rows)


def test_the_sector_ranking_by_hand(world):
    rows = read(world.settings, R.monthly_rankings, W.MONTH, "sector").rows
    # 燃气 and 工贸: 2 closed, 1 in time (½), 1 overdue, 2 inspections each: tied first, in the vocabulary's order;
    # the five sectors without records next (nothing closed, none overdue); 危险化学品 (nothing closed, 1 overdue) last
    empty = [s for s in vocabulary.ENTERPRISE_SECTORS if s not in ("燃气", "工贸", "危险化学品")]
    assert [(r.key, r.rank) for r in rows] == [("燃气", 1), ("工贸", 1), *((s, 3) for s in empty), ("危险化学品", 8)]
    assert rows[0].in_time == Fraction(1, 2) and rows[-1].in_time_share is None and rows[-1].overdue == 1


def test_departments_group_what_no_department_found_in_one_row(world):
    rows = {r.key: r for r in read(world.settings, R.monthly_rankings, W.MONTH, "department").rows}
    assert set(rows) == {"区应急局", "区住建委", R.OTHER_DEPARTMENT}
    other = rows[R.OTHER_DEPARTMENT]
    assert other.name == t("ranking.other_department") and other.name_en == t("ranking.other_department", "en")
    assert (other.inspections, other.dangers_found, other.penalties, other.penalty_yuan) == (1, 4, 2, Decimal("0.30"))


def test_overdue_in_the_current_month_is_judged_today_in_asia_shanghai(world):
    # 2026-07-30 23:30 in Shanghai: July is the current month, counted up to 07-30
    at_utc(2026, 7, 30, 15, 30)
    now = read(world.settings, R.monthly_rankings, W.MONTH, "sector")
    assert now.month.as_of == dt.date(2026, 7, 30)
    assert now.totals.overdue == sum(f["overdue"] for f in W.expected("sector", as_of=dt.date(2026, 7, 30)).values())
    # an hour later it is 07-31 in Shanghai (still 07-30 in UTC): the danger due 07-30 is now overdue
    at_utc(2026, 7, 30, 16, 30)
    later = read(world.settings, R.monthly_rankings, W.MONTH, "sector")
    assert later.month.as_of == W.JULY_LAST and later.totals.overdue == now.totals.overdue + 1 == 3
    # August has not begun in Shanghai at 07-31 23:59 local, and has at 08-01 00:00
    at_utc(2026, 7, 31, 15, 59)
    with pytest.raises(FieldError) as early:
        read(world.settings, R.monthly_rankings, "2026-08", "sector")
    assert (early.value.field, early.value.code) == ("month", "ranking.month_future")
    at_utc(2026, 7, 31, 16, 0)
    assert read(world.settings, R.monthly_rankings, "2026-08", "sector").month.as_of == dt.date(2026, 8, 1)


@pytest.mark.parametrize(("month", "by", "field", "code"), [
    ("2026-13", "sector", "month", "ranking.month_invalid"), ("2026-7", "sector", "month", "ranking.month_invalid"),
    ("1999-12", "sector", "month", "ranking.month_invalid"), ("2099-12", "sector", "month", "ranking.month_future"),
    ("2026-07", "county", "by", "ranking.by_invalid")])
def test_a_bad_month_or_grouping_is_named(world, month, by, field, code):
    with pytest.raises(FieldError) as info:
        read(world.settings, R.monthly_rankings, month, by)
    assert (info.value.field, info.value.code) == (field, code)


def test_township_staff_see_their_township_only(world):
    staff = principal_for(world.settings, "township", W.CX)
    mine = call_as(world.settings, staff, R.monthly_rankings, W.MONTH, "township", write=False)
    assert [r.key for r in mine.rows] == [W.CX] and mine.township_code == W.CX
    assert figures(mine.rows[0]) == W.expected("township", towns=(W.CX,))[W.CX]
    by_sector = call_as(world.settings, staff, R.monthly_rankings, W.MONTH, "sector", write=False)
    assert figures(by_sector.totals) == figures(mine.totals)
    with pytest.raises(Forbidden):
        call_as(world.settings, staff, R.monthly_rankings, W.MONTH, "sector", township_code=W.ZY, write=False)
    count, _ = call_as(world.settings, staff, R.major_overdue, W.MONTH, write=False)
    assert count == len(W.expected_major_overdue(towns=(W.CX,))) == 1
    planner = principal_for(world.settings, "planner")
    one = call_as(world.settings, planner, R.monthly_rankings, W.MONTH, "sector", township_code=W.ZY, write=False)
    assert figures(one.totals) == figures(R.total([R.RankingRow(**v) for v in W.expected(
        "sector", towns=(W.ZY,)).values()]))


def test_the_major_overdue_list(world):
    count, rows = read(world.settings, R.major_overdue, W.MONTH)
    wanted = [world.danger_ids[i] for i in W.expected_major_overdue()]
    assert count == 2 and sorted(r.id for r in rows) == sorted(wanted)
    by_id = {r.id: r for r in rows}
    late = by_id[world.danger_ids[4]]  # B's: due 07-20, closed 08-02
    assert (late.days_overdue, late.status, late.closed_on, late.supervising_leader) == \
        (11, vocabulary.DANGER_CLOSED, dt.date(2026, 8, 2), "王副区长")
    assert by_id[world.danger_ids[2]].days_overdue == 26


def _text_of(content: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(content)).paragraphs)


def _table_rows(ranking, lang) -> list[list[str]]:
    """What the docx's ranking table must show, written here from the ranking (not from the bulletin)."""
    def cells(f):
        share = percent(f.in_time_share)
        return [str(f.inspections), str(f.dangers_found), str(f.dangers_closed), str(f.closed_in_time),
                "—" if share is None else f"{share:.1f}", str(f.overdue), str(f.penalties), f"{f.penalty_yuan:.2f}"]
    return [[str(r.rank), r.name_en if lang == "en" else r.name, *cells(r)] for r in ranking.rows] + \
        [[t("ranking.col.total", lang), "", *cells(ranking.totals)]]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_bulletin_docx_reads_back_with_the_figures(world, lang):
    report = read(world.settings, bulletin, W.MONTH, lang)
    content = bulletin_docx(report)
    text = _text_of(content)
    region = world.settings.region.name_en if lang == "en" else world.settings.region.name_zh
    title = t("ranking.bulletin_title", lang, region=region, year=2026, month=7, month_en="July")
    assert text.splitlines()[0] == title
    if lang == "zh":
        assert title == f"{region}安全生产执法检查和隐患排查治理情况通报（2026年7月）"
        assert ("共开展执法检查 4 次，发现隐患 6 项，整改销号 4 项，其中按期销号 2 项（按期销号率 50.0%）；截至 2026-07-31，"
                "逾期未销号隐患 3 项，其中重大隐患 2 项；作出行政处罚 4 起，罚款合计 1234.86 元") in text
    else:
        assert "4 inspections, 6 hidden dangers found and 4 closed off, 2 of them by their deadline (50.0% in time)" \
            in text and "fines totalling 1234.86 yuan" in text
    assert t("export.sample_note", lang) not in text  # no sample records here
    tables = docx_tables(content)
    sector = read(world.settings, R.monthly_rankings, W.MONTH, "sector")
    words = {"year": 2026, "month": 7, "month_en": "July"}
    assert tables[t("ranking.table_sector", lang, **words)][1:] == _table_rows(sector, lang)
    township = read(world.settings, R.monthly_rankings, W.MONTH, "township")
    assert tables[t("ranking.table_township", lang, **words)][1:] == _table_rows(township, lang)
    major = tables[t("ranking.table_major", lang, as_of="2026-07-31")]
    codes = {scalar(world.settings, "SELECT code FROM hidden_danger WHERE id = :i", i=world.danger_ids[i])
             for i in W.expected_major_overdue()}
    assert {row[0] for row in major[1:]} == codes and len(major) == 3
    closed_late = next(row for row in major[1:] if row[6] == "11")
    assert closed_late[-1] == t("ranking.status_closed_on", lang, day="2026-08-02")
    assert closed_late[3] == term("燃气", lang)


def test_the_bulletin_xlsx_reads_back_with_the_figures(world):
    content = bulletin_xlsx(read(world.settings, bulletin, W.MONTH, "zh"))
    tables = xlsx_tables(content)
    sector = read(world.settings, R.monthly_rankings, W.MONTH, "sector")
    rows = tables[t("ranking.table_sector", year=2026, month=7, month_en="July")]
    assert rows[0][:3] == [t("ranking.col.rank"), t("ranking.col.sector"), t("ranking.col.inspections")]
    for got, want in zip(rows[1:], sector.rows):
        assert got[:10] == [want.rank, want.name, want.inspections, want.dangers_found, want.dangers_closed,
                            want.closed_in_time, percent(want.in_time_share), want.overdue, want.penalties,
                            pytest.approx(float(want.penalty_yuan))]
    total = rows[len(sector.rows) + 1]
    assert total[0] == t("ranking.col.total") and total[2] == 4 and Decimal(str(total[9])) == Decimal("1234.86")
    assert len(tables[t("ranking.table_major", as_of="2026-07-31")]) == 3
    summary = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    assert summary["A1"].value.endswith("（2026年7月）")


def test_the_bulletin_is_marked_when_sample_records_are_counted(world):
    s = world.settings
    firm = world.firm_ids["C"]
    from services.db.uow import unit_of_work
    from services.models import Enterprise
    with unit_of_work(s, write=True) as uow:
        uow.session.get(Enterprise, firm).is_sample = True
    try:
        report = read(s, bulletin, W.MONTH, "zh")
        assert report.sample and t("export.sample_note") in _text_of(bulletin_docx(report))
        staff = principal_for(s, "township", W.ZY)  # none of 正阳街道's enterprises is sample
        assert not call_as(s, staff, R.monthly_rankings, W.MONTH, write=False).sample
    finally:
        with unit_of_work(s, write=True) as uow:
            uow.session.get(Enterprise, firm).is_sample = False

"""Importing the ledgers offices keep (issue 14 point 9): a 隐患台账 workbook as an office makes it (a title row,
synonym headers, dangers in every state) lands with each danger's closed loop and the enterprises' open counts; a
检查记录 sheet lands as inspections; bad rows are named and nothing is written; a ledger imported twice is refused.
Both back-ends; every figure checked by SQL made here."""
from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from sqlalchemy import text

from services.data.imports import ImportRejected, import_file
from tests.conftest import call, csv_for, shanghai_today
from tests.services.test_imports import credit_code, enterprise_row

FIRMS = (9501, 9502)


def _sql(settings, sql: str, **params):
    from services.db.uow import unit_of_work
    with unit_of_work(settings) as uow:
        return uow.session.execute(text(sql), params).all()


@pytest.fixture
def firms(fresh):
    rows = [enterprise_row(n, 企业名称=f"台账测试企业{n}") for n in FIRMS]
    call(fresh, import_file, "enterprises", csv_for("enterprises", rows), "企业.csv")
    return fresh


def _ledger(rows: list[list]) -> bytes:
    """A workbook as an office keeps it: a title, then headers written their way (synonyms, a line break)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["2026年企业安全隐患排查治理台账"])
    sheet.append(["社会信用代码", "隐患编号", "排查日期", "排查人", "来源", "自查周期", "隐患级别", "存在问题",
                  "部位", "整改\n责任人", "整改措施", "整改资金（元）", "整改时限", "督办领导", "整改状态", "验收人",
                  "验收日期"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _day(days_ago: int) -> dt.date:
    return shanghai_today() - dt.timedelta(days=days_ago)


def _rows() -> list[list]:
    a, b = credit_code(FIRMS[0]), credit_code(FIRMS[1])
    return [
        [a, "TZ-001", _day(40), "张三", "部门检查", None, "一般", "消防通道堵塞", "仓库", "李四", "清理通道", "1,200元",
         _day(30), None, "已销号", "王五", _day(31)],
        [a, "TZ-002", _day(20), "张三", "企业自查", "周", "一般", "配电箱未接地", "车间", "李四", None, None, _day(5),
         None, "待整改", None, None],
        [b, "TZ-003", _day(15), "赵六", "部门检查", None, "重大", "液化气钢瓶超期未检", "储存间", "钱七", "全部送检",
         "3.5万元", _day(1), "孙副区长", "整改中", None, None],
        [b, "TZ-004", _day(10), "赵六", "群众举报", None, "一般", "夜间违规动火", "后院", "钱七", "停止动火作业", None,
         shanghai_today(), None, "待验收", None, None],
    ]


def test_a_danger_ledger_lands_with_its_closed_loop_and_open_counts(firms):
    report = call(firms, import_file, "danger_ledger", _ledger(_rows()), "隐患台账.xlsx", actor="planner-a")
    assert (report.rows, report.created) == (4, 4)
    got = {r.code: r for r in _sql(firms, "SELECT code, status, level, source, self_check_cycle, funds_yuan, "
                                          "supervising_leader, closed_on FROM hidden_danger")}
    assert {c: r.status for c, r in got.items()} == {"TZ-001": "已销号", "TZ-002": "待整改", "TZ-003": "整改中",
                                                     "TZ-004": "待验收"}
    assert float(got["TZ-001"].funds_yuan) == 1200 and float(got["TZ-003"].funds_yuan) == 35000
    assert got["TZ-002"].self_check_cycle == "周" and got["TZ-003"].supervising_leader == "孙副区长"
    assert str(got["TZ-001"].closed_on)[:10] == _day(31).isoformat()
    # the closed one has its passed acceptance check, by the checker the ledger names
    assert _sql(firms, "SELECT r.checked_by, r.passed FROM recheck r JOIN hidden_danger d ON d.id = r.danger_id "
                       "WHERE d.code = 'TZ-001'") == [("王五", True)]
    assert _sql(firms, "SELECT count(*) FROM recheck")[0][0] == 1
    # each enterprise's open count equals its dangers not closed off, counted here
    counts = _sql(firms, "SELECT e.open_hidden_dangers, (SELECT count(*) FROM hidden_danger d WHERE d.enterprise_id "
                         "= e.id AND d.status <> '已销号') FROM enterprise e WHERE e.name LIKE '台账测试企业%'")
    assert sorted(counts) == [(1, 1), (2, 2)]
    assert _sql(firms, "SELECT actor FROM audit_log WHERE action = 'import' AND entity = 'danger_ledger'") == \
        [("planner-a",)]
    # the same ledger again: every row is already recorded, nothing is added
    with pytest.raises(ImportRejected) as again:
        call(firms, import_file, "danger_ledger", _ledger(_rows()), "隐患台账.xlsx")
    assert sorted({e.row for e in again.value.errors}) == [3, 4, 5, 6]
    assert _sql(firms, "SELECT count(*) FROM hidden_danger")[0][0] == 4


def test_bad_ledger_rows_are_named_and_nothing_is_written(firms):
    rows = _rows()
    rows[0][15] = "张三"                      # row 3: the checker is the finder
    rows[1][12] = _day(25)                    # row 4: the deadline before the day it was found
    rows[2][13] = None                        # row 5: a 重大隐患 without its supervising leader
    rows[3][0] = credit_code(9599)            # row 6: an enterprise not in the register
    rows.append([credit_code(FIRMS[0]), "TZ-005", _day(3), "张三", "部门检查", None, "一般", "安全出口锁闭", "", "",
                 "", "", _day(1), "", "已销号", "", ""])  # row 7: closed off without an acceptance check
    with pytest.raises(ImportRejected) as refused:
        call(firms, import_file, "danger_ledger", _ledger(rows), "隐患台账.xlsx")
    named = {(e.row, e.column) for e in refused.value.errors}
    assert named == {(3, "验收人"), (4, "整改时限"), (5, "督办领导"), (6, "社会信用代码"), (7, "验收人"), (7, "验收日期")}
    assert _sql(firms, "SELECT count(*) FROM hidden_danger")[0][0] == 0
    assert _sql(firms, "SELECT sum(open_hidden_dangers) FROM enterprise")[0][0] in (0, None)


def test_an_inspection_ledger_lands_as_inspections(firms):
    rows = [{"统一社会信用代码": credit_code(FIRMS[0]), "检查日期": _day(9).isoformat(), "检查人员": "执法员甲、执法员乙",
             "检查部门": "区应急管理局", "检查事项": "消防器材、安全出口；用电安全", "备注": "复查时带上台账"},
            {"统一社会信用代码": credit_code(FIRMS[1]), "检查日期": _day(2).strftime("%Y年%m月%d日"),
             "检查人员": "执法员丙"}]
    report = call(firms, import_file, "inspection_ledger", csv_for("inspection_ledger", rows), "检查记录.csv")
    assert report.created == 2
    got = _sql(firms, "SELECT e.name, i.inspected_on, i.items, i.code FROM inspection i JOIN enterprise e "
                      "ON e.id = i.enterprise_id ORDER BY e.name")
    assert [(r[0], str(r[1])[:10]) for r in got] == [("台账测试企业9501", _day(9).isoformat()),
                                                   ("台账测试企业9502", _day(2).isoformat())]
    assert got[0].items.splitlines() == ["消防器材", "安全出口", "用电安全"]
    assert all(r.code.startswith("JC-") for r in got)
    future = [dict(rows[1], 检查日期=(shanghai_today() + dt.timedelta(days=3)).isoformat(), 检查人员="执法员丁")]
    with pytest.raises(ImportRejected) as refused:
        call(firms, import_file, "inspection_ledger", csv_for("inspection_ledger", future), "检查记录.csv")
    assert [(e.row, e.column) for e in refused.value.errors] == [(2, "检查日期")]


def test_township_staff_may_not_import_a_ledger(firms):
    from services.errors import Forbidden
    from tests.conftest import call_as, principal_for
    with pytest.raises(Forbidden):
        call_as(firms, principal_for(firms, "township", "500114001"), import_file, "danger_ledger",
                _ledger(_rows()[:1]), "隐患台账.xlsx")
    assert _sql(firms, "SELECT count(*) FROM hidden_danger")[0][0] == 0

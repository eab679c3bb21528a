"""安全监管 in headless chromium (issue 14's acceptance): an inspector records an inspection with a finding on
/supervision; once its deadline has passed (the test clock moves two days on) the enterprise is ringed as overdue on
一张图; the danger is rectified, submitted, and closed off by another supervisor's acceptance check — each step
checked in the database, the audit log naming who did it.

The enterprise is imported here (its own credit code and spot) so no other browser test relies on it.
"""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from services import clock
from tests.browser.conftest import SETTINGS, Recorder, sign_in
from tests.conftest import csv_for, shanghai_today
from tests.services.test_imports import enterprise_row

pytestmark = pytest.mark.browser

NAME, SERIAL = "浏览器测试危化品经营部", 9301
INSPECTOR, CHECKER, PASSWORD = "sup-inspector", "sup-checker", "supervision password 1"
POINT = (108.8395, 29.3790)  # a spot of its own in the district


def _prepare(base: str) -> int:
    from services.accounts.users import create_user
    from services.data.imports import import_file
    from services.db.uow import unit_of_work
    row = enterprise_row(SERIAL, 企业名称=NAME, 行业="危险化学品", 类别="经营(无储存)", 规模="其他", 乡镇街道="",
                         地址="鹅池镇", 经度=str(POINT[0]), 纬度=str(POINT[1]))
    with unit_of_work(SETTINGS[base], write=True) as uow:
        create_user(uow, INSPECTOR, role="planner", password=PASSWORD, display_name="执法员甲", must_change_password=False)
        create_user(uow, CHECKER, role="planner", password=PASSWORD, display_name="执法员乙", must_change_password=False)
        import_file(uow, "enterprises", csv_for("enterprises", [row]), "企业.csv")
    return _one(base, "SELECT id FROM enterprise WHERE name = :n", n=NAME)


def _png() -> bytes:
    import io

    from PIL import Image
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 40, 40)).save(out, "PNG")
    return out.getvalue()


def _one(base: str, sql: str, **params):
    from services.db.uow import unit_of_work
    with unit_of_work(SETTINGS[base]) as uow:
        return uow.session.execute(text(sql), params).scalar()


def _choose(pg, dropdown: str, typed: str) -> None:
    """Open the dropdown, search for ``typed`` in its search box, click the option, and wait until the dropdown
    shows it as chosen. (Typing straight after the click loses the text on a slow machine: Dash 4's dropdown focuses
    its search box a frame later, and an Enter with an empty search chooses nothing — CI failed that way.)"""
    pg.locator(f"#{dropdown}").click()
    search = pg.locator(".dash-dropdown-content .dash-dropdown-search")
    search.fill(typed)
    pg.locator(".dash-dropdown-content").get_by_role("option").filter(has_text=typed).first.click()
    pg.keyboard.press("Escape")
    pg.wait_for_function("([id, x]) => (document.getElementById(id)?.innerText || '').includes(x)",
                         arg=[dropdown, typed])


def _open_enterprise(pg, base: str) -> None:
    pg.goto(base + "/supervision")
    pg.wait_for_selector("#safe-lists h4")
    _choose(pg, "safe-enterprise", NAME)
    pg.wait_for_function("(n) => document.querySelector('.record-title')?.innerText === n", arg=NAME)


def _message(pg, expected: str) -> str:
    try:
        pg.wait_for_function("(x) => (document.querySelector('#safe-message')?.innerText || '').includes(x)",
                             arg=expected, timeout=20_000)
    except Exception:  # noqa: BLE001 — say what the page said instead
        raise AssertionError(f"expected {expected!r}, the page says {pg.locator('#safe-message').inner_text()!r}")
    return pg.locator("#safe-message").inner_text()


def _ringed(pg, base: str, firm: int) -> str:
    """The class of the enterprise's symbol on 一张图 once drawn."""
    pg.goto(base + "/")
    pg.wait_for_function("() => window.qj && window.qj.map && window.qj.markers.enterprises", timeout=30_000)
    # enterprises are clustered at district zoom: close in on the point so it is drawn as itself
    pg.evaluate("([lat, lon]) => window.qj.map.setView([lat, lon], 17, {animate: false})", [POINT[1], POINT[0]])
    pg.wait_for_function("(id) => window.qj.markers.enterprises[id]", arg=firm, timeout=30_000)
    # the symbol the layer drew for it (a divIcon's element), whether or not it is in view at this zoom
    return pg.evaluate("(id) => window.qj.markers.enterprises[id].options.icon.options.html.className", firm)


def test_an_inspection_finding_goes_overdue_on_the_map_and_is_closed_by_an_acceptance_check(browser, served):
    firm = _prepare(served)
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    pg = context.new_page()
    rec = Recorder()
    pg.on("pageerror", lambda e: rec.console_errors.append(str(e)))
    try:
        sign_in(pg, served, INSPECTOR, PASSWORD)
        _open_enterprise(pg, served)
        today = shanghai_today().isoformat()
        pg.fill("#safe-inspectors", "执法员甲、执法员丙")
        pg.fill("#safe-items", "储存场所\n消防器材")
        pg.fill("#safe-finding", "灭火器过期未更换")
        pg.fill("#safe-finding-deadline", today)
        pg.click("#safe-save-inspection")
        assert "隐患 1 条" in _message(pg, "已保存检查记录")
        danger = _one(served, "SELECT id FROM hidden_danger WHERE enterprise_id = :f", f=firm)
        assert _one(served, "SELECT status FROM hidden_danger WHERE id = :d", d=danger) == "待整改"
        assert _one(served, "SELECT open_hidden_dangers FROM enterprise WHERE id = :f", f=firm) == 1
        assert "alert" not in _ringed(pg, served, firm)  # the deadline is today: still in time
        clock.shift_for_tests(dt.timedelta(days=2))
        assert "alert" in _ringed(pg, served, firm)  # two days on, the danger is overdue: a red ring
        _open_enterprise(pg, served)
        # counted on the overdue work list (which shows the sample's longest overdue first) and, in the record, late
        overdue = _one(served, "SELECT count(*) FROM hidden_danger WHERE status <> '已销号' AND deadline < :d",
                       d=shanghai_today())
        assert f"（{overdue}）" in pg.locator("#safe-lists h4").first.inner_text()
        late = pg.locator("#safe-record-dangers tr", has_text="灭火器过期未更换").inner_text()
        assert "\t2\t" in late  # two days overdue
        _choose(pg, "safe-danger", "灭火器")
        # a photo of the danger, as a phone would send it: stored with the danger, shown in the record
        pg.locator("#safe-danger-photo input[type=file]").set_input_files(
            files=[{"name": "现场.png", "mimeType": "image/png", "buffer": _png()}])
        pg.wait_for_function("() => (document.querySelector('#safe-danger-photo-message')?.innerText || '')"
                             ".includes('已保存隐患照片 1 张')")
        assert _one(served, "SELECT count(*) FROM photo WHERE danger_id = :d", d=danger) == 1
        pg.wait_for_selector(".safe-record img")
        pg.fill("#safe-responsible", "经营部负责人")
        pg.fill("#safe-measures", "更换全部灭火器并建立月检台账")
        pg.click("#safe-rectify")
        _message(pg, "整改中")
        pg.click("#safe-submit")
        _message(pg, "待验收")
        # the inspector who recorded it cannot accept it
        pg.fill("#safe-checked-by", "执法员甲")
        pg.click("#safe-accept")
        assert "其他人" in _message(pg, "未保存")
        context.clear_cookies()
        sign_in(pg, served, CHECKER, PASSWORD)
        _open_enterprise(pg, served)
        _choose(pg, "safe-danger", "灭火器")
        pg.fill("#safe-checked-by", "执法员乙")
        pg.click("#safe-accept")
        _message(pg, "已销号")
        assert _one(served, "SELECT status FROM hidden_danger WHERE id = :d", d=danger) == "已销号"
        assert _one(served, "SELECT open_hidden_dangers FROM enterprise WHERE id = :f", f=firm) == 0
        assert _one(served, "SELECT actor FROM recheck WHERE danger_id = :d AND passed", d=danger) == CHECKER
        assert _one(served, "SELECT actor FROM audit_log WHERE entity = 'hidden_danger' AND action = 'accept' "
                            "AND entity_key = (SELECT code FROM hidden_danger WHERE id = :d)", d=danger) == CHECKER
        assert "alert" not in _ringed(pg, served, firm)
        assert rec.console_errors == []
    finally:
        clock.shift_for_tests(dt.timedelta(0))
        context.close()


def test_a_viewer_reads_the_record_without_forms_or_errors(browser, served):
    """A role that may not write sees the lists and an enterprise's record, no form, and no browser error (the
    forms' stand-ins keep the properties the page's callbacks set)."""
    from services.accounts.users import create_user
    from services.db.uow import unit_of_work
    with unit_of_work(SETTINGS[served], write=True) as uow:
        create_user(uow, "sup-viewer", role="viewer", password=PASSWORD, display_name="只读员",
                    must_change_password=False)
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        sign_in(pg, served, "sup-viewer", PASSWORD)
        pg.goto(served + "/supervision")
        pg.wait_for_selector("#safe-lists h4")
        _choose(pg, "safe-enterprise", "和宇超市")
        pg.wait_for_function("() => document.querySelector('.record-title')?.innerText === '和宇超市'")
        assert pg.locator(".safe-form").count() == 0
        pg.wait_for_timeout(500)
        assert errors == []
    finally:
        context.close()

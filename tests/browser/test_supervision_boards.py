"""安全监管's boards in headless chromium: the 一线责任制 bars, the month's ranking (with its Word bulletin) and a
专项整治 campaign's progress, each figure checked against a count made directly in SQL here (not through the
services that drew it)."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from tests.browser.conftest import SETTINGS, Recorder, sign_in
from tests.conftest import shanghai_today

pytestmark = pytest.mark.browser

USER, PASSWORD = "sup-boards", "supervision boards 1"


def _scalar(base: str, sql: str, **params):
    from services.db.uow import unit_of_work
    with unit_of_work(SETTINGS[base]) as uow:
        return uow.session.execute(text(sql), params).scalar()


@pytest.fixture
def planner_page(browser, served):
    from services.accounts.users import create_user
    from services.db.uow import unit_of_work
    with unit_of_work(SETTINGS[served], write=True) as uow:
        if uow.session.execute(text("SELECT 1 FROM user_account WHERE username = :u"), {"u": USER}).first() is None:
            create_user(uow, USER, role="planner", password=PASSWORD, display_name="规划员",
                        must_change_password=False)
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page = context.new_page()
    rec = Recorder()
    page.on("pageerror", lambda e: rec.console_errors.append(str(e)))
    sign_in(page, served, USER, PASSWORD)
    yield page
    assert rec.console_errors == []
    context.close()


def _bar_values(page, selector: str) -> list[float]:
    return page.eval_on_selector_all(f"{selector} [role=progressbar]",
                                     "els => els.map(e => parseFloat(e.getAttribute('aria-valuenow')))")


def test_the_milestone_bars_say_what_the_cards_say(planner_page, served):
    settings = SETTINGS[served]
    done = settings.duty_milestones.done_status
    total = _scalar(served, "SELECT count(*) FROM enterprise")
    finished = _scalar(served, "SELECT count(*) FROM (SELECT enterprise_id FROM duty_card WHERE status IN "
                               f"({', '.join(repr(s) for s in _reached(done))}) GROUP BY enterprise_id "
                               "HAVING count(*) = 4) AS f")
    planner_page.goto(served + "/supervision?tab=milestones")
    planner_page.wait_for_selector("#safe-milestones .safe-milestone")
    cards = planner_page.locator("#safe-milestones .safe-milestone")
    assert cards.count() == 3
    last = cards.nth(2)
    assert f"{finished} / {total}" in last.inner_text()
    assert _bar_values(planner_page, "#safe-milestones .safe-milestone:nth-of-type(3)")[0] == \
        round(100 * finished / total, 1)
    # the list of who is behind, for the last milestone: everyone not done
    planner_page.locator("#safe-behind-milestone").click()
    planner_page.locator(".dash-dropdown-content").get_by_role("option").nth(2).click()
    planner_page.keyboard.press("Escape")
    planner_page.wait_for_function("(n) => (document.querySelector('#safe-behind p')?.innerText || '').includes(n)",
                                   arg=f"未完成 {total - finished} 家")


def _reached(done: str) -> tuple[str, ...]:
    from services import vocabulary
    statuses = vocabulary.CARD_STATUSES
    return statuses[statuses.index(done):]


def test_the_ranking_counts_this_months_inspections_and_the_bulletin_downloads(planner_page, served):
    today = shanghai_today()
    first = today.replace(day=1)
    inspections = _scalar(served, "SELECT count(*) FROM inspection WHERE inspected_on BETWEEN :a AND :b",
                          a=first, b=today)
    planner_page.goto(served + "/supervision?tab=rankings")
    planner_page.wait_for_selector("#safe-rankings .an-table-wrap .dash-spreadsheet")
    summary = planner_page.locator("#safe-rankings p").nth(1).inner_text()
    assert f"全区共开展执法检查 {inspections} 次" in summary
    link = planner_page.locator("#safe-rankings a", has_text="Word")
    assert f"month={first:%Y-%m}" in link.get_attribute("href")
    reply = planner_page.request.get(served + link.get_attribute("href"))
    assert reply.status == 200 and reply.body()[:2] == b"PK"


def test_a_campaign_made_on_the_page_shows_the_share_of_its_targets_inspected(planner_page, served):
    today = shanghai_today()
    starts = today - dt.timedelta(days=30)
    name = "浏览器测试成品油专项整治"
    page = planner_page
    page.goto(served + "/supervision?tab=campaigns")
    page.wait_for_selector("#safe-campaigns > *")
    page.locator(".safe-board details.safe-form summary").click()
    page.fill("#safe-campaign-name", name)
    page.locator("#safe-campaign-sectors").click()
    page.locator(".dash-dropdown-content .dash-dropdown-search").fill("成品油")
    page.locator(".dash-dropdown-content").get_by_role("option").filter(has_text="成品油").first.click()
    page.keyboard.press("Escape")
    page.fill("#safe-campaign-starts", starts.isoformat())
    page.fill("#safe-campaign-ends", "2026-02-30")
    page.click("#safe-campaign-save")
    page.wait_for_function("() => (document.querySelector('#safe-campaign-message')?.innerText || '').includes('结束日期：日期无效')")
    assert _scalar(served, "SELECT count(*) FROM campaign WHERE name = :n", n=name) == 0  # nothing kept
    page.fill("#safe-campaign-ends", today.isoformat())
    page.click("#safe-campaign-save")
    page.wait_for_function("() => (document.querySelector('#safe-campaign-message')?.innerText || '').includes('已创建')")
    made = _scalar(served, "SELECT id FROM campaign WHERE name = :n", n=name)
    targets = _scalar(served, "SELECT count(*) FROM campaign_target WHERE campaign_id = :c", c=made)
    inspected = _scalar(served, "SELECT count(DISTINCT t.enterprise_id) FROM campaign_target t JOIN inspection i "
                                "ON i.enterprise_id = t.enterprise_id AND i.inspected_on BETWEEN :a AND :b "
                                "WHERE t.campaign_id = :c", c=made, a=starts, b=today)
    assert targets == _scalar(served, "SELECT count(*) FROM enterprise WHERE sector = '成品油'") > 0
    assert _scalar(served, "SELECT actor FROM audit_log WHERE entity = 'campaign' AND entity_key = :n", n=name) == USER
    card = page.locator("#safe-campaigns .safe-milestone", has_text=name)
    card.wait_for()
    assert f"已检查对象：{inspected} / {targets}" in card.inner_text()
    assert "进行中" in card.inner_text()


def test_staff_verify_a_public_report_into_a_danger_and_propose_its_reward(planner_page, served):
    from services.accounts.permissions import PUBLIC_VISITOR
    from services.db.uow import unit_of_work
    from services.supervision.reports import ReportInput, submit_report
    with unit_of_work(SETTINGS[served], write=True, principal=PUBLIC_VISITOR) as uow:
        sent = submit_report(uow, ReportInput(description="浏览器测试：加油站夜间无人值守且灭火器缺失",
                                              enterprise_name="某加油站"), sender="198.51.100.7")
    firm = _scalar(served, "SELECT id FROM enterprise WHERE sector = '成品油' ORDER BY id LIMIT 1")
    name = _scalar(served, "SELECT name FROM enterprise WHERE id = :e", e=firm)
    open_before = _scalar(served, "SELECT open_hidden_dangers FROM enterprise WHERE id = :e", e=firm)
    page = planner_page
    page.goto(served + "/supervision?tab=reports")
    page.wait_for_function("(r) => (document.querySelector('#safe-reports')?.innerText || '').includes(r)",
                           arg=sent.reference)
    _pick(page, "safe-report-pick", sent.reference)
    _pick(page, "safe-report-firm", name)
    page.click("#safe-report-verify")
    page.wait_for_function("() => (document.querySelector('#safe-report-message')?.innerText || '').includes('已核实')")
    report = _row(served, "SELECT status, danger_id, verified_by FROM public_report WHERE reference = :r", r=sent.reference)
    assert report[0] == "属实" and report[2] == USER
    assert _row(served, "SELECT source, enterprise_id FROM hidden_danger WHERE id = :d", d=report[1]) == ("群众举报", firm)
    assert _scalar(served, "SELECT open_hidden_dangers FROM enterprise WHERE id = :e", e=firm) == open_before + 1
    _pick(page, "safe-reward-pick", sent.reference)
    page.fill("#safe-reward-amount", "500")
    page.click("#safe-reward-save")
    page.wait_for_function("() => (document.querySelector('#safe-report-message')?.innerText || '').includes('待发放')")
    reward = _row(served, "SELECT reward_status, reward_yuan FROM public_report WHERE reference = :r", r=sent.reference)
    assert reward[0] == "待发放" and float(reward[1]) == 500


def _row(base: str, sql: str, **params):
    from services.db.uow import unit_of_work
    with unit_of_work(SETTINGS[base]) as uow:
        return tuple(uow.session.execute(text(sql), params).one())


def _pick(page, dropdown: str, typed: str) -> None:
    page.locator(f"#{dropdown}").click()
    page.locator(".dash-dropdown-content .dash-dropdown-search").fill(typed)
    page.locator(".dash-dropdown-content").get_by_role("option").filter(has_text=typed).first.click()
    page.keyboard.press("Escape")
    page.wait_for_function("([id, x]) => (document.getElementById(id)?.innerText || '').includes(x)",
                           arg=[dropdown, typed])

"""Accounts in a browser: the admin creates a township user, who signs in, must change the password, and works."""
from __future__ import annotations

import re

import pytest

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def test_admin_creates_a_user_who_signs_in_changes_the_password_and_signs_out(browser, served, tmp_path):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(page, served)
    page.goto(f"{served}/users")
    page.wait_for_selector("#users-new-name")
    page.fill("#users-new-name", "chengdong1")
    page.fill("#users-new-display", "城东值守")
    page.locator("#users-new-role").click()
    page.get_by_role("listbox").get_by_text("乡镇", exact=True).click()
    page.locator("#users-new-township").click()
    page.get_by_role("listbox").get_by_text("城东街道", exact=True).click()
    page.click("#users-add")
    message = page.wait_for_selector("#users-message .import-ok").inner_text()
    password = re.search(r"初始密码：(\S+?)（", message).group(1)
    assert page.locator("#users-tables td", has_text="chengdong1").count() == 1
    page.screenshot(path=str(tmp_path / "users.png"))
    assert "系统管理员" in page.locator(".account-name").inner_text()
    with page.expect_navigation():
        page.click(".sign-out")
    assert "/login" in page.url

    page.fill("#username", "chengdong1")
    page.fill("#password", password)
    with page.expect_navigation():
        page.click("button[type=submit]")
    assert "/account/password" in page.url
    page.fill("#current_password", password)
    page.fill("#new_password", "城东 own password 9")
    page.fill("#new_password_again", "城东 own password 9")
    with page.expect_navigation():
        page.click("button[type=submit]")
    page.wait_for_selector(".account-name", state="attached")  # hidden below 1400 px: the header keeps one line
    assert "城东值守" in page.locator(".account-name").inner_text()
    assert page.locator(".nav-link", has_text="账号").count() == 0  # not an admin
    page.goto(f"{served}/users")
    page.wait_for_selector(".data-page")
    assert "无权查看此页" in page.inner_text(".data-page")
    assert not errors, errors
    context.close()

"""The Dash pages on a phone (390 × 844) and a small tablet (768 × 1024): the header keeps one line, the
navigation folds into a menu that opens, leads to another page and closes again; wide screens keep the bar."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [390, 768])
def test_the_header_keeps_one_line_and_the_menu_reaches_every_page(page, served, width):
    page.set_viewport_size({"width": width, "height": 844})
    page.goto(served + "/duty")
    page.wait_for_selector(".duty-card")
    header = page.locator(".app-header").bounding_box()
    title = page.locator(".app-title").bounding_box()
    assert header["height"] <= 60 and title["height"] < 30, (header, title)  # one line, not a character a line
    assert not page.locator(".nav").is_visible() and page.locator(".nav-menu-button").is_visible()
    page.locator(".nav-menu-button").click()
    links = page.locator(".menu-link")
    assert links.count() >= 6 and links.first.is_visible()
    page.locator(".menu-link", has_text="疏散安置").click()
    page.wait_for_url("**/evacuation**")
    page.wait_for_selector(".evac-check")
    assert not page.locator(".menu-link").first.is_visible()  # the menu closed with the change of page
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width + 1  # nothing wider than the screen
    assert page.recorder.console_errors == []


def test_a_wide_screen_keeps_the_navigation_bar(page, served):
    page.goto(served + "/duty")
    page.wait_for_selector(".duty-card")
    assert page.locator(".nav").is_visible() and not page.locator(".nav-menu").is_visible()

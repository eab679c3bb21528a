"""Every page uses the whole screen at 1920 × 1080 and works on a 1366 × 768 laptop (issue 12, point 5): the content
spans the width, nothing is wider than the screen, no panel with an inner scroll stops short of the bottom, and on
the working pages (一张图, 物资调度, 值班态势) the map and its panels fill the screen's height without going past it.

One page object visits every page at both sizes; the figures measured are in the failure message.
"""
from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.browser

SIZES = ((1920, 1080), (1366, 768))
ANALYSIS_READY = "() => document.querySelectorAll('.an-graph .main-svg').length >= 5"
# name, path, ready (a selector or a function), the row whose children must fill the height, the map's share of the
# width at 1920 (None: no map)
PAGES = (
    ("map", "/", ".qj-marker.qj-hazards", ".map-page", 0.5),
    ("evacuation", "/evacuation", "#evac-check.ok, #evac-check.short", None, 0.5),
    ("supply", "/supply", ".plan-map.leaflet-container", ".plan-body", 0.5),
    ("duty", "/duty", ".duty-card", ".plan-body", 0.5),
    ("analysis", "/analysis", ANALYSIS_READY, None, 0.5),
    ("data", "/data", ".upload-box", None, None),
    ("users", "/users", ".users-page table", None, None),
    ("field", "/m", ".m-tabs", None, 0.45),
)

# What a person sees of a page, in CSS pixels of the viewport scrolled to the top: how far its painted boxes (leaves,
# or boxes with a background or a border) reach left, right and down; which panels scroll inside themselves (not
# nested in another such panel); the maps; how much wider than the screen the page or its scroller is; the boxes of
# the panel row's children.
MEASURE = """(row) => {
  const W = innerWidth, H = innerHeight;
  const root = document.querySelector('#_pages_content') || document.querySelector('main') || document.body;
  const shown = el => { const r = el.getBoundingClientRect(), s = getComputedStyle(el);
    return r.width > 1 && r.height > 1 && s.visibility !== 'hidden'; };
  const painted = el => { const s = getComputedStyle(el);
    return el.children.length === 0 || s.backgroundColor !== 'rgba(0, 0, 0, 0)' || parseFloat(s.borderTopWidth) > 0
      || el.matches('.leaflet-container, svg, canvas, img'); };
  const box = el => { const r = el.getBoundingClientRect();
    return {cls: String(el.className).slice(0, 50), left: Math.round(r.left), top: Math.round(r.top),
            width: Math.round(r.width), height: Math.round(r.height), bottom: Math.round(r.bottom)}; };
  let left = W, right = 0;
  for (const el of root.querySelectorAll('*')) {
    if (el.closest('.leaflet-container > *') || !shown(el) || !painted(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.right <= 0 || r.left >= W) continue;
    left = Math.min(left, r.left); right = Math.max(right, r.right);
  }
  const page = document.querySelector('.app-main') || document.documentElement;
  const scrolls = el => /(auto|scroll)/.test(getComputedStyle(el).overflowY) && el !== page
    && el !== document.documentElement && el !== document.body;
  const scrollers = [...root.querySelectorAll('*')].filter(el => scrolls(el) && shown(el)
      && el.scrollHeight > el.clientHeight + 2 && el.clientHeight >= 120 && !el.closest('.leaflet-container')
      && ![...root.querySelectorAll('*')].some(o => o !== el && o.contains(el) && scrolls(o))).map(box);
  const maps = [...root.querySelectorAll('.leaflet-container')].filter(shown).map(box)
    .sort((a, b) => b.width * b.height - a.width * a.height);
  const panels = row && document.querySelector(row) ? [...document.querySelector(row).children].filter(shown).map(box)
    : null;
  return {W, H, span: Math.round(right - left), left: Math.round(left),
          overflowX: Math.max(document.documentElement.scrollWidth - W, page.scrollWidth - page.clientWidth),
          scrollers, maps, panels};
}"""


def _problems(name: str, m: dict, map_share: float | None, row: str | None) -> list[str]:
    """What is wrong with one page at one size, as sentences."""
    w, h, out = m["W"], m["H"], []
    if m["span"] < 0.95 * w:
        out.append(f"{name} {w}: the content spans {m['span']} px of {w} (under 95 %)")
    if m["overflowX"] > 1:
        out.append(f"{name} {w}: the page is {m['overflowX']} px wider than the screen")
    for s in m["scrollers"]:
        if s["bottom"] < h - 40:
            out.append(f"{name} {w}: the panel {s['cls']!r} scrolls inside itself and stops at {s['bottom']} px, "
                       f"{h - s['bottom']} px above the bottom")
    if map_share is not None and w == 1920 and (not m["maps"] or m["maps"][0]["width"] < map_share * w):
        out.append(f"{name} {w}: the map is {m['maps'][0]['width'] if m['maps'] else 0} px wide "
                   f"(under {map_share:.0%} of {w})")
    if row is not None:
        if not m["panels"]:
            out.append(f"{name} {w}: no panel row {row}")
        for p in m["panels"] or []:
            if not h - 40 <= p["bottom"] <= h + 1:
                out.append(f"{name} {w}: the panel {p['cls']!r} ends at {p['bottom']} px, the screen at {h} px")
        big = m["maps"][0] if m["maps"] else None
        if big is None or big["width"] < 0.45 * w or big["height"] < 0.5 * h or big["bottom"] > h + 1:
            out.append(f"{name} {w}: the map {big} is not visible whole with its panel")
    return out


def test_every_page_uses_the_whole_screen_and_fits_a_laptop(page, served):
    problems, figures = [], []
    for name, path, ready, row, map_share in PAGES:
        for width, height in SIZES:
            page.set_viewport_size({"width": width, "height": height})
            page.goto(served + path)
            if ready.startswith("()"):
                page.wait_for_function(ready, timeout=60_000)
            else:
                page.wait_for_selector(ready, timeout=60_000)
            page.wait_for_timeout(300)  # the maps size themselves once their container has its size
            m = page.evaluate(MEASURE, row)
            figures.append(f"{name} {width}: " + json.dumps(m, ensure_ascii=False))
            problems += _problems(name, m, map_share, row)
    assert problems == [], "\n".join(problems + ["", *figures])
    assert page.recorder.console_errors == []

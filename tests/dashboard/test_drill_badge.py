"""A drill's server says 演练 on every page (the header's badge, in both languages); the live system does not."""
from __future__ import annotations

import dataclasses

from dashboard.app import create_app
from dashboard.components.shell import header


def _texts(node) -> list[tuple[str, str]]:
    found, stack = [], [node]
    while stack:
        item = stack.pop()
        if isinstance(item, (list, tuple)):
            stack.extend(item)
            continue
        if getattr(item, "className", None) in ("drill-badge", "sample-badge"):
            found.append((item.className, item.children))
        children = getattr(item, "children", None)
        if children is not None and not isinstance(children, str):
            stack.append(children)
    return sorted(found)


def test_a_drill_says_so_in_the_header(seeded):
    drill = dataclasses.replace(seeded, drill="storm_0702")
    app = create_app(drill)
    with app.server.test_request_context("/"):
        assert _texts(header(drill, "/", "zh", sample=True)) == [("drill-badge", "演练 · storm_0702"),
                                                                   ("sample-badge", "示例数据")]
        assert _texts(header(drill, "/", "en", sample=False)) == [("drill-badge", "Drill · storm_0702")]
        assert _texts(header(seeded, "/", "zh", sample=False)) == []


def test_a_drill_says_so_on_its_sign_in_page(seeded):
    drill = dataclasses.replace(seeded, drill="storm_0702")
    page = create_app(drill).server.test_client().get("/login").get_data(as_text=True)
    assert "演练 · storm_0702" in page
    assert "演练" not in create_app(seeded).server.test_client().get("/login").get_data(as_text=True)


def test_a_drill_s_documents_say_so_in_their_title(seeded):
    """The map's HTML export, an analysis report's title, a 熔断 order's and a plan's print: 【演练】 first."""
    from services.text import drill_marked
    from tests.conftest import signed_in
    drill = dataclasses.replace(seeded, drill="storm_0702")
    assert drill_marked("黔江区应急一张图", drill) == "【演练】黔江区应急一张图"
    assert drill_marked("Map", drill, "en") == "[DRILL] Map" and drill_marked("Map", seeded, "en") == "Map"
    page = signed_in(create_app(drill).server.test_client(), drill).get("/api/v1/export/map.html")
    assert page.status_code == 200 and "【演练】" in page.get_data(as_text=True)
    live = signed_in(create_app(seeded).server.test_client(), seeded).get("/api/v1/export/map.html")
    assert "【演练】" not in live.get_data(as_text=True)

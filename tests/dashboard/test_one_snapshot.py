"""A page's figures come from one unit of work per callback (one snapshot), counted at the session factory."""
from __future__ import annotations

import importlib
from types import SimpleNamespace

import pytest

from dashboard.app import create_app


@pytest.fixture
def sessions(monkeypatch):
    """Every session opened from now on, by a unit of work or by any older helper of services/db/engine.py."""
    from services.db import engine, uow
    opened: dict[str, list[bool]] = {"units": [], "all": []}
    real = engine.new_session

    def counted(kind):
        def new_session(url, *, write=True):
            opened[kind].append(write)
            if kind == "units":
                opened["all"].append(write)
            return real(url, write=write)
        return new_session

    monkeypatch.setattr(engine, "new_session", counted("all"))
    monkeypatch.setattr(uow, "new_session", counted("units"))
    return opened


def _page(name: str):
    """The page module as Dash loaded it (importing it under another name would register the page twice)."""
    import dash
    return importlib.import_module(next(p["module"] for p in dash.page_registry.values()
                                        if p["module"].rsplit(".", 1)[-1] == name))


def test_the_evacuation_figures_come_from_one_snapshot(seeded, sessions, monkeypatch):
    app = create_app(seeded)
    page = _page("evacuation")
    monkeypatch.setattr(page, "ctx", SimpleNamespace(triggered_id=None))
    with app.server.app_context():
        figures = page._refresh([], None, None, 0, None, None, "zh")
    assert len(figures) == 10  # capacity, 五有 coverage and tables: one reading unit, no other session
    assert sessions == {"units": [False], "all": [False]}


def test_the_map_counts_follow_the_filters_from_one_snapshot(seeded, sessions):
    app = create_app(seeded)
    page = _page("map")
    with app.server.app_context():
        outputs = page._filter(None, *([None] * len(page._FILTER_KEYS)), "zh")
    assert len(outputs) == 2 * len(page._LAYERS) + 1 and sessions == {"units": [False], "all": [False]}


def test_a_supply_plan_reads_in_one_unit_and_solves_after_it_closed(seeded, sessions, monkeypatch):
    from services.db import get_engine
    from services.supply import routes
    app = create_app(seeded)
    page = _page("supply")
    real, held = routes.solve_deliveries, []
    monkeypatch.setattr(routes, "solve_deliveries",
                        lambda problem, s, **options: held.append(get_engine(seeded.database_url).pool.checkedout())
                        or real(problem, s, **options))
    with app.server.app_context():
        _map, _result, stored = page._run(1, [], [], [], 1, 1, [], None, "zh")
    assert stored["totals"] and held and set(held) == {0}  # no connection held while PyVRP runs (either wave)
    assert sessions == {"units": [False], "all": [False]}  # the road graph's closures read in the same unit

"""The layering rules, read from the source: data flows web layer → services → database; geo/ is pure.

- geo/ imports neither services nor the web layer, nor Flask, Dash or SQLAlchemy;
- services/ imports no Dash, no Flask and nothing of dashboard/;
- dashboard/api/ (the JSON API) does not need Dash: a township app or a CAP feed can run without the pages;
- services of the packages converted to the unit of work open no session of their own;
- no module outside migrations and generators is longer than about 400 lines.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from config import ROOT

FORBIDDEN = {
    "geo": ("services", "dashboard", "flask", "dash", "dash_leaflet", "sqlalchemy", "geoalchemy2", "config"),
    "services": ("dashboard", "flask", "dash", "dash_leaflet", "werkzeug"),
    "dashboard/api": ("dash", "dash_leaflet", "dashboard.pages", "dashboard.components"),
}
# werkzeug's password hashing (scrypt) is not web code: services/accounts may use it.
ALLOWED = {"services": ("werkzeug.security",)}
LONG_FILE_EXEMPT = ("services/db/migrations/", "data/generate_")
MAX_LINES = 420


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _sources(folder: str) -> list[Path]:
    return sorted(p for p in (ROOT / folder).rglob("*.py") if "migrations" not in p.parts)


@pytest.mark.parametrize("folder", list(FORBIDDEN))
def test_layers_import_only_what_they_may(folder):
    offences = []
    for path in _sources(folder):
        for name in _imports(path):
            if name in ALLOWED.get(folder, ()):
                continue
            if any(name == bad or name.startswith(bad + ".") for bad in FORBIDDEN[folder]):
                offences.append(f"{path.relative_to(ROOT)} imports {name}")
    assert not offences, "\n".join(offences)


def test_the_rule_catches_an_offence(tmp_path):
    sample = tmp_path / "x.py"
    sample.write_text("import flask\nfrom dash import html\nfrom services.db import audit\n", encoding="utf-8")
    assert {"flask", "dash", "services.db"} <= _imports(sample)


def test_no_module_is_a_maze():
    long = []
    for folder in ("app.py", "config.py", "geo", "services", "dashboard", "bench"):
        paths = [ROOT / folder] if folder.endswith(".py") else sorted((ROOT / folder).rglob("*.py"))
        for path in paths:
            relative = str(path.relative_to(ROOT))
            lines = len(path.read_text(encoding="utf-8").splitlines())
            if lines > MAX_LINES and not relative.startswith(LONG_FILE_EXEMPT):
                long.append(f"{relative}: {lines} lines")
    assert not long, "\n".join(long)


# Packages whose services take the caller's unit of work (issue #9); others join as they are converted.
UNIT_OF_WORK_PACKAGES = ("services/roads", "services/data")
SESSION_OPENERS = {"new_session", "read_session", "transaction", "unit_of_work", "sessionmaker", "get_engine"}
MAY_OPEN_UNITS = {
    "services/data/seed.py": "setup_database runs each seeding step in a unit of its own",
    "services/roads/network.py": "TRANSITIONAL: callers in evacuation/supply/dispatch that still pass Settings",
}


def _imported_names(path: Path) -> set[str]:
    return {alias.name for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.ImportFrom) for alias in node.names}


@pytest.mark.parametrize("folder", UNIT_OF_WORK_PACKAGES)
def test_services_open_no_session_of_their_own(folder):
    offences = []
    for path in _sources(folder):
        relative = str(path.relative_to(ROOT))
        opened = _imported_names(path) & SESSION_OPENERS
        if opened and relative not in MAY_OPEN_UNITS:
            offences.append(f"{relative} imports {', '.join(sorted(opened))}")
    assert not offences, "\n".join(offences)

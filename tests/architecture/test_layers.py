"""The layering rules, read from the source: data flows web layer → services → database; geo/ is pure.

- geo/ imports neither services nor the web layer, nor Flask, Dash or SQLAlchemy;
- services/ imports no Dash, no Flask and nothing of dashboard/;
- dashboard/api/ (the JSON API) does not need Dash: a township app or a CAP feed can run without the pages;
- services open no session of their own: only services/db/ imports or calls unit_of_work, read_session,
  transaction, new_session, sessionmaker or get_engine (the edge opens a unit of work and passes it in);
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


SESSION_OPENERS = ("new_session", "read_session", "transaction", "unit_of_work", "sessionmaker", "get_engine")
SESSION_EXEMPT = ("services/db/",)  # the unit of work itself
MAY_OPEN_UNITS = {
    "services/data/seed.py": "setup_database is an entry point: schema upgrade, then each seeding step in a unit "
                             "of its own under a cross-process lock",
}


def _session_openers(path: Path) -> list[str]:
    """Where ``path`` imports or calls a session opener (by name, or as ``db.<opener>`` / ``engine.<opener>``)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            found += [f"{node.lineno}: imports {a.name}" for a in node.names if a.name in SESSION_OPENERS]
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else None
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and \
                    func.value.id in ("db", "engine", "uow"):
                name = func.attr
            if name in SESSION_OPENERS:
                found.append(f"{node.lineno}: calls {name}()")
    return found


def test_services_open_no_session_of_their_own():
    offences = []
    for path in _sources("services"):
        relative = str(path.relative_to(ROOT))
        if not relative.startswith(SESSION_EXEMPT) and relative not in MAY_OPEN_UNITS:
            offences += [f"{relative}:{where}" for where in _session_openers(path)]
    assert not offences, "\n".join(offences)


def test_the_session_rule_catches_an_offence_and_exempts_no_converted_package(tmp_path):
    sample = tmp_path / "x.py"
    sample.write_text("from services.db import read_session\nfrom services.db.engine import transaction\n"
                      "from services import db\nwith db.new_session(url) as s: pass\nwith transaction(url): pass\n"
                      "def f(settings):\n    from services.db.uow import unit_of_work\n", encoding="utf-8")
    assert len(_session_openers(sample)) == 5
    for package in ("services/map/", "services/evacuation/", "services/supply/", "services/roads/",
                    "services/data/", "services/dispatch/"):
        assert not package.startswith(SESSION_EXEMPT)
        assert list((ROOT / package).glob("*.py")), package  # the rule sees the package
    assert set(MAY_OPEN_UNITS) == {"services/data/seed.py"}

"""The partial plotly.js bundle holds every trace the app draws, and it is what dcc.Graph loads."""
from __future__ import annotations

import gzip
import re
from pathlib import Path

import plotly.graph_objects as go
import pytest

from dashboard.app import PLOTLY_BUNDLE, create_app
from tests.conftest import make_settings

ROOT = Path(__file__).resolve().parents[2]
ENTRY = PLOTLY_BUNDLE.parent / "build" / "entry.js"


def _registered() -> set[str]:
    return ({"scatter"} | set(re.findall(r"require\('plotly\.js/lib/([a-z0-9]+)'\)", ENTRY.read_text()))) - {"core"}


def _used() -> set[str]:
    names = set()
    for folder in ("dashboard", "services"):
        for path in (ROOT / folder).rglob("*.py"):
            names |= set(re.findall(r"\bgo\.([A-Z][A-Za-z0-9]+)\(", path.read_text(encoding="utf-8")))
    return {getattr(go, name)().type for name in names - {"Figure"}}


def test_every_trace_the_code_builds_is_in_the_bundle():
    used = _used()
    assert {"bar", "treemap", "indicator", "scatter"} <= used  # the scan finds what the pages draw
    assert used <= _registered(), used - _registered()


def test_the_bundle_registers_those_traces():
    modules = set(re.findall(r'moduleType:"trace",name:"([a-z0-9]+)"', PLOTLY_BUNDLE.read_text(encoding="utf-8")))
    assert modules == _registered()  # exactly these: a partial bundle (the full one has 47 trace modules)


@pytest.fixture
def app(tmp_path):
    return create_app(make_settings("sqlite", tmp_path))  # no database is touched


def test_dcc_graph_gets_the_partial_bundle(app):
    client = app.server.test_client()
    answer = client.get("/_dash-component-suites/plotly/package_data/plotly.min.js",
                        headers={"Accept-Encoding": "gzip"})
    assert answer.status_code == 200 and answer.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(answer.data) == PLOTLY_BUNDLE.read_bytes()
    again = client.get("/_dash-component-suites/plotly/package_data/plotly.min.js",
                       headers={"If-None-Match": answer.headers["ETag"]})
    assert again.status_code == 304
    plain = client.get("/_dash-component-suites/plotly/package_data/plotly.min.js")
    assert plain.data == PLOTLY_BUNDLE.read_bytes() and "Content-Encoding" not in plain.headers

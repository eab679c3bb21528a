"""The map's search: every state of the box (empty, None, blanks, unknown), townships by name, pinyin and code."""
from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from services.map.layers import township_outline
from services.map.search import search_features, search_townships
from tests.conftest import call_as, principal_for, read

ZHUOSHUI = "500114112"


def _sql(settings, query: str, **params) -> list:
    engine = create_engine(settings.database_url)
    try:
        with engine.connect() as c:
            return c.execute(text(query), params).all()
    finally:
        engine.dispose()


@pytest.mark.parametrize("box", [None, "", "   ", "\t\n", "%", "_", "没有这个名字xyz"])
def test_empty_blank_and_unknown_text_find_nothing_without_an_error(seeded, box):
    assert read(seeded, search_features, box) == []


@pytest.mark.parametrize("box", ["zhuoshui", "ZHUOSHUI", " Zhuoshui ", "濯水镇", ZHUOSHUI])
def test_a_township_is_found_by_name_pinyin_in_any_case_or_code_first(seeded, box):
    hits = read(seeded, search_features, box)
    assert hits and hits[0].layer == "townships" and hits[0].name == "濯水镇"
    assert str(hits[0].id) == ZHUOSHUI and hits[0].name_en == "Zhuoshui Town"


def test_pinyin_finds_every_township_whose_english_name_holds_it(seeded):
    expected = {code for code, in _sql(seeded, "SELECT code FROM township WHERE lower(name_en) LIKE '%cheng%'")}
    assert len(expected) > 1
    assert {str(h.id) for h in read(seeded, search_townships, "Cheng")} == expected


def test_features_of_a_township_are_found_by_its_pinyin(seeded):
    (n,), = _sql(seeded, "SELECT count(*) FROM shelter WHERE township_code = :c", c=ZHUOSHUI)
    hits = read(seeded, search_features, "zhuoshui", limit=1000)
    shelters = [h for h in hits if h.layer == "shelters"]
    assert n > 0 and len(shelters) == n and {h.township_name for h in shelters} == {"濯水镇"}


def test_township_staff_find_only_their_own_township(seeded):
    staff = principal_for(seeded, "township", ZHUOSHUI)
    assert [h.name for h in call_as(seeded, staff, search_townships, "town", write=False)] == ["濯水镇"]


def test_a_township_outline_has_its_bounds(seeded):
    outline = read(seeded, township_outline, ZHUOSHUI)
    (lon, lat), = _sql(seeded, "SELECT seat_lon, seat_lat FROM township WHERE code = :c", c=ZHUOSHUI)
    minlon, minlat, maxlon, maxlat = outline.bounds
    assert minlon < lon < maxlon and minlat < lat < maxlat and outline.feature["geometry"]["type"] == "MultiPolygon"
    assert read(seeded, township_outline, "nope") is None and read(seeded, township_outline, None) is None

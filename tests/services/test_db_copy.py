"""A drill's copy of the database (services/db/copy.py): every table's rows equal the source's (counted by SQL on
both), geometries and times come across unchanged, new rows in the copy get fresh ids, and writing to the copy
leaves the source as it was."""
from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import func, inspect, select, text

from services.db import get_engine
from services.db.copy import DEFAULT_SKIP, copy_database, drill_database_url
from services.db.engine import Base
from services.models import HazardPoint, Township, Warning
from services.dispatch.warnings import WarningRequest, issue_warning
from tests.conftest import _drop_postgres_database, call


def _counts(url: str) -> dict[str, int]:
    engine = get_engine(url)
    with engine.connect() as conn:
        return {t.name: conn.execute(text(f'SELECT count(*) FROM "{t.name}"')).scalar()
                for t in Base.metadata.sorted_tables if inspect(engine).has_table(t.name)}


@pytest.fixture
def copied(seeded, tmp_path):
    url = drill_database_url(seeded.database_url, "t" + tmp_path.name[-8:].lower().replace("-", "_"), tmp_path)
    report = copy_database(seeded.database_url, url)
    yield seeded, dataclasses.replace(seeded, database_url=url, instance_dir=tmp_path), report
    if url.startswith("postgresql"):
        _drop_postgres_database(url)
    else:
        get_engine(url).dispose()


def test_the_copy_has_every_row_of_the_source(copied):
    source, copy, report = copied
    before, after = _counts(source.database_url), _counts(copy.database_url)
    expected = {name: (0 if name in DEFAULT_SKIP else n) for name, n in before.items() if name != "alembic_version"}
    assert {name: n for name, n in after.items() if name != "alembic_version"} == expected
    assert sum(report.rows.values()) == sum(expected.values()) and before["hazard_point"] == 300
    with get_engine(source.database_url).connect() as a, get_engine(copy.database_url).connect() as b:
        query = select(Township.code, Township.geom).order_by(Township.code)
        assert [(c, g.wkt) for c, g in a.execute(query)] == [(c, g.wkt) for c, g in b.execute(query)]
        query = select(HazardPoint.code, HazardPoint.lon, HazardPoint.lat, HazardPoint.warning_level)
        assert sorted(a.execute(query).all()) == sorted(b.execute(query).all())


def test_writing_to_the_copy_leaves_the_source_alone(copied):
    source, copy, _ = copied
    warnings_before = _counts(source.database_url)["warning"]
    hazard = call(copy, lambda uow: uow.session.scalar(select(HazardPoint.id).order_by(HazardPoint.id)))
    first = call(copy, issue_warning, WarningRequest(level="黄", hazard_type="地质灾害", headline="演练",
                                                     hazard_ids=[hazard]), actor="drill")
    second = call(copy, issue_warning, WarningRequest(level="蓝", hazard_type="地质灾害", headline="演练",
                                                      hazard_ids=[hazard]), actor="drill")
    assert second == first + 1  # the copy's ids continue after the copied rows (PostgreSQL: sequences reset)
    assert _counts(source.database_url)["warning"] == warnings_before
    with get_engine(source.database_url).connect() as conn:
        assert conn.execute(select(func.count()).select_from(Warning).where(Warning.headline == "演练")).scalar() == 0


def test_drill_names_are_checked(tmp_path):
    with pytest.raises(ValueError):
        drill_database_url("sqlite:///x.sqlite3", "Bad Name; DROP", tmp_path)
    assert drill_database_url("postgresql+psycopg://postgres@127.0.0.1:5432/live", "storm_1", tmp_path) \
        == "postgresql+psycopg://postgres@127.0.0.1:5432/live_drill_storm_1"

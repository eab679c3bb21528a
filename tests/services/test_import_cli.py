"""`python app.py import` on a checkout without a database, or with a missing file: a clear message, exit 2."""
from __future__ import annotations

import pytest

import app
from tests.conftest import _drop_postgres_database, _new_postgres_database, _postgis_available, csv_for, require
from tests.services.test_imports import enterprise_row

NO_SCHEMA = "数据库尚未建立，请先运行 python app.py init-db / the database has no schema yet: run python app.py init-db"


def run(monkeypatch, capsys, argv: list[str], instance, database_url: str | None = None) -> tuple[int, str]:
    monkeypatch.setenv("QJ_INSTANCE_DIR", str(instance))
    if database_url:
        monkeypatch.setenv("DATABASE_URL", database_url)
    else:
        monkeypatch.delenv("DATABASE_URL", raising=False)
    code = app.main(argv)
    out = capsys.readouterr()
    assert "Traceback" not in out.err + out.out
    return code, out.err


@pytest.fixture
def sample_file(tmp_path):
    path = tmp_path / "企业.csv"
    path.write_bytes(csv_for("enterprises", [enterprise_row(1)]))
    return path


@pytest.mark.parametrize("instance_exists", [True, False])
def test_import_into_a_fresh_instance_dir_asks_for_init_db(monkeypatch, capsys, tmp_path, sample_file,
                                                          instance_exists):
    instance = tmp_path / "instance"
    if instance_exists:
        instance.mkdir()
    code, err = run(monkeypatch, capsys, ["import", "enterprises", str(sample_file)], instance)
    assert code == 2 and NO_SCHEMA in err
    assert not (instance / "qianjiang.sqlite3").exists()  # no empty database file left behind


def test_import_into_an_empty_postgres_database_asks_for_init_db(monkeypatch, capsys, tmp_path, sample_file):
    available, reason = _postgis_available()
    require(available, reason)
    url = _new_postgres_database()
    try:
        code, err = run(monkeypatch, capsys, ["import", "enterprises", str(sample_file)], tmp_path, url)
    finally:
        _drop_postgres_database(url)
    assert code == 2 and NO_SCHEMA in err


def test_a_missing_file_is_named_and_a_good_one_imports(monkeypatch, capsys, fresh, sample_file):
    missing = fresh.instance_dir / "nothing.csv"
    code, err = run(monkeypatch, capsys, ["import", "enterprises", str(missing)], fresh.instance_dir,
                    fresh.database_url)
    assert code == 2 and f"找不到文件“{missing}” / no such file: {missing}" in err
    code, _err = run(monkeypatch, capsys, ["import", "enterprises", str(sample_file)], fresh.instance_dir,
                     fresh.database_url)
    assert code == 0

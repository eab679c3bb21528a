"""Shared fixtures: settings for SQLite and PostGIS databases, seeded once per session or fresh per test.

PostGIS tests use the server at $QJ_TEST_POSTGRES_ADMIN_URL (default: local trust auth, database
``test``) and create their own databases. With QJ_STRICT=1 (CI) a missing PostGIS or browser is a
failure, not a skip.
"""
from __future__ import annotations

import dataclasses
import os
import uuid

import pytest
from sqlalchemy import create_engine, text

from config import Settings, load_settings
from services.data.seed import setup_database
from services.db import get_engine

ADMIN_URL = os.environ.get("QJ_TEST_POSTGRES_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
STRICT = os.environ.get("QJ_STRICT") == "1"
BACKENDS = ("sqlite", "postgis")


def pytest_collection_modifyitems(items) -> None:
    """Under pytest-xdist (``make test``, ``--dist loadgroup``) a module's tests run on one worker in their order
    (module fixtures are set up once, and some tests read what an earlier one wrote), and the browser tests all on one,
    one after another: they share a served app and a chromium, and two browsers on two cores only slow each other."""
    for item in items:
        group = "browser" if item.get_closest_marker("browser") else item.nodeid.split("::", 1)[0]
        item.add_marker(pytest.mark.xdist_group(group))


def require(condition: bool, reason: str) -> None:
    """Skip the test when ``condition`` is false; in strict mode (CI) fail instead."""
    if condition:
        return
    if STRICT:
        pytest.fail(f"required test dependency missing (QJ_STRICT=1): {reason}")
    pytest.skip(reason)


def _postgis_available() -> tuple[bool, str]:
    try:
        engine = create_engine(ADMIN_URL)
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
            ok = conn.execute(text("SELECT count(*) FROM pg_available_extensions WHERE name='postgis'")).scalar()
        engine.dispose()
    except Exception as exc:  # noqa: BLE001 — any failure to reach the server means "not available"
        return False, f"PostgreSQL not reachable at {ADMIN_URL}: {type(exc).__name__}"
    return (bool(ok), "PostGIS extension not installed") if not ok else (True, "")


def _new_postgres_database() -> str:
    name = f"qj_test_{uuid.uuid4().hex[:10]}"
    engine = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


def _drop_postgres_database(url: str) -> None:
    get_engine(url).dispose()
    name = url.rsplit("/", 1)[1]
    engine = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


def make_settings(backend: str, tmp_path) -> Settings:
    """Settings pointing at a new, empty database of ``backend``."""
    base = load_settings()
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'qj.sqlite3'}"
    else:
        available, reason = _postgis_available()
        require(available, reason)
        url = _new_postgres_database()
    return dataclasses.replace(base, database_url=url, instance_dir=tmp_path)


_TEMPLATES: dict[tuple[str, bool], str] = {}  # (backend, with_sample) -> URL of a database set up once, to copy


def _template(backend: str, with_sample: bool, tmp_path_factory) -> str:
    """The URL of a database that ``setup_database`` has prepared once this session (migrated, geography,
    catalogue, and the sample when asked): new test databases are copies of it, not a fresh setup each."""
    key = (backend, with_sample)
    if key not in _TEMPLATES:
        settings = make_settings(backend, tmp_path_factory.mktemp(f"template-{backend}-{int(with_sample)}"))
        setup_database(settings, with_sample=with_sample)
        get_engine(settings.database_url).dispose()  # a PostgreSQL template may have no open connection
        _TEMPLATES[key] = settings.database_url
    return _TEMPLATES[key]


def prepared(backend: str, tmp_path, tmp_path_factory, *, with_sample: bool) -> Settings:
    """Settings for a new database of ``backend`` as ``setup_database(with_sample=...)`` leaves it, copied from the
    session's template (CREATE DATABASE ... TEMPLATE on PostgreSQL, SQLite's backup API): the same schema and rows,
    in a fraction of the time. Tests may write to it."""
    source = _template(backend, with_sample, tmp_path_factory)
    base = load_settings()
    if backend == "sqlite":
        import sqlite3
        target = tmp_path / "qj.sqlite3"
        with sqlite3.connect(source.removeprefix("sqlite:///")) as src, sqlite3.connect(target) as dst:
            src.backup(dst)
        url = f"sqlite:///{target}"
    else:
        name = f"qj_test_{uuid.uuid4().hex[:10]}"
        engine = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{source.rsplit("/", 1)[1]}"'))
        engine.dispose()
        url = ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    return dataclasses.replace(base, database_url=url, instance_dir=tmp_path)


@pytest.fixture(scope="session", autouse=True)
def _drop_templates():
    yield
    for url in _TEMPLATES.values():
        if url.startswith("postgresql"):
            _drop_postgres_database(url)
    _TEMPLATES.clear()


def _cleanup(settings: Settings) -> None:
    if settings.database_kind == "postgresql":
        _drop_postgres_database(settings.database_url)
    else:
        get_engine(settings.database_url).dispose()


@pytest.fixture(scope="session", params=BACKENDS)
def seeded(request, tmp_path_factory) -> Settings:
    """A database with geography, catalogue and the full sample; read-only for tests."""
    settings = prepared(request.param, tmp_path_factory.mktemp(f"seeded-{request.param}"), tmp_path_factory,
                        with_sample=True)
    yield settings
    _cleanup(settings)


@pytest.fixture(params=BACKENDS)
def fresh(request, tmp_path, tmp_path_factory) -> Settings:
    """A database with geography and catalogue but no sample; tests may write to it."""
    settings = prepared(request.param, tmp_path, tmp_path_factory, with_sample=False)
    yield settings
    _cleanup(settings)


def csv_for(entity: str, rows: list[dict]) -> bytes:
    """An import file of ``entity`` (UTF-8 CSV with the Chinese headers); missing cells are empty."""
    import csv
    import io

    from services.data.specs import IMPORTABLE
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=IMPORTABLE[entity].headers, restval="")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def shanghai_today():
    """Today on the calendar of Asia/Shanghai (the default QJ_TIMEZONE), which deadlines are judged on: from 16:00
    UTC it is a day ahead of the machine's UTC date."""
    from services.clock import now_utc, zone
    return now_utc().astimezone(zone("Asia/Shanghai")).date()


def call(settings: Settings, service, *args, actor: str = "test", write: bool = True, **kwargs):
    """Run one service in its own unit of work, as an API handler would (committed when it returns)."""
    from services.db.uow import unit_of_work
    with unit_of_work(settings, write=write, actor=actor) as uow:
        return service(uow, *args, **kwargs)


def read(settings: Settings, service, *args, **kwargs):
    """Run one reading service in its own reading unit of work (one snapshot, rolled back at the end)."""
    return call(settings, service, *args, write=False, **kwargs)


_TOKENS: dict[tuple, str] = {}
TEST_PASSWORD = "test password 1"


def account(settings: Settings, role: str = "admin", township: str | None = None) -> str:
    """The user name of a test account of ``role`` (and township) in ``settings``' database, made once."""
    from sqlalchemy import func, select

    from services.accounts.users import create_user
    from services.db.uow import unit_of_work
    from services.models.accounts import UserAccount
    from services.models import Enterprise
    name = f"t-{role}-{township or 'all'}"
    with unit_of_work(settings, write=True) as uow:
        if uow.session.scalar(select(UserAccount.id).where(UserAccount.username == name)) is None:
            # an enterprise's account speaks for the first enterprise of the database
            firm = uow.session.scalar(select(func.min(Enterprise.id))) if role == "enterprise" else None
            create_user(uow, name, role=role, password=TEST_PASSWORD, township_code=township,
                        must_change_password=False, enterprise=firm)
    return name


def token_for(settings: Settings, role: str = "admin", township: str | None = None) -> str:
    """A bearer token of the test account of ``role`` (made once per database)."""
    key = (settings.database_url, role, township)
    if key not in _TOKENS:
        from services.accounts.tokens import issue_token
        from services.db.uow import unit_of_work
        name = account(settings, role, township)
        with unit_of_work(settings, write=True) as uow:
            _TOKENS[key] = issue_token(uow, name, "tests")[0]
    return _TOKENS[key]


def signed_in(client, settings: Settings, role: str = "admin", township: str | None = None):
    """``client`` (a Flask test client) sending the bearer token of a test account on every request."""
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token_for(settings, role, township)}"
    return client


def principal_for(settings: Settings, role: str = "admin", township: str | None = None):
    """The Principal of the test account of ``role`` (and township), for ``unit_of_work(..., principal=)``."""
    from sqlalchemy import select

    from services.accounts.permissions import Principal
    from services.db.uow import unit_of_work
    from services.models.accounts import UserAccount
    name = account(settings, role, township)
    with unit_of_work(settings) as uow:
        user = uow.session.scalar(select(UserAccount).where(UserAccount.username == name))
        return Principal(user.id, user.username, user.display_name, user.role, user.township_code,
                         enterprise_id=user.enterprise_id)


def call_as(settings: Settings, principal, service, *args, write: bool = True, **kwargs):
    """``call`` with the unit of work acting as ``principal`` (what a request signed in as them would do)."""
    from services.db.uow import unit_of_work
    with unit_of_work(settings, write=write, principal=principal) as uow:
        return service(uow, *args, **kwargs)

"""The enterprise dropdown of 安全监管 searches on the server: the page carries the first names only, a typed
search finds any enterprise by name or credit code, township staff find their own township's only."""
from __future__ import annotations

from sqlalchemy import text

from dashboard.components.enterprise_picker import SHOWN, enterprise_options
from services.db.uow import unit_of_work
from tests.conftest import principal_for


def _one(settings, sql: str):
    with unit_of_work(settings) as uow:
        return uow.session.execute(text(sql)).first()


def test_the_page_carries_a_few_names_and_a_search_finds_any(seeded):
    total = _one(seeded, "SELECT count(*) FROM enterprise")[0]
    assert total > SHOWN
    last_id, last_name, code, town = _one(seeded, "SELECT id, name, credit_code, township_code FROM enterprise "
                                                  "ORDER BY name DESC, id DESC LIMIT 1")
    with unit_of_work(seeded) as uow:
        first = enterprise_options(uow)
        assert len(first) == SHOWN and last_id not in {o["value"] for o in first}
        assert enterprise_options(uow, chosen=last_id)[0] == {"label": last_name, "value": last_id}
        assert last_id in {o["value"] for o in enterprise_options(uow, last_name[-4:])}
        assert last_id in {o["value"] for o in enterprise_options(uow, code.lower())}  # by its credit code
        assert enterprise_options(uow, "没有这个名字的企业%") == []
    other = _one(seeded, f"SELECT code FROM township WHERE code <> '{town}' ORDER BY code LIMIT 1")[0]
    with unit_of_work(seeded, principal=principal_for(seeded, "township", other)) as uow:
        assert enterprise_options(uow, last_name) == []
        assert last_id not in {o["value"] for o in enterprise_options(uow, chosen=last_id)}  # not even when named

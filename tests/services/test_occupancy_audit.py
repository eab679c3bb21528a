"""Head counts set at once by several clients: the audit trail names what each write really replaced.

The audit row of an occupancy change records ``from`` and ``to``. If ``from`` were read without locking the row,
two clients could read the same value and the trail would show two changes from it, one of them false.
Checked against the audit rows themselves in commit order: each change starts where the previous one ended.
"""
from __future__ import annotations

import json

from sqlalchemy import select

from services.db import read_session
from services.models import AuditLog
from tests.conftest import call
from tests.services.test_concurrency import race, scalar, shelter_and_hazard  # noqa: F401 — the fixture


def test_concurrent_head_counts_leave_an_unbroken_audit_chain(shelter_and_hazard):  # noqa: F811 — the fixture
    from services.evacuation.moves import update_occupancy
    settings = shelter_and_hazard
    shelter_id = scalar(settings, "SELECT id FROM shelter WHERE code = 'S1'")

    def set_counts(i: int) -> int:
        for k in range(4):
            call(settings, update_occupancy, shelter_id, 1 + i * 4 + k, actor=f"t{i}")
        return i

    race(6, set_counts)
    with read_session(settings.database_url) as session:
        rows = session.scalars(select(AuditLog).where(AuditLog.entity == "shelter_occupancy")
                               .order_by(AuditLog.change_seq)).all()
        details = [json.loads(r.detail) for r in rows]
    assert len(details) == 24
    assert details[0]["from"] == 0
    for previous, current in zip(details, details[1:]):
        assert current["from"] == previous["to"], details
    assert scalar(settings, "SELECT occupancy_people FROM shelter WHERE id = :i", i=shelter_id) == details[-1]["to"]

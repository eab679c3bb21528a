"""The audit view reads as sentences in both languages, built from each row's action, entity, key and detail."""
from __future__ import annotations

import re

from services.accounts.users import create_user
from services.data.audit_log import audit_entries
from services.db import audit
from services.db.uow import unit_of_work
from dashboard.components.audit_view import audit_sentence

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def _entries(settings, rows: list[dict]):
    with unit_of_work(settings, write=True, actor="admin") as uow:
        create_user(uow, "zhangsan", role="duty", password="a password 12", display_name="张三",
                    must_change_password=False)
        for row in rows:  # as the services write them (services/roads/closures.py, services/dispatch/incidents.py)
            audit.record(uow.session, actor="zhangsan", **row)
    with unit_of_work(settings) as uow:
        return audit_entries(uow, limit=len(rows))[::-1]


def test_a_closure_and_an_incident_step_read_as_sentences_in_both_languages(fresh):
    block, step, other, cut = _entries(fresh, [
        dict(action="block", entity="road", entity_key="7", detail={"kind": "segment", "reason": "塌方"}),
        dict(action="update", entity="incident", entity_key="3", detail={"from": "接报", "to": "核实"}),
        dict(action="frobnicate", entity="widget", entity_key="9"),
        dict(action="issue", entity="warning", entity_key="5"),  # a row without the detail its sentence needs
    ])
    assert audit_sentence(block, "12:03", "zh") == "张三 于 12:03 封闭了道路（封闭 #7，原因：塌方）"
    assert audit_sentence(block, "12:03", "en") == "张三 closed a road at 12:03 (closure #7, reason: 塌方)"
    assert audit_sentence(step, "12:05", "zh") == "张三 于 12:05 将事件 #3 由“接报”改为“核实”"
    assert audit_sentence(step, "12:05", "en") == "张三 moved incident #3 from Reported to Verified at 12:05"
    assert audit_sentence(other, "12:06", "en") == "张三 at 12:06: frobnicate widget 9"
    assert audit_sentence(cut, "12:07", "en") == "张三 at 12:07: issue warning 5"


def test_every_row_setup_writes_reads_in_english_without_chinese(fresh):
    with unit_of_work(fresh) as uow:
        entries = audit_entries(uow, limit=50)
    assert {e.entity for e in entries} >= {"geography", "supply_catalogue"}
    sentences = [audit_sentence(e, "12:03", "en") for e in entries]
    assert all(s.startswith("Setup ") and not CJK.search(s) for s in sentences), sentences
    assert "Setup loaded the geography (30 townships, 220 villages) at 12:03" in sentences

"""有奖举报 (issue 14 point 6) on both back-ends: a report from the public and its lookup by reference, the flood
limit per address (the refusal at exactly limit + 1, counted against the table directly), photos that are too
large or not images (nothing written), verification into exactly one hidden danger (also when two staff verify at
once), rewards, and township staff's scope."""
from __future__ import annotations

import dataclasses
import datetime as dt
import io
import itertools
import random
from decimal import Decimal

import pytest
from PIL import Image
from sqlalchemy import text

from services import clock
from services.accounts.permissions import PUBLIC_VISITOR
from services.data.imports import import_file
from services.db import read_session
from services.db.uow import unit_of_work
from services.errors import Conflict, FieldError, Forbidden, NotFound, TooManyAttempts
from services.field.photos import Upload, photo_root
from services.supervision import report_review as R
from services.supervision.reports import ReportInput, lookup_report, normal_reference, sender_key, submit_report
from tests.conftest import call, call_as, csv_for, principal_for, read, shanghai_today
from tests.services.test_concurrency import race, scalar
from tests.services.test_imports import enterprise_row

HOME, AWAY = "500114003", "500114001"  # the test enterprise is in 城西街道 (HOME)


def image(fmt: str = "JPEG", size=(64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, fmt)
    return out.getvalue()


def public(settings, data: ReportInput, sender: str = "203.0.113.7"):
    """Submit as the public form does: no account, acting as ``public``."""
    with unit_of_work(settings, write=True, principal=PUBLIC_VISITOR) as uow:
        return submit_report(uow, data, sender=sender)


def lookup(settings, reference: str):
    with unit_of_work(settings, principal=PUBLIC_VISITOR) as uow:
        return lookup_report(uow, reference)


def report(**overrides) -> ReportInput:
    values = dict(description="加油站旁边堆放大量易燃杂物，无人清理", enterprise_name="测试建材有限公司1",
                  place="城西街道某路口", township_code=HOME, contact="138 0000 1234")
    values.update(overrides)
    return ReportInput(**values)


def rows(settings) -> int:
    return scalar(settings, "SELECT count(*) FROM public_report")


def files(settings) -> list:
    root = photo_root(settings)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def firm(fresh):
    call(fresh, import_file, "enterprises", csv_for("enterprises", [enterprise_row(1)]), "e.csv")
    return fresh, scalar(fresh, "SELECT id FROM enterprise ORDER BY id LIMIT 1")


@pytest.fixture(autouse=True)
def _real_clock():
    yield
    clock.shift_for_tests(dt.timedelta(0))


def test_a_report_is_stored_without_an_account_and_its_outcome_read_by_reference(fresh):
    sent = public(fresh, report(photo=Upload("p.jpg", image())))
    assert normal_reference(sent.reference) == sent.reference and sent.has_photo
    year = shanghai_today().year
    assert sent.reference.startswith(f"JB-{year}-") and len(sent.reference) == 19
    with read_session(fresh.database_url) as session:
        stored = session.execute(text("SELECT source_key, contact, township_code, photo_type, status, reward_status "
                                      "FROM public_report")).one()
        actor = session.execute(text("SELECT actor FROM audit_log WHERE entity = 'public_report'")).scalar()
    assert stored.source_key == sender_key(fresh, "203.0.113.7") and "203.0.113.7" not in stored.source_key
    assert (stored.contact, stored.township_code, stored.photo_type) == ("13800001234", HOME, "image/jpeg")
    assert (stored.status, stored.reward_status, actor) == ("待核实", "不适用", "public")
    assert len(files(fresh)) == 1
    seen = lookup(fresh, sent.reference.lower().replace("-", " "))  # typed loosely, found all the same
    assert seen.to_json() == {"reference": sent.reference, "submitted_on": shanghai_today().isoformat(),
                              "status": "待核实", "verified_on": None, "outcome": None, "danger_status": None,
                              "reward_status": "不适用", "reward_yuan": None}
    other = public(fresh, report(), sender="198.51.100.1").reference
    assert other[8:] != sent.reference[8:]  # the random part: one reference says nothing about the next
    changed = sent.reference[:-1] + ("0" if sent.reference[-1] != "0" else "1")
    for wrong in ("", "JB-2026-00000-00000", changed, "x" * 80):
        with pytest.raises(NotFound) as missing:
            lookup(fresh, wrong)
        assert missing.value.code == "report.not_found"


@pytest.mark.parametrize("field,values,code", [
    ("description", {"description": "  "}, "report.description_required"),
    ("description", {"description": "太短"}, "report.description_required"),
    ("description", {"description": "很" * 2001}, "supervision.too_long"),
    ("enterprise_name", {"enterprise_name": "名" * 201}, "supervision.too_long"),
    ("township_code", {"township_code": "999999999"}, "report.township_unknown"),
    ("contact", {"contact": "call me"}, "report.phone_invalid"),
])
def test_bad_fields_are_refused_by_name_and_nothing_is_written(fresh, field, values, code):
    with pytest.raises(FieldError) as refused:
        public(fresh, report(**values, photo=Upload("p.jpg", image())))
    assert (refused.value.field, refused.value.code) == (field, code)
    assert rows(fresh) == 0 and files(fresh) == []


def test_control_characters_are_dropped_and_empty_fields_kept_empty(fresh):
    public(fresh, ReportInput(description="配电箱\x00没有接地\x07线", contact="", township_code=""))
    assert scalar(fresh, "SELECT description FROM public_report") == "配电箱没有接地线"
    assert scalar(fresh, "SELECT count(*) FROM public_report WHERE contact IS NULL AND township_code IS NULL "
                         "AND photo_name IS NULL") == 1


def test_the_flood_limit_refuses_exactly_the_report_over_it_per_hour_and_per_day(fresh):
    settings = dataclasses.replace(fresh, public_reports=dataclasses.replace(fresh.public_reports, max_per_hour=2,
                                                                              max_per_day=3))
    for _ in range(2):
        public(settings, report())
    with pytest.raises(TooManyAttempts) as hour:
        public(settings, report(photo=Upload("p.jpg", image())))
    assert hour.value.code == "report.flood_hour" and hour.value.status == 429
    assert hour.value.params["limit"] == 2 and "2" in hour.value.reason and 1 <= hour.value.params["minutes"] <= 60
    assert rows(settings) == 2 and files(settings) == []
    public(settings, report(), sender="198.51.100.1")  # another address is not held back
    clock.shift_for_tests(dt.timedelta(minutes=61))
    public(settings, report())
    with pytest.raises(TooManyAttempts) as day:
        public(settings, report())
    assert day.value.code == "report.flood_day" and day.value.params["limit"] == 3
    assert scalar(settings, "SELECT count(*) FROM public_report WHERE source_key = :k",
                  k=sender_key(settings, "203.0.113.7")) == 3
    clock.shift_for_tests(dt.timedelta(hours=25))
    public(settings, report())
    assert rows(settings) == 5


def test_concurrent_reports_from_one_address_store_exactly_the_limit(fresh):
    settings = dataclasses.replace(fresh, public_reports=dataclasses.replace(fresh.public_reports, max_per_hour=3))
    outcomes = race(6, lambda i: public(settings, report()).reference)
    refused = [o[1] for o in outcomes if o[0] == "refused"]
    assert len(refused) == 3 and {e.code for e in refused} == {"report.flood_hour"}
    assert rows(settings) == 3


def _noise_png(side: int) -> bytes:
    noisy = Image.frombytes("RGB", (side, side), random.Random(1).randbytes(side * side * 3))
    out = io.BytesIO()
    noisy.save(out, "PNG")
    return out.getvalue()


def test_an_oversized_photo_or_a_text_file_named_jpg_is_refused_and_nothing_is_written(fresh):
    small = dataclasses.replace(fresh, photos=dataclasses.replace(fresh.photos, max_bytes=50_000, max_pixels=250_000))
    for upload, code in ((Upload("big.png", _noise_png(200)), "photo.too_large"),
                         (Upload("note.jpg", "这不是图片".encode()), "photo.not_image"),
                         (Upload("wide.png", image("PNG", size=(600, 600))), "photo.too_many_pixels"),
                         (Upload("empty.jpg", b""), "photo.empty")):
        with pytest.raises(FieldError) as refused:
            public(small, report(photo=upload))
        assert (refused.value.field, refused.value.code) == ("photo", code)
        assert upload.filename in refused.value.reason
    assert rows(small) == 0 and files(small) == [] and scalar(small, "SELECT count(*) FROM audit_log "
                                                                     "WHERE entity = 'public_report'") == 0
    public(small, report(photo=Upload("fine.webp", image("WEBP"))))
    assert scalar(small, "SELECT photo_type FROM public_report") == "image/webp" and len(files(small)) == 1


_SENDERS = itertools.count(1)


def _submitted(settings, **overrides) -> int:
    """A report from an address of its own (the flood limit is tested apart), by id."""
    reference = public(settings, report(**overrides), sender=f"192.0.2.{next(_SENDERS)}").reference
    return scalar(settings, "SELECT id FROM public_report WHERE reference = :r", r=reference)


def _open_count(settings, firm_id: int) -> int:
    return scalar(settings, "SELECT open_hidden_dangers FROM enterprise WHERE id = :i", i=firm_id)


def test_a_true_report_becomes_exactly_one_hidden_danger_of_source_public_report(firm):
    settings, firm_id = firm
    report_id = _submitted(settings, township_code=None)
    before = _open_count(settings, firm_id)
    deadline = shanghai_today() + dt.timedelta(days=15)
    row = call(settings, R.verify_report, report_id, R.Verification(
        status="属实", enterprise_id=firm_id, deadline=deadline, outcome="经现场核查属实，已责令整改"), actor="planner")
    assert (row.status, row.verified_by, row.enterprise_id, row.township_code) == ("属实", "planner", firm_id, HOME)
    with read_session(settings.database_url) as session:
        dangers = session.execute(text("SELECT id, code, source, enterprise_id, status, found_by, description "
                                       "FROM hidden_danger")).all()
    assert len(dangers) == 1 and dangers[0].id == row.danger_id and row.danger_code == dangers[0].code
    assert (dangers[0].source, dangers[0].enterprise_id, dangers[0].status) == ("群众举报", firm_id, "待整改")
    assert row.reference in dangers[0].found_by and dangers[0].description.startswith("加油站旁边")
    assert _open_count(settings, firm_id) == before + 1
    seen = lookup(settings, row.reference)
    assert (seen.status, seen.outcome, seen.danger_status) == ("属实", "经现场核查属实，已责令整改", "待整改")
    assert "planner" not in str(seen.to_json()) and "1234" not in str(seen.to_json())  # no staff, no contact
    with pytest.raises(Conflict) as again:
        call(settings, R.verify_report, report_id, R.Verification(status="不属实", outcome="x"))
    assert again.value.code == "report.already_verified"
    actions = scalar(settings, "SELECT count(*) FROM audit_log WHERE entity = 'public_report' AND action = 'verify'")
    assert actions == 1


def test_a_false_or_duplicate_report_is_closed_with_an_answer_and_makes_no_danger(firm):
    settings, firm_id = firm
    false_id, duplicate_id = _submitted(settings), _submitted(settings)
    with pytest.raises(FieldError) as no_answer:
        call(settings, R.verify_report, false_id, R.Verification(status="不属实"))
    assert no_answer.value.field == "outcome"
    with pytest.raises(FieldError) as no_firm:
        call(settings, R.verify_report, false_id, R.Verification(status="属实", deadline=shanghai_today()))
    assert no_firm.value.field == "enterprise_id"
    assert scalar(settings, "SELECT status FROM public_report WHERE id = :i", i=false_id) == "待核实"
    call(settings, R.verify_report, false_id, R.Verification(status="不属实", outcome="现场未发现所述问题"))
    true_id = _submitted(settings)
    first = call(settings, R.verify_report, true_id, R.Verification(status="属实", enterprise_id=firm_id,
                                                                    deadline=shanghai_today()))
    dup = call(settings, R.verify_report, duplicate_id, R.Verification(status="重复", outcome="已有同一问题的举报",
                                                                       danger_id=first.danger_id))
    assert (dup.status, dup.danger_id, dup.enterprise_id) == ("重复", first.danger_id, firm_id)
    assert scalar(settings, "SELECT count(*) FROM hidden_danger") == 1
    assert lookup(settings, dup.reference).danger_status == "待整改"
    with pytest.raises(FieldError) as bad:
        call(settings, R.verify_report, _submitted(settings), R.Verification(status="待核实", outcome="x"))
    assert bad.value.field == "status"


def test_two_staff_verifying_one_report_at_once_make_exactly_one_danger(firm):
    settings, firm_id = firm
    report_id = _submitted(settings)
    verdict = R.Verification(status="属实", enterprise_id=firm_id, deadline=shanghai_today())
    outcomes = race(6, lambda i: call(settings, R.verify_report, report_id, verdict, actor=f"staff{i}").danger_id)
    assert [o[0] for o in outcomes].count("ok") == 1
    assert {o[1].code for o in outcomes if o[0] == "refused"} == {"report.already_verified"}
    assert scalar(settings, "SELECT count(*) FROM hidden_danger") == 1
    assert scalar(settings, "SELECT count(*) FROM hidden_danger WHERE source = '群众举报'") == 1
    assert _open_count(settings, firm_id) == 1
    assert scalar(settings, "SELECT danger_id FROM public_report WHERE id = :i", i=report_id) == \
        scalar(settings, "SELECT id FROM hidden_danger")


def test_the_reward_of_a_true_report_is_proposed_paid_or_withdrawn_in_order(firm):
    settings, firm_id = firm
    false_id, true_id = _submitted(settings), _submitted(settings)
    call(settings, R.verify_report, false_id, R.Verification(status="不属实", outcome="不实"))
    with pytest.raises(Conflict) as untrue:
        call(settings, R.set_reward, false_id, "待发放", "200")
    assert untrue.value.code == "report.reward_needs_true"
    call(settings, R.verify_report, true_id, R.Verification(status="属实", enterprise_id=firm_id,
                                                            deadline=shanghai_today()))
    with pytest.raises(Conflict) as not_proposed:
        call(settings, R.set_reward, true_id, "已发放")
    assert not_proposed.value.code == "report.reward_wrong_status"
    for amount, code in ((None, "report.reward_amount_required"), ("0", "report.reward_positive"),
                         ("12.345", "supervision.money_invalid"), ("-5", "supervision.money_invalid")):
        with pytest.raises(FieldError) as wrong:
            call(settings, R.set_reward, true_id, "待发放", amount)
        assert (wrong.value.field, wrong.value.code) == ("amount_yuan", code)
    due = call(settings, R.set_reward, true_id, "待发放", "1,200.50")
    assert (due.reward_status, due.reward_yuan) == ("待发放", "1200.50")
    assert scalar(settings, "SELECT reward_yuan FROM public_report WHERE id = :i", i=true_id) in (
        Decimal("1200.50"), 1200.5)  # SQLite's NUMERIC affinity reads back a float
    withdrawn = call(settings, R.set_reward, true_id, "不适用")
    assert (withdrawn.reward_status, withdrawn.reward_yuan) == ("不适用", None)
    call(settings, R.set_reward, true_id, "待发放", Decimal("300"))
    with pytest.raises(FieldError):
        call(settings, R.set_reward, true_id, "已发放", "300")  # the amount was proposed: paying names none
    paid = call(settings, R.set_reward, true_id, "已发放")
    assert (paid.reward_status, paid.reward_yuan) == ("已发放", "300.00")
    assert lookup(settings, paid.reference).reward_yuan == "300.00"
    for step in ("待发放", "不适用", "已发放"):
        with pytest.raises(Conflict):
            call(settings, R.set_reward, true_id, step, "10" if step == "待发放" else None)
    steps = scalar(settings, "SELECT count(*) FROM audit_log WHERE entity = 'public_report' AND action = 'reward'")
    assert steps == 4


def test_township_staff_list_their_townships_reports_and_verify_none(firm):
    settings, firm_id = firm
    home, away, nowhere = _submitted(settings), _submitted(settings, township_code=AWAY), \
        _submitted(settings, township_code=None)
    staff = principal_for(settings, "township", HOME)
    total, mine = call_as(settings, staff, R.list_reports, status="all", write=False)
    assert (total, [r.id for r in mine]) == (1, [home])
    total, listed = read(settings, R.list_reports, status="pending")
    assert total == 3 and [r.id for r in listed] == [nowhere, away, home]  # newest first
    assert read(settings, R.list_reports, status="all", township_code=AWAY)[0] == 1
    for other in (away, nowhere):
        with pytest.raises(Forbidden):
            call_as(settings, staff, R.report_detail, other, write=False)
    with pytest.raises(Forbidden):
        call_as(settings, staff, R.verify_report, home, R.Verification(status="不属实", outcome="x"))
    with pytest.raises(FieldError):
        read(settings, R.list_reports, status="nonsense")
    viewer = principal_for(settings, "viewer")
    total, seen = call_as(settings, viewer, R.list_reports, write=False)
    assert total == 3 and {r.contact for r in seen} == {None}  # the reporter's phone: for the verifiers only
    assert {r.contact for r in read(settings, R.list_reports)[1]} == {"13800001234"}
    assert mine[0].contact is None
    with pytest.raises(Forbidden):
        call_as(settings, viewer, R.set_reward, home, "待发放", "10")
    assert scalar(settings, "SELECT count(*) FROM public_report WHERE status = '待核实'") == 3


def test_the_database_refuses_a_reward_without_a_true_report_or_an_amount(fresh):
    from sqlalchemy.exc import IntegrityError

    from services.db import transaction
    report_id = _submitted(fresh)
    for sql in ("UPDATE public_report SET reward_status = '待发放', reward_yuan = 5 WHERE id = :i",
                "UPDATE public_report SET status = '属实' WHERE id = :i",
                "UPDATE public_report SET photo_type = 'image/gif' WHERE id = :i"):
        with pytest.raises(IntegrityError):
            with transaction(fresh.database_url) as session:
                session.execute(text(sql), {"i": report_id})


def test_the_reporters_photo_goes_with_the_danger_it_became(firm):
    import hashlib
    settings, firm_id = firm
    sent = image()
    report_id = _submitted(settings, photo=Upload("p.jpg", sent))
    row = call(settings, R.verify_report, report_id, R.Verification(
        status="属实", enterprise_id=firm_id, deadline=shanghai_today() + dt.timedelta(days=3)), actor="planner")
    with read_session(settings.database_url) as session:
        photos = session.execute(text("SELECT sha256, stored_name FROM photo WHERE danger_id = :d"),
                                 {"d": row.danger_id}).all()
    assert [p.sha256 for p in photos] == [hashlib.sha256(sent).hexdigest()]
    assert (photo_root(settings) / photos[0].stored_name).read_bytes() == sent

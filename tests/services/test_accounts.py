"""Accounts on both back-ends: the permission table, sign-in counting and lock-out, sessions, tokens, first admin."""
from __future__ import annotations

import dataclasses
import os
import stat

import pytest
from sqlalchemy import select, text

from services.accounts import bootstrap
from services.accounts.permissions import PERMISSIONS, ROLES, TOWNSHIP_SCOPED, allowed
from services.accounts.signin import current_principal, sign_in
from services.accounts.tokens import issue_token, principal_for_token, revoke_token
from services.accounts.users import (
    change_password,
    create_user,
    set_disabled,
    set_phone,
)
from services.db import read_session
from services.errors import Conflict, FieldError, Forbidden
from services.models.accounts import ApiToken, UserAccount
from tests.conftest import call, call_as, principal_for
from tests.services.test_concurrency import race

HOME, OTHER = "500114001", "500114002"
GOOD = "correct horse 42"


def _rules(settings, **changes):
    return dataclasses.replace(settings, accounts=dataclasses.replace(settings.accounts, **changes))


def _user(settings, name="duty1", role="duty", township=None):
    return call(settings, create_user, name, role=role, password=GOOD, township_code=township,
                must_change_password=False)


def _column(settings, name: str, column: str):
    with read_session(settings.database_url) as session:
        return session.scalar(select(getattr(UserAccount, column)).where(UserAccount.username == name))


def test_the_table_gives_admin_everything_and_township_staff_only_scoped_permissions():
    assert all(allowed("admin", p) for p in PERMISSIONS)
    township = {p for p in PERMISSIONS if allowed("township", p)}
    assert township - {"account.self"} <= TOWNSHIP_SCOPED
    assert {"incident.report", "warning.acknowledge", "move.record", "occupancy.update"} <= township
    assert not allowed("viewer", "incident.report") and allowed("viewer", "map.read")
    assert allowed("commander", "warning.confirm_red") and not allowed("duty", "warning.confirm_red")
    assert not allowed("planner", "dispatch.order") and allowed("planner", "data.import")
    assert not any(allowed(r, "no.such.permission") for r in ROLES if r != "admin")


def test_a_township_user_acts_only_at_home(fresh):
    _user(fresh, "tw", "township", HOME)
    principal = call(fresh, sign_in, "tw", GOOD).principal
    assert principal.township_filter() == HOME
    principal.require_township("move.record", HOME)
    with pytest.raises(Forbidden) as refused:
        principal.require_township("move.record", OTHER)
    assert refused.value.status == 403 and refused.value.code == "permission.other_township"
    with pytest.raises(Forbidden):
        principal.require("dispatch.order")


def test_roles_and_townships_are_checked(fresh):
    with pytest.raises(FieldError) as e:
        _user(fresh, "x1", "township", None)
    assert e.value.code == "account.township_required"
    with pytest.raises(FieldError) as e:
        _user(fresh, "x2", "duty", HOME)
    assert e.value.code == "account.township_not_for_role"
    with pytest.raises(FieldError) as e:
        _user(fresh, "x3", "chief")
    assert e.value.code == "account.role_unknown"
    with pytest.raises(FieldError) as e:
        call(fresh, create_user, "samename10", role="duty", password="SameName10", must_change_password=False)
    assert e.value.code == "account.password_is_name"


def test_the_sixth_attempt_in_the_window_is_refused_even_with_the_right_password(fresh):
    _user(fresh)
    for _ in range(5):
        assert call(fresh, sign_in, "duty1", "wrong password").code == "account.sign_in_failed"
    refused = call(fresh, sign_in, "duty1", GOOD)
    assert not refused.ok and refused.code == "account.too_many_attempts" and 0 < refused.retry_after_s <= 61
    assert _column(fresh, "duty1", "consecutive_failures") == 5


def test_concurrent_guesses_get_no_more_checks_than_the_limit(fresh):
    _user(fresh)
    outcomes = race(12, lambda i: call(fresh, sign_in, "duty1", f"guess {i}").code)
    codes = sorted(value for _, value in outcomes)
    assert codes.count("account.sign_in_failed") == 5, codes
    assert codes.count("account.too_many_attempts") == 7, codes
    assert _column(fresh, "duty1", "consecutive_failures") == 5  # exactly five passwords were checked


def test_repeated_failures_lock_the_account_and_a_right_sign_in_clears_them(fresh):
    settings = _rules(fresh, max_attempts=100, lockout_after=3)
    _user(settings)
    assert call(settings, sign_in, "duty1", "wrong").code == "account.sign_in_failed"
    assert call(settings, sign_in, "duty1", GOOD).ok
    assert _column(settings, "duty1", "consecutive_failures") == 0
    for _ in range(3):
        call(settings, sign_in, "duty1", "wrong")
    locked = call(settings, sign_in, "duty1", GOOD)
    assert locked.code == "account.locked" and locked.retry_after_s > 800


def test_an_unknown_name_and_a_disabled_account_fail_like_a_wrong_password(fresh):
    _user(fresh)
    call(fresh, set_disabled, "duty1")
    assert call(fresh, sign_in, "duty1", GOOD).code == "account.sign_in_failed"
    assert call(fresh, sign_in, "nobody", GOOD).code == "account.sign_in_failed"
    assert call(fresh, sign_in, "x" * 500, GOOD).code == "account.sign_in_failed"


def test_a_password_change_ends_other_sessions(fresh):
    _user(fresh)
    result = call(fresh, sign_in, "duty1", GOOD)
    assert call(fresh, current_principal, result.principal.user_id, result.session_epoch, write=False)
    with pytest.raises(FieldError) as e:
        call(fresh, change_password, "duty1", "not it", "another good one")
    assert e.value.code == "account.password_wrong"
    epoch = call(fresh, change_password, "duty1", GOOD, "another good one")
    assert epoch != result.session_epoch
    assert call(fresh, current_principal, result.principal.user_id, result.session_epoch, write=False) is None
    assert call(fresh, current_principal, result.principal.user_id, epoch, write=False) is not None
    assert call(fresh, sign_in, "duty1", "another good one").ok


def test_concurrent_creates_of_one_name_give_one_account(fresh):
    outcomes = race(6, lambda i: _user(fresh, "same"))
    assert sum(1 for kind, _ in outcomes if kind == "ok") == 1
    assert all(isinstance(v, Conflict) for kind, v in outcomes if kind == "refused")


def test_a_token_is_stored_hashed_acts_as_its_user_and_can_be_revoked(fresh):
    _user(fresh, "app", "township", HOME)
    token, view = call(fresh, issue_token, "app", "township app")
    principal = call(fresh, principal_for_token, token, write=False)
    assert principal.username == "app" and principal.township_code == HOME and principal.via == "token"
    with read_session(fresh.database_url) as session:
        stored = session.scalars(select(ApiToken.token_sha256)).all()
    assert token not in stored and len(stored[0]) == 64
    assert call(fresh, principal_for_token, token[:-1] + ("A" if token[-1] != "A" else "B"), write=False) is None
    call(fresh, revoke_token, view.id)
    assert call(fresh, principal_for_token, token, write=False) is None


def test_a_disabled_user_s_token_stops_working(fresh):
    _user(fresh)
    token, _ = call(fresh, issue_token, "duty1")
    call(fresh, set_disabled, "duty1")
    assert call(fresh, principal_for_token, token, write=False) is None


def test_the_first_admin_gets_a_generated_password_in_a_private_file(fresh):
    first = call(fresh, bootstrap.ensure_first_admin)
    assert first.created and first.password and first.password_file.is_file()
    assert stat.S_IMODE(os.stat(first.password_file).st_mode) == 0o600
    assert first.password in first.password_file.read_text(encoding="utf-8")
    result = call(fresh, sign_in, "admin", first.password)
    assert result.ok and result.must_change_password and result.principal.role == "admin"
    assert not call(fresh, bootstrap.ensure_first_admin).created


def test_the_first_admin_takes_the_configured_password(fresh):
    settings = _rules(fresh, admin_password="configured password 1")
    first = call(settings, bootstrap.ensure_first_admin)
    assert first.created and first.password is None
    assert not (settings.instance_dir / bootstrap.PASSWORD_FILE).exists()
    result = call(settings, sign_in, "admin", "configured password 1")
    assert result.ok and not result.must_change_password


def test_two_password_changes_at_once_leave_one_of_them(fresh):
    _user(fresh)
    outcomes = race(2, lambda i: call(fresh, change_password, "duty1", GOOD, f"new password number {i}"))
    assert sum(kind == "ok" for kind, _ in outcomes) == 1, outcomes
    winner = next(i for i in range(2) if call(fresh, sign_in, "duty1", f"new password number {i}").ok)
    assert not call(fresh, sign_in, "duty1", f"new password number {1 - winner}").ok


BAD_PHONES = ["12345678901", "1390000000", "139000000012", "+8613900000001", "023 79223456", "23-79223456",
              "023-792234", "phone", "13900000001; DROP TABLE user_account", 13900000001]


def _audited(settings, name: str) -> int:
    with read_session(settings.database_url) as session:
        return session.execute(text("SELECT count(*) FROM audit_log WHERE entity = 'user_account' "
                                    "AND entity_key = :n"), {"n": name}).scalar()


def test_an_account_takes_a_mobile_or_landline_phone_and_refuses_anything_else(fresh):
    call(fresh, create_user, "tw1", role="township", township_code=HOME, password=GOOD, phone=" 13900000001 ")
    call(fresh, create_user, "tw2", role="township", township_code=HOME, password=GOOD, phone="023-79223456")
    call(fresh, create_user, "duty2", role="duty", password=GOOD, phone="")
    with read_session(fresh.database_url) as session:  # what the database holds, not what the service says
        stored = dict(session.execute(text("SELECT username, phone FROM user_account")).all())
    assert stored == {"tw1": "13900000001", "tw2": "023-79223456", "duty2": None}
    for n, bad in enumerate(BAD_PHONES):
        with pytest.raises(FieldError) as refused:
            call(fresh, create_user, f"bad{n}", role="duty", password=GOOD, phone=bad)
        assert refused.value.field == "phone" and refused.value.code == "account.phone_invalid"
        assert "023-79223456" in refused.value.reason and "landline" in refused.value.reason_en
    with read_session(fresh.database_url) as session:
        assert session.execute(text("SELECT count(*) FROM user_account WHERE username LIKE 'bad%'")).scalar() == 0


def test_set_phone_changes_or_clears_it_audited_and_refuses_bad_numbers_without_writing(fresh):
    _user(fresh, "tw", "township", HOME)
    before = _audited(fresh, "tw")
    assert call(fresh, set_phone, "tw", "13900000007").phone == "13900000007"
    assert _column(fresh, "tw", "phone") == "13900000007" and _audited(fresh, "tw") == before + 1
    for bad in BAD_PHONES:
        with pytest.raises(FieldError) as refused:
            call(fresh, set_phone, "tw", bad)
        assert refused.value.field == "phone" and refused.value.status == 400
    assert _column(fresh, "tw", "phone") == "13900000007" and _audited(fresh, "tw") == before + 1  # no write
    assert call(fresh, set_phone, "tw", "0851-8765432").phone == "0851-8765432"
    assert call(fresh, set_phone, "tw", None).phone is None and _column(fresh, "tw", "phone") is None
    assert _audited(fresh, "tw") == before + 3
    with pytest.raises(FieldError) as unknown:
        call(fresh, set_phone, "nobody", "13900000007")
    assert unknown.value.status == 404


def test_only_an_admin_sets_phones(fresh):
    _user(fresh, "tw", "township", HOME)
    for role, township in (("duty", None), ("township", HOME)):
        with pytest.raises(Forbidden):
            call_as(fresh, principal_for(fresh, role, township), set_phone, "tw", "13900000007")
    assert _column(fresh, "tw", "phone") is None
    call_as(fresh, principal_for(fresh, "admin"), set_phone, "tw", "13900000007")
    assert _column(fresh, "tw", "phone") == "13900000007"

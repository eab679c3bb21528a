"""Signing in: attempts counted in the database before the password is checked; lock-out after repeated failures.

One writing unit of work per attempt. Its first statement reserves an attempt with a conditional UPDATE (the
window's count below the limit, the account enabled and not locked); when no row comes back the attempt is
refused *without checking the password*, so the sixth wrong guess in a minute learns nothing. Concurrent attempts
on one account serialise on that row (PostgreSQL row lock, SQLite's write lock), so they cannot share a slot.
A failure is returned, not raised, so that the counting commits.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import case, or_, select, update

from services.accounts.passwords import verify
from services.accounts.permissions import Principal
from services.accounts.users import principal_of
from services.clock import now_utc
from services.db import audit
from services.db.uow import UnitOfWork
from services.models.accounts import UserAccount


@dataclass(frozen=True)
class SignIn:
    """The outcome: a principal, or the catalogue code of why not (the same code for a wrong name or password)."""

    principal: Principal | None
    code: str | None = None          # account.sign_in_failed | account.too_many_attempts | account.locked
    session_epoch: int = 0
    must_change_password: bool = False
    retry_after_s: int = 0

    @property
    def ok(self) -> bool:
        return self.principal is not None


def sign_in(uow: UnitOfWork, username, password, *, remote: str | None = None) -> SignIn:
    rules = uow.settings.accounts
    now = now_utc()
    cutoff = now - dt.timedelta(seconds=rules.attempt_window_s)
    if not isinstance(username, str) or not isinstance(password, str) or not 0 < len(username) <= 40:
        verify(None, "")
        return SignIn(None, "account.sign_in_failed")
    fresh_window = or_(UserAccount.attempt_window_start.is_(None), UserAccount.attempt_window_start < cutoff)
    reserved = uow.session.execute(
        update(UserAccount)
        .where(UserAccount.username == username, UserAccount.disabled.is_(False),
               or_(UserAccount.locked_until.is_(None), UserAccount.locked_until <= now),
               or_(fresh_window, UserAccount.attempt_count < rules.max_attempts))
        .values(attempt_count=case((fresh_window, 1), else_=UserAccount.attempt_count + 1),
                attempt_window_start=case((fresh_window, now), else_=UserAccount.attempt_window_start))
        .returning(UserAccount.id, UserAccount.password_hash)).first()
    if reserved is None:
        return _refused(uow, username, password, now)
    if not verify(reserved.password_hash, password):
        failures = UserAccount.consecutive_failures + 1
        uow.session.execute(
            update(UserAccount).where(UserAccount.id == reserved.id)
            .values(consecutive_failures=failures,
                    locked_until=case((failures >= rules.lockout_after, now + dt.timedelta(seconds=rules.lockout_s)),
                                      else_=UserAccount.locked_until)))
        audit.record(uow.session, actor=username, action="sign_in_failed", entity="user_account",
                     entity_key=username, detail={"from": remote} if remote else None, counted=False)
        return SignIn(None, "account.sign_in_failed")
    epoch = uow.session.execute(
        update(UserAccount).where(UserAccount.id == reserved.id)
        .values(consecutive_failures=0, attempt_count=0, attempt_window_start=None, locked_until=None,
                last_sign_in_at=now)
        .returning(UserAccount.session_epoch)).scalar_one()
    user = uow.session.get(UserAccount, reserved.id)
    uow.session.refresh(user)
    audit.record(uow.session, actor=username, action="sign_in", entity="user_account", entity_key=username,
                 detail={"from": remote} if remote else None, counted=False)
    return SignIn(principal_of(user), None, int(epoch), bool(user.must_change_password))


def _refused(uow: UnitOfWork, username: str, password: str, now: dt.datetime) -> SignIn:
    """No attempt could be reserved: unknown or disabled (checked against a dummy hash), locked, or too many."""
    user = uow.session.scalar(select(UserAccount).where(UserAccount.username == username))
    if user is None or user.disabled:
        verify(None, password)  # the same time as a wrong password
        return SignIn(None, "account.sign_in_failed")
    rules = uow.settings.accounts
    if user.locked_until is not None and user.locked_until > now:
        return SignIn(None, "account.locked", retry_after_s=int((user.locked_until - now).total_seconds()) + 1)
    window_end = user.attempt_window_start + dt.timedelta(seconds=rules.attempt_window_s)
    return SignIn(None, "account.too_many_attempts", retry_after_s=max(1, int((window_end - now).total_seconds()) + 1))


def current_principal(uow: UnitOfWork, user_id: int, session_epoch: int) -> Principal | None:
    """The principal of a signed-in session, or None if the account was disabled or its epoch moved on."""
    user = uow.session.get(UserAccount, user_id)
    if user is None or user.disabled or user.session_epoch != session_epoch:
        return None
    return principal_of(user)

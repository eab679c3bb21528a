"""Accounts: create, list, change role or password, disable; every change audited in the caller's unit of work."""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from services.accounts.passwords import check_rule, hash_password, verify
from services.accounts.permissions import ENTERPRISE, ROLES, Principal
from services.clock import now_utc
from services.db import audit
from services.db.uow import UnitOfWork
from services.errors import Conflict, FieldError, NotFound
from services.models import Enterprise, Township
from services.models.accounts import UserAccount
from services.text import t

USERNAME = re.compile(r"^[A-Za-z0-9_.\-]{2,40}$")
# A mainland mobile number (11 digits, 13x–19x) or a landline with its area code (023-79223456).
PHONE = re.compile(r"^(?:1[3-9]\d{9}|0\d{2,3}-\d{7,8})$")


@dataclass(frozen=True)
class UserView:
    """An account as lists show it (never its hash)."""

    id: int
    username: str
    display_name: str
    role: str
    township_code: str | None
    phone: str | None
    disabled: bool
    must_change_password: bool
    locked: bool


def _view(user: UserAccount) -> UserView:
    locked = user.locked_until is not None and user.locked_until > now_utc()
    return UserView(user.id, user.username, user.display_name, user.role, user.township_code, user.phone,
                    user.disabled, user.must_change_password, locked)


def principal_of(user: UserAccount, via: str = "session") -> Principal:
    return Principal(user.id, user.username, user.display_name, user.role, user.township_code, via,
                     enterprise_id=user.enterprise_id)


def check_username(username) -> str:
    if not isinstance(username, str) or not USERNAME.match(username):
        raise FieldError.of("username", "account.username_invalid")
    return username


def check_phone(phone) -> str | None:
    """A phone number as stored (surrounding blanks dropped), None for none; FieldError on anything else."""
    if phone is None or (isinstance(phone, str) and not phone.strip()):
        return None
    if not isinstance(phone, str) or not PHONE.match(phone.strip()):
        raise FieldError.of("phone", "account.phone_invalid")
    return phone.strip()


def check_role(uow: UnitOfWork, role, township_code) -> tuple[str, str | None]:
    """A role with the township it needs (township staff) or none (every other role)."""
    if role not in ROLES:
        raise FieldError.of("role", "account.role_unknown", role=str(role)[:20], roles=", ".join(ROLES))
    if role != "township":
        if township_code:
            raise FieldError.of("township", "account.township_not_for_role", role=role)
        return role, None
    if not township_code:
        raise FieldError.of("township", "account.township_required")
    if uow.session.get(Township, str(township_code)) is None:
        raise NotFound.of("township", "account.township_unknown", township=str(township_code)[:12])
    return role, str(township_code)


def check_enterprise(uow: UnitOfWork, role: str, enterprise) -> int | None:
    """The enterprise an enterprise's account speaks for (its credit code, or its id), None for staff."""
    if role != ENTERPRISE:
        if enterprise:
            raise FieldError.of("enterprise", "account.enterprise_not_for_role", role=role)
        return None
    if not enterprise:
        raise FieldError.of("enterprise", "account.enterprise_required")
    column = Enterprise.id if isinstance(enterprise, int) and not isinstance(enterprise, bool) else Enterprise.credit_code
    found = uow.session.scalar(select(Enterprise.id).where(column == (enterprise if column is Enterprise.id
                                                                     else str(enterprise).strip().upper())))
    if found is None:
        raise NotFound.of("enterprise", "account.enterprise_unknown", enterprise=str(enterprise)[:20])
    return found


def create_user(uow: UnitOfWork, username, *, role, password, display_name=None, township_code=None,
                phone=None, must_change_password: bool = True, enterprise=None) -> UserView:
    """A new account; the name must be free (checked by the database's unique index, not by a read first).

    ``phone`` (a mobile or landline number, optional) is where warnings to township staff are also sent;
    ``enterprise`` (a credit code or an id) is the enterprise an enterprise's account reports for.
    """
    uow.principal.require("user.manage")
    username = check_username(username)
    role, township_code = check_role(uow, role, township_code)
    enterprise_id = check_enterprise(uow, role, enterprise)
    phone = check_phone(phone)
    check_rule(password, username=username, min_chars=uow.settings.accounts.min_password_chars)
    name = (display_name or username).strip()[:50] or username
    user = UserAccount(username=username, display_name=name, role=role, township_code=township_code,
                       enterprise_id=enterprise_id, phone=phone,
                       password_hash=hash_password(password), must_change_password=must_change_password,
                       password_changed_at=now_utc())
    try:
        with uow.session.begin_nested():
            uow.session.add(user)
            uow.session.flush()
    except IntegrityError:
        raise Conflict.of("username", "account.username_taken", username=username) from None
    audit.record(uow.session, actor=uow.actor, action="create", entity="user_account", entity_key=username,
                 detail={"role": role, "township": township_code, "phone": phone,
                         **({"enterprise": enterprise_id} if enterprise_id else {})})
    return _view(user)


def list_users(uow: UnitOfWork) -> list[UserView]:
    uow.principal.require("user.manage")
    return [_view(u) for u in uow.session.scalars(select(UserAccount).order_by(UserAccount.username))]


def count_users(uow: UnitOfWork) -> int:
    return int(uow.session.scalar(select(func.count()).select_from(UserAccount)) or 0)


def _account(uow: UnitOfWork, username: str) -> UserAccount:
    user = uow.session.scalar(select(UserAccount).where(UserAccount.username == username))
    if user is None:
        raise NotFound.of("username", "account.not_found", username=str(username)[:40])
    return user


def set_disabled(uow: UnitOfWork, username: str, disabled: bool = True) -> UserView:
    """Disable (or enable) an account; its sessions and tokens stop working at their next request."""
    uow.principal.require("user.manage")
    if disabled and username == uow.principal.username:
        raise Conflict.of("username", "account.not_yourself")
    row = uow.session.execute(update(UserAccount).where(UserAccount.username == username)
                              .values(disabled=disabled, session_epoch=UserAccount.session_epoch + 1)
                              .returning(UserAccount.id)).first()
    if row is None:
        raise NotFound.of("username", "account.not_found", username=str(username)[:40])
    audit.record(uow.session, actor=uow.actor, action="disable" if disabled else "enable", entity="user_account",
                 entity_key=username)
    uow.session.expire_all()
    return _view(_account(uow, username))


def set_role(uow: UnitOfWork, username: str, role, township_code=None, enterprise=None) -> UserView:
    uow.principal.require("user.manage")
    role, township_code = check_role(uow, role, township_code)
    enterprise_id = check_enterprise(uow, role, enterprise)
    row = uow.session.execute(update(UserAccount).where(UserAccount.username == username)
                              .values(role=role, township_code=township_code, enterprise_id=enterprise_id,
                                      session_epoch=UserAccount.session_epoch + 1)
                              .returning(UserAccount.id)).first()
    if row is None:
        raise NotFound.of("username", "account.not_found", username=str(username)[:40])
    audit.record(uow.session, actor=uow.actor, action="update", entity="user_account", entity_key=username,
                 detail={"role": role, "township": township_code})
    uow.session.expire_all()
    return _view(_account(uow, username))


def set_phone(uow: UnitOfWork, username: str, phone: str | None) -> UserView:
    """Set (or, with None or blank, clear) an account's phone number: warnings reach township staff there too."""
    uow.principal.require("user.manage")
    phone = check_phone(phone)
    row = uow.session.execute(update(UserAccount).where(UserAccount.username == username)
                              .values(phone=phone).returning(UserAccount.id)).first()
    if row is None:
        raise NotFound.of("username", "account.not_found", username=str(username)[:40])
    audit.record(uow.session, actor=uow.actor, action="update", entity="user_account", entity_key=username,
                 detail={"phone": phone})
    uow.session.expire_all()
    return _view(_account(uow, username))


def change_password(uow: UnitOfWork, username: str, current, new, *, check_current: bool = True) -> int:
    """Set a new password (the current one checked unless an admin resets it); other sessions end.

    Returns the account's new session epoch, which the caller's own session adopts to stay signed in.
    """
    if not check_current or username != uow.principal.username:
        uow.principal.require("user.manage")  # someone else's password: an admin's reset
    user = _account(uow, username)
    if check_current and not verify(user.password_hash, current if isinstance(current, str) else ""):
        raise FieldError.of("current_password", "account.password_wrong")
    check_rule(new, username=username, min_chars=uow.settings.accounts.min_password_chars, field="new_password")
    if verify(user.password_hash, new):
        raise FieldError.of("new_password", "account.password_same")
    epoch = uow.session.execute(  # only over the password that was checked: two changes at once, one wins
        update(UserAccount).where(UserAccount.id == user.id, UserAccount.password_hash == user.password_hash)
        .values(password_hash=hash_password(new), must_change_password=not check_current,
                password_changed_at=now_utc(), session_epoch=UserAccount.session_epoch + 1,
                consecutive_failures=0, locked_until=None)
        .returning(UserAccount.session_epoch)).scalar()
    if epoch is None:
        raise Conflict.of("current_password", "changed_meanwhile", what=t("noun.password"), what_en="password")
    audit.record(uow.session, actor=uow.actor, action="password", entity="user_account", entity_key=username,
                 detail={"reset_by_admin": not check_current})
    uow.session.expire_all()
    return int(epoch)


def reset_password(uow: UnitOfWork, username: str) -> str:
    """An admin's reset: a generated password (to hand over once), changed by its owner at the next sign-in."""
    from services.accounts.passwords import generate
    password = generate()
    change_password(uow, username, None, password, check_current=False)
    return password

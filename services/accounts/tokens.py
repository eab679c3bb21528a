"""API tokens for machine clients: ``Authorization: Bearer qj_…``; shown once, stored as SHA-256, revocable.

A token is 32 random bytes (URL-safe), so a plain SHA-256 is enough to store it (no password-strength KDF
needed); it acts with its user's role and township, and stops working when the user is disabled.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import select, update

from services.accounts.permissions import Principal
from services.accounts.users import principal_of
from services.clock import now_utc
from services.db import audit
from services.db.uow import UnitOfWork
from services.errors import FieldError, NotFound
from services.models.accounts import ApiToken, UserAccount

PREFIX = "qj_"


@dataclass(frozen=True)
class TokenView:
    id: int
    username: str
    label: str
    prefix: str
    revoked: bool


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token(uow: UnitOfWork, username: str, label: str = "") -> tuple[str, TokenView]:
    """A new token for ``username``: (the token, shown this once; what is kept of it)."""
    uow.principal.require("user.manage")
    user = uow.session.scalar(select(UserAccount).where(UserAccount.username == username))
    if user is None:
        raise NotFound.of("username", "account.not_found", username=str(username)[:40])
    label = (label or "").strip()
    if len(label) > 60 or any(ord(c) < 32 for c in label):
        raise FieldError.of("label", "account.token_label_invalid", max=60)
    token = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, label=label or "api", prefix=token[:10], token_sha256=_digest(token))
    uow.session.add(row)
    uow.session.flush()
    audit.record(uow.session, actor=uow.actor, action="token", entity="api_token", entity_key=row.prefix,
                 detail={"user": username, "label": row.label})
    return token, TokenView(row.id, username, row.label, row.prefix, False)


def revoke_token(uow: UnitOfWork, token_id: int) -> None:
    uow.principal.require("user.manage")
    row = uow.session.execute(update(ApiToken).where(ApiToken.id == token_id, ApiToken.revoked_at.is_(None))
                              .values(revoked_at=now_utc()).returning(ApiToken.prefix)).first()
    if row is None:
        raise NotFound.of("token_id", "account.token_not_found", id=token_id)
    audit.record(uow.session, actor=uow.actor, action="revoke", entity="api_token", entity_key=row.prefix)


def list_tokens(uow: UnitOfWork, username: str | None = None) -> list[TokenView]:
    uow.principal.require("user.manage")
    query = select(ApiToken, UserAccount.username).join(UserAccount, UserAccount.id == ApiToken.user_id)
    if username:
        query = query.where(UserAccount.username == username)
    return [TokenView(t.id, name, t.label, t.prefix, t.revoked_at is not None)
            for t, name in uow.session.execute(query.order_by(ApiToken.id))]


def principal_for_token(uow: UnitOfWork, token: str) -> Principal | None:
    """The principal a bearer token acts as, or None (unknown, revoked, or its user disabled)."""
    if not isinstance(token, str) or not token.startswith(PREFIX) or len(token) > 100:
        return None
    found = uow.session.execute(
        select(UserAccount).join(ApiToken, ApiToken.user_id == UserAccount.id)
        .where(ApiToken.token_sha256 == _digest(token), ApiToken.revoked_at.is_(None),
               UserAccount.disabled.is_(False))).scalar_one_or_none()
    return principal_of(found, via="token") if found is not None else None

"""Accounts: people who sign in (with a role and, for township staff, a township), their API tokens."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from services.db import Base, UTCDateTime
from services.models.common import _one_of, utcnow

ROLE_CODES = ("admin", "commander", "duty", "planner", "township", "viewer", "enterprise")


class UserAccount(Base):
    """One person who signs in. Township staff carry their township, an enterprise's account its enterprise (it
    reports that enterprise's own hidden dangers); every other role sees the whole county.

    Sign-in attempts are counted on the row itself (``attempt_*``), by a conditional UPDATE taken before the
    password is checked: the attempt after the allowed number in the window is refused without checking it.
    """

    __tablename__ = "user_account"
    __table_args__ = (
        _one_of("role", ROLE_CODES),
        CheckConstraint("(role = 'township') = (township_code IS NOT NULL)", name="township_role_has_township"),
        CheckConstraint("(role = 'enterprise') = (enterprise_id IS NOT NULL)", name="enterprise_role_has_enterprise"),
        CheckConstraint("attempt_count >= 0 AND consecutive_failures >= 0", name="counts_non_negative"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    display_name: Mapped[str] = mapped_column(String(50))
    role: Mapped[str] = mapped_column(String(12))
    township_code: Mapped[str | None] = mapped_column(ForeignKey("township.code"), index=True)
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprise.id"), index=True)
    phone: Mapped[str | None] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(200))
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_sign_in_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    password_changed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    attempt_window_start: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    attempt_count: Mapped[int] = mapped_column(Integer, default=0)
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    # Bumped by a password change or disabling: sessions signed in under an older value end.
    session_epoch: Mapped[int] = mapped_column(Integer, default=0)


class ApiToken(Base):
    """A machine client's bearer token: shown once, stored as its SHA-256, revocable; acts as its user."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(60))
    prefix: Mapped[str] = mapped_column(String(16))  # the token's first characters, to tell tokens apart
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

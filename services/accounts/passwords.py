"""Password hashing (werkzeug's scrypt, n=2^15 r=8 p=1) and the password rule."""
from __future__ import annotations

import secrets

from werkzeug.security import check_password_hash, generate_password_hash

from services.errors import FieldError

METHOD = "scrypt:32768:8:1"
MAX_CHARS = 128
# A hash of a random password, checked when the account does not exist, so that an unknown name and a
# wrong password take the same time.
_DUMMY = generate_password_hash(secrets.token_urlsafe(16), method=METHOD)


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=METHOD)


def verify(password_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches; with no hash (no such account) the same work is done and False returned."""
    if not isinstance(password, str) or len(password) > MAX_CHARS:
        return False
    if password_hash is None:
        check_password_hash(_DUMMY, password)
        return False
    return check_password_hash(password_hash, password)


def check_rule(password, *, username: str, min_chars: int, field: str = "password") -> str:
    """The password if it may be used: long enough, not too long, not the account name, no control characters."""
    if not isinstance(password, str):
        raise FieldError.of(field, "account.password_short", min=min_chars)
    if len(password) < min_chars:
        raise FieldError.of(field, "account.password_short", min=min_chars)
    if len(password) > MAX_CHARS:
        raise FieldError.of(field, "account.password_long", max=MAX_CHARS)
    if any(ord(c) < 32 for c in password):
        raise FieldError.of(field, "account.password_control")
    if password.strip().lower() == username.lower():
        raise FieldError.of(field, "account.password_is_name")
    return password


def generate() -> str:
    """A password for the first admin: 16 URL-safe characters (96 bits)."""
    return secrets.token_urlsafe(12)

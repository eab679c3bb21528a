"""The shapes of a failure the user must be told about: which field, why (Chinese and English), and what kind.

``FieldError`` is a mistake in the input (HTTP 400); ``NotFound`` names a record that does not exist (404);
``Conflict`` is a request that the current state refuses: no room left, already acknowledged, changed by
someone else meanwhile (409); ``Busy`` is a service that cannot take the request now (503). Each carries a
stable ``code`` for programs; the API answers with it beside the two reasons.
"""
from __future__ import annotations


class FieldError(ValueError):
    """Bad input named by its field; pages and the API show ``reason`` (or ``reason_en``) to the user."""

    status = 400

    def __init__(self, field_name: str, reason: str, reason_en: str, *, code: str | None = None):
        super().__init__(f"{field_name}: {reason_en}")
        self.field = field_name
        self.reason = reason
        self.reason_en = reason_en
        self.code = code or "bad_parameter"
        self.params: dict = {}

    @classmethod
    def of(cls, field_name: str, code: str, **params):
        """The error whose reasons the catalogue (services/text) gives for ``code`` with ``params``."""
        from services.text import both  # the catalogue imports nothing of this module; import here keeps it so
        reason, reason_en = both(code, **params)
        error = cls(field_name, reason, reason_en, code=code)
        error.params = params
        return error


class NotFound(FieldError):
    """The record named by ``field`` does not exist."""

    status = 404

    def __init__(self, field_name: str, reason: str, reason_en: str, *, code: str = "not_found"):
        super().__init__(field_name, reason, reason_en, code=code)


class Conflict(FieldError):
    """The current state of the records refuses the request (no room, already done, changed meanwhile)."""

    status = 409

    def __init__(self, field_name: str, reason: str, reason_en: str, *, code: str = "conflict"):
        super().__init__(field_name, reason, reason_en, code=code)


class Busy(FieldError):
    """The service cannot take the request now; the caller may retry shortly."""

    status = 503

    def __init__(self, field_name: str, reason: str, reason_en: str, *, code: str = "busy"):
        super().__init__(field_name, reason, reason_en, code=code)


class Unauthorised(FieldError):
    """Nobody is signed in (no session, no valid token): the request must be made by someone (401)."""

    status = 401

    def __init__(self, field_name: str, reason: str, reason_en: str, *, code: str = "unauthorised"):
        super().__init__(field_name, reason, reason_en, code=code)


class Forbidden(FieldError):
    """The signed-in user's role or township does not allow this (403)."""

    status = 403

    def __init__(self, field_name: str, reason: str, reason_en: str, *, code: str = "forbidden"):
        super().__init__(field_name, reason, reason_en, code=code)


class TooManyAttempts(FieldError):
    """Too many sign-in attempts for an account in a short time: refused without checking the password (429)."""

    status = 429

    def __init__(self, field_name: str, reason: str, reason_en: str, *, code: str = "too_many_attempts"):
        super().__init__(field_name, reason, reason_en, code=code)

"""The principal of the request being served, for units of work opened without naming one.

The web layer's guard sets it at the start of each request and clears it at the end (waitress reuses its
threads); ``unit_of_work`` takes it when its caller names no principal, so every write a request makes is
checked against, and audited under, the signed-in user. A CLI command, job or test sets nothing: SYSTEM acts.
"""
from __future__ import annotations

from contextvars import ContextVar, Token

from services.accounts.permissions import Principal

_CURRENT: ContextVar[Principal | None] = ContextVar("qj_principal", default=None)


def set_request_principal(principal: Principal | None) -> Token:
    return _CURRENT.set(principal)


def clear_request_principal(token: Token | None = None) -> None:
    if token is not None:
        try:
            _CURRENT.reset(token)
            return
        except ValueError:  # set in another context: fall through
            pass
    _CURRENT.set(None)


def request_principal() -> Principal | None:
    return _CURRENT.get()

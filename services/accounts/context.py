"""The principal of the request being served, for units of work opened without naming one.

The web layer installs a provider (``dashboard/auth``) that reads the request's principal from Flask's request
context; ``unit_of_work`` asks it when its caller names no principal, so every write a request makes is checked
against, and audited under, the signed-in user. Outside a request (a CLI command, a job, a test calling a
service) the provider answers None and SYSTEM acts. Nothing is stored per thread, so nothing can leak from one
request to the next on a reused thread.
"""
from __future__ import annotations

from collections.abc import Callable

from services.accounts.permissions import Principal

_provider: Callable[[], Principal | None] | None = None


def install_principal_provider(provider: Callable[[], Principal | None]) -> None:
    global _provider
    _provider = provider


def request_principal() -> Principal | None:
    return _provider() if _provider is not None else None

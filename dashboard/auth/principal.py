"""Who makes the current request: the Flask-Login user wrapper and ``current_principal()`` for handlers."""
from __future__ import annotations

from flask import g
from flask_login import UserMixin

from services.accounts.permissions import Principal


class SignedIn(UserMixin):
    """What Flask-Login keeps in the session cookie: the account id and its session epoch (``"7:3"``).

    A password change or disabling the account bumps the epoch in the database, which ends older sessions.
    """

    def __init__(self, principal: Principal, epoch: int):
        self.principal = principal
        self.epoch = epoch

    def get_id(self) -> str:
        return f"{self.principal.user_id}:{self.epoch}"


def current_principal() -> Principal | None:
    """The request's principal (set by the guard), or None when nobody is signed in."""
    return g.get("qj_principal")

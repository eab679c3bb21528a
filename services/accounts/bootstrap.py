"""The first admin of a new deployment, so that `make run` needs no set-up step.

With ``QJ_ADMIN_PASSWORD`` set, the account ``admin`` gets that password (no change asked). Otherwise a password
is generated, printed once by the caller and written to ``instance/admin-password.txt`` (mode 0600); the first
sign-in then asks for a new one.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from services.accounts.passwords import generate
from services.accounts.users import count_users, create_user
from services.db.uow import UnitOfWork
from services.errors import Conflict

ADMIN = "admin"
PASSWORD_FILE = "admin-password.txt"


@dataclass(frozen=True)
class FirstAdmin:
    created: bool
    password: str | None = None     # generated (to print once); None when taken from QJ_ADMIN_PASSWORD
    password_file: Path | None = None


def ensure_first_admin(uow: UnitOfWork) -> FirstAdmin:
    """Create ``admin`` if the deployment has no account yet; nothing otherwise."""
    if count_users(uow) > 0:
        return FirstAdmin(False)
    given = uow.settings.accounts.admin_password
    password = given or generate()
    try:
        create_user(uow, ADMIN, role="admin", password=password, display_name=None,
                    must_change_password=given is None)
    except Conflict:  # another process created it first
        return FirstAdmin(False)
    if given:
        return FirstAdmin(True)
    path = Path(uow.settings.instance_dir) / PASSWORD_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(f"{ADMIN}\n{password}\n")
    os.chmod(path, 0o600)
    return FirstAdmin(True, password, path)

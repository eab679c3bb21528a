"""The deployment's secret key: what signs session cookies and CSRF tokens, and keys the hashes of senders' addresses.

``SECRET_KEY`` when set; otherwise a random key made once and kept in ``instance/secret-key`` (mode 0600), so that
sessions survive a restart and every process of one instance uses the same key.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

DEV_SECRET = "dev-only-change-me"


def app_secret(settings) -> str:
    """SECRET_KEY, or the random key kept in instance/secret-key (made on first use)."""
    if settings.secret_key and settings.secret_key != DEV_SECRET:
        return settings.secret_key
    path = Path(settings.instance_dir) / "secret-key"
    if path.is_file():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it meanwhile: use theirs
        return path.read_text(encoding="utf-8").strip()
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(key)
    return key


def keyed_hash(settings, purpose: str, value: str) -> str:
    """HMAC-SHA-256 of ``value`` under the app's secret, for ``purpose`` (64 hex digits): the same sender gives the
    same hash, and nobody without the key can tell whose address a hash is (an IPv4 address has only 2³² values)."""
    message = f"{purpose}\x00{value}".encode()
    return hmac.new(app_secret(settings).encode("utf-8"), message, hashlib.sha256).hexdigest()

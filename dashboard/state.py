"""Access to the deployment's settings from inside layouts and callbacks (Flask request context)."""
from __future__ import annotations

from flask import current_app

from config import Settings


def settings() -> Settings:
    return current_app.config["QJ_SETTINGS"]

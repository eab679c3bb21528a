"""Access to the deployment's settings from inside layouts and callbacks (Flask request context)."""
from __future__ import annotations

from flask import current_app

from config import Settings
from services.map.basemaps import Basemap


def settings() -> Settings:
    return current_app.config["QJ_SETTINGS"]


def basemaps() -> list[Basemap]:
    """Tile basemaps configured for this deployment (none by default: offline vector map only)."""
    return current_app.config["QJ_BASEMAPS"]

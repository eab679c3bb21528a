"""Serving a configured local tile folder at /tiles/<key>/<z>/<x>/<y>.<ext> (offline basemaps)."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, send_from_directory

tiles = Blueprint("tiles", __name__)


@tiles.get("/tiles/<key>/<int:z>/<int:x>/<int:y>.<ext>")
def tile(key: str, z: int, x: int, y: int, ext: str):
    basemap = next((b for b in current_app.config["QJ_BASEMAPS"] if b.key == key and b.folder), None)
    if basemap is None or ext != basemap.ext:
        abort(404)
    # send_from_directory refuses paths that leave the folder.
    return send_from_directory(basemap.folder, f"{z}/{x}/{y}.{ext}", max_age=86400)

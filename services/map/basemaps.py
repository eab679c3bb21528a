"""Tile basemaps a deployment may configure (天地图, Amap, OSM, a local tile folder); none by default.

Nothing is ever fetched from the internet unless a user lists a basemap here. The file is JSON: a list of
{"name", "url" or "folder", "crs": "WGS84"|"GCJ02", "attribution", "max_zoom", "subdomains", "ext"}.
A GCJ-02 basemap (Amap, Tencent) makes the map shift every overlay into GCJ-02 for display.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from geo.coords import normalise_crs


class BasemapConfigError(ValueError):
    """The basemap file is wrong; the message names the entry and the field."""


@dataclass(frozen=True)
class Basemap:
    key: str
    name: str
    url: str
    crs: str
    attribution: str = ""
    max_zoom: int = 18
    subdomains: str = ""
    folder: Path | None = None
    ext: str = "png"


_EXTENSIONS = ("png", "jpg", "jpeg", "webp")


def _entry(i: int, raw: dict, base_dir: Path) -> Basemap:
    where = f"basemap #{i + 1}"
    if not isinstance(raw, dict):
        raise BasemapConfigError(f"{where}: expected an object")
    name = str(raw.get("name") or "").strip()
    if not name:
        raise BasemapConfigError(f"{where}: 'name' is required")
    try:
        crs = normalise_crs(raw.get("crs", "WGS84"))
    except ValueError as exc:
        raise BasemapConfigError(f"{where} ({name}): crs: {exc}") from None
    if crs == "BD09":
        raise BasemapConfigError(f"{where} ({name}): BD-09 (Baidu) tiles use their own tiling and are not supported")
    key = re.sub(r"[^a-z0-9]+", "-", str(raw.get("key") or f"basemap-{i + 1}").lower()).strip("-")
    ext = str(raw.get("ext", "png")).lower()
    if ext not in _EXTENSIONS:
        raise BasemapConfigError(f"{where} ({name}): ext must be one of {', '.join(_EXTENSIONS)}")
    folder = None
    if raw.get("folder"):
        folder = Path(raw["folder"])
        folder = folder if folder.is_absolute() else (base_dir / folder)
        if not folder.is_dir():
            raise BasemapConfigError(f"{where} ({name}): folder {folder} does not exist")
        url = f"/tiles/{key}/{{z}}/{{x}}/{{y}}.{ext}"
    else:
        url = str(raw.get("url") or "")
        if not all(part in url for part in ("{z}", "{x}", "{y}")):
            raise BasemapConfigError(f"{where} ({name}): 'url' must be a template with {{z}}, {{x}} and {{y}}, "
                                     "or give 'folder'")
    try:
        max_zoom = int(raw.get("max_zoom", 18))
    except (TypeError, ValueError):
        raise BasemapConfigError(f"{where} ({name}): max_zoom must be a whole number") from None
    return Basemap(key=key, name=name, url=url, crs=crs, attribution=str(raw.get("attribution", "")),
                   max_zoom=max_zoom, subdomains=str(raw.get("subdomains", "")), folder=folder, ext=ext)


def load_basemaps(path: Path | None) -> list[Basemap]:
    """The configured basemaps, in file order; [] when no file is configured."""
    if path is None:
        return []
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise BasemapConfigError(f"cannot read basemap file {path}: {exc}") from None
    if not isinstance(data, list):
        raise BasemapConfigError(f"basemap file {path}: expected a JSON list")
    basemaps = [_entry(i, raw, Path(path).parent) for i, raw in enumerate(data)]
    keys = [b.key for b in basemaps]
    if len(set(keys)) != len(keys):
        raise BasemapConfigError(f"basemap file {path}: keys must be unique ({', '.join(keys)})")
    return basemaps

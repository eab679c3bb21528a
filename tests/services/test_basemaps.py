"""Basemap configuration: nothing by default, clear messages for a wrong file."""
from __future__ import annotations

import json

import pytest

from services.map.basemaps import BasemapConfigError, load_basemaps


def write(tmp_path, entries) -> object:
    path = tmp_path / "basemaps.json"
    path.write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")
    return path


def test_no_file_means_no_basemap():
    assert load_basemaps(None) == []


def test_url_templates_and_local_folders(tmp_path):
    (tmp_path / "tiles").mkdir()
    maps = load_basemaps(write(tmp_path, [
        {"name": "天地图矢量", "url": "https://t{s}.example/vec_w/{z}/{x}/{y}?tk=KEY", "crs": "CGCS2000",
         "subdomains": "01234567"},
        {"name": "高德", "key": "Amap Roads", "url": "https://example/{z}/{x}/{y}.png", "crs": "gcj-02"},
        {"name": "本地", "key": "local", "folder": "tiles", "ext": "jpg"},
    ]))
    assert [(m.key, m.crs) for m in maps] == [("basemap-1", "WGS84"), ("amap-roads", "GCJ02"), ("local", "WGS84")]
    assert maps[2].url == "/tiles/local/{z}/{x}/{y}.jpg" and maps[2].folder == tmp_path / "tiles"


@pytest.mark.parametrize("entry, message", [
    ({"url": "https://x/{z}/{x}/{y}"}, "basemap #1: 'name' is required"),
    ({"name": "A", "url": "https://x/tile"}, "basemap #1 (A): 'url' must be a template"),
    ({"name": "B", "url": "https://x/{z}/{x}/{y}", "crs": "BD09"}, "not supported"),
    ({"name": "C", "url": "https://x/{z}/{x}/{y}", "crs": "UTM"}, "basemap #1 (C): crs: unknown coordinate system"),
    ({"name": "D", "folder": "nowhere"}, "basemap #1 (D): folder"),
])
def test_a_wrong_entry_is_named(tmp_path, entry, message):
    with pytest.raises(BasemapConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_basemaps(write(tmp_path, [entry]))

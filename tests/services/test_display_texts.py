"""What the data names by code has English in the catalogue: map glyphs, the needs profile, supply items, units."""
from __future__ import annotations

import csv
import json
import re

from config import ROOT
from services import vocabulary
from services.text import CATALOGUE, label

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def _english(key: str) -> str | None:
    texts = CATALOGUE.get(key)
    return texts[1] if texts and texts[1].strip() and not CJK.search(texts[1]) else None


def test_every_map_glyph_and_layer_glyph_has_an_english_letter():
    missing = [v for v in vocabulary.GLYPHS if not _english(f"glyph.{v}") or CATALOGUE[f"glyph.{v}"][0] !=
               vocabulary.GLYPHS[v]]
    missing += [layer for layer in ("shelters", "depots", "teams", "stations", "enterprises", "hazards")
                if not _english(f"glyph.layer.{layer}")]
    assert not missing, missing


def test_every_need_item_and_unit_of_the_shipped_data_has_english():
    needs = json.loads((ROOT / "data" / "needs_profile.json").read_text(encoding="utf-8"))
    with open(ROOT / "data" / "supply_catalogue.csv", encoding="utf-8") as f:
        items = list(csv.DictReader(f))
    missing = [f"need.{n['key']}" for n in needs if not _english(f"need.{n['key']}")]
    missing += [f"unit.{n['unit']}" for n in needs if CJK.search(n["unit"]) and not _english(f"unit.{n['unit']}")]
    missing += [f"item.{i['code']}" for i in items if not _english(f"item.{i['code']}")]
    missing += [f"unit.{i['unit']}" for i in items if not _english(f"unit.{i['unit']}")]
    assert not missing, missing
    assert all(CATALOGUE[f"item.{i['code']}"][0] == i["name"] for i in items)  # the Chinese is the data's own


def test_a_code_without_an_entry_shows_as_its_data_names_it():
    assert label("item", "FOOD-RICE", "大米", "en") == "Rice" and label("item", "FOOD-RICE", "大米", "zh") == "大米"
    assert label("item", "COUNTY-OWN", "本县自备", "en") == "本县自备" and label("unit", None, "—", "en") == "—"

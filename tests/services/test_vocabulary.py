"""Every controlled vocabulary value has an English label, and the English pages show it."""
from __future__ import annotations

import re

from services import vocabulary
from services.text import CATALOGUE, t, term, term_options

CJK = re.compile(r"[\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")


def _strings(value) -> set[str]:
    """The vocabulary strings a constant holds: tuple items and dict keys, nested (not dict values such as
    colours or glyphs, unless they are tuples of values)."""
    if isinstance(value, str):
        return {value}
    if isinstance(value, tuple):
        return set().union(*(_strings(v) for v in value)) if value else set()
    if isinstance(value, dict):
        found = {k for k in value if isinstance(k, str)}
        for v in value.values():
            if isinstance(v, (tuple, dict)):
                found |= _strings(v)
        return found
    return set()


def _declared() -> set[str]:
    """Every Chinese string any public constant of services/vocabulary.py holds."""
    found = set()
    for name in dir(vocabulary):
        if name.isupper():
            found |= {s for s in _strings(getattr(vocabulary, name)) if CJK.search(s)}
    return found


def test_every_vocabulary_value_has_an_english_label_without_chinese():
    values = {v for vocab in vocabulary.VOCABULARIES.values() for v in vocab}
    assert len(values) > 150  # the scan sees the vocabularies
    problems = [v for v in sorted(values) if f"term.{v}" not in CATALOGUE]
    problems += [f"{v} → {term(v, 'en')!r}" for v in sorted(values)
                 if f"term.{v}" in CATALOGUE and (not term(v, "en").strip() or CJK.search(term(v, "en")))]
    assert not problems, "\n".join(problems)


def test_every_chinese_value_of_the_module_is_in_a_declared_vocabulary():
    """A new vocabulary (or a value typed into a colour table) cannot skip VOCABULARIES and its labels."""
    listed = {v for vocab in vocabulary.VOCABULARIES.values() for v in vocab}
    assert _declared() - listed == set()


def test_labels_in_both_languages_and_unknown_values_unchanged():
    assert term("出发", "en") == "On the way" and term("出发", "zh") == "出发"
    assert term("红", "en") == "Red" and term("Ⅳ", "en") == "IV"
    assert term("城西街道", "en") == "城西街道" and term(None, "en") is None  # a name is data, shown as it is
    assert term_options(("蓝", "黄"), "en") == [{"label": "Blue", "value": "蓝"}, {"label": "Yellow", "value": "黄"}]
    assert t("duty.warning_row", "en", level="橙", headline="x") == "Orange · x"
    assert t("duty.warning_row", "zh", level="橙", headline="x") == "橙色 · x"


def test_the_scan_would_see_a_value_without_a_label():
    assert _strings({"新值": "#fff", "k": ("甲", "乙")}) == {"新值", "k", "甲", "乙"}
    assert _strings({"危险化学品": "危"}) == {"危险化学品"}  # a glyph is a symbol, not a value

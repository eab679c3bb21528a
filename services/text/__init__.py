"""The one text catalogue: every user-facing string, Chinese first and English, looked up by key.

Services return codes and parameters (``FieldError.of("people", "shelter.full", shelter=…, free=12)``); pages,
exports, import messages and the API's ``reason`` / ``reason_en`` all render from here. The tables live in
one module per area (ui, exports, imports, errors, planning); the keys are unique across them (checked at import and by
``tests/services/test_text.py``, which also checks every key has both languages with the same placeholders).
"""
from __future__ import annotations

from services.text import errors, exports, imports, planning, ui, validation

LANGUAGES = ("zh", "en")


def _merge(*tables: tuple[str, dict[str, tuple[str, str]]]) -> dict[str, tuple[str, str]]:
    merged: dict[str, tuple[str, str]] = {}
    for prefix, table in tables:
        for key, texts in table.items():
            full = prefix + key
            if full in merged:
                raise ValueError(f"text key {full!r} is defined twice")
            merged[full] = texts
    return merged


CATALOGUE: dict[str, tuple[str, str]] = _merge(("", ui.TEXT), ("", errors.TEXT), ("export.", exports.TEXT),
                                               ("import.", imports.TEXT), ("validation.", validation.TEXT),
                                               ("", planning.TEXT))
TEXT = CATALOGUE  # the name the pages have always used


def t(key: str, lang: str = "zh", **params) -> str:
    """The text of ``key`` in ``lang`` (zh or en), with ``params`` filled in."""
    zh, en = CATALOGUE[key]
    text = en if lang == "en" else zh
    return text.format(**params) if params else text


def both(key: str, **params) -> tuple[str, str]:
    """(Chinese, English) of ``key``: what an error carries as ``reason`` and ``reason_en``."""
    return t(key, "zh", **params), t(key, "en", **params)


def normalise_language(value: str | None) -> str:
    return value if value in LANGUAGES else "zh"

"""The one text catalogue: every user-facing string, Chinese first and English, looked up by key.

Services return codes and parameters (``FieldError.of("people", "shelter.full", shelter=…, free=12)``); pages,
exports, import messages, timeline events and the API's ``reason`` / ``reason_en`` all render from here. The
tables live in one module per area (ui, data_page, dispatch, exports, imports, errors, validation, planning, terms,
reports); the keys are unique across them (checked at import and by ``tests/services/test_text.py``, which also
checks every key has both languages with the same placeholders). ``terms`` labels the stored vocabulary values (``term()``).
"""
from __future__ import annotations

import functools
import string

from services.text import (
    accounts,
    analysis,
    analysis_page,
    controls,
    coverage,
    data_page,
    dispatch,
    display,
    errors,
    exports,
    field,
    imports,
    monitoring,
    monitoring_charts,
    monitoring_proposals,
    monitoring_rules,
    planning,
    reports,
    supervision,
    supervision_page,
    supervision_rankings,
    supervision_plans,
    supervision_reports,
    terms,
    ui,
    validation,
)

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


CATALOGUE: dict[str, tuple[str, str]] = _merge(("", ui.TEXT), ("", errors.TEXT), ("", dispatch.TEXT),
                                               ("export.", exports.TEXT), ("import.", imports.TEXT),
                                               ("validation.", validation.TEXT), ("", planning.TEXT),
                                               ("term.", terms.TEXT), ("", accounts.TEXT), ("", field.TEXT),
                                               ("", analysis.TEXT), ("", analysis_page.TEXT), ("", reports.TEXT),
                                               ("", coverage.TEXT), ("", display.TEXT),
                                               ("", data_page.TEXT), ("", supervision.TEXT),
                                               ("", supervision_page.TEXT), ("", monitoring_proposals.TEXT),
                                               ("", supervision_rankings.TEXT),
                                               ("", supervision_plans.TEXT),
                                               ("", supervision_reports.TEXT),
                                               ("", monitoring.TEXT), ("", controls.TEXT),
                                               ("", monitoring_rules.TEXT), ("", monitoring_charts.TEXT))
TEXT = CATALOGUE  # the name the pages have always used


@functools.lru_cache(maxsize=None)
def _glossed(text: str) -> tuple[str, ...]:
    """Placeholders ``x_en`` of an English text: filled with the English label of ``x`` when not passed."""
    return tuple(name for _, name, _, _ in string.Formatter().parse(text) if name and name.endswith("_en"))


# How the texts name the served county (本区/全县/市界; "this district", "the whole county"): the catalogue's
# ``{region_unit}`` and ``{region_unit_en}`` placeholders, filled from the region's kind unless a caller passes them.
UNIT_EN = {"区": "district", "县": "county", "市": "city", "旗": "banner"}
_REGION_WORDING = {"region_unit": "区", "region_unit_en": "district"}


def use_region_wording(unit: str) -> None:
    """Word the texts for a county whose kind's character is ``unit`` (区, 县, 市 or 旗); set from the settings."""
    _REGION_WORDING.update(region_unit=unit, region_unit_en=UNIT_EN.get(unit, "district"))


@functools.lru_cache(maxsize=None)
def _names_region(text: str) -> bool:
    return any(name in ("region_unit", "region_unit_en") for _, name, _, _ in string.Formatter().parse(text))


def t(key: str, lang: str = "zh", **params) -> str:
    """The text of ``key`` in ``lang`` (zh or en), with ``params`` filled in.

    In English, a placeholder ``x_en`` that is not passed is the English label of the vocabulary value passed
    as ``x`` (``term(x, "en")``), so a service passes stored values once and both languages read well.
    ``{region_unit}`` / ``{region_unit_en}`` name the county's kind (``use_region_wording``).
    """
    zh, en = CATALOGUE[key]
    text = en if lang == "en" else zh
    if _names_region(text):
        params = {**_REGION_WORDING, **params}
    if not params:
        return text
    if lang == "en":
        params = {**{n: term(params[n[:-3]], "en") for n in _glossed(en) if n not in params and n[:-3] in params},
                  **params}
    return text.format(**params)


def term(value, lang: str = "zh"):
    """A vocabulary value (services/vocabulary.py) as the reader sees it; a value outside the vocabularies (a
    name, free text, None) comes back unchanged."""
    texts = CATALOGUE.get(f"term.{value}") if isinstance(value, str) else None
    if texts is None:
        return value
    return texts[1] if lang == "en" else texts[0]


def label(prefix: str, code, fallback, lang: str = "zh"):
    """The catalogue's text of a code the data carries (``item.<code>``, ``need.<key>``, ``unit.<unit>``), in
    ``lang``; a code without an entry (a county's own item) is shown as its data names it (``fallback``)."""
    texts = CATALOGUE.get(f"{prefix}.{code}") if isinstance(code, str) else None
    if texts is None:
        return fallback
    return texts[1] if lang == "en" else texts[0]


def term_options(values, lang: str = "zh") -> list[dict]:
    """Dropdown options of vocabulary values: the stored value, labelled in the reader's language."""
    return [{"label": term(v, lang), "value": v} for v in values]


def drill_marked(title: str, settings, lang: str = "zh") -> str:
    """A document's title as a drill's process writes it: 【演练】 before it (QJ_DRILL), else as it is."""
    return t("app.drill_title", lang, title=title) if getattr(settings, "drill", "") else title


def both(key: str, **params) -> tuple[str, str]:
    """(Chinese, English) of ``key``: what an error carries as ``reason`` and ``reason_en``."""
    return t(key, "zh", **params), t(key, "en", **params)


def normalise_language(value: str | None) -> str:
    return value if value in LANGUAGES else "zh"

"""Widgets in the page's language: Dash's dropdown draws its own texts ("Select All", "No options found") in
English unless it is given them, so every dropdown takes its labels from the catalogue here."""
from __future__ import annotations

from dash import dcc

from services.text import t

DROPDOWN_LABELS = ("select_all", "deselect_all", "selected_count", "search", "clear_search", "clear_selection",
                   "no_options_found")


def dropdown_labels(lang: str) -> dict[str, str]:
    """The dropdown's own texts (``{num_selected}`` is filled in by the browser)."""
    return {key: t(f"dropdown.{key}", lang, num_selected="{num_selected}") for key in DROPDOWN_LABELS}


def dropdown(options, value, *, lang: str, **props) -> dcc.Dropdown:
    """A dcc.Dropdown whose own texts are in ``lang``."""
    return dcc.Dropdown(options, value, labels=dropdown_labels(lang), **props)


def draw_texts() -> dict[str, dict]:
    """The draw tool's texts (leaflet-draw's ``L.drawLocal``) in each language, nested as leaflet-draw reads them;
    dashboard/assets/qj_map.js hands leaflet-draw the ones of the page's language."""
    from services.text import LANGUAGES
    from services.text.display import DRAW_TEXT
    texts: dict[str, dict] = {}
    for lang in LANGUAGES:
        tree: dict = {}
        for path in DRAW_TEXT:
            *parents, leaf = path.split(".")
            node = tree
            for part in parents:
                node = node.setdefault(part, {})
            node[leaf] = t(f"drawtool.{path}", lang)
        texts[lang] = tree
    return texts

"""Finding the table in a sheet made for people, and which column holds which field.

The header row is the row (of any sheet, in its first rows) whose cells name the most columns of the entity, so
title rows, a 填表单位 line, blank rows and an instruction sheet (填表说明) before the data sheet are passed over.
A header matches a column by its spec header or a synonym (specs.HEADER_SYNONYMS) after normalisation: full-width
→ half-width, spaces and line breaks dropped, a trailing bracket that is no unit ignored (``经度（°）``).
"""
from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from services.data.cells import column_unit
from services.data.specs import CELL_UNITS, HEADER_SYNONYMS, IMPORTABLE, NOTE_ROW_STARTS, EntitySpec

HEADER_SCAN_ROWS = 30       # a header further down than this is no header
MIN_HEADER_MATCHES = 2      # fewer known headers than this in the best row: fall back to the first row
_SPACE = re.compile(r"\s+")
_CJK_BREAK = re.compile(r"(?<=[^\x00-\x7f])\s*\n\s*(?=[^\x00-\x7f])")  # "受威胁\n人数" is one word
_TRAILING_BRACKET = re.compile(r"\(([^()]*)\)$")
_MARKS = "*※#"              # "*经度": a required-column mark of many templates


def normalise_header(text) -> str:
    """A header as compared: NFKC (full-width brackets and letters → ASCII), no white space, ASCII lower-cased."""
    if text is None:
        return ""
    folded = _SPACE.sub("", unicodedata.normalize("NFKC", str(text))).strip(_MARKS)
    return folded.lower()


def shown_header(text) -> str:
    """A header as messages show it: a line break between Chinese characters dropped, other line breaks and runs
    of spaces as one space."""
    return " ".join(_CJK_BREAK.sub("", str(text or "")).split())


def _bracket(normalised: str) -> tuple[str, str | None]:
    """``威胁财产(万元)`` → (``威胁财产``, ``万元``); a header without a trailing bracket → (itself, None)."""
    found = _TRAILING_BRACKET.search(normalised)
    if not found or found.start() == 0:
        return normalised, None
    return normalised[:found.start()], found.group(1)


@dataclass(frozen=True)
class HeaderMatch:
    """A file's header matched to a field: how good the match is (0 the spec's header, 1 a synonym, 2 without
    its bracket) and the unit the file's header names, when it differs from the column's (``(元)`` for 万元)."""

    field: str
    rank: int
    unit: str | None = None


@functools.lru_cache(maxsize=None)
def _names(entity: str) -> tuple[dict[str, tuple[str, int]], dict[str, tuple[str, int]]]:
    """(exact, without bracket): normalised name → (field, rank) for every header and synonym of ``entity``."""
    spec = IMPORTABLE[entity]
    synonyms = HEADER_SYNONYMS.get(entity, {})
    exact: dict[str, tuple[str, int]] = {}
    base: dict[str, tuple[str, int]] = {}
    for col in spec.columns:
        for rank, name in [(0, col.header)] + [(1, s) for s in synonyms.get(col.field, ())]:
            key = normalise_header(name)
            exact.setdefault(key, (col.field, rank))
            base.setdefault(_bracket(key)[0], (col.field, 2))
    return exact, base


def match_header(spec: EntitySpec, text) -> HeaderMatch | None:
    """The field a file's header names, or None; a header whose unit is of another kind than the column's
    (``威胁财产(人)``) names none."""
    key = normalise_header(text)
    if not key:
        return None
    exact, base = _names(spec.key)
    stem, bracket = _bracket(key)
    found = exact.get(key) or base.get(stem)
    if found is None:
        return None
    field, rank = found
    column_own = column_unit(spec.column(field))
    unit = bracket if bracket in CELL_UNITS else None
    if unit is None or column_own is None or unit == column_own:
        return HeaderMatch(field, rank)
    if CELL_UNITS[unit][0] != CELL_UNITS[column_own][0]:
        return None
    return HeaderMatch(field, rank, unit)


def auto_mapping(spec: EntitySpec, header: Sequence) -> tuple[HeaderMatch | None, ...]:
    """The field of each column of ``header`` (None: not imported); of two columns naming one field the better
    match wins (the spec's header before a synonym), then the one further left."""
    matches = [match_header(spec, h) for h in header]
    claimed: set[str] = set()
    out: list[HeaderMatch | None] = [None] * len(matches)
    for position in sorted((p for p, m in enumerate(matches) if m), key=lambda p: (matches[p].rank, p)):
        if matches[position].field not in claimed:
            claimed.add(matches[position].field)
            out[position] = matches[position]
    return tuple(out)


def header_score(spec: EntitySpec, row: Sequence) -> int:
    """How many distinct fields of ``spec`` the cells of ``row`` name."""
    return len({m.field for m in (match_header(spec, c) for c in row if isinstance(c, str)) if m})


def is_blank(row: Sequence) -> bool:
    return all(c is None or str(c).strip() == "" for c in row)


def is_note_row(row: Sequence) -> bool:
    """A row with one filled cell that starts like a note of the sheet (填表人：…, 合计) rather than a record."""
    filled = [c for c in row if c is not None and str(c).strip() != ""]
    if len(filled) != 1 or not isinstance(filled[0], str):
        return False
    return unicodedata.normalize("NFKC", filled[0]).strip().startswith(NOTE_ROW_STARTS)


def find_header(spec: EntitySpec | None, sheets: Sequence[Sequence[Sequence]]) -> tuple[int, int]:
    """(sheet index, row index) of the header: the row naming most fields of ``spec`` in the first rows of any
    sheet (of two sheets alike, the one with more rows below it: an instruction sheet repeating the header has
    few); without a spec, or when no row names ``MIN_HEADER_MATCHES`` fields, the first non-blank row of the
    first sheet with one."""
    best: tuple[int, int] = (0, 0)
    where = None
    if spec is not None:
        for s, rows in enumerate(sheets):
            scores = [header_score(spec, row) for row in rows[:HEADER_SCAN_ROWS]]
            if not scores or max(scores) == 0:
                continue
            r = scores.index(max(scores))
            key = (scores[r], sum(1 for row in rows[r + 1:] if not is_blank(row)))
            if key > best:
                best, where = key, (s, r)
    if where is not None and best[0] >= min(MIN_HEADER_MATCHES, len(spec.columns)):
        return where
    for s, rows in enumerate(sheets):
        for r, row in enumerate(rows):
            if not is_blank(row):
                return s, r
    return 0, 0

"""No Chinese-only text in code paths: every user-facing string comes from the catalogue (services/text).

The scan reads the source of services/ and dashboard/ (AST: string constants, f-string parts and bytes, not
docstrings or comments) and fails on any CJK character outside the few places where Chinese belongs.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

from config import ROOT
from services.data.specs import IMPORTABLE as SPECS  # the entities and the ledgers

CJK = re.compile(r"[\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")

# Where Chinese text is at home, each for a reason.
ALLOWED = {
    "services/text/": "the catalogue itself",
    "services/db/migrations/": "migrations freeze the schema and the texts of their day",
    "services/vocabulary.py": "the stored values of the controlled vocabularies, declared once (glossed in "
                              "services/text/terms.py; tests/services/test_vocabulary.py checks every one)",
    "services/data/specs.py": "the Chinese import headers, the yes/no cell spellings and the CRS pseudo-header are "
                              "the file format (each header has header_en, checked below)",
    "services/data/online_geocode.py": "the match levels 天地图 and 高德 answer with are their protocol, compared "
                                       "and never shown",
}  # the sample-data generators (data/generate_*.py) lie outside the folders scanned


def _docstring_nodes(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def chinese_strings(source: str) -> list[tuple[int, str]]:
    """(line, text) of every string constant in ``source`` holding a CJK character, docstrings left out."""
    tree = ast.parse(source)
    docstrings = _docstring_nodes(tree)
    hits = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and id(node) not in docstrings:
            value = node.value.decode("utf-8", "replace") if isinstance(node.value, bytes) else node.value
            if isinstance(value, str) and CJK.search(value):
                hits.append((node.lineno, value))
    return hits


def _allowed(relative: str) -> bool:
    return relative.startswith(tuple(ALLOWED))


def _scanned() -> list[Path]:
    return sorted(p for folder in ("services", "dashboard") for p in (ROOT / folder).rglob("*.py"))


def test_no_chinese_string_in_code_outside_the_catalogue():
    paths = _scanned()
    assert len(paths) > 60  # the scan sees the tree (a broken glob would pass vacuously)
    offences = [f"{path.relative_to(ROOT)}:{line}: {text[:60]!r}"
                for path in paths if not _allowed(path.relative_to(ROOT).as_posix())
                for line, text in chinese_strings(path.read_text(encoding="utf-8"))]
    assert not offences, f"{len(offences)} Chinese strings outside the catalogue:\n" + "\n".join(offences)


def test_every_allowed_path_exists():
    for prefix in ALLOWED:
        assert (ROOT / prefix).exists(), prefix


def test_the_scan_sees_strings_f_strings_and_bytes_but_not_docstrings_or_comments():
    source = ('"""模块说明"""\n# 注释\nA = "接报"\nB = f"{A}：完成"\nC = "接报".encode()\nD = b"plain"\n'
              'def f():\n    """函数说明"""\n    return "English", "混合 text"\n')
    assert [line for line, _ in chinese_strings(source)] == [3, 4, 5, 9]
    assert not chinese_strings('x = "Ⅳ → level IV"\n')  # roman numerals and arrows are not CJK


def test_import_headers_have_english_too():
    missing = [f"{key}.{c.field}" for key, spec in SPECS.items() for c in spec.columns
               if not c.header_en.strip() or CJK.search(c.header_en)]
    missing += [key for key, spec in SPECS.items() if not spec.title_en.strip() or CJK.search(spec.title_en)]
    assert not missing, missing

"""The one catalogue: every key in both languages with the same placeholders, and every key the code uses exists."""
from __future__ import annotations

import ast
import string

import pytest

from config import ROOT
from services.text import CATALOGUE, _merge, both, t


def _fields(text: str) -> set[str]:
    """Placeholders, a language's own variant (``what_en`` beside ``what``) counted as the same parameter."""
    return {name.removesuffix("_en") for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_text_has_both_languages_with_the_same_placeholders():
    problems = []
    for key, (zh, en) in CATALOGUE.items():
        if not zh.strip() or not en.strip():
            problems.append(f"{key}: empty")
        elif _fields(zh) != _fields(en):
            problems.append(f"{key}: zh {sorted(_fields(zh))} ≠ en {sorted(_fields(en))}")
    assert not problems, "\n".join(problems)


def _used_keys() -> set[tuple[str, str]]:
    """(key, where) for every literal key the code looks up: t(), both(), X.of(field, code), row_error, CellError,
    Reason(code, …) and RenderTimeout(code, …)."""
    used = set()
    for folder in ("services", "dashboard", "app.py"):
        paths = [ROOT / folder] if folder.endswith(".py") else (ROOT / folder).rglob("*.py")
        for path in paths:
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.Call):
                    continue
                name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                literal = [a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None
                           for a in node.args]
                where = f"{path.relative_to(ROOT)}:{node.lineno}"
                key = None
                if name in ("t", "both") and literal and literal[0]:
                    key = literal[0]
                elif name == "of" and len(literal) >= 2 and literal[1]:
                    key = literal[1]
                elif name == "row_error" and len(literal) >= 3 and literal[2]:
                    key = "import." + literal[2]
                elif name == "CellError" and literal and literal[0]:
                    key = "import." + literal[0]
                elif name in ("Reason", "RenderTimeout") and literal and literal[0]:  # coded reasons, rendered later
                    key = literal[0]
                elif name == "text" and "export_" in path.name and literal and literal[0]:
                    key = "export." + literal[0]
                if key:
                    used.add((key, where))
    return used


def test_every_key_the_code_uses_is_in_the_catalogue():
    used = _used_keys()
    assert len(used) > 150  # the scan sees the code (a broken scan would pass vacuously)
    missing = sorted(f"{where}: {key}" for key, where in used if key not in CATALOGUE)
    assert not missing, "\n".join(missing)


def test_a_key_defined_twice_is_refused_and_params_are_filled():
    with pytest.raises(ValueError, match="twice"):
        _merge(("", {"a": ("甲", "a")}), ("", {"a": ("乙", "b")}))
    assert both("shelter.full", shelter="一中", free=3, people=5) == ("一中 只剩 3 个空位，不能安置 5 人",
                                                                       "一中 has 3 places left, not 5")
    assert t("app.sample", "en") == "Sample data"

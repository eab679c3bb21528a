"""The downloadable import templates describe every column from the catalogue, in Chinese or English.

Oracle: the column kinds the specs use, and the notes sheet read back with openpyxl.
"""
from __future__ import annotations

import io

import openpyxl

from services.data.specs import CRS_HEADER, IMPORTABLE, SPECS
from services.data.templates import describe, template_xlsx
from services.text import CATALOGUE
from tests.services.test_text_in_code import CJK


def test_every_column_kind_of_the_specs_has_a_catalogue_description():
    kinds = {c.kind for spec in IMPORTABLE.values() for c in spec.columns} - {"decimal"}
    assert {"text", "int", "choice", "township", "lon", "lat"} <= kinds  # the specs are read
    assert [k for k in sorted(kinds) if f"import.template.kind.{k}" not in CATALOGUE] == []


def test_an_english_description_is_english_but_for_the_file_values():
    stock = SPECS["stock"].column("quantity")
    assert describe(stock) == f"数字（最多 {stock.decimals} 位小数）；必填；范围：0～1000000000.0"
    assert describe(stock, "en") == f"number (at most {stock.decimals} decimal places); required; range: 0 to 1000000000.0"
    for spec in IMPORTABLE.values():
        for column in spec.columns:
            text = describe(column, "en")
            for value in sorted(column.choices, key=len, reverse=True):  # the file's own values, Chinese
                text = text.replace(value, "")
            assert not CJK.search(text.replace("是/否", "")), (spec.key, column.field, text)


def test_the_notes_sheet_follows_the_language_and_keeps_the_headers():
    for lang, notes, first in (("zh", "说明", "列名"), ("en", "Notes", "Column")):
        book = openpyxl.load_workbook(io.BytesIO(template_xlsx(SPECS["hazards"], lang).getvalue()))
        assert book.sheetnames == [SPECS["hazards"].title_zh, notes]
        rows = list(book[notes].iter_rows(values_only=True))
        assert rows[0] == (first, "English", "说明" if lang == "zh" else "Description")
        assert [r[0] for r in rows[1:len(SPECS["hazards"].columns) + 1]] == SPECS["hazards"].headers
        assert (CRS_HEADER, "CRS") == rows[-2][:2] and rows[-1][:2] == ("整体校验", "Validation")
        assert [c.value for c in next(book.worksheets[0].iter_rows())] == SPECS["hazards"].headers

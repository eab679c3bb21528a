"""The import preview: the mapping found, the first rows as they would be stored, the errors, and nothing written;
the write then takes the mapping the user corrected. Both back-ends."""
from __future__ import annotations

import pytest

from services.data.imports import import_table, read_file
from services.data.preview import preview_import
from services.errors import Forbidden
from services.models import AuditLog, HazardPoint
from tests.conftest import call, call_as, principal_for
from tests.services.test_imports import count
from tests.services.test_messy_sheets import HEADER, RECORDS, messy_xlsx, stored


def test_the_preview_shows_mapping_rows_and_errors_and_writes_nothing(fresh):
    table = read_file(messy_xlsx(), "石会镇隐患点.xlsx")
    audit_before = count(fresh, AuditLog)
    preview = call(fresh, preview_import, "hazards", table, write=False)
    assert (preview.sheet, preview.header_row, preview.total_rows, preview.error_total) == ("隐患点", 4, 4, 0)
    assert [(c.letter, c.header, c.field) for c in preview.columns][3:6] == [
        ("D", "受威胁户数", "threatened_households"), ("E", "受威胁人数", "threatened_people"),
        ("F", "威胁财产（元）", "threatened_property_10k_yuan")]
    first = preview.rows[0]
    assert first.row == 5
    assert {k: first.values[k] for k in ("threatened_people", "threatened_property_10k_yuan", "township", "village",
                                         "contact_phone")} == {
        "threatened_people": 11, "threatened_property_10k_yuan": 3.5, "township": "石会镇",
        "village": "关后社区居民委员会", "contact_phone": "023-79221234"}
    assert preview.importable
    assert count(fresh, HazardPoint) == 0 and count(fresh, AuditLog) == audit_before


def test_a_corrected_mapping_is_previewed_and_written_alike(fresh):
    records = [list(r) + [f"{r[1]}旁"] for r in RECORDS]
    table = read_file(messy_xlsx(records, header=[*HEADER, "位置说明"]), "h.xlsx")  # no synonym: mapped by hand
    auto = [c.field for c in call(fresh, preview_import, "hazards", table, write=False).columns]
    assert auto[-1] is None and auto[11] == "contact_person"
    mapping = auto[:-1] + ["address"]
    mapping[11] = None                     # 监测员 left out
    preview = call(fresh, preview_import, "hazards", table, mapping, write=False)
    assert "contact_person" not in preview.fields and preview.rows[0].values["address"] == "关后滑坡旁"
    report = call(fresh, import_table, "hazards", table, mapping=mapping)
    assert report.ignored_columns == ("监测员",) and report.rows == 4
    assert [s[0] for s in stored(fresh)] == ["SH-001", "SH-002", "SH-003", "SH-004"]


def test_a_mapping_naming_a_field_twice_or_no_field_is_an_error(fresh):
    table = read_file(messy_xlsx(), "h.xlsx")
    mapping = [c.field for c in call(fresh, preview_import, "hazards", table, write=False).columns]
    mapping[11] = "contact_phone"          # and column M is the phone too
    mapping[0] = "bogus"
    preview = call(fresh, preview_import, "hazards", table, mapping, write=False)
    assert [(e.row, e.code) for e in preview.errors] == [(4, "mapping_unknown"), (4, "mapping_twice"),
                                                         (4, "missing_column")]
    assert not preview.importable and preview.rows == ()


def test_the_preview_needs_the_import_permission(fresh):
    table = read_file(messy_xlsx(), "h.xlsx")
    with pytest.raises(Forbidden):
        call_as(fresh, principal_for(fresh, "viewer"), preview_import, "hazards", table, write=False)

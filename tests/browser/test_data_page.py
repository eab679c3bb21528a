"""数据管理 in the browser: an upload shows its preview; a bad file is refused there with row, column and reason
and cannot be confirmed; a good one is written on confirm; a hostile name stays text."""
from __future__ import annotations

import csv
import io
import json
import urllib.request

import pytest

from services.data.cells import credit_check_char
from services.data.specs import SPECS

pytestmark = pytest.mark.browser

HOSTILE = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2">'


def healthz(base: str) -> dict:
    with urllib.request.urlopen(f"{base}/healthz") as response:
        return json.load(response)


def upload(page, base: str, entity_title: str, path) -> None:
    page.goto(base + "/data")
    page.locator("#data-entity").click()
    page.get_by_role("listbox").get_by_text(entity_title, exact=True).click()
    page.set_input_files("#data-upload input[type=file]", str(path))


def test_uploading_a_file_with_a_bad_row_shows_row_column_reason_and_writes_nothing(page, served, tmp_path):
    before = healthz(served)["counts"]["shelters"]
    header = open("data/sample/shelters.csv", encoding="utf-8-sig").read().splitlines()[:3]
    fields = header[2].split(",")
    fields[header[0].split(",").index("有效面积(平方米)")] = "很大"
    bad = tmp_path / "shelters_bad.csv"
    bad.write_text("\n".join([header[0], header[1].replace("QJ-SH-", "NEW-SH-"), ",".join(fields)]) + "\n",
                   encoding="utf-8")
    upload(page, served, "应急避难场所", bad)
    page.wait_for_selector("#data-preview-rows .import-error")
    assert "发现 1 处错误" in page.locator("#data-preview-rows .import-error").inner_text()
    assert page.locator(".data-table.errors tbody tr").all_inner_texts() == ["3\t有效面积(平方米)\t“很大” 不是数字"]
    assert page.locator("#data-confirm").is_disabled()
    assert healthz(served)["counts"]["shelters"] == before
    assert page.recorder.console_errors == []


def test_a_name_with_script_is_shown_as_text_everywhere(page, served, tmp_path):
    body = "91500114MA9999999"
    row = {"统一社会信用代码": body + credit_check_char(body), "企业名称": HOSTILE, "行业": "工贸", "类别": "建材",
           "规模": "规上", "风险等级": "重大", "两单两卡": "已完成", "所在园区": "",
           "联系人": "", "联系电话": "", "地址": HOSTILE, "乡镇街道": "五里镇", "经度": "108.875", "纬度": "29.359"}
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=SPECS["enterprises"].headers)
    writer.writeheader()
    writer.writerow(row)
    path = tmp_path / "hostile.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    upload(page, served, "企业", path)
    page.wait_for_selector("#data-preview-rows .import-ok")  # the preview: no errors
    page.locator("#data-confirm").click()
    page.wait_for_selector("#data-result .import-ok")
    page.goto(served + "/")
    page.locator("#map-search").fill("<script>")
    hit = page.locator(".search-hit").first
    assert HOSTILE in hit.inner_text()
    hit.click()
    page.wait_for_function("() => document.querySelector('#map-details .details-title') !== null")
    assert page.locator("#map-details .details-title").inner_text() == HOSTILE
    page.locator(".qj-marker.qj-enterprises").first.wait_for()
    assert page.evaluate("() => window.__xss") is None
    assert not any("/x" == r.rsplit("127.0.0.1", 1)[-1].split(":", 1)[-1][-2:] for r in page.recorder.failed)

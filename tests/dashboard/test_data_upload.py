"""The data page's upload callback, posted as the browser would: a malformed payload gets a message, never a 500."""
from __future__ import annotations

import base64
import json

import pytest

from dashboard import ids
from dashboard.app import create_app
from tests.conftest import csv_for, signed_in

OUTPUTS = [(ids.DATA_RESULT, "children"), (ids.DATA_COUNTS, "children"), (ids.DATA_AUDIT, "children")]
DEPOT = {"储备库编号": "D1", "名称": "测试库", "级别": "区级", "库容(立方米)": "100", "乡镇街道": "城西街道",
         "经度": "108.7748", "纬度": "29.5328"}
GOOD = "data:text/csv;base64," + base64.b64encode(csv_for("depots", [DEPOT])).decode()


@pytest.fixture(scope="module")
def client(seeded):
    """On the shared sample database: none of the malformed uploads may write anything."""
    return signed_in(create_app(seeded).server.test_client(), seeded)


def upload(client, contents, filename="库.csv", entity="depots", crs="WGS84", lang="zh"):
    """POST /_dash-update-component for the upload; returns (status, text of the result area)."""
    body = {
        "output": ".." + "...".join(f"{i}.{p}" for i, p in OUTPUTS) + "..",
        "outputs": [{"id": i, "property": p} for i, p in OUTPUTS],
        "inputs": [{"id": ids.DATA_UPLOAD, "property": "contents", "value": contents}],
        "state": [{"id": ids.DATA_UPLOAD, "property": "filename", "value": filename},
                  {"id": ids.DATA_ENTITY, "property": "value", "value": entity},
                  {"id": ids.DATA_CRS, "property": "value", "value": crs},
                  {"id": "data-lang", "property": "data", "value": lang}],
        "changedPropIds": [f"{ids.DATA_UPLOAD}.contents"],
    }
    response = client.post("/_dash-update-component", json=body)
    if response.status_code != 200:
        return response.status_code, response.get_data(as_text=True)
    return 200, json.dumps(response.get_json()["response"][ids.DATA_RESULT], ensure_ascii=False)


@pytest.mark.parametrize("payload, expected", [
    ({"contents": None}, "上传的内容不是完整的文件"),
    ({"contents": 42}, "上传的内容不是完整的文件"),
    ({"contents": "no comma, no data url"}, "上传的内容不是完整的文件"),
    ({"contents": "data:text/csv,plain"}, "上传的内容不是完整的文件"),
    ({"contents": "data:text/csv;base64,@@@not base64@@@"}, "上传的内容不是完整的文件"),
    ({"contents": "data:text/csv;base64,QUJ"}, "上传的内容不是完整的文件"),  # cut short
    ({"contents": GOOD, "filename": None}, "上传缺少文件名"),
    ({"contents": GOOD, "filename": ["a.csv", "b.csv"]}, "上传缺少文件名"),
    ({"contents": GOOD, "entity": "bogus"}, "未知数据类型“bogus”"),
    ({"contents": GOOD, "entity": None}, "未知数据类型“None”"),
    ({"contents": GOOD, "crs": "MARS"}, "未知坐标系“MARS”"),
    ({"contents": GOOD, "crs": None}, "未知坐标系“None”"),
    ({"contents": GOOD, "entity": "bogus", "lang": "en"}, "Unknown data type 'bogus'"),
])
def test_a_malformed_upload_gets_a_message_in_the_page(client, payload, expected):
    status, text = upload(client, **payload)
    assert status == 200, text
    assert expected in text


def test_a_good_upload_still_imports_whatever_the_language_store_holds(fresh):
    status, text = upload(signed_in(create_app(fresh).server.test_client(), fresh), GOOD, lang={"x": 1})
    assert status == 200 and "导入成功：1 行（新增 1，更新 0）" in text

"""The data page's import, posted as the browser would: an upload shows a preview (mapping, rows as understood,
errors) and writes nothing; the confirm button writes it with the mapping shown; a malformed payload gets a message,
never a 500; the callbacks need data.import."""
from __future__ import annotations

import base64
import json

import pytest

from dashboard import ids
from dashboard.app import create_app
from services.models import HazardPoint
from tests.conftest import csv_for, signed_in
from tests.services.test_imports import count
from tests.services.test_messy_sheets import EXPECTED, messy_xlsx, stored

DEPOT = {"储备库编号": "D1", "名称": "测试库", "级别": "区级", "库容(立方米)": "100", "乡镇街道": "城西街道",
         "经度": "108.7748", "纬度": "29.5328"}
GOOD = "data:text/csv;base64," + base64.b64encode(csv_for("depots", [DEPOT])).decode()
XLSX = "data:application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;base64,"


def make_app(settings):
    application = create_app(settings)
    application.server.test_client().get("/_dash-dependencies")  # registers the pages' callbacks
    return application


def post(app, client, first_output: str, values: dict, *, status: int = 200):
    """Run the callback whose first output is ``first_output``; ``values`` by "id.property", a pattern-matching
    input (``data-map.value``) as a list of values by column. Returns the response (or None for ``status``)."""
    key = next(k for k in app.callback_map if k.lstrip(".").startswith(first_output + "."))
    spec = app.callback_map[key]

    def item(d):
        if d["id"].startswith("{"):
            pattern = json.loads(d["id"])
            return [{"id": {"type": pattern["type"], "col": i}, "property": d["property"], "value": v}
                    for i, v in enumerate(values.get(f"{pattern['type']}.{d['property']}", []))]
        return {"id": d["id"], "property": d["property"], "value": values.get(f"{d['id']}.{d['property']}")}
    outputs = [{"id": o.split(".")[0], "property": o.split(".", 1)[1]} for o in key.strip(".").split("...")]
    body = {"output": key, "outputs": outputs if len(outputs) > 1 else outputs[0],
            "inputs": [item(d) for d in spec["inputs"]], "state": [item(d) for d in spec["state"]],
            "changedPropIds": [f"{d['id']}.{d['property']}" for d in spec["inputs"][:1]]}
    answer = client.post("/_dash-update-component", json=body)
    assert answer.status_code == status, answer.get_data(as_text=True)[:500]
    return answer.get_json()["response"] if status == 200 else None


def text(node) -> str:
    return json.dumps(node, ensure_ascii=False)


def dropdown_values(node) -> list:
    """The values of the column → field dropdowns in a rendered preview, by column."""
    found: dict[int, str] = {}

    def walk(n):
        if isinstance(n, dict):
            props = n.get("props", {})
            if isinstance(props.get("id"), dict) and props["id"].get("type") == ids.DATA_MAP:
                found[props["id"]["col"]] = props["value"]
            for v in n.values():
                walk(v)
        elif isinstance(n, list):
            for v in n:
                walk(v)
    walk(node)
    return [found[i] for i in sorted(found)]


@pytest.fixture(scope="module")
def app(seeded):
    return make_app(seeded)


@pytest.fixture(scope="module")
def client(app, seeded):
    """On the shared sample database: none of the malformed uploads may write anything."""
    return signed_in(app.server.test_client(), seeded)


def upload_values(contents, filename="库.csv", entity="depots", lang="zh") -> dict:
    return {f"{ids.DATA_UPLOAD}.contents": contents, f"{ids.DATA_UPLOAD}.filename": filename,
            f"{ids.DATA_ENTITY}.value": entity, "data-lang.data": lang}


@pytest.mark.parametrize("payload, expected", [
    ({"contents": 42}, "上传的内容不是完整的文件"),
    ({"contents": "no comma, no data url"}, "上传的内容不是完整的文件"),
    ({"contents": "data:text/csv,plain"}, "上传的内容不是完整的文件"),
    ({"contents": "data:text/csv;base64,@@@not base64@@@"}, "上传的内容不是完整的文件"),
    ({"contents": "data:text/csv;base64,QUJ"}, "上传的内容不是完整的文件"),  # cut short
    ({"contents": GOOD, "filename": None}, "上传缺少文件名"),
    ({"contents": GOOD, "filename": ["a.csv", "b.csv"]}, "上传缺少文件名"),
    ({"contents": GOOD, "entity": "bogus"}, "未知数据类型“bogus”"),
    ({"contents": GOOD, "entity": None}, "未知数据类型“None”"),
    ({"contents": GOOD, "entity": "bogus", "lang": "en"}, "Unknown data type 'bogus'"),
])
def test_a_malformed_upload_gets_a_message_in_the_page(app, client, payload, expected):
    shown = post(app, client, ids.DATA_PREVIEW, upload_values(**payload))
    assert expected in text(shown[ids.DATA_RESULT]) and shown[ids.DATA_PREVIEW]["children"] == []


@pytest.mark.parametrize("crs, expected", [("MARS", "未知坐标系“MARS”"), (None, "未知坐标系“None”")])
def test_an_unknown_coordinate_system_is_named_in_the_preview(app, client, crs, expected):
    values = {**upload_values(GOOD), f"{ids.DATA_CRS}.value": crs, f"{ids.DATA_MAP}.value": ["code"]}
    shown = post(app, client, ids.DATA_PREVIEW_ROWS, values)
    assert expected in text(shown[ids.DATA_PREVIEW_ROWS]) and shown[ids.DATA_CONFIRM]["disabled"] is True


def test_preview_then_confirm_writes_what_was_shown(fresh):
    app = make_app(fresh)
    client = signed_in(app.server.test_client(), fresh, "planner")
    upload = upload_values(XLSX + base64.b64encode(messy_xlsx()).decode(), "石会镇隐患点.xlsx", "hazards")
    shown = post(app, client, ids.DATA_PREVIEW, upload)
    mapping = dropdown_values(shown[ids.DATA_PREVIEW])
    assert mapping[:5] == ["code", "name", "hazard_type", "threatened_households", "threatened_people"]
    assert mapping[11] == "contact_person"
    mapping[11] = "-"                                          # the user leaves 监测员 out
    state = {**upload, f"{ids.DATA_CRS}.value": "WGS84", f"{ids.DATA_MAP}.value": mapping}
    rows = post(app, client, ids.DATA_PREVIEW_ROWS, state)
    preview = text(rows[ids.DATA_PREVIEW_ROWS])
    assert "表头在第4行，数据 4 行" in preview and "关后社区居民委员会" in preview and "石会镇" in preview
    assert "张三" not in preview and "023-79221234" in preview and "未发现错误，确认后写入 4 行" in preview
    assert rows[ids.DATA_CONFIRM]["disabled"] is False
    assert count(fresh, HazardPoint) == 0                      # the preview wrote nothing
    done = post(app, client, ids.DATA_RESULT, {**state, f"{ids.DATA_CONFIRM}.n_clicks": 1})
    assert "导入成功：4 行（新增 4，更新 0）" in text(done[ids.DATA_RESULT]) and "监测员" in text(done[ids.DATA_RESULT])
    assert done[ids.DATA_PREVIEW]["children"] == []
    assert [s[:8] for s in stored(fresh)] == [e[:8] for e in EXPECTED]


def test_a_preview_with_bad_rows_names_them_and_keeps_confirm_off(fresh):
    from tests.services.test_messy_sheets import RECORDS
    records = [list(r) for r in RECORDS]
    records[2][2] = "地震"
    app = make_app(fresh)
    client = signed_in(app.server.test_client(), fresh, "planner")
    upload = upload_values(XLSX + base64.b64encode(messy_xlsx(records)).decode(), "h.xlsx", "hazards")
    mapping = dropdown_values(post(app, client, ids.DATA_PREVIEW, upload)[ids.DATA_PREVIEW])
    rows = post(app, client, ids.DATA_PREVIEW_ROWS, {**upload, f"{ids.DATA_CRS}.value": "WGS84",
                                                      f"{ids.DATA_MAP}.value": mapping})
    shown = text(rows[ids.DATA_PREVIEW_ROWS])
    assert "发现 1 处错误" in shown and "“地震” 不是允许的值" in shown
    assert '{"children": "7"}' in shown.replace(" ", "").replace('{"children":"7"}', '{"children": "7"}')
    assert rows[ids.DATA_CONFIRM]["disabled"] is True


def test_a_good_upload_still_imports_whatever_the_language_store_holds(fresh):
    app = make_app(fresh)
    client = signed_in(app.server.test_client(), fresh)
    state = {**upload_values(GOOD, lang={"x": 1}), f"{ids.DATA_CRS}.value": "WGS84", f"{ids.DATA_CONFIRM}.n_clicks": 1}
    assert "导入成功：1 行（新增 1，更新 0）" in text(post(app, client, ids.DATA_RESULT, state)[ids.DATA_RESULT])


@pytest.mark.parametrize("first_output", [ids.DATA_PREVIEW, ids.DATA_PREVIEW_ROWS, ids.DATA_RESULT])
def test_the_import_callbacks_need_the_import_permission(app, seeded, first_output):
    viewer = signed_in(app.server.test_client(), seeded, "viewer")
    post(app, viewer, first_output, upload_values(GOOD), status=403)

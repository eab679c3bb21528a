"""The 疏散安置 page through its own callbacks, on both back-ends: the shelter table adds up (capacity − housed −
unavailable = free, 0 for a closed shelter), 转移人数 is the number checked, the gauge's target is on its scale, and
a closed shelter's head count is refused with the catalogue's message and nothing written.
"""
from __future__ import annotations

import pytest
from sqlalchemy import text

from dashboard.app import create_app
from services.db import read_session
from tests.conftest import signed_in


@pytest.fixture(scope="module")
def app(seeded):
    application = create_app(seeded)
    application.server.test_client().get("/_dash-dependencies")  # registers the pages' callbacks
    return application


def run(app, client, first_output: str, values: dict[str, object], changed: str | None = None):
    """Run the callback whose first output is ``first_output`` with ``values`` by "id.property"; its answer."""
    key = next(k for k in app.callback_map if k.lstrip(".").startswith(first_output + "."))
    spec = app.callback_map[key]
    item = lambda d: {"id": d["id"], "property": d["property"], "value": values.get(f"{d['id']}.{d['property']}")}
    outputs = [{"id": o.split(".")[0], "property": o.split(".")[1]} for o in key.strip(".").split("...")]
    body = {"output": key, "outputs": outputs if len(outputs) > 1 else outputs[0],
            "inputs": [item(d) for d in spec["inputs"]], "state": [item(d) for d in spec["state"]],
            "changedPropIds": [changed or f"{d['id']}.{d['property']}" for d in spec["inputs"][:1]]}
    answer = client.post("/_dash-update-component", json=body)
    assert answer.status_code == 200, answer.get_data(as_text=True)[:500]
    return answer.get_json()["response"]


def _sql(settings, sql: str, **params) -> list:
    with read_session(settings.database_url) as session:
        return list(session.execute(text(sql), params))


def _cells(table: dict) -> tuple[list[str], list[list]]:
    head, body = table["props"]["children"]
    headers = [th["props"]["children"] for th in head["props"]["children"]["props"]["children"]]
    rows = [[td["props"]["children"] for td in tr["props"]["children"]] for tr in body["props"]["children"]]
    return headers, rows


def _n(value) -> int:
    return int(str(value).replace(",", ""))


@pytest.fixture
def client(app, seeded):
    return signed_in(app.server.test_client(), seeded, "commander")


def test_the_shelter_table_adds_up_and_a_closed_shelter_has_no_free_places(app, client, seeded):
    answer = run(app, client, "evac-gauge", {"evac-people.value": 3000, "evac-days.value": 3, "evac-lang.data": "zh"})
    headers, rows = _cells(answer["evac-shelters"]["children"])
    assert headers[3:7] == ["容量", "已安置", "不可用", "可用"]
    status = {r.code: r.status for r in _sql(seeded, "SELECT code, status FROM shelter")}
    assert len(rows) == len(status)
    for row in rows:
        capacity, housed, unavailable, free = (_n(c) for c in row[3:7])
        if status[row[0]] == "关闭":
            assert free == 0, row
        else:
            assert free == max(0, capacity - housed - unavailable), row
    assert any(status[r[0]] == "关闭" and _n(r[3]) > _n(r[4]) for r in rows)  # a closed one that had room
    t_headers, t_rows = _cells(answer["evac-townships"]["children"])
    assert t_headers[2:6] == ["容量", "已安置", "不可用", "可用"]
    assert sum(_n(r[5]) for r in t_rows) == sum(_n(r[6]) for r in rows)


def test_the_people_to_house_is_the_number_checked_and_the_target_is_on_the_gauge(app, client):
    small = run(app, client, "evac-gauge", {"evac-people.value": 100, "evac-days.value": 3, "evac-lang.data": "zh"})
    assert small["evac-check"]["children"].startswith("✔ 满足 100 人") and small["evac-check"]["className"].endswith("ok")
    free = small["evac-gauge"]["figure"]["data"][0]["value"]
    huge = run(app, client, "evac-gauge", {"evac-people.value": free + 7, "evac-days.value": 3, "evac-lang.data": "en"})
    check = huge["evac-check"]["children"]
    assert check.startswith(f"✘ Short of the {free + 7:,}-person target") and "7 missing" in check
    for answer, target in ((small, 100), (huge, free + 7)):
        gauge = answer["evac-gauge"]["figure"]["data"][0]["gauge"]
        top = gauge["axis"]["range"][1]
        assert gauge["threshold"]["value"] == target
        assert 0.25 <= target / top <= 0.95  # the target's mark is a visible part of the dial, not at its foot
        assert target in gauge["axis"]["tickvals"]
    small_axis = small["evac-gauge"]["figure"]["data"][0]["gauge"]["axis"]
    assert free > small_axis["range"][1] and small_axis["ticktext"][-1].endswith("+")  # beyond the dial: said so


def test_a_closed_shelters_head_count_is_refused_and_not_written(app, client, seeded):
    shelter_id, before = _sql(seeded, "SELECT id, occupancy_people FROM shelter WHERE status = '关闭' ORDER BY id")[0]
    audits = _sql(seeded, "SELECT count(*) FROM audit_log")[0][0]
    values = {"evac-people.value": 3000, "evac-days.value": 3, "evac-lang.data": "zh", "evac-form-save.n_clicks": 1,
              "evac-form-shelter.value": shelter_id, "evac-form-value.value": str(before + 1)}
    answer = run(app, client, "evac-gauge", values, changed="evac-form-save.n_clicks")
    message = answer["evac-form-message"]["children"]
    assert "已关闭，不能登记安置人数" in message["props"]["children"] and message["props"]["className"] == "short"
    assert _sql(seeded, "SELECT occupancy_people FROM shelter WHERE id = :i", i=shelter_id)[0][0] == before
    assert _sql(seeded, "SELECT count(*) FROM audit_log")[0][0] == audits
    english = run(app, client, "evac-gauge", {**values, "evac-lang.data": "en"}, changed="evac-form-save.n_clicks")
    assert "is closed" in english["evac-form-message"]["children"]["props"]["children"]

"""The evacuation plan in the 疏散安置 page through its callback, on both back-ends: a whole-district plan comes back
as a few components (its map layers as GeoJSON data, its tables as DataTables), not thousands; the flows carry
every housed person with a width by people; every hazard point is drawn, housed or not; the map fits the plan.
"""
from __future__ import annotations

import json

import pytest

from dashboard.app import create_app
from tests.conftest import prepared, BACKENDS, _cleanup, signed_in
from tests.dashboard.test_evacuation_page import run


@pytest.fixture(scope="module", params=BACKENDS)
def sample(request, tmp_path_factory):
    """A database with the full sample that the plan runs may write to (a run saves its plan)."""
    settings = prepared(request.param, tmp_path_factory.mktemp(f"plan-{request.param}"), tmp_path_factory,
                        with_sample=True)
    yield settings
    _cleanup(settings)


@pytest.fixture(scope="module")
def app(sample):
    application = create_app(sample)
    application.server.test_client().get("/_dash-dependencies")
    return application


def _components(node) -> int:
    """How many Dash components a callback answer holds (each is a React element the browser mounts)."""
    if isinstance(node, dict):
        return int("type" in node and "namespace" in node) + sum(_components(v) for v in node.values())
    if isinstance(node, list):
        return sum(_components(v) for v in node)
    return 0


def _whole_district(app, client, lang: str = "zh") -> dict:
    return run(app, client, "plan-leaflet", {"plan-run.n_clicks": 1, "plan-max.value": 60, "evac-lang.data": lang,
                                             "plan-types.value": [], "plan-levels.value": [],
                                             "plan-townships.value": [], "evac-exclude.value": []})


def test_a_whole_district_plan_is_a_few_components_with_its_layers_as_data(app, sample):
    client = signed_in(app.server.test_client(), sample, "commander")
    answer = _whole_district(app, client)
    rows = answer["plan-result"]["children"]
    grids = [c["props"]["children"] for c in rows if c.get("props", {}).get("className") in ("plan-rows", "plan-unmet")]
    assert grids and all(g["type"] == "DataTable" for g in grids)
    assignments = next(c["props"]["children"]["props"]["data"] for c in rows
                       if c.get("props", {}).get("className") == "plan-rows")
    assert _components(answer) < 60, _components(answer)  # today: thousands of Td, CircleMarker and Tooltip
    plans = json.loads(client.get("/api/v1/evacuation/plans").get_data())["plans"]
    saved = json.loads(client.get(f"/api/v1/evacuation/plans/{plans[0]['id']}").get_data())
    demand = saved["demand"] if "demand" in saved else saved["plan"]["demand"]
    assert len(demand) == 300 and len(assignments) == sum(len(d["assigned"]) for d in demand)

    flows = answer["plan-flows"]["data"]["features"]
    assert sum(f["properties"]["people"] for f in flows) == sum(a["people"] for d in demand for a in d["assigned"])
    widths = sorted((f["properties"]["people"], f["properties"]["weight"]) for f in flows)
    assert widths[0][1] < widths[-1][1] and all(a[1] <= b[1] for a, b in zip(widths, widths[1:]))  # by people
    points = answer["plan-points"]["data"]["features"]
    kinds = [p["properties"]["kind"] for p in points]
    housed = sum(1 for d in demand if d["unmet"] == 0)
    unhoused = sum(1 for d in demand if d["unmet"] == d["people"])
    assert (kinds.count("housed"), kinds.count("unmet")) == (housed, unhoused)
    assert kinds.count("housed") + kinds.count("partly") + kinds.count("unmet") == len(demand)
    assert kinds.count("shelter") == len({a["shelter_id"] for d in demand for a in d["assigned"]})
    (south, west), (north, east) = answer["plan-leaflet"]["viewport"]["bounds"]
    assert all(south <= p["geometry"]["coordinates"][1] <= north and west <= p["geometry"]["coordinates"][0] <= east
               for p in points)
    legend = json.dumps(answer["plan-legend-wrap"]["children"], ensure_ascii=False)
    assert "未能安置" in legend and "接收人员的避难场所" in legend


def test_the_map_fits_a_one_township_plan(app, sample):
    client = signed_in(app.server.test_client(), sample, "commander")
    whole = _whole_district(app, client)["plan-leaflet"]["viewport"]["bounds"]
    answer = run(app, client, "plan-leaflet", {"plan-run.n_clicks": 1, "plan-max.value": 60, "evac-lang.data": "zh",
                                               "plan-townships.value": ["500114001"]})
    (south, west), (north, east) = answer["plan-leaflet"]["viewport"]["bounds"]
    span = lambda b: (b[1][0] - b[0][0]) * (b[1][1] - b[0][1])
    assert span([[south, west], [north, east]]) < span(whole) / 10  # 城东街道, not the district
    for p in answer["plan-points"]["data"]["features"]:
        lon, lat = p["geometry"]["coordinates"]
        assert south <= lat <= north and west <= lon <= east


def test_the_plan_map_in_english(app, sample):
    client = signed_in(app.server.test_client(), sample, "commander")
    answer = _whole_district(app, client, "en")
    tips = [f["properties"]["tip"] for f in answer["plan-points"]["data"]["features"]]
    assert tips and all("housed" in tip or "receives" in tip for tip in tips)
    assert "Hazard point: not housed" in json.dumps(answer["plan-legend-wrap"]["children"])


def _sql(settings, sql: str, **params) -> list:
    from sqlalchemy import text

    from services.db import read_session
    with read_session(settings.database_url) as session:
        return list(session.execute(text(sql), params))


def test_a_saved_plan_shows_its_local_time_and_author_everywhere_and_minutes_in_excel(app, sample):
    import datetime as dt
    import io
    from zoneinfo import ZoneInfo

    from openpyxl import load_workbook
    from sqlalchemy import text

    from services.db import read_session
    from tests.conftest import account
    with read_session(sample.database_url) as session:  # a person's name, not the account's
        session.execute(text("UPDATE user_account SET display_name = '王指挥' WHERE username = :u"),
                        {"u": account(sample, "commander")})
        session.commit()
    client = signed_in(app.server.test_client(), sample, "commander")
    answer = _whole_district(app, client)
    plan_id = answer["plan-saved"]["value"]
    actor, created = _sql(sample, "SELECT actor, created_at FROM evacuation_plan WHERE id = :i", i=plan_id)[0]
    display = _sql(sample, "SELECT display_name FROM user_account WHERE username = :u", u=actor)[0][0]
    assert actor == account(sample, "commander") and display == "王指挥"
    created = created if isinstance(created, dt.datetime) else dt.datetime.fromisoformat(created)
    if created.tzinfo is None:
        created = created.replace(tzinfo=dt.timezone.utc)  # stored as UTC
    local = created.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M")
    author = f"{display}（{actor}）"
    option = next(o["label"] for o in answer["plan-saved"]["options"] if o["value"] == plan_id)
    assert local in option and author in option
    made = answer["plan-result"]["children"][0]["props"]
    assert made["className"] == "plan-made" and local in made["children"] and author in made["children"]
    assert "Asia/Shanghai" in made["children"]
    page = client.get(f"/api/v1/evacuation/plans/{plan_id}.html").get_data(as_text=True)
    assert local in page and "Asia/Shanghai" in page and author in page
    book = load_workbook(io.BytesIO(client.get(f"/api/v1/evacuation/plans/{plan_id}.xlsx").get_data()))
    summary = {row[0]: row[1] for row in book.worksheets[0].iter_rows(values_only=True) if row and row[0]}
    assert summary["编制人"] == author and summary["编制时间（Asia/Shanghai）"] == local
    saved = json.loads(client.get(f"/api/v1/evacuation/plans/{plan_id}").get_data())
    totals = saved.get("totals") or saved["plan"]["totals"]
    assert float(summary["最长行程（分钟）"]) == round(totals["max_travel_s"] / 60, 1)
    assert float(summary["平均行程（分钟）"]) == round(totals["mean_travel_s"] / 60, 1)
    english = run(app, client, "plan-leaflet", {"plan-saved.value": plan_id, "evac-lang.data": "en"},
                  changed="plan-saved.value")
    assert f"by {display} ({actor})" in english["plan-result"]["children"][0]["props"]["children"]


def test_a_saved_plan_as_map_layers_for_other_maps(app, sample):
    client = signed_in(app.server.test_client(), sample, "commander")
    plan_id = _whole_district(app, client)["plan-saved"]["value"]
    layers = client.get(f"/api/v1/evacuation/plans/{plan_id}.geojson")
    assert layers.status_code == 200
    features = layers.get_json()["features"]
    assigned = _sql(sample, "SELECT assigned FROM evacuation_plan WHERE id = :i", i=plan_id)[0][0]
    flows = [f for f in features if f["properties"]["kind"] == "flow"]
    assert sum(f["properties"]["people"] for f in flows) == assigned and all(f["properties"]["weight"] for f in flows)
    hazards = [f for f in features if f["properties"]["kind"] in ("housed", "partly", "unmet")]
    assert len(hazards) == 300 and all("people" in f["properties"]["tip_en"] for f in hazards)
    assert client.get("/api/v1/evacuation/plans/99999.geojson").status_code == 404
    township = signed_in(app.server.test_client(), sample, "township", "500114001")
    assert township.get(f"/api/v1/evacuation/plans/{plan_id}.geojson").status_code == 403


def test_the_printouts_name_townships_in_the_language_asked_for(app, sample):
    import io
    from html import escape

    import openpyxl
    from sqlalchemy import create_engine, text
    client = signed_in(app.server.test_client(), sample)
    plan = client.post("/api/v1/evacuation/plans", json={"name": "printout"}).get_json()
    engine = create_engine(sample.database_url)
    with engine.connect() as conn:
        names = {n: en for n, en in conn.execute(text("SELECT name, name_en FROM township"))}
    engine.dispose()
    towns = {d["township_name"] for d in plan["demand"]}
    assert towns and towns <= set(names)
    english = client.get(f"/api/v1/evacuation/plans/{plan['id']}.html?lang=en").get_data(as_text=True)
    chinese = client.get(f"/api/v1/evacuation/plans/{plan['id']}.html").get_data(as_text=True)
    for town in towns:  # a heading per township (names of points and shelters may hold a township's name: data)
        assert f"<h2>{town}</h2>" in chinese and f"<h2>{town}</h2>" not in english
        assert f"<h2>{escape(names[town])}</h2>" in english
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"/api/v1/evacuation/plans/{plan['id']}.xlsx?lang=en").data))
    assert not towns & set(book.sheetnames) and {names[town][:31] for town in towns} <= set(book.sheetnames)
    summary = book.worksheets[0]
    column = [c.value for c in next(summary.iter_cols(min_col=2, max_col=2))]
    assert not towns & set(column)  # the shelters' townships in English too
    bad = client.get(f"/api/v1/evacuation/plans/{plan['id']}.html?lang=fr")
    assert bad.status_code == 400 and "lang" in bad.get_data(as_text=True)

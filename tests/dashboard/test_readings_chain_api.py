"""POST /api/v1/monitoring/readings runs the rule in the same transaction: a reading that takes a watched point
over its threshold makes a proposal (the answer counts it, the proposals API lists it); a retry of the same batch
changes nothing; a reading of a station that watches no point evaluates nothing."""
from __future__ import annotations

import datetime as dt

from dashboard.app import create_app
from services.monitoring.thresholds import ThresholdInput, set_thresholds
from tests.conftest import call, signed_in
from tests.services.monitoring_world import HOME, RAIN, add_world

URL = "/api/v1/monitoring/readings"


def test_a_reading_over_the_threshold_makes_a_proposal_in_the_same_request(fresh):
    add_world(fresh, [("H1", 108.79, 29.53, HOME)], [("R1", RAIN, 108.7902, 29.5302, 5, HOME),
                                                     ("R2", RAIN, 108.95, 29.30, 5, HOME)], [("H1", "R1")])
    call(fresh, set_thresholds, [ThresholdInput("rain_1h", 30.0, hazard="H1")])
    client = signed_in(create_app(fresh).server.test_client(), fresh, "duty")
    now = dt.datetime.now(dt.timezone.utc).replace(second=0, microsecond=0)
    at = (now - dt.timedelta(minutes=now.minute % 5)).isoformat()
    batch = {"readings": [{"station": "R1", "at": at, "kind": "rainfall", "value": 40.0}]}
    first = client.post(URL, json=batch).get_json()
    assert (first["stored"], first["evaluated"], first["proposals"]) == (1, 1, {"created": 1})  # 40 / 30 → 橙
    listed = client.get("/api/v1/monitoring/proposals?status=待确认").get_json()["proposals"]
    assert [(p["hazard_code"], p["level"], p["observed"]) for p in listed] == [("H1", "橙", 40.0)]
    again = client.post(URL, json=batch).get_json()
    assert (again["stored"], again["duplicates"], again["evaluated"], again["proposals"]) == (0, 1, 0, {})
    other = client.post(URL, json={"readings": [{"station": "R2", "at": at, "kind": "rainfall", "value": 80.0}]})
    assert (other.get_json()["evaluated"], other.get_json()["proposals"]) == (0, {})  # R2 watches nothing

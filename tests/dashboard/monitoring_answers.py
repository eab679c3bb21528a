"""风险感知 calls of tests/dashboard/test_api_responses.py kept here (that file stays within 420 lines): thresholds,
station assignments and the rule's evaluation, called on the sample database and checked against the OpenAPI
document by its ``Caller``."""
from __future__ import annotations

HAZARD, GAUGE = "QJ-HZ-0001", "QJ-ST-001"  # a sample hazard point and rain gauge (data/sample/)


def monitoring_rules(call) -> None:
    root = "/api/v1/monitoring"
    call("PUT", f"{root}/thresholds", json={"thresholds": [{"hazard": HAZARD, "metric": "rain_1h", "value": 40},
                                                           {"station": GAUGE, "metric": "rain_24h", "value": 150}]})
    assert call("PUT", f"{root}/thresholds", json={"thresholds": [{"hazard": HAZARD, "metric": "rain_1h",
                                                                   "value": -1}]}).status_code == 400
    call("GET", f"{root}/thresholds", f"{root}/thresholds?hazard={HAZARD}")
    call("GET", f"{root}/thresholds")
    assert call("POST", f"{root}/assignments/recompute").get_json()["added"] > 0
    call("POST", f"{root}/assignments", json={"hazard": HAZARD, "station": GAUGE})
    assert call("GET", f"{root}/assignments", f"{root}/assignments?hazard={HAZARD}").get_json()["assignments"]
    call("GET", f"{root}/evaluation")
    call("GET", f"{root}/evaluation", f"{root}/evaluation?hazard={HAZARD}")
    assert call("GET", f"{root}/evaluation", f"{root}/evaluation?hazard=NOPE").status_code == 404
    call("DELETE", f"{root}/assignments", f"{root}/assignments?hazard={HAZARD}&station={GAUGE}")
    call("DELETE", f"{root}/thresholds", f"{root}/thresholds?hazard={HAZARD}&metric=rain_1h")


def monitoring_charts(call) -> None:
    """A station's and a hazard point's chart series; neither or both named, or another window, is a 400."""
    root = "/api/v1/monitoring/charts"
    assert call("GET", root, f"{root}?station={GAUGE}").get_json()["subject"] == "station"
    assert call("GET", root, f"{root}?hazard={HAZARD}&hours=72").get_json()["hours"] == 72
    for bad in ("", f"?station={GAUGE}&hazard={HAZARD}", f"?station={GAUGE}&hours=48"):
        assert call("GET", root, root + bad).status_code == 400
    assert call("GET", root, f"{root}?station=NOPE").status_code == 404

"""Real answers of the analysis reports, the warning proposals and the 熔断 controls API, checked against the OpenAPI document by
tests/dashboard/test_api_responses.py (``call`` is its Caller)."""
from __future__ import annotations

from tests.conftest import signed_in


def monitoring_proposals(call, client) -> None:
    """Two proposals made as the rule would (raise_proposals; there is no POST of candidates): one confirmed, one
    rejected; a second decision is 409, a rejection without a reason 400, an unknown proposal 404."""
    import datetime as dt

    from sqlalchemy import text

    from services.db.uow import unit_of_work
    from services.monitoring.proposals import raise_proposals
    from services.monitoring.types import Candidate, MetricValue
    settings = client.application.config["QJ_SETTINGS"]
    with unit_of_work(settings, write=True) as uow:
        station = uow.session.execute(text("SELECT min(id) FROM monitoring_station")).scalar()
        points = [r[0] for r in uow.session.execute(text(
            "SELECT id FROM hazard_point WHERE warning_level IN ('无', '蓝') ORDER BY id LIMIT 2"))]
        at = dt.datetime.now(dt.timezone.utc)
        reading = MetricValue("rain_1h", station, 28.0, 30.0, at)
        made = raise_proposals(uow, [Candidate(h, "黄", reading, (reading,)) for h in points])
    first, second = (c.proposal_id for c in made)
    listed = call("GET", "/api/v1/monitoring/proposals").get_json()["proposals"]
    assert {p["id"] for p in listed} >= {first, second} and listed[0]["evidence"][0]["metric"] == "rain_1h"
    call("GET", "/api/v1/monitoring/proposals", "/api/v1/monitoring/proposals?status=已确认&drill_id=0")
    assert call("GET", "/api/v1/monitoring/proposals", "/api/v1/monitoring/proposals?status=x").status_code == 400
    one = "/api/v1/monitoring/proposals/{proposal_id}"
    call("GET", one, one.replace("{proposal_id}", str(first)))
    assert call("GET", one, one.replace("{proposal_id}", "999999")).status_code == 404
    confirm = one + "/confirm"
    done = call("POST", confirm, confirm.replace("{proposal_id}", str(first)), json={"note": "核实"}).get_json()
    assert done["warning_id"] and done["proposal"]["status"] == "已确认"
    assert call("POST", confirm, confirm.replace("{proposal_id}", str(first)), json={}).status_code == 409
    reject = one + "/reject"
    refused = call("POST", reject, reject.replace("{proposal_id}", str(second)), json={"reason": " "})
    assert refused.status_code == 400 and refused.get_json()["parameter"] == "reason"
    assert call("POST", reject, reject.replace("{proposal_id}", str(second)), json={}).status_code == 400
    call("POST", reject, reject.replace("{proposal_id}", str(second)), json={"reason": "雨量站故障"})


def monitoring_controls(call, doc) -> None:
    """熔断: preview, issue, confirm (the duty officer, then the township's staff), close; the list printed."""
    root, home = "/api/v1/monitoring/controls", "500114003"
    area = {"level": "红", "townships": [home]}
    preview = call("POST", f"{root}/preview", json=area).get_json()
    assert preview["items"] and preview["counts"]["停"]
    assert call("POST", f"{root}/preview", json={"level": "紫", "townships": [home]}).status_code == 400
    order = call("POST", root, json=area).get_json()
    call("GET", root, f"{root}?open=1")
    one = f"{root}/{order['id']}"
    call("GET", f"{root}/{{order_id}}", one)
    item = order["items"][0]["id"]
    call("POST", f"{root}/items/{{item_id}}/confirm", f"{root}/items/{item}/confirm", json={"note": "已通知"})
    assert call("POST", f"{root}/items/{{item_id}}/confirm", f"{root}/items/{item}/confirm",
                json={}).status_code == 409
    settings = call.client.application.config["QJ_SETTINGS"]
    township = type(call)(signed_in(call.client.application.test_client(), settings, "township", home), doc)
    township("POST", f"{root}/items/{{item_id}}/confirm", f"{root}/items/{order['items'][1]['id']}/confirm", json={})
    for suffix in ("docx", "xlsx", "html"):
        call("GET", f"{root}/{{order_id}}.{suffix}", f"{one}.{suffix}?lang=en")
    call("POST", f"{root}/{{order_id}}/close", one + "/close", json={})
    call.called |= township.called


def analysis_reports(call) -> None:
    call("GET", "/api/v1/analysis/trends", "/api/v1/analysis/trends?period=7d")
    assert call("GET", "/api/v1/analysis/trends", "/api/v1/analysis/trends?since=2026-12-02&until=2026-12-01"
                ).status_code == 400
    for suffix in ("docx", "xlsx"):
        call("GET", f"/api/v1/analysis/report.{suffix}", f"/api/v1/analysis/report.{suffix}?period=30d&variant=fire")

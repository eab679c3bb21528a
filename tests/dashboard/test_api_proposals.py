"""/api/v1/monitoring/proposals by role, on both back-ends: a red proposal is refused to the duty officer (403) and
confirmed by the commander; township staff read only their township's; a viewer decides nothing."""
from __future__ import annotations

from dashboard.app import create_app
from services.monitoring.proposals import raise_proposals
from tests.conftest import call, signed_in
from tests.services.test_warning_proposals import cand, sql, world  # noqa: F401 — the fixture

ROOT = "/api/v1/monitoring/proposals"


def test_red_is_refused_to_the_duty_officer_and_confirmed_by_the_commander(world):  # noqa: F811
    settings, ids, home, away, st = world
    [p] = call(settings, raise_proposals, [cand(ids["A"], "红", st)])
    server = create_app(settings).server

    def client(role, township=None):
        return signed_in(server.test_client(), settings, role, township)

    refused = client("duty").post(f"{ROOT}/{p.proposal_id}/confirm", json={})
    assert refused.status_code == 403 and "warning.confirm_red" in refused.get_json()["reason_en"]
    assert client("viewer").post(f"{ROOT}/{p.proposal_id}/reject", json={"reason": "x"}).status_code == 403
    assert client("viewer").get(ROOT).get_json()["proposals"][0]["level"] == "红"
    assert client("township", away).get(ROOT).get_json()["proposals"] == []
    assert client("township", away).get(f"{ROOT}/{p.proposal_id}").status_code == 403
    assert [x["id"] for x in client("township", home).get(ROOT).get_json()["proposals"]] == [p.proposal_id]
    assert client("duty").post(f"{ROOT}/{p.proposal_id}/confirm", data="{}").status_code == 415
    done = client("commander").post(f"{ROOT}/{p.proposal_id}/confirm", json={"note": "立即转移"})
    assert done.status_code == 200, done.get_json()
    answer = done.get_json()
    assert answer["proposal"]["status"] == "已确认" and answer["plan_people"] == 5 and answer["plan_assigned"] == 5
    assert sql(settings, "SELECT level FROM warning WHERE id = :w", w=answer["warning_id"]) == [("红",)]
    assert client("commander").post(f"{ROOT}/{p.proposal_id}/confirm", json={}).status_code == 409
    assert client("commander").post(f"{ROOT}/999999/confirm", json={}).status_code == 404

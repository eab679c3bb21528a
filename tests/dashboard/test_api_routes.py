"""The supply-route planning API on the seeded sample: an empty body plans (no 500), a busy planner answers 503."""
from __future__ import annotations

import dataclasses
import json
import threading

from config import RouteSolverLimits
from dashboard.app import create_app
from tests.conftest import signed_in


def test_an_empty_body_plans_every_housed_shelter_and_answers_plain_json(seeded):
    client = signed_in(create_app(seeded).server.test_client(), seeded)
    response = client.post("/api/v1/routes/plan", json={})
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    body = json.loads(response.get_data(as_text=True))
    stops = [s for v in body["vehicles"] for s in v["stops"]]
    assert stops and any(s["latest_s"] is not None for s in stops)  # time-windowed stops are in the answer
    assert all(isinstance(s["late"], bool) and isinstance(s["eta_s"], int) for s in stops)


def test_a_plan_while_the_solver_is_taken_waits_then_answers_503_with_the_reason(seeded, monkeypatch):
    from services.supply import routes
    settings = dataclasses.replace(seeded, route_solver=RouteSolverLimits(slots=1, queue=1, wait_s=0.2))
    app = create_app(settings).server
    started, release, real = threading.Event(), threading.Event(), routes.solve_deliveries

    def slow_solve(problem, seconds, **options):
        started.set()
        release.wait(20)
        return real(problem, seconds, **options)

    monkeypatch.setattr(routes, "solve_deliveries", slow_solve)
    first: list = []
    thread = threading.Thread(target=lambda: first.append(
        signed_in(app.test_client(), settings).post("/api/v1/routes/plan", json={"seconds": 0.5})), daemon=True)
    thread.start()
    try:
        assert started.wait(30)
        busy = signed_in(app.test_client(), settings).post("/api/v1/routes/plan", json={"seconds": 0.5})
        assert busy.status_code == 503
        assert busy.get_json() == {"error": "busy", "reason": "规划任务繁忙，请稍后重试",
                                   "reason_en": "the route planner is busy, try again shortly"}
        assert busy.headers["Retry-After"] == "1"
    finally:
        release.set()
        thread.join(30)
    assert first[0].status_code == 200 and first[0].get_json()["vehicles"]
    monkeypatch.setattr(routes, "solve_deliveries", real)
    assert signed_in(app.test_client(), settings).post("/api/v1/routes/plan", json={"seconds": 0.5}).status_code == 200

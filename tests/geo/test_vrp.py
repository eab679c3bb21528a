"""Vehicle routing: a hand-made CVRPLIB file through the command line, and the delivery model on known answers."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from geo.vrp import (
    DeliveryProblem,
    Truck,
    Visit,
    schedule,
    solve_deliveries,
    solve_vrplib,
)

LINE4 = Path(__file__).resolve().parents[1] / "data" / "line4.vrp"
ROOT = Path(__file__).resolve().parents[2]


def test_known_optimum_of_four_customers_on_two_lines():
    # Depot at (0,0); customers at 10 and 20 on each axis, 5 units each, trucks of 10: the optimum
    # drives out and back along each axis, 2 × (20 + 20) = 80.
    result = solve_vrplib(LINE4, seconds=0.5)
    assert result["feasible"] and result["cost"] == 80 and result["vehicles"] == 2
    assert sorted(sorted(r) for r in result["routes"]) == [[2, 3], [4, 5]]


def test_command_line_prints_json_and_refuses_a_missing_file(tmp_path):
    done = subprocess.run([sys.executable, "app.py", "solve-vrp", str(LINE4), "--seconds", "0.5"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0
    assert json.loads(done.stdout)["cost"] == 80
    missing = subprocess.run([sys.executable, "app.py", "solve-vrp", str(tmp_path / "none.vrp")], cwd=ROOT,
                             capture_output=True, text=True, timeout=60)
    assert missing.returncode == 2 and "no such file" in missing.stderr


def test_malformed_file_is_refused(tmp_path):
    bad = tmp_path / "bad.vrp"
    bad.write_text("NAME : bad\nDIMENSION : x\n", encoding="utf-8")
    with pytest.raises(ValueError, match="bad.vrp is not a readable VRPLIB instance"):
        solve_vrplib(bad, seconds=0.1)


def _three_places():
    """A depot (0) and two shelters (1, 2); one way round (0→1→2→0, 1400 s) is shorter than the other (2000 s)."""
    seconds = np.array([[0, 600, 900], [700, 0, 300], [500, 400, 0]], dtype=float)
    return seconds, seconds * 10


def test_deliveries_known_answer_etas_windows_and_payloads():
    seconds, metres = _three_places()
    truck = Truck(depot=0, payload_kg=100, volume_m3=1, name="T1")
    free = DeliveryProblem(seconds, metres, 1, [truck], [Visit(1, 60, 0.1), Visit(2, 30, 0.1)], service_s=100,
                           shift_s=10_000)
    plan = solve_deliveries(free, 0.3)
    (route,) = plan.routes
    assert plan.feasible and plan.unvisited == [] and route.distance_m == 14_000
    assert [(s.visit, s.eta_s, s.late) for s in route.stops] == [(0, 600, False), (1, 1000, False)]
    # place 2 by 900 s: the longer way round, which arrives there at 900 and at place 1 at 900 + 100 + 400
    windowed = DeliveryProblem(seconds, metres, 1, [truck], [Visit(1, 60, 0.1), Visit(2, 30, 0.1, latest_s=900)],
                               service_s=100, shift_s=10_000)
    (route,) = solve_deliveries(windowed, 0.3).routes
    assert [(s.visit, s.eta_s, s.late) for s in route.stops] == [(1, 900, False), (0, 1400, False)]
    assert route.distance_m == 20_000
    impossible = DeliveryProblem(seconds, metres, 1, [truck], [Visit(1, 60, 0.1, latest_s=10)], service_s=100,
                                 shift_s=10_000)
    plan = solve_deliveries(impossible, 0.3)
    assert plan.unvisited == [0] and plan.routes == []


def test_deliveries_respect_payload_and_volume():
    seconds, metres = _three_places()
    visits = [Visit(1, 60, 0.2), Visit(2, 30, 0.2), Visit(1, 50, 0.2), Visit(2, 10, 0.7)]
    trucks = [Truck(0, 100, 1.0, "T1"), Truck(0, 100, 1.0, "T2")]
    plan = solve_deliveries(DeliveryProblem(seconds, metres, 1, trucks, visits, 100, 10_000), 0.5)
    assert plan.unvisited == []  # 150 kg and 1.3 m³ fit in two trucks, not in one
    assert len(plan.routes) == 2
    for route in plan.routes:
        assert sum(visits[s.visit].kg for s in route.stops) <= 100
        assert sum(visits[s.visit].m3 for s in route.stops) <= 1.0
    one = solve_deliveries(DeliveryProblem(seconds, metres, 1, trucks[:1], visits, 100, 10_000), 0.5)
    carried = [visits[s.visit] for r in one.routes for s in r.stops]
    assert one.unvisited and sum(v.kg for v in carried) <= 100 and sum(v.m3 for v in carried) <= 1.0


def test_schedule_adds_travel_and_service_and_tells_lateness():
    seconds, metres = _three_places()
    visits = [Visit(1, 1, 0, latest_s=600), Visit(2, 1, 0, latest_s=999), Visit(1, 1, 0, latest_s=1799)]
    problem = DeliveryProblem(seconds, metres, 1, [Truck(0, 10, 1)], visits, service_s=100, shift_s=10_000)
    stops = schedule(problem, 0, [0, 1, 2])  # 0 →600→ 1 →(100 + 300)→ 2 →(100 + 400)→ 1
    assert [(s.eta_s, s.late) for s in stops] == [(600, False), (1000, True), (1500, False)]
    assert [s.visit for s in schedule(problem, 0, [1, 0])] == [1, 0]
    assert [s.late for s in schedule(problem, 0, [1, 0])] == [False, True]  # 900 ok; 900 + 100 + 400 > 600

"""Vehicle routing on a hand-made CVRPLIB file, through the command line as a user would run it."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from geo.vrp import solve_vrplib

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

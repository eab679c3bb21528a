"""Benchmark: the PNG print export (GET /api/v1/export/map.png) on a seeded SQLite database, in process.

1. A4 at 150 dpi with the default layers, ``--repeat`` times: the first request (which starts the render
   worker) and the median of the rest; then A3 at 300 dpi.
2. Refused frames: the hair-thin bbox that once rendered for over 15 minutes and the whole world (once a 500);
   the time until they are answered 400.

    python bench/map_export.py [--repeat 8]
"""
from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from _common import emit, print_machine  # noqa: E402


def _timed(client, query: str) -> tuple[int, float]:
    started = time.perf_counter()
    status = client.get(f"/api/v1/export/map.png?{query}").status_code
    return status, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=8)
    args = parser.parse_args()
    print_machine()
    from config import load_settings
    from dashboard.app import create_app
    from services.data.seed import setup_database
    with tempfile.TemporaryDirectory(prefix="qj_export_") as tmp:
        settings = dataclasses.replace(load_settings(), database_url=f"sqlite:///{tmp}/export.sqlite3",
                                       instance_dir=Path(tmp))
        setup_database(settings, with_sample=True)
        client = create_app(settings).server.test_client()
        a4 = [_timed(client, "paper=a4&dpi=150") for _ in range(args.repeat)]
        a3 = [_timed(client, "paper=a3&dpi=300") for _ in range(3)]
        refused = {name: _timed(client, f"bbox={bbox}") for name, bbox in (
            ("hair_thin", "108.7,29.5,108.7000001,29.5000001"), ("whole_world", "-180,-90,180,90"))}
    result = {"a4_150dpi_first_s": round(a4[0][1], 2),
              "a4_150dpi_median_s": round(statistics.median(t for _, t in a4[1:]), 2),
              "a3_300dpi_median_s": round(statistics.median(t for _, t in a3), 2),
              "statuses": sorted({s for s, _ in a4 + a3}),
              **{f"{name}_status": s for name, (s, _) in refused.items()},
              **{f"{name}_answer_s": round(t, 3) for name, (_, t) in refused.items()}}
    for key, value in result.items():
        print(f"{key:24} {value}")
    emit(result)


if __name__ == "__main__":  # the render worker re-imports the main module: run only when started directly
    main()

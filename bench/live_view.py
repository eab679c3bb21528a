"""Benchmark: the duty officer's live view (值班态势).

1. Latency: two chromium pages on /duty; an incident is reported through the API and the time until the
   other page shows it is measured (the page polls a change counter every 3 s), 5 times.
2. Load: 20 open live views in one headless chromium; the app server's CPU (user + system time of its
   process, from /proc) over 30 s while they poll, as a share of one core and of the machine's cores.

    python bench/live_view.py [--views 20] [--seconds 30]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import clean_env, emit, free_port, print_machine, run_app, served_app, sign_in  # noqa: E402
from page_load import CHROMIUM, CHROMIUM_ARGS  # noqa: E402


def _post(base: str, path: str, body: dict) -> dict:
    request = urllib.request.Request(base + path, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        return json.load(response)


def _server_pid(port: str) -> int:
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                env = Path(f"/proc/{pid}/environ").read_bytes().decode(errors="replace")
            except OSError:
                continue
            if "app.py serve" in cmd and f"PORT={port}" in env:
                return int(pid)
    raise RuntimeError("app server process not found")


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--views", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30)
    args = parser.parse_args()
    print_machine()
    from playwright.sync_api import sync_playwright
    with tempfile.TemporaryDirectory(prefix="qj_live_") as tmp:
        port = str(free_port())
        env = clean_env(DATABASE_URL=f"sqlite:///{tmp}/live.sqlite3", PORT=port)
        run_app(["seed"], env)
        with served_app(env, Path(tmp) / "serve.log") as base, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            watcher = browser.new_page()
            sign_in(watcher, base)
            watcher.goto(base + "/duty")
            watcher.wait_for_selector(".duty-card")
            latencies = []
            for i in range(5):
                title = f"延迟测试{i}"
                started = time.perf_counter()
                _post(base, "/api/v1/incidents", {"title": title, "kind": "滑坡", "level": "Ⅳ",
                                                  "lon": 108.7748, "lat": 29.5328})
                watcher.wait_for_function(f"() => document.body.innerText.includes('{title}')", timeout=30_000)
                latencies.append(time.perf_counter() - started)
            pages = []
            for _ in range(args.views):
                page = browser.new_page()
                sign_in(page, base)
                page.goto(base + "/duty")
                pages.append(page)
            for page in pages:
                page.wait_for_selector(".duty-card")
            pid = _server_pid(port)
            cpu0, wall0 = _cpu_seconds(pid), time.perf_counter()
            deadline = wall0 + args.seconds
            changes = 0
            while time.perf_counter() < deadline:  # a change every 5 s, so the views also redraw
                time.sleep(5)
                _post(base, "/api/v1/incidents", {"title": f"负载{changes}", "kind": "洪涝", "level": "Ⅳ",
                                                  "lon": 108.7748, "lat": 29.5328})
                changes += 1
            cpu = _cpu_seconds(pid) - cpu0
            wall = time.perf_counter() - wall0
            browser.close()
    cores = os.cpu_count() or 1
    result = {"latency_s": {"median": round(statistics.median(latencies), 2), "max": round(max(latencies), 2)},
              "views": args.views, "window_s": round(wall, 1), "changes": changes,
              "server_cpu_share_of_one_core": round(cpu / wall, 3), "server_cpu_share_of_machine": round(cpu / wall / cores, 3)}
    print(result)
    emit(result)


if __name__ == "__main__":
    main()

"""Helpers shared by the benchmark scripts: machine facts, free ports, a served app, timing statistics.

Everything here talks to 127.0.0.1 only; servers run in their own process group and are killed with it.
"""
from __future__ import annotations

import datetime as dt
import json
import math
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCAL = "127.0.0.1"
RESULT_PREFIX = "BENCH_RESULT "

# urllib without any proxy from the environment: every request stays on 127.0.0.1.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def machine() -> dict[str, str]:
    """nproc, CPU model, RAM, OS, Python version and the date, as printed in docs/BENCHMARKS.md."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    os_name = platform.platform()
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                os_name = line.split("=", 1)[1].strip('"') + f" (kernel {platform.release()})"
    except OSError:
        pass
    date = subprocess.run(["date"], capture_output=True, text=True).stdout.strip()
    return {"nproc": str(os.cpu_count()), "cpu": cpu, "ram": ram, "os": os_name,
            "python": platform.python_version(), "date": date or dt.datetime.now().isoformat()}


def code_state() -> str:
    """The commit measured, and how many files outside bench/ differ from it in the work tree."""
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.rstrip("\n")
    head = git("rev-parse", "--short", "HEAD") or "unknown"
    changed = [line[3:] for line in git("status", "--porcelain").splitlines() if not line[3:].startswith("bench/")]
    return f"{head}" + (f" + {len(changed)} uncommitted file(s): {', '.join(changed)}" if changed else " (clean)")


def print_machine() -> None:
    m = machine()
    print(f"machine: {m['nproc']} CPU ({m['cpu']}), {m['ram']} RAM, {m['os']}, Python {m['python']}")
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"date:    {m['date']}  (load average {load}: other work on the machine skews the figures)")
    print(f"code:    {code_state()}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind((LOCAL, 0))
        return s.getsockname()[1]


def summary(values_s: list[float]) -> dict[str, float]:
    """Median, p95 (nearest rank), min and max of timings in seconds, returned in milliseconds."""
    ordered = sorted(values_s)
    p95 = ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]
    return {"n": len(ordered), "median_ms": statistics.median(ordered) * 1000, "p95_ms": p95 * 1000,
            "min_ms": ordered[0] * 1000, "max_ms": ordered[-1] * 1000}


def http_fetch(url: str, timeout_s: float = 30.0,
               headers: dict | None = None) -> tuple[int, dict[str, str], bytes, float]:
    """(status, headers, body as sent on the wire, seconds from sending the request to its last byte)."""
    assert url.startswith(f"http://{LOCAL}:"), f"refusing a non-local URL: {url}"
    request = urllib.request.Request(url, headers=headers or {})
    started = time.perf_counter()
    try:
        with _OPENER.open(request, timeout=timeout_s) as response:
            body = response.read()
            status, response_headers = response.status, dict(response.headers)
    except urllib.error.HTTPError as exc:
        body, status, response_headers = exc.read(), exc.code, dict(exc.headers)
    return status, response_headers, body, time.perf_counter() - started


def http_get(url: str, timeout_s: float = 30.0, headers: dict | None = None) -> tuple[int, bytes, float]:
    """(status, body, seconds from sending the request to the last byte of the body)."""
    status, _, body, seconds = http_fetch(url, timeout_s, headers)
    return status, body, seconds


def try_get(url: str, timeout_s: float = 5.0) -> tuple[int, bytes]:
    """Like http_get but (0, b"") while nothing listens yet."""
    try:
        status, body, _ = http_get(url, timeout_s)
        return status, body
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return 0, b""


def clean_env(**overrides: str) -> dict[str, str]:
    """The current environment without the app's settings, plus ``overrides``."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "PORT", "HOST") and not k.startswith("QJ_")}
    for proxy in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        env.pop(proxy, None)
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
    env["HOST"] = LOCAL
    env.update(overrides)
    return env


def run_app(args: list[str], env: dict[str, str], timeout_s: float = 300.0) -> float:
    """Run ``python app.py ARGS`` to completion; returns its wall time in seconds."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, str(ROOT / "app.py"), *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout_s)
    if done.returncode != 0:
        raise RuntimeError(f"app.py {' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return time.perf_counter() - started


def kill_group(proc: subprocess.Popen, grace_s: float = 10.0) -> None:
    """SIGTERM the process group of ``proc`` (started with start_new_session=True), then SIGKILL."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout=grace_s)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(timeout=grace_s)


def wait_until(check, timeout_s: float, what: str, proc: subprocess.Popen | None = None,
               interval_s: float = 0.05):
    """Poll ``check()`` until it returns something truthy; fails on timeout or if ``proc`` exits."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process exited ({proc.returncode}) while waiting for {what}")
        time.sleep(interval_s)
    raise TimeoutError(f"timed out after {timeout_s:.0f} s waiting for {what}")


@contextmanager
def served_app(env: dict[str, str], log_path: Path, start_timeout_s: float = 120.0):
    """``python app.py serve`` in its own process group; yields the base URL once /healthz answers 200.

    The first admin gets BENCH_PASSWORD (unless the environment names one) and an API token, which every
    urllib request of this process to that server carries (``TOKENS``); a browser signs in with ``sign_in``.
    """
    port = env["PORT"]
    base = f"http://{LOCAL}:{port}"
    env = {**env, "QJ_ADMIN_PASSWORD": env.get("QJ_ADMIN_PASSWORD") or BENCH_PASSWORD}
    with open(log_path, "wb") as log:
        proc = subprocess.Popen([sys.executable, str(ROOT / "app.py"), "serve"], cwd=ROOT, env=env,
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            wait_until(lambda: try_get(f"{base}/healthz")[0] == 200, start_timeout_s, f"{base}/healthz", proc)
            TOKENS[base] = _token(env)
            yield base
        except BaseException:
            log.flush()
            print(Path(log_path).read_text(errors="replace")[-3000:], file=sys.stderr)
            if proc.poll() is not None:
                print(f"the server had exited with code {proc.returncode} (negative: killed by that signal)",
                      file=sys.stderr)
            raise
        finally:
            kill_group(proc)


BENCH_PASSWORD = "bench password 1"
TOKENS: dict[str, str] = {}  # base URL -> the admin's API token


def _token(env: dict[str, str]) -> str:
    out = subprocess.run([sys.executable, str(ROOT / "app.py"), "users", "token", "admin", "--label", "bench"],
                         cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return out.stdout.strip().splitlines()[-1]


class _Bearer(urllib.request.BaseHandler):
    def http_request(self, req):
        for base, token in TOKENS.items():
            if req.full_url.startswith(base + "/"):
                req.add_unredirected_header("Authorization", f"Bearer {token}")
        return req


urllib.request.install_opener(urllib.request.build_opener(_Bearer()))


def auth_header(base: str) -> str:
    return f"Authorization: Bearer {TOKENS[base]}"


def sign_in(page, base: str) -> None:
    """A browser page signs in as the admin through the sign-in form."""
    page.goto(f"{base}/login?next=/healthz")
    page.fill("#username", "admin")
    page.fill("#password", BENCH_PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")


def emit(result: dict) -> None:
    """The machine-readable last line, read by bench/run_all.py."""
    print(RESULT_PREFIX + json.dumps(result, ensure_ascii=False), flush=True)

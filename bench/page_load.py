"""Benchmark: loading the map page (/) in headless chromium until the point layers are drawn.

Serves the app on a SQLite database seeded in a temporary folder, then opens http://127.0.0.1:PORT/
``--repeat`` times, each in a new browser context (empty cache), and measures from navigation start:
DOMContentLoaded, load, the last /api/v1/layers/* response, and "point layers drawn": the animation
frame at which ``window.qj.rendered`` (features turned into markers, per layer, kept by
dashboard/assets/qj_map.js) last changed, once every layer response is in and the counts have stayed
the same for 500 ms; never earlier than the last layer response. Clustered points are not counted by
qj.rendered, so the criterion is "settled", not "every feature counted".

Also the bytes transferred and the waterfall in between (first paint, /_dash-layout, the page's
callbacks, the first layer request). Chromium resolves no host name but 127.0.0.1, and any request to
another host is recorded and makes the run fail.

    python bench/page_load.py [--repeat 5] [--timeout 60]
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (  # noqa: E402
    sign_in,
    LOCAL,
    clean_env,
    emit,
    free_port,
    print_machine,
    run_app,
    served_app,
)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 # any other host name resolves to nothing: no request can leave 127.0.0.1, and unlike
                 # Playwright's request interception this costs the page no time
                 "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
LAYER_PREFIX = "/api/v1/layers/"

# Runs before any page script: remembers the first frame at which window.qj.rendered changed last.
_FRAME_WATCH = """
(() => {
  const w = window;
  w.__qjBench = {snapshot: null, changedAt: null, frames: 0};
  const tick = (ts) => {
    const r = w.qj && w.qj.rendered;
    const snap = r ? JSON.stringify(r) : null;
    if (snap !== w.__qjBench.snapshot) { w.__qjBench.snapshot = snap; w.__qjBench.changedAt = ts; }
    w.__qjBench.frames += 1;
    w.requestAnimationFrame(tick);
  };
  w.requestAnimationFrame(tick);
})();
"""

SETTLE_MS = 500

_STATE = """
() => {
  const layers = performance.getEntriesByType('resource')
    .filter(e => new URL(e.name).pathname.startsWith('%s') && e.responseEnd > 0);
  return {now: performance.now(), rendered: window.qj && window.qj.rendered ? window.qj.rendered : null,
          changed_at: window.__qjBench.changedAt, layers_done: layers.length,
          layers_end: layers.length ? Math.max(...layers.map(e => e.responseEnd)) : null};
}
""" % LAYER_PREFIX

_TIMINGS = """
() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const res = performance.getEntriesByType('resource');
  const path = (e) => new URL(e.name).pathname;
  const layers = res.filter(e => path(e).startsWith('%s'));
  const callbacks = res.filter(e => path(e) === '/_dash-update-component');
  const layout = res.find(e => path(e) === '/_dash-layout');
  const fcp = performance.getEntriesByType('paint').find(e => e.name === 'first-contentful-paint');
  return {
    fcp: fcp ? fcp.startTime : null,
    dash_layout_end: layout ? layout.responseEnd : null,
    callbacks_end: callbacks.length ? Math.max(...callbacks.map(e => e.responseEnd)) : null,
    layers_start: layers.length ? Math.min(...layers.map(e => e.startTime)) : null,
    dcl: nav.domContentLoadedEventEnd, load: nav.loadEventEnd,
    transfer: nav.transferSize + res.reduce((s, e) => s + e.transferSize, 0),
    decoded: nav.decodedBodySize + res.reduce((s, e) => s + e.decodedBodySize, 0),
    requests: 1 + res.length,
    layers_end: layers.length ? Math.max(...layers.map(e => e.responseEnd)) : null,
    layer_bytes: layers.reduce((s, e) => s + e.transferSize, 0),
    rendered: window.qj && window.qj.rendered ? window.qj.rendered : null,
    rendered_at: window.__qjBench ? window.__qjBench.changedAt : null,
  };
}
""" % LAYER_PREFIX


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("data", "blob", "about") or parts.hostname == LOCAL


def load_once(browser, base: str, timeout_s: float) -> dict:
    context = browser.new_context(viewport={"width": 1600, "height": 900})
    foreign: list[str] = []
    layer_features: dict[str, int] = {}
    pending: set[str] = set()
    errors: list[str] = []

    def _on_response(response):
        path = urlsplit(response.url).path
        if path.startswith(LAYER_PREFIX):
            try:
                layer_features[path[len(LAYER_PREFIX):]] = len(json.loads(response.body())["features"])
            except Exception as exc:  # noqa: BLE001 — a broken layer response is reported, not hidden
                errors.append(f"{path}: {exc}")
            pending.discard(response.url)

    context.add_init_script(_FRAME_WATCH)
    page = context.new_page()
    sign_in(page, base)
    def _on_request(request):
        if not _is_local(request.url):
            foreign.append(request.url)
        elif urlsplit(request.url).path.startswith(LAYER_PREFIX):
            pending.add(request.url)

    page.on("request", _on_request)
    page.on("response", _on_response)
    page.on("requestfailed", lambda r: errors.append(f"failed: {r.url}"))
    page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
    page.on("console", lambda m: errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    try:
        page.goto(base + "/", wait_until="load", timeout=timeout_s * 1000)
        deadline = time.monotonic() + timeout_s
        drawn = False
        while time.monotonic() < deadline:
            state = page.evaluate(_STATE)
            if layer_features and not pending and state["layers_done"] >= len(layer_features):
                if state["rendered"] is None:
                    break  # no counter on this page: only the network figures are known
                # settled: every layer response in, and the counts unchanged for SETTLE_MS since then
                if state["now"] - max(state["changed_at"] or 0, state["layers_end"] or 0) >= SETTLE_MS:
                    drawn = True
                    break
            page.wait_for_timeout(20)
        timings = page.evaluate(_TIMINGS)
        timings["markers_in_dom"] = page.evaluate("() => document.querySelectorAll('.leaflet-marker-icon').length")
    finally:
        context.close()
    drawn_at = max(timings["rendered_at"] or 0, timings["layers_end"] or 0) if drawn else None
    return {**timings, "drawn": drawn, "drawn_at": drawn_at, "layer_features": layer_features,
            "foreign": foreign, "errors": errors}


def _stat(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "max": max(values), "min": min(values)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per page load")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    print_machine()
    runs = []
    with tempfile.TemporaryDirectory(prefix="qj_bench_page_") as tmp:
        env = clean_env(DATABASE_URL=f"sqlite:///{tmp}/qj.sqlite3", QJ_INSTANCE_DIR=tmp, PORT=str(free_port()))
        run_app(["seed"], env)
        with served_app(env, Path(tmp) / "serve.log") as base, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            try:
                print(f"chromium {browser.version}, {base}/, new context (cold cache) per load")
                for i in range(args.repeat):
                    run = load_once(browser, base, args.timeout)
                    runs.append(run)
                    drawn = (f"drawn {run['drawn_at']:6.0f} ms" if run["drawn"]
                             else "drawn n/a (no window.qj.rendered, or it never settled)")
                    print(f"  load {i + 1}: DOMContentLoaded {run['dcl']:6.0f} ms, load {run['load']:6.0f} ms, "
                          f"layers fetched {run['layers_end']:6.0f} ms, {drawn}, "
                          f"{run['transfer'] / 1e6:.2f} MB in {run['requests']} requests")
            finally:
                browser.close()

    foreign = sorted({u for r in runs for u in r["foreign"]})
    errors = sorted({e for r in runs for e in r["errors"]})
    ok_drawn = [r for r in runs if r["drawn"]]
    def _ms(key: str) -> dict[str, float] | None:
        values = [r[key] for r in runs if r[key] is not None]
        return _stat(values) if len(values) == len(runs) else None

    result = {
        "benchmark": "page_load", "repeat": args.repeat,
        "fcp_ms": _ms("fcp"), "dcl_ms": _ms("dcl"), "load_ms": _ms("load"),
        "dash_layout_ms": _ms("dash_layout_end"), "callbacks_ms": _ms("callbacks_end"),
        "layers_start_ms": _ms("layers_start"), "layers_fetched_ms": _ms("layers_end"),
        "drawn_ms": _stat([r["drawn_at"] for r in ok_drawn]) if len(ok_drawn) == len(runs) else None,
        "transfer_bytes": _stat([r["transfer"] for r in runs]),
        "decoded_bytes": _stat([r["decoded"] for r in runs]),
        "layer_bytes": runs[0]["layer_bytes"], "requests": runs[0]["requests"],
        "layer_features": runs[0]["layer_features"], "rendered": runs[-1]["rendered"],
        "markers_in_dom": runs[-1]["markers_in_dom"],
        "foreign_requests": foreign, "errors": errors,
    }
    print(f"\nmedian / max of {args.repeat} loads (ms from navigation start):")
    for key, label in (("fcp_ms", "first contentful paint"), ("dcl_ms", "DOMContentLoaded"),
                       ("load_ms", "load event"), ("dash_layout_ms", "/_dash-layout received"),
                       ("callbacks_ms", "page callbacks done"), ("layers_start_ms", "first layer request"),
                       ("layers_fetched_ms", "last layer response"), ("drawn_ms", "point layers drawn")):
        s = result[key]
        print(f"  {label:<22} " + (f"{s['median']:7.0f} / {s['max']:7.0f}" if s else "    n/a"))
    t = result["transfer_bytes"]
    print(f"  transferred            {t['median'] / 1e6:7.2f} / {t['max'] / 1e6:7.2f} MB "
          f"(decoded {result['decoded_bytes']['median'] / 1e6:.2f} MB; point layers "
          f"{result['layer_bytes'] / 1e6:.2f} MB) in {result['requests']} requests")
    rendered = result["rendered"] or {}
    print("  features fetched → counted by window.qj.rendered (fewer: clustered or not drawn): " + ", ".join(
        f"{layer} {n}→{rendered.get(layer, 0)}" for layer, n in result["layer_features"].items()))
    print("  other counts: " + ", ".join(f"{k} {v}" for k, v in rendered.items() if k not in result["layer_features"])
          + f"; .leaflet-marker-icon elements in the page: {result['markers_in_dom']}")
    print(f"  requests to hosts other than {LOCAL}: {len(foreign)}" + (f" {foreign}" if foreign else ""))
    if errors:
        print(f"  browser errors ({len(errors)}): " + "; ".join(errors[:5]))
    emit(result)
    return 1 if foreign or len(ok_drawn) != len(runs) else 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: response time and payload of GET /api/v1/layers/enterprises on SQLite and PostGIS.

For each back-end: a fresh database seeded with ``app.py seed``, ``app.py serve`` (waitress) as a
subprocess, then per query 3 warm-up requests and 30 timed ones over real HTTP (urllib, one connection
per request, sequential), once asking for no compression and once with chromium's Accept-Encoding.
Prints median / p95 / max, bytes on the wire and feature counts, then an
in-process breakdown (query + GeoJSON building vs JSON encoding) to show where the time goes.

    python bench/api_layers.py [--repeat 30] [--warmup 3] [--backends sqlite,postgis] [--keep-db]
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import tempfile
import time
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (  # noqa: E402
    LOCAL,
    ROOT,
    clean_env,
    emit,
    free_port,
    http_fetch,
    print_machine,
    run_app,
    served_app,
    summary,
)

ADMIN_URL = os.environ.get("QJ_BENCH_POSTGRES_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
BENCH_DB = "qj_bench"
TOWNSHIP = "500114003"                 # 城西街道, the district seat
BBOX = "108.74,29.49,108.82,29.56"     # the city centre (城东/城西/城南/正阳 in part)
CASES = {
    "all": "/api/v1/layers/enterprises",
    "township": f"/api/v1/layers/enterprises?township={TOWNSHIP}",
    "bbox": f"/api/v1/layers/enterprises?bbox={BBOX}",
    "township+bbox": f"/api/v1/layers/enterprises?township={TOWNSHIP}&bbox={BBOX}",
}
# Measured only where the server accepts them (200); otherwise reported as unsupported.
OPTIONAL_CASES = {
    "all view=map": "/api/v1/layers/enterprises?view=map",
}
# urllib asks for "identity" by itself; the second variant asks as chromium does.
ENCODINGS = {"identity": {}, "browser": {"Accept-Encoding": "gzip, deflate, br, zstd"}}


def _decode(body: bytes, encoding: str | None) -> bytes | None:
    if not encoding or encoding == "identity":
        return body
    if encoding == "gzip":
        return gzip.decompress(body)
    if encoding == "deflate":
        return zlib.decompress(body)
    if encoding == "br":
        try:
            import brotli
        except ImportError:
            return None
        return brotli.decompress(body)
    if encoding == "zstd":
        try:
            from compression import zstd  # Python 3.14
        except ImportError:
            try:
                from backports import (
                    zstd,  # installed with Flask-Compress on older Pythons
                )
            except ImportError:
                return None
        return zstd.decompress(body)
    return None


def _postgres_url(name: str) -> str:
    return ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


def _recreate_postgres_db() -> str:
    from sqlalchemy import create_engine, text
    assert "@127.0.0.1" in ADMIN_URL, "PostGIS must be on 127.0.0.1"
    engine = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{BENCH_DB}"'))
    engine.dispose()
    return _postgres_url(BENCH_DB)


def _drop_postgres_db() -> None:
    from sqlalchemy import create_engine, text
    engine = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)'))
    engine.dispose()


def _measure_http(base: str, repeat: int, warmup: int) -> dict[str, dict]:
    results = {}
    for case, path in {**CASES, **OPTIONAL_CASES}.items():
        url = base + path
        status, _, body, _ = http_fetch(url)
        if status != 200:
            if case in OPTIONAL_CASES:
                results[case] = {"path": path, "unsupported": status}
                continue
            raise AssertionError(f"{url} answered {status}: {body[:300]!r}")
        features = len(json.loads(body)["features"])
        row = {"path": path, "features": features, "bytes": len(body), "gzip6_bytes": len(gzip.compress(body, 6))}
        for name, headers in ENCODINGS.items():
            for _ in range(warmup):
                http_fetch(url, headers=headers)
            times = []
            for _ in range(repeat):
                status, response_headers, body, seconds = http_fetch(url, headers=headers)
                assert status == 200, f"{url} answered {status}"
                times.append(seconds)
            encoding = response_headers.get("Content-Encoding")
            decoded = _decode(body, encoding)
            if decoded is not None:
                assert len(json.loads(decoded)["features"]) == features, f"{url}: {encoding} body differs"
            row[name] = {"content_encoding": encoding or "identity", "wire_bytes": len(body), **summary(times)}
        results[case] = row
    return results


def _measure_in_process(database_url: str, repeat: int) -> dict[str, float]:
    """Where the time goes for the full layer: SQL + feature dicts (point_layer) vs JSON encoding."""
    import dataclasses
    sys.path.insert(0, str(ROOT))
    from config import load_settings
    from dashboard.app import create_app
    from services.db.uow import unit_of_work
    from services.map.layers import point_layer
    settings = dataclasses.replace(load_settings(), database_url=database_url)
    app = create_app(settings)
    build, encode, total = [], [], []
    with app.server.app_context():
        for i in range(repeat + 3):
            t0 = time.perf_counter()
            with unit_of_work(settings) as uow:
                layer = point_layer(uow, "enterprises").to_geojson()
            t1 = time.perf_counter()
            app.server.json.response(layer).get_data()
            t2 = time.perf_counter()
            if i >= 3:
                build.append(t1 - t0)
                encode.append(t2 - t1)
                total.append(t2 - t0)
    return {"point_layer_median_ms": summary(build)["median_ms"],
            "jsonify_median_ms": summary(encode)["median_ms"],
            "total_median_ms": summary(total)["median_ms"]}


def bench_backend(backend: str, repeat: int, warmup: int, workdir: Path, keep_db: bool) -> dict:
    if backend == "sqlite":
        url = f"sqlite:///{workdir / 'qj_bench.sqlite3'}"
    else:
        url = _recreate_postgres_db()
    env = clean_env(DATABASE_URL=url, QJ_INSTANCE_DIR=str(workdir), PORT=str(free_port()))
    try:
        seed_s = run_app(["seed"], env)
        with served_app(env, workdir / f"serve-{backend}.log") as base:
            http = _measure_http(base, repeat, warmup)
        in_process = _measure_in_process(url, min(repeat, 10))
    finally:
        if backend == "postgis" and not keep_db:
            from services.db import get_engine
            get_engine(url).dispose()
            _drop_postgres_db()
    return {"backend": backend, "seed_s": seed_s, "http": http, "in_process_all": in_process}


def _print_backend(result: dict) -> None:
    print(f"\n[{result['backend']}]  (app.py seed on the fresh database: {result['seed_s']:.1f} s)")
    print(f"  {'query':<14} {'features':>8} {'encoding':>9} {'on wire':>9} {'median':>9} {'p95':>9} {'max':>9}")
    for case, r in result["http"].items():
        if "unsupported" in r:
            print(f"  {case:<14} not supported by this server (HTTP {r['unsupported']})")
            continue
        for i, name in enumerate(ENCODINGS):
            e = r[name]
            label, count = (case, str(r["features"])) if i == 0 else ("", "")
            print(f"  {label:<14} {count:>8} {e['content_encoding']:>9} {e['wire_bytes']:>9} "
                  f"{e['median_ms']:>7.1f}ms {e['p95_ms']:>7.1f}ms {e['max_ms']:>7.1f}ms")
    ip = result["in_process_all"]
    print(f"  in process, full layer: point_layer() {ip['point_layer_median_ms']:.1f} ms + "
          f"JSON encoding {ip['jsonify_median_ms']:.1f} ms = {ip['total_median_ms']:.1f} ms (medians)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--backends", default="sqlite,postgis")
    parser.add_argument("--keep-db", action="store_true", help=f"keep the PostGIS database {BENCH_DB}")
    args = parser.parse_args(argv)
    print_machine()
    print(f"GET /api/v1/layers/enterprises over HTTP to {LOCAL} (waitress, 8 threads), "
          f"{args.warmup} warm-ups + {args.repeat} sequential requests per query and Accept-Encoding "
          f"(identity; as chromium: {ENCODINGS['browser']['Accept-Encoding']})")
    results = []
    with tempfile.TemporaryDirectory(prefix="qj_bench_api_") as tmp:
        for backend in args.backends.split(","):
            try:
                result = bench_backend(backend, args.repeat, args.warmup, Path(tmp), args.keep_db)
            except Exception as exc:  # noqa: BLE001 — report the other back-end all the same
                print(f"\n[{backend}] FAILED: {type(exc).__name__}: {exc}", file=sys.stderr)
                results.append({"backend": backend, "error": f"{type(exc).__name__}: {exc}"})
                continue
            _print_backend(result)
            results.append(result)
    emit({"benchmark": "api_layers", "results": results})
    return 1 if any("error" in r for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())

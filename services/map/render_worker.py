"""PNG map exports drawn in a worker process under a time limit: matplotlib cannot be interrupted in a thread,
so a render past the limit is stopped by ending its process, and the caller answers 503 instead of hanging.

One worker process is kept warm (matplotlib and fonts loaded) and replaced after a render is stopped. Renders
take turns: a request waits at most the limit for its turn, then at most the limit for its render. The worker
gets the collected view (plain data), never a database session.
"""
from __future__ import annotations

import atexit
import multiprocessing
import os
import threading
from multiprocessing.pool import Pool

from services.map.export_html import MapView
from services.text import both

# Imported once by the fork server, so each worker (a new one after a stopped render, too) starts with them.
_PRELOAD = ["services.map.export_png", "matplotlib.backends.backend_agg", "matplotlib.figure"]
_lock = threading.Lock()  # held by the request whose render the worker is drawing
_pool: Pool | None = None


class RenderTimeout(Exception):
    """A render that did not finish within the limit (or could not start): a server condition, not bad input."""

    def __init__(self, code: str, **params):
        self.code, self.params = code, params
        self.reason, self.reason_en = both(code, **params)
        super().__init__(self.reason_en)


def _context():
    """forkserver where there is one: safe to start from a threaded server, and workers fork from a process that
    has matplotlib loaded already; spawn elsewhere."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(_PRELOAD)  # no effect once the fork server runs
        return context
    return multiprocessing.get_context("spawn")


def _warm_up() -> None:
    """Worker initializer: load matplotlib and register the CJK font before the first render asks for them."""
    import matplotlib.backends.backend_agg  # noqa: F401, PLC0415

    from services.map.export_png import font_families  # noqa: PLC0415
    font_families()


def _render(view: MapView) -> bytes:
    from services.map.export_png import render_view  # noqa: PLC0415
    return render_view(view)


def _worker_pool() -> Pool:
    """The warm worker, started on first use; call with ``_lock`` held."""
    global _pool
    if _pool is None:
        _pool = _context().Pool(processes=1, initializer=_warm_up)
    return _pool


@atexit.register
def _shutdown() -> None:
    """End the worker (SIGTERM stops it even inside Agg's C loops); at exit too, before the interpreter tears
    down what Pool.__del__ would still need."""
    global _pool
    if _pool is not None:
        _pool.terminate()
        _pool.join()
        _pool = None


def _replace_worker() -> None:
    """End the worker and start its replacement now, not in the next request's time; call with ``_lock`` held."""
    _shutdown()
    _worker_pool()


def render_view_limited(view: MapView, limit_s: float) -> bytes:
    """PNG of ``view`` drawn in the worker; raises RenderTimeout when the turn or the render exceeds ``limit_s``."""
    if not _lock.acquire(timeout=limit_s):
        raise RenderTimeout("render.busy", limit=f"{limit_s:g}")
    try:
        job = _worker_pool().apply_async(_render, (view,))
        try:
            return job.get(timeout=limit_s)
        except multiprocessing.TimeoutError:
            _replace_worker()
            raise RenderTimeout("render.timeout", limit=f"{limit_s:g}") from None
    finally:
        _lock.release()


def worker_pid(timeout_s: float = 60.0) -> int:
    """The process id of the current worker (starting it if needed): lets a test see it replaced."""
    with _lock:
        return _worker_pool().apply_async(os.getpid).get(timeout=timeout_s)

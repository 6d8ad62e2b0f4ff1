"""One backbone per process, built in the background.

Importing torch and building VGG16 takes seconds on a small CPU. A page calls
:func:`start` first thing, shows the photo and the drawing canvas, and only
then waits in :func:`backbone`. Every session of the server shares the one
backbone. This module itself imports no torch, so calling :func:`start` costs
nothing.
"""
from __future__ import annotations

import sys
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor

_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="roi-viz-model")
_future: Future | None = None
_lock = threading.Lock()


def _load():
    from .features import load_backbone  # torch is imported here, off the page's thread

    t0 = time.perf_counter()
    backbone = load_backbone()
    # The server's log says how often the model was built: once per process (the load tests check it).
    print(f"[roi-viz] VGG16 loaded ({time.perf_counter() - t0:.1f} s)", file=sys.stderr, flush=True)
    return backbone


def start() -> Future:
    """Start building the backbone if nobody has yet; return its future."""
    global _future
    with _lock:
        if _future is None:
            _future = _executor.submit(_load)
        return _future


def backbone(timeout: float | None = None):
    """The process's :class:`~roi_viz.model.features.Backbone`, waiting while it loads."""
    return start().result(timeout)


def ready() -> bool:
    return start().done()

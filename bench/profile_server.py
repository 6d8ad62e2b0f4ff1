"""Run ``streamlit run ...`` with cProfile in every thread, switched on and dumped by signals.

    python bench/profile_server.py OUT.prof run app.py --server.port 8501 ...

Why not ``python -m cProfile``: it profiles the main thread only, and Streamlit runs each
script run in a thread of its own (and sends the deltas from the event loop's thread).
Here each thread gets its own ``cProfile.Profile``, created at the thread's first Python
call once profiling is on, timed by the thread's own CPU clock, and the dump merges them all.

- ``SIGUSR1``: start profiling (so the warm-up before it is not counted);
- ``SIGUSR2``: write the merged statistics to OUT.prof (``pstats`` format), then
  ``OUT.prof.done`` so that the caller knows the file is complete.

``bench_protocol.py --profile OUT.prof`` does both around its rounds and prints the top calls.
"""
from __future__ import annotations

import cProfile
import marshal
import signal
import sys
import threading
import time
from pathlib import Path

OUT = Path(sys.argv[1])
_on = threading.Event()
_profilers: list[cProfile.Profile] = []
_lock = threading.Lock()


def _start_here() -> None:
    # CPU time of this thread, not wall time: with the GIL shared, a thread's wall time counts the
    # others' work too (a figure's draw "took" seconds while other threads ran).
    prof = cProfile.Profile(time.thread_time)
    with _lock:
        _profilers.append(prof)
    prof.enable()  # replaces this hook for this thread: from here on, the C profiler only


def _hook(frame, event, arg):
    # Installed in every new thread; costs one Python call per call until profiling is on.
    if _on.is_set():
        _start_here()


def _start(*_):
    _on.set()
    _start_here()  # the main thread (the event loop: websocket, deltas) from now on


def _dump(*_):
    merged: dict = {}
    with _lock:
        profs = list(_profilers)
    for prof in profs:
        prof.snapshot_stats()  # reads what the profiler holds without stopping its thread
        for func, (cc, nc, tt, ct, callers) in prof.stats.items():
            if func in merged:
                c0, n0, t0, ct0, callers0 = merged[func]
                for k, v in callers.items():
                    old = callers0.get(k)
                    callers0[k] = v if old is None else tuple(a + b for a, b in zip(old, v))
                merged[func] = (c0 + cc, n0 + nc, t0 + tt, ct0 + ct, callers0)
            else:
                merged[func] = (cc, nc, tt, ct, dict(callers))
    OUT.write_bytes(marshal.dumps(merged))
    Path(str(OUT) + ".done").write_text(f"{len(profs)} threads\n")


threading.setprofile(_hook)
signal.signal(signal.SIGUSR1, _start)
signal.signal(signal.SIGUSR2, _dump)

if __name__ == "__main__":
    from streamlit.web.cli import main

    sys.argv = ["streamlit"] + sys.argv[2:]
    sys.exit(main())

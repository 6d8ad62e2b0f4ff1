"""The browser bench's students, unchanged, against the protocol bench's warm server, for comparison."""
from __future__ import annotations

import asyncio
import time

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from bench.harness.chromium import CHROMIUM, LOAD_FLAGS, student
from bench.harness.procs import pct
from bench.harness.wire.config import FIRST_STEP, LAST_STEP
from bench.harness.wire.rounds import spans
from bench.harness.wire.servers import Server


# ------------------------------------------------------------------------------- Chromium, for comparison
async def chromium_round(server: Server, n: int, first_k: int) -> dict:
    """bench_load's students, unchanged, against this warm server: its CPU figure, and the open/click split at N = 1."""
    from playwright.async_api import async_playwright

    marks: list[tuple[str, float, float]] = []

    class Marked(list):
        def __init__(self, what: str):
            super().__init__()
            self.what = what

        def append(self, v):
            marks.append((self.what, time.perf_counter(), server.cpu()))
            super().append(v)

    times, opens, errors, contexts, retries = Marked("interaction"), Marked("open"), [], [], []
    wire = {"sent": 0, "runs": 0, "gets": 0}

    def on_ws(ws) -> None:
        def sent(payload) -> None:
            if isinstance(payload, bytes):
                m = BackMsg()
                m.ParseFromString(payload)
                wire["sent"] += m.WhichOneof("type") == "rerun_script"

        def received(payload) -> None:
            # a new_session is one of the first bytes' kinds: parse only small messages, figures come in deltas
            if isinstance(payload, bytes) and len(payload) < 4096:
                m = ForwardMsg()
                m.ParseFromString(payload)
                wire["runs"] += m.WhichOneof("type") == "new_session"
        ws.on("framesent", sent)
        ws.on("framereceived", received)

    class Counting:
        """bench_load's browser, its pages' websocket frames and HTTP requests counted."""

        def __init__(self, browser):
            self._browser = browser

        async def new_context(self, **kw):
            ctx = await self._browser.new_context(**kw)
            ctx.on("page", lambda page: (page.on("websocket", on_ws),
                                         page.on("request", lambda r: wire.__setitem__("gets", wire["gets"] + 1))))
            return ctx
    idle = await server.rest()
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=LOAD_FLAGS)
        counted = Counting(browser)
        url = f"http://127.0.0.1:{server.port}"
        cpu0, t0 = server.cpu(), time.perf_counter()
        # bench_load's student k types x = 200 + 3k: numbering on across rounds, no round finds
        # another's figures in the cache (bench_load itself restarts k at 0 each round).
        await asyncio.gather(*(student(counted, url, k, times, opens, errors, contexts, retries)
                               for k in range(first_k, first_k + n)))
        await asyncio.sleep(1.0)
        cpu2, t2 = server.cpu(), time.perf_counter()
        rss = server.rss()
        for ctx in contexts:
            await ctx.close()
        await browser.close()
    done = len(times) + len(opens)
    out = dict(n=n, errors=errors, lost=retries, rss=rss, idle_rate=idle, wire={k: v / n for k, v in wire.items()},
               lumped=(cpu2 - cpu0) / done if done else float("nan"),
               p50=pct(list(times), 0.5), p95=pct(list(times), 0.95), open_p50=pct(list(opens), 0.5))
    if n == 1 and len(opens) == 1:
        names = ["open", "type x"] + [f"next {k}" for k in range(FIRST_STEP + 1, LAST_STEP + 1)]
        out["spans"] = spans([("start", t0, cpu0)] + [(names[i] if i < len(names) else w, t, c)
                                                      for i, (w, t, c) in enumerate(marks)]
                             + [("end", t2, cpu2)], idle)
        # One student: the open ends at its mark; each interaction spans mark to mark (think time
        # included, idle removed), the last one until the end of the round.
        (_, t_open, c_open), acts = marks[0], marks[1:]
        out["cpu_open"] = (c_open - cpu0) - idle * (t_open - t0)
        # from the open's mark to the end of the round (think times and the 1 s tail too), idle removed
        out["cpu_interaction"] = ((cpu2 - c_open) - idle * (t2 - t_open)) / len(acts) if acts else float("nan")
    await asyncio.sleep(2.0)
    return out

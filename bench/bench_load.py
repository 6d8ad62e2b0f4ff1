"""A classroom at once: N real browser sessions against one server on loopback.

    python -m bench.bench_load [--sessions 1 5 10 20 30] [--port 0]

Starts ``streamlit run app.py`` on 127.0.0.1 (offline, as a school server may
be), then for each N opens N headless Chromium pages at the same moment, each
its own browser context, hence its own websocket session. Every student:

1. opens the app and waits for the first screen (the article's example);
2. types a new x for the RoI (Enter) and waits for the walkthrough to show it;
3. clicks "Next ▶" five times, waiting each time for the next step's heading
   (if the page settles on the old step for 30 s, the click was lost: the student
   clicks again, and the lost click is counted; its wait, 30 s and more, counts).

An interaction ends when the page shows its result *and* the rerun is over
(Streamlit's running indicator gone); a student then looks for THINK_MS (1 s)
before the next action. The think time is not counted in the figures.

Printed per N: p50 / p95 / max seconds per interaction (2 and 3; opening is
reported apart), errors (timeouts, an error box, a traceback), the server's
resident memory with all N sessions open, and the memory per extra session
against N = 1. The baseline is the same server with one session, measured in
the same run, and the server's CPU time per interaction (the part of the wait
that is the server's: on this machine browsers and server share two cores, so
the browser-side waits grow with N for reasons a real class, with one machine
per student, does not have). The server's log is checked: VGG16 must be loaded once, and the
sample's features computed once, for everyone.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
from pathlib import Path

from playwright.async_api import async_playwright

from bench.harness.chromium import CHROMIUM, LOAD_FLAGS, student
from bench.harness.procs import cpu_seconds, free_port, pct, rss_mb
from bench.harness.streamlit_server import start_server


async def run(sizes: list[int], port: int) -> None:
    log_path = Path(tempfile.mkdtemp()) / "server.log"
    proc = start_server(port, log_path)
    url = f"http://127.0.0.1:{port}"
    print(f"server pid {proc.pid} on {url}; {os.cpu_count()} CPUs; RSS at start {rss_mb(proc.pid):.0f} MB")
    print(f"\n{'N':>3s} {'open p50':>9s} {'p50 (s)':>8s} {'p95 (s)':>8s} {'max (s)':>8s} {'errors':>6s} "
          f"{'server RSS':>11s} {'MB/extra session':>17s} {'server CPU/interaction':>23s} {'clicks lost':>11s}")
    rss_one = None
    try:
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=LOAD_FLAGS)
            for n in sizes:
                times, opens, errors, contexts, retries = [], [], [], [], []
                cpu0 = cpu_seconds(proc.pid)
                await asyncio.gather(*(student(browser, url, k, times, opens, errors, contexts, retries) for k in range(n)))
                await asyncio.sleep(1.0)
                rss = rss_mb(proc.pid)  # every session of this round is still open
                if n == 1:
                    rss_one = rss
                per = (rss - rss_one) / (n - 1) if rss_one is not None and n > 1 else float("nan")
                # Server CPU per interaction (first views included in the count): what one replica can serve.
                done = len(times) + len(opens)
                cpu = (cpu_seconds(proc.pid) - cpu0) / done if done else float("nan")
                print(f"{n:3d} {pct(opens, 0.5):9.1f} {pct(times, 0.5):8.2f} {pct(times, 0.95):8.2f} "
                      f"{max(times, default=float('nan')):8.2f} {len(errors):6d} {rss:9.0f} MB {per:14.1f} "
                      f"{cpu:20.2f} s {len(retries):11d}", flush=True)
                for e in errors[:5]:
                    print("     ", e)
                for ctx in contexts:
                    await ctx.close()
                await asyncio.sleep(2.0)  # let the server drop the closed sessions
            await browser.close()
    finally:
        proc.terminate()
        proc.wait(20)
    log = log_path.read_text()
    loads = log.count("[roi-viz] VGG16 loaded")
    feats = [line for line in log.splitlines() if "[roi-viz] features computed" in line]
    print(f"\nserver log: VGG16 loaded {loads} time(s); features computed {len(feats)} time(s)")
    for line in feats:
        print("   ", line.strip())
    print("(interaction = typing a new x, or one click on Next, until the page shows the result)")


def main() -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.bench_load",
                                 description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sessions", type=int, nargs="+", default=[1, 5, 10, 20, 30])
    ap.add_argument("--port", type=int, default=0, help="0 = any free port")
    args = ap.parse_args()
    asyncio.run(run(args.sessions, args.port or free_port()))


if __name__ == "__main__":
    main()

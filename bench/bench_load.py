"""A classroom at once: N real browser sessions against one server on loopback.

    python bench/bench_load.py [--sessions 1 5 10 20 30] [--port 0]

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
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.async_api import async_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("ROI_VIZ_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--disable-dev-shm-usage"]
# A student looks at the page before the next click. Without this pause, on this 2-core machine
# (browsers and server on the same cores) a click 0.15 s after a rerun was sometimes answered with the
# page's previous step: the starved browser had not yet committed the step widget's new value.
THINK_MS = int(os.environ.get("ROI_VIZ_LOAD_THINK_MS", 1000))
RETRY_AFTER_MS = 30_000  # no new step after this long, and the page idle: click again, as a person would
TIMEOUT_MS = int(os.environ.get("ROI_VIZ_LOAD_TIMEOUT_MS", 120_000))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start_server(port: int, log_path: Path, script: Path | None = None, launcher: list[str] | None = None) -> subprocess.Popen:
    """``streamlit run`` on loopback, offline; ``script`` defaults to the app (bench_protocol also starts the floor).

    ``launcher``: what stands for ``python -m streamlit`` (bench_protocol's ``--profile`` runs it under
    ``profile_server.py``)."""
    env = dict(os.environ, ROI_VIZ_OFFLINE="1")
    log = open(log_path, "w")
    proc = subprocess.Popen(
        (launcher or [sys.executable, "-m", "streamlit"]) + ["run", str(script or ROOT / "app.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    for _ in range(240):
        try:
            if urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1).status == 200:
                return proc
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise SystemExit("the server did not start:\n" + log_path.read_text())


async def settled(page) -> None:
    """Wait until the page's rerun is over (Streamlit's "running" widget gone), as a person would."""
    await page.wait_for_timeout(150)
    await page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
                                 timeout=TIMEOUT_MS)


async def student(browser, url: str, k: int, times: list, opens: list, errors: list, pages: list,
                  retries: list) -> None:
    ctx = await browser.new_context(viewport={"width": 1400, "height": 1600})
    page = await ctx.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    pages.append(ctx)
    stage = "open"
    try:
        t0 = time.perf_counter()
        await page.goto(url)
        await page.get_by_text("Step 1: Image and RoIs").wait_for()
        await settled(page)
        opens.append(time.perf_counter() - t0)
        await page.wait_for_timeout(THINK_MS)

        x = 200 + 3 * k  # every student a different box, so nothing is shared but the features
        stage = "type x"
        t0 = time.perf_counter()
        field = page.locator('input[aria-label="x"]')
        await field.fill(str(x))
        await field.press("Enter")
        await page.get_by_text(f"top-left corner x = {x},", exact=False).wait_for()
        await settled(page)
        times.append(time.perf_counter() - t0)
        await page.wait_for_timeout(THINK_MS)

        for step in range(2, 7):
            stage = f"next to step {step}"
            t0 = time.perf_counter()
            await page.get_by_role("button", name="Next ▶").click()
            heading = page.get_by_text(f"Step {step}:", exact=False).first
            try:
                await heading.wait_for(timeout=RETRY_AFTER_MS)
            except Exception:
                # The page settled on the old step: the click was lost. A student clicks again.
                await settled(page)
                if not await heading.is_visible():
                    retries.append(f"student {k}, step {step}")
                    await page.get_by_role("button", name="Next ▶").click()
                await heading.wait_for()
            await settled(page)
            times.append(time.perf_counter() - t0)
            await page.wait_for_timeout(THINK_MS)
        text = await page.inner_text("body")
        if "Something went wrong" in text or "Traceback" in text:
            errors.append(f"student {k}: an error box on the page")
    except Exception as exc:  # a timeout or a crash is a result here, not a reason to stop
        if os.environ.get("ROI_VIZ_LOAD_SHOTS"):
            await page.screenshot(path=f"{os.environ['ROI_VIZ_LOAD_SHOTS']}/student{k}.png", full_page=True)
        errors.append(f"student {k}, {stage}: {type(exc).__name__}: {str(exc).splitlines()[0][:100]}")


def pct(values: list, q: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, int(round(q * (len(s) - 1))))]


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
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
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
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sessions", type=int, nargs="+", default=[1, 5, 10, 20, 30])
    ap.add_argument("--port", type=int, default=0, help="0 = any free port")
    args = ap.parse_args()
    asyncio.run(run(args.sessions, args.port or free_port()))


if __name__ == "__main__":
    main()

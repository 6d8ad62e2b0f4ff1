"""The slow first opens a class waits for together, with and without the background warm-up.

    python -m bench.bench_first_open [--think 8] [--repeats 2] [--cases head fastrcnn handout gif]

Each measurement starts a fresh server (nothing cached), opens the page in headless
Chromium at 1366 x 768 and waits for the first step figure, leaves the page alone for
``--think`` seconds (the teacher's first sentences), then does one thing a class does
early and times it from the click until its result is on the screen:

- ``head``: the "After pooling" view (VGG16's classifier on every RoI) until its figure shows;
- ``fastrcnn``: the "Fast R-CNN paper setting" preset (conv5_3, 7 x 7) until the new step figure shows;
- ``handout``: Export → "Make the handout" until its download button shows;
- ``gif``: Export → "Make the sliding-box animation" until its download button shows.

Each case runs with the warm-up switched off (``ROI_VIZ_WARM_UP=0``: the page as it was) and
on (the default: VGG16's head and the conv5_3 map are loaded in the background 2 s after the
first screen), and, as the floor, the floor page's click on a server started beside it.
"""
from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from bench.harness.chromium import CHROMIUM, FLAGS
from bench.harness.page.actions import figure_src, open_page, wait_figure_changed
from bench.harness.page.dom import FIRST_VIEW_TIMEOUT_MS
from bench.harness.page.measure import measure_floor
from bench.harness.page.server import Server, start_server
from bench.harness.paths import FLOOR_APP, ROOT

# The view's heading is up and its figure is loaded: the same test for this page and an older one (which
# showed its figures with st.image; the photo is a canvas in both).
VIEW_SHOWN_JS = """
(heading) => {
  const main = document.querySelector('[data-testid="stMain"]');
  if (!main || !main.innerText.includes(heading)) return false;
  if (document.querySelector('[data-testid="stStatusWidget"]')) return false;
  const imgs = [...main.querySelectorAll('img')];  // the walkthrough's are gone at once: these are the view's
  return imgs.length > 0 && imgs.every((img) => img.complete && img.naturalWidth > 0);
}
"""


def start(name: str, warm: bool, log_dir: Path, root: Path) -> Server:
    os.environ["ROI_VIZ_WARM_UP"] = "1" if warm else "0"
    try:
        return start_server(name, root / "app.py", log_dir, root)
    finally:
        os.environ.pop("ROI_VIZ_WARM_UP", None)


def act(page, case: str) -> float:
    """Do ``case`` on an open, idle page; seconds from the click until its result shows."""
    if case == "head":
        t0 = time.perf_counter()
        page.get_by_test_id("stRadio").get_by_text("After pooling", exact=True).click()
        page.wait_for_timeout(100)  # the status widget shows up a moment after the click
        page.wait_for_function(VIEW_SHOWN_JS, arg="VGG16's own classifier", timeout=FIRST_VIEW_TIMEOUT_MS,
                               polling="raf")
        return time.perf_counter() - t0
    if case == "fastrcnn":
        before = figure_src(page)
        button = page.get_by_role("button", name="Fast R-CNN paper setting")
        if not button.is_visible():
            page.get_by_test_id("stExpandSidebarButton").click()
        t0 = time.perf_counter()
        button.click()
        wait_figure_changed(page, before, FIRST_VIEW_TIMEOUT_MS)
        return time.perf_counter() - t0
    what = {"handout": "handout", "gif": "sliding-box animation"}[case]
    page.get_by_role("button", name="Export").click()
    make = page.get_by_role("button", name=f"Make the {what}")
    make.wait_for()
    t0 = time.perf_counter()
    make.click()
    page.get_by_role("button", name=f"Download the {what}").wait_for(timeout=FIRST_VIEW_TIMEOUT_MS)
    return time.perf_counter() - t0


def floor_click(browser, log_dir: Path) -> float:
    server = start_server("floor", FLOOR_APP, log_dir, ROOT)
    try:
        return statistics.median(measure_floor(browser, server, 5).walls())
    finally:
        server.stop()


def main() -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.bench_first_open",
                                 description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--think", type=float, default=8.0, help="seconds between the first screen and the action")
    ap.add_argument("--repeats", type=int, default=2)
    ap.add_argument("--root", type=Path, default=ROOT,
                    help="the checkout whose app.py to run (an older commit's worktree, for a before/after)")
    ap.add_argument("--warm", nargs="+", choices=["off", "on"], default=["off", "on"],
                    help="the warm-up settings to run (an older commit has none: 'off' alone)")
    ap.add_argument("--cases", nargs="+", default=["head", "fastrcnn", "handout", "gif"])
    args = ap.parse_args()
    log_dir = Path(tempfile.mkdtemp(prefix="roi-viz-first-open-"))
    results: dict[tuple[str, bool], list[float]] = {}
    tracebacks = 0
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        floor = floor_click(browser, log_dir)
        for case in args.cases:
            for r in range(args.repeats):
                for warm in [w == "on" for w in args.warm]:
                    server = start(f"{case}-{'warm' if warm else 'cold'}-{r}", warm, log_dir, args.root)
                    try:
                        ctx, page = open_page(browser, server.url, None)
                        time.sleep(args.think)
                        seconds = act(page, case)
                        ctx.close()
                    finally:
                        server.stop()
                    tracebacks += server.log().count("Traceback")
                    results.setdefault((case, warm), []).append(seconds)
                    print(f"  {case:<9} warm-up {'on ' if warm else 'off'}  {seconds:6.2f} s", flush=True)
        browser.close()
    print(f"\nThe page at {args.root}")
    print(f"First opens, {args.think:g} s after the first screen, fresh server each, medians of {args.repeats} "
          f"(the floor page's click: {floor * 1000:.0f} ms):")
    print(f"{'':<12}" + "".join(f"{'warm-up ' + w:>14}" for w in args.warm) + f"{'x floor':>10}")
    for case in args.cases:
        times = [statistics.median(results[(case, w == "on")]) for w in args.warm]
        print(f"{case:<12}" + "".join(f"{t:>12.2f} s" for t in times) + f"{times[-1] / floor:>10.1f}")
    print(f"Server logs ({log_dir}): {tracebacks} Traceback(s)")


if __name__ == "__main__":
    main()

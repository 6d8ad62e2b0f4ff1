"""What a person waits for on the page, in real Chromium, against the least a Streamlit page can do.

    python -m bench.bench_page [--app serve.py] [--repeats 7] [--frames 120] [--cold-starts 3] [--json FILE]

Two Streamlit servers run on loopback in the same run, each on a free port, offline
(ROI_VIZ_OFFLINE=1): the real page (``--app``: by default ``serve.py``, as the README starts it, which
makes the first screen's feature map as the server starts; ``app.py``: the page alone) and the floor page (``bench/floor_app.py``:
a "Next ▶" button and one 600 x 600 PNG, a new one per click). Headless Chromium (Debian's,
through Playwright) opens each in its own fresh browser context, viewport 1366 x 768.

Measured, each ``--repeats`` times or more (median, min, max):

* floor: click "Next ▶" until the new image is shown, once after each action of the real page (the
  floor is measured across the same minutes as the page, so a machine that drifts moves both alike);
* the real page: Next and Previous (the stepper component's buttons, "Next step" / "Previous
  step"), a jump to a step through the step radio, a new x typed in the number input "x" then
  Enter, a mouse drag on the board (mouse down, 15 small moves, mouse up: mouse-up -> the step
  figure shown), a method switch in the sidebar (RoI pooling <-> RoIAlign), and an output-size
  change (sidebar "Output rows", 3 <-> 4).

Live geometry: for every method (RoI pooling with both rules, RoIAlign, RoIWarp, PrRoI, opened
by a link) at 1366 x 768 and 1920 x 1080, the followed RoI is dragged on the board for
``--frames`` small moves, one animation frame apart; the board times each redraw itself
(``performance.now()`` around it, ``frameTimes`` on its root element), and the p50 / p95 /
max of those frames are printed. The server is not involved until the release.

The figure's own drawing time (for the goal "mouse-up -> figure <= 2 x the floor click + the
figure's drawing"): step 3's figure for the boxes the bench drew, drawn in this process as the
page does, median: described (SVG), its drawing for the page and the phone's, each painted as
SVG markup; not described yet, ``step.figure`` then JPEG/PNG at the page's dpi.

An action is over when the step figure changed and is shown. The step figure is what
``.st-key-step-figure`` holds, in either of its two forms: a described figure is an
``<svg class="roi-figure">`` painted by the ``roi_viz.figure`` component inside its shadow root
(the bench walks shadow roots to find it); a figure not described yet is an ``<img>`` with a
data URL. Changed: an img has another ``src`` than before the action and is loaded
(``complete`` and a natural width); an SVG has another identity (its ``aria-label``, the length
of its markup and a hash of it) and is shown at once (nothing to fetch; it has a width on the
page). The floor's figure is an ``st.image`` ``<img>``, timed as before. Each action says which
form its new figure took (the "figures" column: e.g. ``svg 2, img 1``), so that times before
and after a step moves to SVG can be told apart. Should the container hold more than one figure
(old ones left on the page), the last, the newest, is timed and a note says so. The clock starts when the person's input is
complete (the click, the Enter key, the mouse release). Before each action the page is idle
(Streamlit's status widget gone) and left alone for 0.8 s.

Server CPU per action: utime + stime of the server process (/proc/PID/stat) from just
before the action to 1.0 s after the figure changed (so the work a rerun does after
answering is counted), less the server's idle CPU rate (measured over 3 s before each kind
of action) times that window.

Cold start (median of ``--cold-starts``, 3, a new server each time, after its health check answers): from
``page.goto`` until the board is usable (shown, its live geometry written and the photo drawn
on it: "usable board") and until the step figure is loaded ("first figure"). The first view
needs VGG16 run on the CPU: ``serve.py`` has begun on it as the server started (a teacher starting
the server a minute before class has it all done; this measures the worst case, a visit at once),
``app.py`` begins when the page is opened.

At the end: a table (wall times, ratio to the floor click, server CPU), the goals next to
the figures, and the number of Python tracebacks in each server's log.
"""
from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from bench.harness.chromium import CHROMIUM, FLAGS
from bench.harness.page.dom import COLD_STARTS, VIEWPORT
from bench.harness.page.measure import cold_start, live_frames, measure_app, median
from bench.harness.page.report import (
    print_cold, print_failures, print_goals, print_live, print_logs, print_table, row, seconds
)
from bench.harness.page.server import Server, start_server
from bench.harness.paths import FLOOR_APP, ROOT
from roi_viz import walkthrough


def figure_drawing_ms(repeats: int) -> float:
    """Median time to draw step 3's figure (RoI pooling, the article's settings) for the boxes ``act_drag``
    draws, in this process, as the page draws it: the server's share that no page can avoid. A described
    step: its drawing for the page and for a phone, each painted as SVG (``ui.figure.show_drawing``); a step
    not described yet: Matplotlib's figure encoded at the page's dpi."""
    os.environ.setdefault("ROI_VIZ_OFFLINE", "1")
    from roi_viz.picture.files import to_jpeg, to_png
    from ui.figure import PAGE_DPI
    from roi_viz.state.settings import Settings
    from roi_viz.methods import build_scene
    from roi_viz.model import features, images, samples
    from roi_viz.picture import svg
    from ui.figure import NARROW_WIDTH, PAGE_TEXT, PAGE_WIDTH

    img, _ = images.prepare_input(images.load_file(samples.get_sample("astronaut").path), 512)
    fm = features.extract(features.load_backbone(), img).values
    settings = Settings()
    step = walkthrough.steps("pool")[2]
    times = []
    for i in range(max(repeats, 3) + 1):
        col, row = i % 6, (i // 6) % 3
        box = (20.0 + 80 * col, 15.0 + 55 * row, 55.0, 40.0)
        t0 = time.perf_counter()
        scene = build_scene(img, fm, [samples.ARTICLE_ROI, box], 1, settings, focus=(1, 1, 1))
        if step.describe is not None:
            svg.paint(step.describe(scene, width=PAGE_WIDTH, text=PAGE_TEXT))
            svg.paint(step.describe(scene, width=NARROW_WIDTH, text=PAGE_TEXT))
        else:
            (to_jpeg if step.photo else to_png)(step.figure(scene), PAGE_DPI)
        if i:  # the first one warms Matplotlib up
            times.append((time.perf_counter() - t0) * 1000)
    return median(times)




# -------------------------------------------------------------------------------- main
def run(app: Path, repeats: int, json_path: Path | None, live_frame_count: int = 120,
        cold_starts: int = COLD_STARTS) -> None:
    log_dir = Path(tempfile.mkdtemp(prefix="bench_page_"))
    print(f"app {app}; floor {FLOOR_APP}; {repeats} repeats; {os.cpu_count()} CPUs; "
          f"Chromium {CHROMIUM}; viewport {VIEWPORT['width']}x{VIEWPORT['height']}", flush=True)
    servers: list[Server] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            cold = []
            for k in range(cold_starts):
                cold.append(cold_start(browser, app, log_dir, k + 1))
                print(f"  cold start {k + 1}: usable {seconds(cold[-1].usable_s)}, "
                      f"first figure {seconds(cold[-1].figure_s)}", flush=True)
            servers.append(start_server("app", app, log_dir, app.parent))
            servers.append(start_server("floor", FLOOR_APP, log_dir, ROOT))
            app_server, floor_server = servers
            floor, series, keyed, reloads = measure_app(browser, app_server, floor_server, repeats)
            frames = live_frames(browser, app_server, live_frame_count)
        finally:
            browser.close()
            for s in servers:
                s.stop()
    if not keyed:
        print("\nNOTE: the page has no .st-key-step-figure container; the first image of the main area was "
              "taken as the step figure.")
    if reloads:
        print(f"\nNOTE: the real page broke (an error box or no step radio) and was reloaded {reloads} time(s).")
    floor_ms = median(floor.walls()) * 1000
    rows = [row("floor: Next ▶", floor, floor_ms)] + [row(s.name, s, floor_ms) for s in series]
    figure_ms = figure_drawing_ms(repeats)
    print_table(rows)
    print_live(frames)
    print(f"\nStep 3's figure drawn in-process as the page draws it (the drawn boxes), median: {figure_ms:.0f} ms")
    print_cold(cold)
    goals = print_goals(rows, cold, frames, figure_ms)
    print_failures([floor] + series)
    stacked = [(r["action"], r["most_figures_at_once"]) for r in rows if r["most_figures_at_once"] > 1]
    if stacked:
        print("\nNOTE: after these actions the step-figure container held more than one figure (a person sees the "
              "old ones too; the newest, the last, was timed): " + ", ".join(f"{a}: {n}" for a, n in stacked))
    tracebacks = print_logs(servers, cold, log_dir)
    if json_path:
        json_path.write_text(json.dumps({
            "app": str(app), "repeats": repeats, "keyed_figure": keyed, "reloads": reloads, "rows": rows,
            "cold": [vars(c) for c in cold], "goals": goals, "live_frames": frames, "figure_ms": figure_ms, "tracebacks": tracebacks,
            "failures": {s.name: s.errors() for s in [floor] + series if s.errors()},
        }, indent=2))
        print(f"JSON written to {json_path}")


def main() -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.bench_page",
                                 description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--app", type=Path, default=ROOT / "serve.py",
                    help="what `streamlit run` runs: the README's server (default) or a page (app.py)")
    ap.add_argument("--repeats", type=int, default=7, help="measurements per kind of action (median of them)")
    ap.add_argument("--json", type=Path, default=None, help="also write the results to this JSON file")
    ap.add_argument("--frames", type=int, default=120, help="animation frames per live drag")
    ap.add_argument("--cold-starts", type=int, default=COLD_STARTS,
                    help="new servers timed from page.goto (median of them; default %(default)s)")
    args = ap.parse_args()
    if args.repeats < 1 or args.frames < 1 or args.cold_starts < 1:
        ap.error("--repeats, --frames and --cold-starts must be 1 or more")
    run(args.app.resolve(), args.repeats, args.json, args.frames, args.cold_starts)


if __name__ == "__main__":
    main()

"""How long one frame of the board's live geometry takes in Chromium, during a scripted drag.

    python -m bench.bench_board [--frames 120] [--shots DIR]

Starts the board's test page (tests/apps/board_app.py) on loopback, opens it in headless
Chromium (Debian's, through Playwright) at 1366 x 768 and at 1920 x 1080, and for every
method drags the followed RoI across the photo: mouse down on its body, ``--frames`` small
moves one animation frame apart, mouse up. The board times each redraw itself
(``performance.now()`` around drawing the photo, the grid, the geometry, the boxes and
writing the readout), and this script prints p50 / p95 / max of those times in ms.

Two settings per method: the article's (stride 32, 3 x 3) and Fast R-CNN's (stride 16,
7 x 7, the most cells and points to draw). With ``--shots DIR`` a screenshot of every
drag in progress is written there.
"""
from __future__ import annotations

import argparse
import re
from pathlib import Path

import numpy as np

from bench.harness.chromium import drag_frames as harness_drag
from tests.apps.board_harness import APPS, chromium, streamlit_app

METHODS = {
    "RoI pooling, article": "method=pool&scheme=article",
    "RoI pooling, Fast R-CNN": "method=pool&scheme=fastrcnn",
    "RoIAlign, adaptive": "method=align&ratio=0&aligned=1",
    "RoIWarp": "method=warp&ratio=2",
    "PrRoI": "method=prroi",
}
PRESETS = {"s32 3x3": "stride=32&out=3", "s16 7x7": "stride=16&out=7"}
VIEWPORTS = [(1366, 768), (1920, 1080)]


def drag_frames(page, frames: int, shot: Path | None) -> list[float]:
    board = page.locator('[data-testid="roi-board"]')
    return harness_drag(page, board, board.locator("canvas"), frames, shot)


def main() -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.bench_board", description=__doc__.splitlines()[0])
    ap.add_argument("--frames", type=int, default=120)
    ap.add_argument("--shots", type=Path, default=None)
    args = ap.parse_args()
    if args.shots:
        args.shots.mkdir(parents=True, exist_ok=True)
    with streamlit_app(APPS / "board_app.py", "bench_board") as (url, _log), chromium() as browser:
        print(f"{'viewport':>10}  {'method':<24} {'preset':<8} {'frames':>6} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7}")
        for vw, vh in VIEWPORTS:
            context = browser.new_context(viewport={"width": vw, "height": vh})
            page = context.new_page()
            for name, query in METHODS.items():
                for preset, pq in PRESETS.items():
                    page.goto(f"{url}/?{query}&{pq}")
                    page.get_by_text("RUNS 1", exact=True).wait_for(timeout=60_000)
                    page.wait_for_timeout(300)
                    shot = None
                    if args.shots:
                        slug = re.sub(r"[^a-z0-9]+", "-", f"{name} {preset}".lower()).strip("-")
                        shot = args.shots / f"board-{slug}-{vw}x{vh}.png"
                    t = np.array(drag_frames(page, args.frames, shot))
                    print(f"{vw}x{vh:<5}  {name:<24} {preset:<8} {len(t):>6} {np.percentile(t, 50):7.2f} "
                          f"{np.percentile(t, 95):7.2f} {t.max():7.2f}", flush=True)
            context.close()


if __name__ == "__main__":
    main()

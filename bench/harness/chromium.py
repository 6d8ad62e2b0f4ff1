"""Headless Chromium: its executable and flags, and a student who walks the page in it.

``student`` is the browser load bench's class member (bench_load); the protocol bench runs it unchanged
for its ``--chromium-check``.
"""
from __future__ import annotations

import os
import time


CHROMIUM = os.environ.get("ROI_VIZ_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync"]
LOAD_FLAGS = FLAGS + ["--disable-dev-shm-usage"]  # the load benches: many pages, /dev/shm is small
# A student looks at the page before the next click. Without this pause, on this 2-core machine
# (browsers and server on the same cores) a click 0.15 s after a rerun was sometimes answered with the
# page's previous step: the starved browser had not yet committed the step widget's new value.
THINK_MS = int(os.environ.get("ROI_VIZ_LOAD_THINK_MS", 1000))
RETRY_AFTER_MS = 30_000  # no new step after this long, and the page idle: click again, as a person would
TIMEOUT_MS = int(os.environ.get("ROI_VIZ_LOAD_TIMEOUT_MS", 120_000))


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


def drag_frames(page, board, canvas, frames: int, shot=None) -> list[float]:
    """Drag inside the article's RoI along a figure of eight, one move per animation frame, and return the
    board's own redraw times (ms, ``performance.now()``) for those frames; ``shot``: a screenshot a third of
    the way. ``board``: the board's root locator; ``canvas``: its visible canvas."""
    import math

    canvas.scroll_into_view_if_needed()
    bb = canvas.bounding_box()
    k = bb["width"] / 512
    x0, y0 = bb["x"] + 396 * k, bb["y"] + 264 * k  # inside the article's RoI
    page.mouse.move(x0, y0)
    page.mouse.down()
    board.evaluate("el => el.frameTimes.splice(0)")
    for i in range(frames):
        t = i / frames * 2 * math.pi
        page.mouse.move(x0 - 150 * k * math.sin(t), y0 - 100 * k * math.sin(2 * t))
        page.evaluate("() => new Promise(requestAnimationFrame)")
        if shot is not None and i == frames // 3:
            page.screenshot(path=str(shot))
    times = board.evaluate("el => el.frameTimes.slice()")
    page.mouse.up()
    return times

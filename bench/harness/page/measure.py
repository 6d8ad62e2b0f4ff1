"""Timing actions: server CPU per click, series of samples, the live drag's frames, cold starts."""
from __future__ import annotations

import math
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from playwright.sync_api import Error as PlaywrightError, Page

from bench.harness.chromium import drag_frames
from bench.harness.page.actions import (
    Action, act_drag, act_floor_next, act_jump, act_method, act_next, act_output_rows, act_previous, act_type_x,
    figure_src, go_to_step, open_page, page_is_broken, visible_canvas, wait_figure_changed, wait_idle
)
from bench.harness.page.dom import (
    BOARD, BOARD_USABLE_JS, CPU_TAIL_S, FIGURE_FORM_JS, FIGURE_LOADED_JS, FIRST_VIEW_TIMEOUT_MS,
    HAS_KEYED_FIGURE_JS, IDLE_PAUSE_S, LIVE_METHODS, LIVE_VIEWPORTS, STEP_FIGURE_COUNT_JS, VIEWPORT
)
from bench.harness.page.server import Server, start_server


# --------------------------------------------------------------------------- measuring
@dataclass
class Session:
    """One browser page on one server. ``ready_text`` is shown once the page is usable (None: the floor)."""
    page: Page
    server: Server
    ready_text: str | None
    reloads: int = 0
    # The floor page, clicked once after each of this page's actions (its clicks are the ``floor`` series): the
    # floor is measured across the same minutes as the actions, so a machine that gets slower or faster during
    # the run moves both alike (a floor measured once, before, moved the ratios by 0.5 between runs).
    floor: "Session | None" = None
    floor_series: "Series | None" = None
    idle_rate: float = 0.0  # the server's CPU per second at rest (as a floor session: measured once)

    def recover(self) -> str:
        """After a failed action: let the page come to rest; reload it if it is broken, as a person would."""
        page = self.page
        for attempt in (lambda: page.mouse.up(), lambda: wait_idle(page)):
            try:
                attempt()
            except PlaywrightError:
                pass
        try:
            if not page_is_broken(page, self.ready_text is not None):
                return ""
            page.reload()
            if self.ready_text:
                page.get_by_text(self.ready_text).wait_for(timeout=FIRST_VIEW_TIMEOUT_MS)
            wait_idle(page, FIRST_VIEW_TIMEOUT_MS)
            self.reloads += 1
            return "; page reloaded"
        except PlaywrightError as exc:
            return f"; reload failed ({type(exc).__name__})"


@dataclass
class Sample:
    wall_s: float | None  # None: the figure did not change within the timeout
    cpu_s: float | None
    error: str = ""
    form: str = ""  # the new figure's form: "svg" (inline, nothing to fetch) or "img"
    shown: int = 0  # figures in the step-figure container once it changed (1 expected)


@dataclass
class Series:
    name: str
    samples: list[Sample] = field(default_factory=list)

    def walls(self) -> list[float]:
        return [s.wall_s for s in self.samples if s.wall_s is not None]

    def cpus(self) -> list[float]:
        return [s.cpu_s for s in self.samples if s.cpu_s is not None]

    def errors(self) -> list[str]:
        return [s.error for s in self.samples if s.error]

    def forms(self) -> str:
        """How many of the changed figures were SVG and how many img, e.g. "svg 2, img 1"."""
        counts: dict[str, int] = {}
        for s in self.samples:
            if s.form:
                counts[s.form] = counts.get(s.form, 0) + 1
        return ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "-"

    def most_shown(self) -> int:
        """The most figures the step-figure container held at once after an action of this kind."""
        return max((s.shown for s in self.samples), default=0)


def measure(session: Session, act: Action, i: int, idle_rate: float) -> Sample:
    """One action from an idle page until the figure changed; its wall time and the server CPU it caused.

    A failed action (no new figure within 60 s, an error box, a widget not found) is a result, not a
    reason to stop: it is recorded, and the page is reloaded if it is broken.
    """
    page, server = session.page, session.server
    try:
        wait_idle(page)
        time.sleep(IDLE_PAUSE_S)
        wait_idle(page)
        before = figure_src(page)
        c0, w0 = server.cpu(), time.perf_counter()
        t0 = act(page, i)
        wait_figure_changed(page, before)
        wall = time.perf_counter() - t0
        form = page.evaluate(FIGURE_FORM_JS) or ""
        shown = page.evaluate(STEP_FIGURE_COUNT_JS)
    except Exception as exc:  # noqa: BLE001 -- Playwright's timeouts and errors, PageBroken, a missing option
        first_line = (str(exc).strip().splitlines() or [""])[0][:110]
        return Sample(None, None, f"#{i + 1}: {type(exc).__name__}: {first_line}{session.recover()}")
    time.sleep(CPU_TAIL_S)
    cpu = server.cpu() - c0 - idle_rate * (time.perf_counter() - w0)
    if session.floor is not None:
        floor = session.floor_series
        floor.samples.append(measure(session.floor, act_floor_next, len(floor.samples), session.floor.idle_rate))
    return Sample(wall, max(cpu, 0.0), form=form, shown=shown)


def run_series(session: Session, name: str, act: Action, repeats: int,
               setup: Callable[[Page], None] | None = None) -> Series:
    """``repeats`` actions of one kind. ``setup`` (not measured) puts the page in place, again after a reload."""
    series = Series(name)
    if setup:
        setup(session.page)
    idle_rate = session.server.idle_cpu_rate()
    for i in range(repeats):
        reloads = session.reloads
        series.samples.append(measure(session, act, i, idle_rate))
        if setup and session.reloads != reloads:
            setup(session.page)
    report_progress(series)
    return series


def report_progress(series: Series) -> None:
    walls = series.walls()
    print(f"  {series.name}: median {median(walls) * 1000:.0f} ms over {len(walls)}, "
          f"{len(series.errors())} failed; figures {series.forms()}"
          + (f"; up to {series.most_shown()} figures at once in the step-figure container" if series.most_shown() > 1 else ""),
          flush=True)


def walk_steps(session: Session, repeats: int) -> tuple[Series, Series]:
    """"Next ▶" to the last step, "◀ Previous" back to the first, again, until both have ``repeats``."""
    nxt, prev = Series("Next ▶"), Series("◀ Previous")
    idle_rate = session.server.idle_cpu_rate()
    going, act, label = nxt, act_next, "Next step"
    while len(nxt.samples) < repeats or len(prev.samples) < repeats:
        button = session.page.get_by_role("button", name=label)
        if button.count() and button.is_disabled():  # at the end: turn round
            going, act, label = (prev, act_previous, "Previous step") if going is nxt else (nxt, act_next, "Next step")
            continue
        going.samples.append(measure(session, act, len(going.samples), idle_rate))
        if len(going.samples) >= 3 * repeats:
            break  # the page never reaches an end (the button is lost?): stop rather than loop
    report_progress(nxt)
    report_progress(prev)
    return nxt, prev


def on_step(index: int) -> Callable[[Page], None]:
    return lambda page: go_to_step(page, index)


def measure_floor(browser, server: Server, repeats: int) -> Series:
    """The floor page's click alone, ``repeats`` times (for a bench whose actions are not interleaved with it)."""
    ctx, page = open_page(browser, server.url, None)
    try:
        return run_series(Session(page, server, None), "floor: Next ▶", act_floor_next, repeats)
    finally:
        ctx.close()


def measure_app(browser, server: Server, floor_server: Server, repeats: int) -> tuple[Series, list[Series], bool, int]:
    """Every kind of action on the real page, each followed by one click on the floor page.

    Returns the floor's series, the page's series, whether the page has the keyed figure container, and how
    often it was reloaded. RoI changes and the method switch are watched on step 3 (Quantization for RoI
    pooling), the output size on the last step (every method has one; it shows the output).
    """
    floor_ctx, floor_page = open_page(browser, floor_server.url, None)
    floor = Session(floor_page, floor_server, None)
    floor.idle_rate = floor_server.idle_cpu_rate()
    ctx, page = open_page(browser, server.url, "Step 1: Image and RoIs")
    session = Session(page, server, "Step 1: Image and RoIs", floor=floor, floor_series=Series("floor: Next ▶"))
    try:
        keyed = page.evaluate(HAS_KEYED_FIGURE_JS)
        series = list(walk_steps(session, repeats))
        series.append(run_series(session, "jump to a step (radio)", act_jump, repeats))
        series.append(run_series(session, "type x + Enter", act_type_x, repeats, on_step(2)))
        series.append(run_series(session, "drag a new RoI", act_drag, repeats, on_step(2)))
        series.append(run_series(session, "method switch", act_method, repeats, on_step(2)))
        series.append(run_series(session, "output rows 3 <-> 4", act_output_rows, repeats, on_step(-1)))
        report_progress(session.floor_series)
        return session.floor_series, series, keyed, session.reloads
    finally:
        ctx.close()
        floor_ctx.close()


def live_frames(browser, server: Server, frames: int) -> list[dict]:
    """Frame times of the board's live geometry while the followed RoI is dragged, per viewport and method.

    Each drag: mouse down inside the article's RoI, ``frames`` moves along a figure eight, one
    animation frame apart, mouse up. The board times each redraw itself (``performance.now()``).
    """
    out = []
    for vw, vh in LIVE_VIEWPORTS:
        ctx = browser.new_context(viewport={"width": vw, "height": vh})
        page = ctx.new_page()
        page.set_default_timeout(FIRST_VIEW_TIMEOUT_MS)
        try:
            for name, query in LIVE_METHODS.items():
                page.goto(server.url + "/" + query)
                page.get_by_text("Step 1: Image and RoIs").wait_for()
                wait_idle(page, FIRST_VIEW_TIMEOUT_MS)
                board = page.locator(BOARD)
                times = drag_frames(page, board, visible_canvas(page), frames)
                wait_idle(page)
                out.append({"viewport": f"{vw}x{vh}", "method": name, "frames": len(times),
                            "p50_ms": percentile(times, 50), "p95_ms": percentile(times, 95),
                            "max_ms": max(times, default=float("nan"))})
                r = out[-1]
                print(f"  live frames {r['viewport']} {name}: p50 {r['p50_ms']:.2f} ms, p95 {r['p95_ms']:.2f} ms "
                      f"over {r['frames']}", flush=True)
        finally:
            ctx.close()
    return out


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    v = sorted(values)
    pos = (len(v) - 1) * q / 100
    lo = math.floor(pos)
    hi = min(lo + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (pos - lo)




def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")



@dataclass
class ColdStart:
    usable_s: float | None
    figure_s: float | None
    tracebacks: int


def cold_start(browser, app: Path, log_dir: Path, k: int) -> ColdStart:
    """A new server; from page.goto until the board is usable, and until the step figure is loaded."""
    server = start_server(f"cold{k}", app, log_dir, app.parent)
    ctx = browser.new_context(viewport=VIEWPORT)
    try:
        page = ctx.new_page()
        board = page.locator(BOARD)
        usable = figure = None
        t0 = time.perf_counter()
        page.goto(server.url, wait_until="commit")
        while (usable is None or figure is None) and time.perf_counter() - t0 < FIRST_VIEW_TIMEOUT_MS / 1000:
            now = time.perf_counter() - t0
            try:
                if usable is None and board.count() == 1 and board.is_visible() and board.evaluate(BOARD_USABLE_JS):
                    usable = now
                if figure is None and page.evaluate(FIGURE_LOADED_JS, None):
                    figure = now
            except PlaywrightError:  # the page is still being replaced: look again
                pass
            time.sleep(0.03)
        wait_idle(page, FIRST_VIEW_TIMEOUT_MS)
    finally:
        ctx.close()
        server.stop()
    return ColdStart(usable, figure, server.log().count("Traceback"))

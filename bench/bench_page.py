"""What a person waits for on the page, in real Chromium, against the least a Streamlit page can do.

    python bench/bench_page.py [--app app.py] [--repeats 7] [--frames 120] [--cold-starts 3] [--json FILE]

Two Streamlit servers run on loopback in the same run, each on a free port, offline
(ROI_VIZ_OFFLINE=1): the real page (``--app``) and the floor page (``bench/floor_app.py``:
a "Next ▶" button and one 600 x 600 PNG, a new one per click). Headless Chromium (Debian's,
through Playwright) opens each in its own fresh browser context, viewport 1366 x 768.

Measured, each ``--repeats`` times or more (median, min, max):

* floor: click "Next ▶" until the new image is shown;
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
runs VGG16 on the CPU.

At the end: a table (wall times, ratio to the floor click, server CPU), the goals next to
the figures, and the number of Python tracebacks in each server's log.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, sync_playwright
from roi_viz import walkthrough

ROOT = Path(__file__).resolve().parent.parent
FLOOR_APP = Path(__file__).resolve().parent / "floor_app.py"
CHROMIUM = os.environ.get("ROI_VIZ_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync"]
VIEWPORT = {"width": 1366, "height": 768}
ACTION_TIMEOUT_MS = 60_000
FIRST_VIEW_TIMEOUT_MS = 180_000  # the first view runs VGG16 on a 2-core CPU
IDLE_PAUSE_S = 0.8  # the page is left alone this long before each action
CPU_TAIL_S = 1.0  # CPU is still counted this long after the figure changed
IDLE_RATE_S = 3.0  # the server's idle CPU rate is measured over this long
COLD_STARTS = 3

GOAL_STEP_RATIO = 1.5
GOAL_CHANGE_RATIO = 2.0
GOAL_COLD_USABLE_S = 4.0
GOAL_CPU_PER_CLICK_S = 0.15
GOAL_FRAME_P95_MS = 16.0
LIVE_VIEWPORTS = [(1366, 768), (1920, 1080)]
LIVE_METHODS = {  # link parameters of the page
    "RoI pooling, article": "",
    "RoI pooling, Fast R-CNN": "?rule=fastrcnn",
    "RoIAlign": "?method=align",
    "RoIWarp": "?method=warp",
    "PrRoI": "?method=prroi",
}
BOARD = '[data-testid="roi-board"]'
# The board has drawn: its live geometry is written and the photo is on its canvas (not the grey it starts on).
BOARD_USABLE_JS = """
(el) => {
  const c = el.querySelector('canvas');
  if (!el.dataset.live || !c || !c.width) return false;
  const d = c.getContext('2d').getImageData(Math.floor(c.width * 0.1), Math.floor(c.height * 0.9), 1, 1).data;
  return !(d[0] === 51 && d[1] === 51 && d[2] === 51);
}
"""

# The figures in the "step-figure" container, in page order: each an <img> (a figure not described yet) or an
# <svg class="roi-figure"> painted by the roi_viz.figure component inside its shadow root (document.querySelector
# does not look into shadow roots, so they are walked). One is expected; more means the page shows old figures too.
STEP_FIGURES_JS = """
() => {
  const out = [];
  const walk = (root) => {
    for (const el of root.querySelectorAll('*')) {
      if (el.matches('img, svg.roi-figure')) out.push(el);
      else if (el.shadowRoot) walk(el.shadowRoot);
    }
  };
  const keyed = document.querySelector('.st-key-step-figure');
  if (keyed) walk(keyed);
  return out;
}
"""
# The step figure: the last figure of the container (the newest, should it hold more than one). The fallback
# (the first image of the main area, not the sidebar) is for pages without the "step-figure" container; the
# bench says when it used it.
FIND_FIGURE_JS = f"""
() => {{
  const figs = ({STEP_FIGURES_JS})();
  if (figs.length) return figs[figs.length - 1];
  const main = document.querySelector('[data-testid="stMain"]');
  return main ? main.querySelector('[data-testid="stImage"] img') : null;
}}
"""
STEP_FIGURE_COUNT_JS = f"() => ({STEP_FIGURES_JS})().length"
# What names the figure shown, and changes when it does: an img's src; an SVG's text alternative, its markup's
# length and a hash of the markup (a new box may print numbers of the same length). null: no figure.
FIGURE_SRC_JS = f"""
() => {{
  const fig = ({FIND_FIGURE_JS})();
  if (!fig) return null;
  if (fig.tagName.toLowerCase() !== 'svg') return fig.src;
  const text = fig.outerHTML;
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return 'svg:' + (fig.getAttribute('aria-label') || '') + ':' + text.length + ':' + (h >>> 0).toString(16);
}}
"""
# "svg" or "img": the form of the step figure shown (null: none).
FIGURE_FORM_JS = f"""
() => {{
  const fig = ({FIND_FIGURE_JS})();
  return fig ? (fig.tagName.toLowerCase() === 'svg' ? 'svg' : 'img') : null;
}}
"""
# The figure is another than ``before`` and shown: an img loaded (complete, a natural width); an SVG at once
# (nothing to fetch), once it has a size on the page.
FIGURE_LOADED_JS = f"""
(before) => {{
  const fig = ({FIND_FIGURE_JS})();
  if (!fig || ({FIGURE_SRC_JS})() === before) return false;
  if (fig.tagName.toLowerCase() === 'svg') return fig.getBoundingClientRect().width > 0;
  return fig.complete && fig.naturalWidth > 0;
}}
"""
# The same, but an error box of Streamlit's (an uncaught exception) also ends the wait: "error".
FIGURE_OR_ERROR_JS = f"""
(before) => {{
  if (document.querySelector('[data-testid="stException"]')) return "error";
  return ({FIGURE_LOADED_JS})(before) ? "changed" : false;
}}
"""
HAS_KEYED_FIGURE_JS = f"() => ({STEP_FIGURES_JS})().length > 0"
IDLE_JS = "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"


# --------------------------------------------------------------------------- servers
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used so far (fields 14 and 15 of /proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Server:
    name: str
    proc: subprocess.Popen
    url: str
    log_path: Path

    def cpu(self) -> float:
        return cpu_seconds(self.proc.pid)

    def idle_cpu_rate(self, seconds: float = IDLE_RATE_S) -> float:
        """CPU seconds per second the server uses while nobody does anything."""
        c0, t0 = self.cpu(), time.perf_counter()
        time.sleep(seconds)
        return (self.cpu() - c0) / (time.perf_counter() - t0)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)


def start_server(name: str, script: Path, log_dir: Path, cwd: Path) -> Server:
    """``streamlit run SCRIPT`` on a free loopback port, its output in a log file; returns once healthy."""
    port = free_port()
    log_path = log_dir / f"{name}.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true"],
            cwd=cwd, env=dict(os.environ, ROI_VIZ_OFFLINE="1"), stdout=log, stderr=subprocess.STDOUT,
        )
    server = Server(name, proc, f"http://127.0.0.1:{port}", log_path)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(server.url + "/_stcore/health", timeout=1).status == 200:
                return server
        except OSError:
            if proc.poll() is not None:
                break
            time.sleep(0.25)
    server.stop()
    raise SystemExit(f"the {name} server did not start:\n{server.log()}")


# ------------------------------------------------------------------------ page helpers
def wait_idle(page: Page, timeout_ms: int = ACTION_TIMEOUT_MS) -> None:
    """Until Streamlit's status widget ("Running...") is gone."""
    page.wait_for_timeout(150)  # the widget shows up a moment after a rerun starts
    page.wait_for_function(IDLE_JS, timeout=timeout_ms)


def figure_src(page: Page) -> str | None:
    return page.evaluate(FIGURE_SRC_JS)


def wait_figure_changed(page: Page, before: str | None, timeout_ms: int = ACTION_TIMEOUT_MS) -> None:
    """Until the step figure has another src than ``before`` and is loaded; raises if the page shows an error."""
    outcome = page.wait_for_function(FIGURE_OR_ERROR_JS, arg=before, timeout=timeout_ms, polling="raf").json_value()
    if outcome == "error":
        raise PageBroken("the page shows Streamlit's error box (an uncaught exception, see the server log)")


class PageBroken(Exception):
    """The page shows an uncaught exception instead of the step figure."""


def open_page(browser, url: str, ready_text: str | None):
    """A fresh context and page, opened and idle, its figure loaded."""
    ctx = browser.new_context(viewport=VIEWPORT)
    page = ctx.new_page()
    page.set_default_timeout(ACTION_TIMEOUT_MS)
    page.goto(url)
    if ready_text:
        page.get_by_text(ready_text).wait_for(timeout=FIRST_VIEW_TIMEOUT_MS)
    wait_figure_changed(page, None, FIRST_VIEW_TIMEOUT_MS)
    wait_idle(page, FIRST_VIEW_TIMEOUT_MS)
    return ctx, page


def page_is_broken(page: Page, needs_steps: bool) -> bool:
    """An error box on the page, or (on the real page) no step radio any more."""
    if page.get_by_test_id("stException").count():
        return True
    return needs_steps and step_options(page).count() == 0


def step_options(page: Page):
    return page.get_by_role("radiogroup", name="Step").get_by_test_id("stRadioOption")


def current_step(page: Page) -> int:
    opts = step_options(page)
    for i in range(opts.count()):
        if opts.nth(i).get_attribute("data-selected") == "true":
            return i
    return -1


def go_to_step(page: Page, index: int) -> None:
    """Not measured: put the walkthrough on step ``index`` (0-based, -1 = last) before a kind of action."""
    opts = step_options(page)
    if opts.count() == 0:
        print("  (no step radio on the page: the step was not set)", flush=True)
        return
    index = index % opts.count()
    if current_step(page) != index:
        before = figure_src(page)
        opts.nth(index).click()
        wait_figure_changed(page, before)
    wait_idle(page)


def visible_canvas(page: Page):
    """The board's canvas (inside the component's shadow root: Playwright's locators see into it)."""
    return page.locator(f"{BOARD} canvas").filter(visible=True).first


def drag(page: Page, start: tuple[float, float], delta: tuple[float, float], moves: int = 15) -> float:
    """A person's drag on the board, in input pixels: down, small moves, up. Returns the time of the release."""
    canvas = visible_canvas(page)
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    k = box["width"] / 512  # input pixels to CSS pixels, should the canvas be shown scaled
    x0, y0 = box["x"] + start[0] * k, box["y"] + start[1] * k
    page.mouse.move(x0, y0)
    page.mouse.down()
    for i in range(1, moves + 1):
        page.mouse.move(x0 + delta[0] * k * i / moves, y0 + delta[1] * k * i / moves)
        page.wait_for_timeout(16)  # about one mouse event per frame
    t = time.perf_counter()
    page.mouse.up()
    return t


# ------------------------------------------------------------------------------ actions
# An action does what a person does and returns the moment the person starts waiting.
Action = Callable[[Page, int], float]


def click(locator) -> float:
    locator.wait_for(state="visible")
    t = time.perf_counter()
    locator.click()
    return t


def press_enter_after(field, text: str) -> float:
    field.fill(text)
    t = time.perf_counter()
    field.press("Enter")
    return t


def act_floor_next(page: Page, i: int) -> float:
    return click(page.get_by_role("button", name="Next ▶"))


def act_next(page: Page, i: int) -> float:
    return click(page.get_by_role("button", name="Next step"))


def act_previous(page: Page, i: int) -> float:
    return click(page.get_by_role("button", name="Previous step"))


JUMP_ORDER = (2, 4, 0, 5, 1, 3)


def act_jump(page: Page, i: int) -> float:
    """Click a step's option in the step radio: a different step each time, never the current one."""
    opts = step_options(page)
    n, now = opts.count(), current_step(page)
    targets = [t % n for t in JUMP_ORDER if t % n != now]
    return click(opts.nth(targets[i % len(targets)]))


def act_type_x(page: Page, i: int) -> float:
    field = page.locator('input[aria-label="x"]')
    now = float(field.input_value())
    x = 290 - 9 * (i % 10)
    if abs(x - now) < 1:
        x -= 5
    return press_enter_after(field, str(x))


def act_drag(page: Page, i: int) -> float:
    """A new small box, each in its own place above the article's RoI (input pixels)."""
    col, row = i % 6, (i // 6) % 3
    return drag(page, (20 + 80 * col, 15 + 55 * row), (55, 40))


def sidebar(page: Page):
    return page.get_by_test_id("stSidebar")


def act_method(page: Page, i: int) -> float:
    label = "RoIAlign" if i % 2 == 0 else "RoI pooling"
    return click(sidebar(page).get_by_role("radiogroup", name="How the RoI becomes a fixed-size tensor")
                 .get_by_text(label, exact=True))


def act_output_rows(page: Page, i: int) -> float:
    return press_enter_after(sidebar(page).get_by_label("Output rows"), "4" if i % 2 == 0 else "3")


# --------------------------------------------------------------------------- measuring
@dataclass
class Session:
    """One browser page on one server. ``ready_text`` is shown once the page is usable (None: the floor)."""
    page: Page
    server: Server
    ready_text: str | None
    reloads: int = 0

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
    ctx, page = open_page(browser, server.url, None)
    try:
        return run_series(Session(page, server, None), "floor: Next ▶", act_floor_next, repeats)
    finally:
        ctx.close()


def measure_app(browser, server: Server, repeats: int) -> tuple[list[Series], bool, int]:
    """Every kind of action on the real page.

    Returns the series, whether the page has the keyed figure container, and how often it was reloaded.
    RoI changes and the method switch are watched on step 3 (Quantization for RoI pooling), the
    output size on the last step (every method has one; it shows the output).
    """
    ctx, page = open_page(browser, server.url, "Step 1: Image and RoIs")
    session = Session(page, server, "Step 1: Image and RoIs")
    try:
        keyed = page.evaluate(HAS_KEYED_FIGURE_JS)
        series = list(walk_steps(session, repeats))
        series.append(run_series(session, "jump to a step (radio)", act_jump, repeats))
        series.append(run_series(session, "type x + Enter", act_type_x, repeats, on_step(2)))
        series.append(run_series(session, "drag a new RoI", act_drag, repeats, on_step(2)))
        series.append(run_series(session, "method switch", act_method, repeats, on_step(2)))
        series.append(run_series(session, "output rows 3 <-> 4", act_output_rows, repeats, on_step(-1)))
        return series, keyed, session.reloads
    finally:
        ctx.close()


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
                canvas = visible_canvas(page)
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
                times = board.evaluate("el => el.frameTimes.slice()")
                page.mouse.up()
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


def figure_drawing_ms(repeats: int) -> float:
    """Median time to draw step 3's figure (RoI pooling, the article's settings) for the boxes ``act_drag``
    draws, in this process, as the page draws it: the server's share that no page can avoid. A described
    step: its drawing for the page and for a phone, each painted as SVG (``ui.figure.show_drawing``); a step
    not described yet: Matplotlib's figure encoded at the page's dpi."""
    os.environ.setdefault("ROI_VIZ_OFFLINE", "1")
    sys.path.insert(0, str(ROOT))
    from roi_viz.picture.files import to_jpeg, to_png
    from ui.figure import PAGE_DPI
    from roi_viz.state.settings import Settings
    from roi_viz.methods import METHODS, build_scene
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


# ----------------------------------------------------------------------------- report
def seconds(v: float | None) -> str:
    return f"{v:.2f} s" if v is not None else "never"


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def row(name: str, s: Series, floor_ms: float) -> dict:
    walls = [w * 1000 for w in s.walls()]
    med = median(walls)
    return {
        "action": name, "n": len(walls), "failed": len(s.errors()), "median_ms": med,
        "min_ms": min(walls, default=float("nan")), "max_ms": max(walls, default=float("nan")),
        "ratio": med / floor_ms if floor_ms else float("nan"), "cpu_s": median(s.cpus()),
        "figures": s.forms(), "most_figures_at_once": s.most_shown(),
    }


def print_table(rows: list[dict]) -> None:
    print(f"\n{'action':<26s} {'n':>3s} {'median ms':>10s} {'min ms':>8s} {'max ms':>8s} "
          f"{'x floor':>8s} {'server CPU s':>13s} {'failed':>7s}  figures")
    for r in rows:
        print(f"{r['action']:<26s} {r['n']:3d} {r['median_ms']:10.0f} {r['min_ms']:8.0f} {r['max_ms']:8.0f} "
              f"{r['ratio']:8.2f} {r['cpu_s']:13.3f} {r['failed']:7d}  {r['figures']}")


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def print_live(frames: list[dict]) -> None:
    print(f"\nLive geometry during a drag (the board's own redraw, performance.now()), in ms:")
    print(f"  {'viewport':<10s} {'method':<24s} {'frames':>6s} {'p50':>6s} {'p95':>6s} {'max':>6s}")
    for r in frames:
        print(f"  {r['viewport']:<10s} {r['method']:<24s} {r['frames']:6d} {r['p50_ms']:6.2f} {r['p95_ms']:6.2f} "
              f"{r['max_ms']:6.2f}")


def print_goals(rows: list[dict], cold: list[ColdStart], frames: list[dict], figure_ms: float) -> dict:
    by = {r["action"]: r for r in rows}
    floor_ms = by["floor: Next ▶"]["median_ms"]
    goals = {}
    print("\nGoals (medians as measured; the step and change ratios include the figure's drawing)")
    worst = max(frames, key=lambda r: r["p95_ms"]) if frames else None
    if worst:
        goals["live frame p95"] = worst["p95_ms"] <= GOAL_FRAME_P95_MS
        print(f"  {'live frame p95 (worst)':<26s} {worst['p95_ms']:7.2f} ms <= {GOAL_FRAME_P95_MS} ms "
              f"{verdict(goals['live frame p95'])}   ({worst['viewport']}, {worst['method']})")
    bound = 2 * floor_ms + figure_ms
    drag_ms = by["drag a new RoI"]["median_ms"]
    goals["mouse-up -> figure"] = drag_ms <= bound
    print(f"  {'mouse-up -> step figure':<26s} {drag_ms:7.0f} ms <= 2 x {floor_ms:.0f} + {figure_ms:.0f} (figure) "
          f"= {bound:.0f} ms   {verdict(goals['mouse-up -> figure'])}")
    steps = ["Next ▶", "◀ Previous", "jump to a step (radio)"]
    changes = ["type x + Enter", "drag a new RoI", "method switch", "output rows 3 <-> 4"]
    usable = median([c.usable_s for c in cold if c.usable_s is not None])
    for name in steps:
        goals[name] = by[name]["ratio"] <= GOAL_STEP_RATIO
        print(f"  {name:<26s} x floor {by[name]['ratio']:5.2f}  <= {GOAL_STEP_RATIO}   {verdict(goals[name])}")
    for name in changes:
        goals[name] = by[name]["ratio"] <= GOAL_CHANGE_RATIO
        print(f"  {name:<26s} x floor {by[name]['ratio']:5.2f}  <= {GOAL_CHANGE_RATIO}   {verdict(goals[name])}")
    goals["cold usable board"] = usable <= GOAL_COLD_USABLE_S
    print(f"  {'cold server -> usable board':<26s} {usable:7.2f} s  <= {GOAL_COLD_USABLE_S} s  "
          f"{verdict(goals['cold usable board'])}")
    for name in steps + changes:
        key = f"CPU {name}"
        goals[key] = by[name]["cpu_s"] <= GOAL_CPU_PER_CLICK_S
        print(f"  {'CPU ' + name:<26s} {by[name]['cpu_s']:7.3f} s  <= {GOAL_CPU_PER_CLICK_S} s  {verdict(goals[key])}")
    return goals


def print_cold(cold: list[ColdStart]) -> None:
    def fmt(v):
        return f"{v:6.2f}" if v is not None else "  none"
    print(f"\nCold start (new server each, from page.goto), median of {len(cold)}:")
    print(f"  usable board (drawn, live geometry):  {median([c.usable_s for c in cold if c.usable_s]):.2f} s   "
          f"[{', '.join(fmt(c.usable_s) for c in cold)}]")
    print(f"  first figure loaded:                  {median([c.figure_s for c in cold if c.figure_s]):.2f} s   "
          f"[{', '.join(fmt(c.figure_s) for c in cold)}]")


def print_failures(series: list[Series]) -> None:
    failed = [(s.name, e) for s in series for e in s.errors()]
    if failed:
        print("\nActions whose figure did not change within 60 s (not in the medians):")
        for name, err in failed:
            print(f"  {name}: {err}")


def print_logs(servers: list[Server], cold: list[ColdStart], log_dir: Path) -> dict:
    counts = {s.name: s.log().count("Traceback") for s in servers}
    counts["cold starts"] = sum(c.tracebacks for c in cold)
    print(f"\nServer logs ({log_dir}): " + ", ".join(f"{k}: {v} Traceback(s)" for k, v in counts.items()))
    for s in servers:
        lines = [line for line in s.log().splitlines() if "Error" in line or "Traceback" in line]
        for line in lines[:5]:
            print(f"  [{s.name}] {line.strip()[:150]}")
    return counts


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
            floor = measure_floor(browser, floor_server, repeats)
            series, keyed, reloads = measure_app(browser, app_server, repeats)
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
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--app", type=Path, default=ROOT / "app.py", help="the Streamlit page to measure")
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

"""What a person waits for on the page, in real Chromium, against the least a Streamlit page can do.

    python bench/bench_page.py [--app app.py] [--repeats 7] [--json FILE]

Two Streamlit servers run on loopback in the same run, each on a free port, offline
(ROI_VIZ_OFFLINE=1): the real page (``--app``) and the floor page (``bench/floor_app.py``:
a "Next ▶" button and one 600 x 600 PNG, a new one per click). Headless Chromium (Debian's,
through Playwright) opens each in its own fresh browser context, viewport 1366 x 768.

Measured, each ``--repeats`` times or more (median, min, max):

* floor: click "Next ▶" until the new image is shown;
* the real page: "Next ▶", "◀ Previous", a jump to a step through the step radio, a new x
  typed in the number input "x" then Enter, a mouse drag on the drawing canvas (mouse down,
  15 small moves, mouse up), a method switch in the sidebar (RoI pooling <-> RoIAlign), and an
  output-size change (sidebar "Output rows", 3 <-> 4).

An action is over when the step figure changed: the ``<img>`` inside ``.st-key-step-figure``
has another ``src`` than before the action, and it is loaded (``complete`` and a natural
width). The clock starts when the person's input is complete (the click, the Enter key, the
mouse release). Before each action the page is idle (Streamlit's status widget gone) and
left alone for 0.8 s.

Server CPU per action: utime + stime of the server process (/proc/PID/stat) from just
before the action to 1.0 s after the figure changed (so the work a rerun does after
answering is counted), less the server's idle CPU rate (measured over 3 s before each kind
of action) times that window.

Cold start (median of 3, a new server each time, after its health check answers): from
``page.goto`` until the canvas is visible ("usable first screen") and until the step figure
is loaded ("first figure"). The first view runs VGG16 on the CPU.

At the end: a table (wall times, ratio to the floor click, server CPU), the goals next to
the figures, and the number of Python tracebacks in each server's log.
"""
from __future__ import annotations

import argparse
import json
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

# The step figure. The fallback (the first image of the main area, not the sidebar) is for pages
# without the "step-figure" container; the bench says when it used it.
FIND_FIGURE_JS = """
() => {
  const img = document.querySelector('.st-key-step-figure img');
  if (img) return img;
  const main = document.querySelector('[data-testid="stMain"]');
  return main ? main.querySelector('[data-testid="stImage"] img') : null;
}
"""
FIGURE_SRC_JS = f"() => {{ const img = ({FIND_FIGURE_JS})(); return img ? img.src : null; }}"
FIGURE_LOADED_JS = f"""
(before) => {{
  const img = ({FIND_FIGURE_JS})();
  return !!img && img.src !== before && img.complete && img.naturalWidth > 0;
}}
"""
# The same, but an error box of Streamlit's (an uncaught exception) also ends the wait: "error".
FIGURE_OR_ERROR_JS = f"""
(before) => {{
  if (document.querySelector('[data-testid="stException"]')) return "error";
  return ({FIGURE_LOADED_JS})(before) ? "changed" : false;
}}
"""
HAS_KEYED_FIGURE_JS = "() => !!document.querySelector('.st-key-step-figure img')"
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
    """The drawing canvas. A remounted canvas can leave the old one in the page, hidden: take the one shown."""
    return page.locator("canvas.upper-canvas").filter(visible=True).first


def drag(page: Page, start: tuple[float, float], delta: tuple[float, float], moves: int = 15) -> float:
    """A person's drag on the canvas, in input pixels: down, small moves, up. Returns the time of the release."""
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
    return click(page.get_by_role("button", name="Next ▶"))


def act_previous(page: Page, i: int) -> float:
    return click(page.get_by_role("button", name="◀ Previous"))


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
    except Exception as exc:  # noqa: BLE001 -- Playwright's timeouts and errors, PageBroken, a missing option
        first_line = (str(exc).strip().splitlines() or [""])[0][:110]
        return Sample(None, None, f"#{i + 1}: {type(exc).__name__}: {first_line}{session.recover()}")
    time.sleep(CPU_TAIL_S)
    cpu = server.cpu() - c0 - idle_rate * (time.perf_counter() - w0)
    return Sample(wall, max(cpu, 0.0))


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
          f"{len(series.errors())} failed", flush=True)


def walk_steps(session: Session, repeats: int) -> tuple[Series, Series]:
    """"Next ▶" to the last step, "◀ Previous" back to the first, again, until both have ``repeats``."""
    nxt, prev = Series("Next ▶"), Series("◀ Previous")
    idle_rate = session.server.idle_cpu_rate()
    going, act, label = nxt, act_next, "Next ▶"
    while len(nxt.samples) < repeats or len(prev.samples) < repeats:
        button = session.page.get_by_role("button", name=label)
        if button.count() and button.is_disabled():  # at the end: turn round
            going, act, label = (prev, act_previous, "◀ Previous") if going is nxt else (nxt, act_next, "Next ▶")
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


@dataclass
class ColdStart:
    usable_s: float | None
    figure_s: float | None
    tracebacks: int


def cold_start(browser, app: Path, log_dir: Path, k: int) -> ColdStart:
    """A new server; from page.goto until the canvas is visible, and until the step figure is loaded."""
    server = start_server(f"cold{k}", app, log_dir, app.parent)
    ctx = browser.new_context(viewport=VIEWPORT)
    try:
        page = ctx.new_page()
        canvas = visible_canvas(page)
        usable = figure = None
        t0 = time.perf_counter()
        page.goto(server.url, wait_until="commit")
        while (usable is None or figure is None) and time.perf_counter() - t0 < FIRST_VIEW_TIMEOUT_MS / 1000:
            now = time.perf_counter() - t0
            try:
                if usable is None and canvas.is_visible():
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
    }


def print_table(rows: list[dict]) -> None:
    print(f"\n{'action':<26s} {'n':>3s} {'median ms':>10s} {'min ms':>8s} {'max ms':>8s} "
          f"{'x floor':>8s} {'server CPU s':>13s} {'failed':>7s}")
    for r in rows:
        print(f"{r['action']:<26s} {r['n']:3d} {r['median_ms']:10.0f} {r['min_ms']:8.0f} {r['max_ms']:8.0f} "
              f"{r['ratio']:8.2f} {r['cpu_s']:13.3f} {r['failed']:7d}")


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def print_goals(rows: list[dict], cold: list[ColdStart]) -> dict:
    by = {r["action"]: r for r in rows}
    steps = ["Next ▶", "◀ Previous", "jump to a step (radio)"]
    changes = ["type x + Enter", "drag a new RoI", "method switch", "output rows 3 <-> 4"]
    usable = median([c.usable_s for c in cold if c.usable_s is not None])
    goals = {}
    print("\nGoals (the bench cannot tell figure drawing from the rest: these are the ratios as measured)")
    for name in steps:
        goals[name] = by[name]["ratio"] <= GOAL_STEP_RATIO
        print(f"  {name:<26s} x floor {by[name]['ratio']:5.2f}  <= {GOAL_STEP_RATIO}   {verdict(goals[name])}")
    for name in changes:
        goals[name] = by[name]["ratio"] <= GOAL_CHANGE_RATIO
        print(f"  {name:<26s} x floor {by[name]['ratio']:5.2f}  <= {GOAL_CHANGE_RATIO}   {verdict(goals[name])}")
    goals["cold usable screen"] = usable <= GOAL_COLD_USABLE_S
    print(f"  {'cold usable first screen':<26s} {usable:7.2f} s  <= {GOAL_COLD_USABLE_S} s  "
          f"{verdict(goals['cold usable screen'])}")
    for name in steps + changes:
        key = f"CPU {name}"
        goals[key] = by[name]["cpu_s"] <= GOAL_CPU_PER_CLICK_S
        print(f"  {'CPU ' + name:<26s} {by[name]['cpu_s']:7.3f} s  <= {GOAL_CPU_PER_CLICK_S} s  {verdict(goals[key])}")
    return goals


def print_cold(cold: list[ColdStart]) -> None:
    def fmt(v):
        return f"{v:6.2f}" if v is not None else "  none"
    print(f"\nCold start (new server each, from page.goto), median of {len(cold)}:")
    print(f"  usable first screen (canvas visible): {median([c.usable_s for c in cold if c.usable_s]):.2f} s   "
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
def run(app: Path, repeats: int, json_path: Path | None) -> None:
    log_dir = Path(tempfile.mkdtemp(prefix="bench_page_"))
    print(f"app {app}; floor {FLOOR_APP}; {repeats} repeats; {os.cpu_count()} CPUs; "
          f"Chromium {CHROMIUM}; viewport {VIEWPORT['width']}x{VIEWPORT['height']}", flush=True)
    servers: list[Server] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            cold = []
            for k in range(COLD_STARTS):
                cold.append(cold_start(browser, app, log_dir, k + 1))
                print(f"  cold start {k + 1}: usable {seconds(cold[-1].usable_s)}, "
                      f"first figure {seconds(cold[-1].figure_s)}", flush=True)
            servers.append(start_server("app", app, log_dir, app.parent))
            servers.append(start_server("floor", FLOOR_APP, log_dir, ROOT))
            app_server, floor_server = servers
            floor = measure_floor(browser, floor_server, repeats)
            series, keyed, reloads = measure_app(browser, app_server, repeats)
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
    print_table(rows)
    print_cold(cold)
    goals = print_goals(rows, cold)
    print_failures([floor] + series)
    tracebacks = print_logs(servers, cold, log_dir)
    if json_path:
        json_path.write_text(json.dumps({
            "app": str(app), "repeats": repeats, "keyed_figure": keyed, "reloads": reloads, "rows": rows,
            "cold": [vars(c) for c in cold], "goals": goals, "tracebacks": tracebacks,
            "failures": {s.name: s.errors() for s in [floor] + series if s.errors()},
        }, indent=2))
        print(f"JSON written to {json_path}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--app", type=Path, default=ROOT / "app.py", help="the Streamlit page to measure")
    ap.add_argument("--repeats", type=int, default=7, help="measurements per kind of action (median of them)")
    ap.add_argument("--json", type=Path, default=None, help="also write the results to this JSON file")
    args = ap.parse_args()
    if args.repeats < 1:
        ap.error("--repeats must be 1 or more")
    run(args.app.resolve(), args.repeats, args.json)


if __name__ == "__main__":
    main()

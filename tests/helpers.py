"""The tests' shared helpers, imported by name (``from helpers import settle``) from any layer of tests/:
pictures and files to upload, what an AppTest page says and shows, and the browser tests' parts (the real server,
Chromium, waits, a person's drag on the board). Fixtures live in conftest.py."""
import io
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

ARTICLE_ROI = (296.0, 192.0, 200.0, 145.0)
ROOT = Path(__file__).resolve().parent.parent  # the repository
APP = str(ROOT / "app.py")


def encode(img: Image.Image, fmt: str, **kw) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format=fmt, **kw)
    return buf.getvalue()


def photo(w: int = 64, h: int = 48, seed: int = 0) -> Image.Image:
    """A small RGB image with structure (a gradient plus a red block), not a flat colour."""
    rng = np.random.default_rng(seed)
    arr = np.zeros((h, w, 3), np.uint8)
    arr[..., 0] = np.linspace(0, 255, w, dtype=np.uint8)[None, :]
    arr[..., 1] = np.linspace(0, 255, h, dtype=np.uint8)[:, None]
    arr[..., 2] = rng.integers(0, 255, (h, w))
    arr[: h // 3, : w // 3] = (255, 0, 0)
    return Image.fromarray(arr, "RGB")


def png_header_only(w: int, h: int) -> bytes:
    """A PNG that claims w x h pixels: a decompression bomb's header, without the memory."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 10)) + chunk(b"IEND", b"")


def xmp_with_orientation(value: str, element: bool = False) -> bytes:
    """An XMP packet stating ``tiff:Orientation``, as an attribute or as an element (both are written in the wild)."""
    tag = (f"<tiff:Orientation>{value}</tiff:Orientation>" if element else "")
    attr = "" if element else f' tiff:Orientation="{value}"'
    return ('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
            f'<rdf:Description xmlns:tiff="http://ns.adobe.com/tiff/1.0/"{attr}>{tag}</rdf:Description>'
            "</rdf:RDF></x:xmpmeta>").encode()


# The lesson's Link and Export popovers draw their contents only while open (ui.teacher.tools): a test that reads
# what is in them opens them, as a person does, before the page runs.
POPOVERS = ("link-popover", "export-popover")


def open_page(params: dict | None = None, timeout: float = 180, *, opened: tuple[str, ...] = ()):
    """The app in AppTest, opened from a link's query ``params`` (names to values) and run once, without an
    exception. ``opened``: the keys of the popovers and expanders open when it runs (e.g. :data:`POPOVERS`)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=timeout)
    for name, value in (params or {}).items():
        at.query_params[name] = value
    for key in opened:
        at.session_state[key] = True
    at.run()
    assert not at.exception
    return at


def page_text(at) -> str:
    """Everything an AppTest page says in words: markdown, errors, warnings, notes, captions, plain text."""
    parts = [m.value for m in at.markdown] + [e.value for e in at.error] + [w.value for w in at.warning]
    parts += [i.value for i in at.info] + [c.value for c in at.caption] + [t.value for t in at.text]
    parts += notices(at)  # plain text in an element of their own (ui.widgets.say)
    return "\n".join(parts)


def figures(at) -> list[str]:
    """The figures an AppTest page shows, their text alternatives: ``ui.figure.show`` (an ``<img>`` with its alt)
    and ``ui.figure.show_drawing`` (inline SVG, ``role="img"`` with its ``aria-label``), in the page's order."""
    import html
    import json
    import re

    found = []

    def walk(node) -> None:
        kind = getattr(node, "type", None)
        if kind == "html" and 'class="roi-figure"' in node.proto.body:
            found.append(html.unescape(re.search(r'alt="([^"]*)"', node.proto.body).group(1)))
        elif kind == "bidi_component" and node.proto.component_name == "roi_viz.figure":  # ui.figure.show_drawing
            svg = json.loads(node.proto.json)["svg"]
            found.append(html.unescape(re.search(r'aria-label="([^"]*)"', svg).group(1)))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at.main)
    return found


def notice_text(body: str, kind: str) -> str:
    """What a notice's element (``ui.widgets.notice_html``) shows: one ``<div>`` holding escaped text only,
    with the role of its ``kind`` (a warning or an error interrupts, ``alert``; information waits, ``status``)."""
    import html
    import re

    role = "status" if kind == "info" else "alert"
    inner = re.fullmatch(f'<div class="roi-notice" role="{role}">(.*)</div>', body, re.S)
    assert inner and "<" not in inner.group(1), f"a {kind} notice must be one element with role {role} holding " \
        f"escaped text: {body[:200]!r}"
    return html.unescape(inner.group(1))


def notices(at, kind: str | None = None) -> list[str]:
    """The page's notices, as plain text: each is one element with its role in a box keyed ``notice-KIND-...``.

    ``kind``: ``"warning"``, ``"error"`` or ``"info"``; ``None`` for all of them.
    """
    found: list[str] = []

    def walk(node, inside: str) -> None:
        key = getattr(node, "key", None) or ""
        here = key.split("-")[1] if key.startswith(f"notice-{kind}-" if kind else "notice-") else inside
        if here and getattr(node, "type", None) == "html":
            found.append(notice_text(node.proto.body, here))
        for child in getattr(node, "children", {}).values():
            walk(child, here)

    walk(at.main, "")
    walk(at.sidebar, "")
    return found


def widget(at, kind: str, label: str):
    """The AppTest widget of ``kind`` (``"radio"``, ``"number_input"``, ...) labelled ``label``.

    Found by its label, as a person finds it: the page's widget keys carry a
    revision (see ui/widgets.py), so they change as the state does.
    """
    items = list(getattr(at, kind))
    found = [w for w in items if w.label == label] or [w for w in items if w.label.startswith(label)]
    assert found, f"no {kind} labelled {label!r}; there are {[w.label for w in items]}"
    return found[0]


def page_state(at):
    """The session's state, through the page's one accessor's key: a ``ui.session.Session``
    (settings, the RoI store, the photo, the lesson's place, the quiz)."""
    from ui.session import KEY

    return at.session_state[KEY]


# ------------------------------------------------------------------ the browser tests' shared parts
# Real Chromium (Debian's package) driven by Playwright against the real server on loopback.
# Without Chromium a browser test is skipped with the command that installs it; under CI
# (``.ci/run`` installs it) a missing Chromium fails instead, so a green run never hides it.
from playwright.sync_api import expect  # noqa: E402

expect.set_options(timeout=120_000)  # the first view runs VGG16 on a 2-core CPU
SHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = os.environ.get("ROI_VIZ_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(log_path: Path, script: str = "app.py", **env_vars: str):
    """The real app on a free loopback port, its output in ``log_path`` (a pipe nobody reads could fill up).
    ``script``: what ``streamlit run`` runs: ``app.py`` (the page alone: the first visit makes the network's maps)
    or ``serve.py`` (the README's server: it makes the first screen's as it starts); ``env_vars``: more
    environment for the server."""
    port = free_port()
    env = dict(os.environ, ROI_VIZ_OFFLINE="1", **env_vars)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / script), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, env=env, stdout=open(log_path, "wb"), stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(240):
        try:
            if urllib.request.urlopen(url + "/_stcore/health", timeout=1).status == 200:
                break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("the Streamlit server did not start:\n" + log_path.read_text(errors="replace"))
    return proc, url


def tracebacks(text: str) -> list[str]:
    """The tracebacks of a server log that are the project's: every one, except the web framework's own
    when a browser drops a websocket before the server accepted it (a tab closed at once: no frame of ours,
    nothing a student sees)."""
    import re

    blocks = re.split(r"(?=Traceback \(most recent call last\))", text)[1:]
    ours = [str(ROOT / d) for d in ("app.py", "serve.py", "ui", "roi_viz", "tests")]
    return [b[:4000] for b in blocks
            if any(path in b for path in ours) or 'Need to call "accept" first' not in b]


def assert_clean_log(log_path: Path) -> None:
    found = tracebacks(log_path.read_text(errors="replace"))
    assert not found, "the server log has a traceback:\n" + found[-1]


IDLE_JS = "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"  # no rerun running


def settle(pg, extra_ms: int = 0, rounds: int = 1, timeout: float = 120_000) -> None:
    """Wait until Streamlit has finished the rerun the last action started (its status widget gone).

    ``rounds``: how many times to see it gone (a click may start a second rerun); ``extra_ms``: a further pause
    for the browser's own work after the last rerun (a board redrawing)."""
    for _ in range(rounds):
        pg.wait_for_timeout(400)
        pg.wait_for_function(IDLE_JS, timeout=timeout)
    pg.wait_for_timeout(300 + extra_ms)


def idle(pg, timeout: float = 120_000) -> None:
    """Wait, without a pause first, until no rerun runs (Streamlit's status widget is gone)."""
    pg.wait_for_function(IDLE_JS, timeout=timeout)


FIGURE_ANY = 'img.roi-figure, [data-testid="roi-figure"] svg'  # a picture, or a figure painted as inline SVG


def figures_shown(pg) -> None:
    """Wait until the page shows a figure, the rerun is over and every picture on it has loaded."""
    pg.wait_for_selector(FIGURE_ANY, timeout=120_000)
    settle(pg)
    pg.wait_for_function("[...document.querySelectorAll('img.roi-figure')].every(i => i.complete)")


BOARD = '[data-testid="roi-board"]'
# The walkthrough's figure: a described one is inline SVG (role="img", its text alternative in aria-label), a
# picture an <img> (its alt). Playwright's locators see into the figure component's shadow root.
STEP_FIGURE = ".st-key-step-figure .roi-figure"


def step_figure(pg):
    """The walkthrough's figure as a locator (one element)."""
    return pg.locator(STEP_FIGURE).first


def expect_step(pg, n: int, title: str) -> None:
    """The walkthrough shows step ``n`` (from 1) titled ``title``: the picker's mark, the heading and the figure's
    text alternative all say it."""
    from playwright.sync_api import expect

    heading = f"Step {n}: {title}"
    picker = pg.get_by_role("radiogroup", name="Step")
    expect(picker.get_by_role("radio", name=f"{n}. {title}", exact=True)).to_be_checked()
    expect(pg.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    assert figure_alt(step_figure(pg)).startswith(heading)


def figure_alt(fig) -> str:
    """The text alternative of a figure located by :func:`step_figure` (SVG's aria-label, or an img's alt)."""
    return fig.get_attribute("aria-label") or fig.get_attribute("alt") or ""


def figure_content(fig) -> str:
    """What a figure shows, to tell two figures apart: an SVG's own markup, or an img's source."""
    return fig.evaluate("(e) => e.tagName.toLowerCase() === 'svg' ? e.outerHTML : e.src")


def wait_figure_changed(pg, before: str, timeout: float = 60_000) -> str:
    """Wait until the walkthrough's figure shows another text alternative than ``before``; returns the new one."""
    deadline = timeout / 250
    for _ in range(int(deadline)):
        fig = pg.locator(STEP_FIGURE)
        if fig.count() == 1:
            alt = figure_alt(fig.first)
            if alt and alt != before:
                return alt
        pg.wait_for_timeout(250)
    raise AssertionError(f"the figure still says {before!r}")


def the_canvas(pg):
    """The board's canvas (the photo, its grid and every RoI), once the page shows exactly one board.

    The board lives inside a component's shadow root: Playwright's locators see into it,
    ``document.querySelector`` does not.
    """
    canvas = pg.locator(f"{BOARD} canvas")
    for _ in range(240):
        if canvas.count() == 1 and canvas.is_visible():
            return canvas
        pg.wait_for_timeout(500)
    raise AssertionError(f"{canvas.count()} boards on the page, expected 1")


def live(pg) -> dict:
    """What the board computes in the browser (its ``data-live`` JSON): the followed box, its geometry, the count."""
    import json

    return json.loads(pg.locator(BOARD).get_attribute("data-live"))


def mouse_drag(pg, start: tuple[float, float], end: tuple[float, float], moves: int = 15, pause_ms: int = 0) -> None:
    """A person's drag on the screen, in CSS pixels: mouse down at ``start``, ``moves`` small moves (each followed
    by ``pause_ms``), mouse up at ``end``."""
    pg.mouse.move(*start)
    pg.mouse.down()
    for i in range(1, moves + 1):
        pg.mouse.move(start[0] + (end[0] - start[0]) * i / moves, start[1] + (end[1] - start[1]) * i / moves)
        if pause_ms:
            pg.wait_for_timeout(pause_ms)
    pg.mouse.up()


def drag_on(pg, canvas, size: tuple[int, int], start: tuple[float, float], delta: tuple[float, float],
            moves: int = 15, pause_ms: int = 0) -> tuple[float, float, float, float]:
    """A person's drag on the board from ``start`` by ``delta``, in input pixels of a ``size`` (W, H) input:
    mouse down, small moves, mouse up. Returns the box the mouse drew, in input pixels (unrounded)."""
    box = canvas.bounding_box() if hasattr(canvas, "bounding_box") else canvas
    k = size[0] / box["width"]  # input pixels per CSS pixel: the board is shown scaled to its column
    x0, y0 = box["x"] + start[0] / k, box["y"] + start[1] / k
    x1, y1 = x0 + delta[0] / k, y0 + delta[1] / k
    mouse_drag(pg, (x0, y0), (x1, y1), moves, pause_ms)
    return ((x0 - box["x"]) * k, (y0 - box["y"]) * k, (x1 - x0) * k, (y1 - y0) * k)


def number(pg, label: str) -> float:
    return float(pg.locator(f'input[aria-label="{label}"]').input_value())


def chromium_or_skip() -> str:
    """Chromium's path; else a skip naming the install command (a failure under CI, which installs it)."""
    if Path(CHROMIUM).exists():
        return CHROMIUM
    why = (f"Chromium is needed at {CHROMIUM} for the browser tests: apt-get update && apt-get install -y chromium "
           "(or set ROI_VIZ_CHROMIUM)")
    if os.environ.get("CI"):
        pytest.fail(why)
    pytest.skip(why)

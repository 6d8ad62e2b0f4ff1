"""A classroom without browsers: N sessions that speak Streamlit's own websocket protocol.

    python bench/bench_protocol.py [--sessions 1 10 30 60] [--case walk draw] [--think 1.0]
                                   [--machine-pace] [--chromium-check [N ...]] [--no-floor]
                                   [--json FILE] [--profile FILE]

Why: ``bench_load.py`` drives real Chromium pages, and on a 2-core machine 15-20 Chromium
renderers starve the server they measure, so it cannot reach a class of 30 or 60. This
client does what the browser does *on the wire* and nothing else: a session costs it a few
MB and a few ms of CPU per rerun, so 60 sessions fit beside the server.

It starts two servers on loopback, offline (ROI_VIZ_OFFLINE=1), with the repository's
``.streamlit/config.toml`` (XSRF protection on): the real page (``app.py``) and the floor page
(``bench/floor_app.py``: a title, a "Next ▶" button and one PNG). Each is warmed first by one
student's whole walk, not counted (VGG16 loaded, the sample's features computed, each kind
of figure drawn once, as on a server before the class comes in). Then for each N, on each
page, N students at the same moment, in the case ``--case walk`` (the default):

1. open the page: until the first script run and the runs it triggers are over, and the step
   figure is there. The app's figures come in two forms, and a figure has arrived when the delta
   carrying it has (nothing more is fetched for either): a described figure is inline SVG, a
   ``bidi_component`` element of the component ``roi_viz.figure`` whose JSON data carries the markup
   (``"svg"``, and ``"narrow"`` for a phone); a figure not described yet is an
   ``<img class="roi-figure" src="data:...">`` inside an ``st.html`` element. The floor's is an
   ``st.image`` whose media URL is then fetched;
2. (once all N have opened) type a new x for the RoI in the editor's "x" field, until the
   list of RoIs shows it and a step figure has arrived since (floor: one click on "Next ▶",
   until its new image is fetched);
3. Next five times, as the stepper sends it (its state value ``step``, below), each time
   until the heading "### Step k+1:" and a figure sent after the value are there (floor: a
   click on its "Next ▶" button and a new image), and the session is idle.

``--case draw``: once all N have opened, each student draws one box of its own on the board
(the board's state value, below: its boxes plus the new one, the new one followed), the N
releases spread evenly over the same 3 s; the interaction runs from the value sent to the
arrival of the last step figure of the runs it caused (floor: one click). Server CPU per
interaction is then per drawn box.

Each round also says which form the step figure took at each step the students saw (``step
figures: 1 img, 2 img, 3 svg, ...``), so that times before and after a step moves to SVG can
be told apart.

Every student types (or draws at) its own x (no two sessions of a run, nor bench_load's students, share a
box), so nobody finds another's figures in the cache. Between actions a student thinks
``--think`` seconds (1 s). ``--machine-pace`` instead sends the five "Next ▶" clicks 30 ms
apart without waiting for their results: each click reaches the server while the rerun of
the previous one is still queued or running. After the last rerun, a step lower than 6
means clicks were lost (see "Lost clicks").

``--profile FILE`` runs the app's server under ``bench/profile_server.py`` (cProfile in every
thread, script runs included), on over the rounds only (not the warm-up), and prints its top
calls by cumulative and by own time.

Printed per page and N, then as a Markdown table for the README: p50 / p95 / max seconds per
interaction (2 and 3; opening apart), errors (timeouts, an exception element, a traceback or
the page's own error box in any delta, an HTTP error, a cache miss), lost clicks, the
server's RSS with the N sessions open and MB per extra session against N = 1, server CPU
seconds per open and per interaction (utime + stime of the server process from
/proc/PID/stat over that phase, less the server's idle rate, divided by the phase's opens or
interactions), and the same lumped as ``bench_load.py`` reports it (CPU of the whole round /
(opens + interactions), idle included). Also per student: the reruns it sent, the runs the
server started for it, its HTTP requests. The server logs are checked: the sample's
features computed once, no Python traceback.

``--chromium-check 1 5`` then runs ``bench_load.student`` (real Chromium, unchanged) against
the same warm server for those N, counting its websocket frames and HTTP requests, and
prints its server CPU beside this client's, lumped the same way, and at N = 1 per action.

What the browser does on the wire, and so what this client does
-----------------------------------------------------------------
Read in ``streamlit/web/server/starlette/starlette_websocket.py``, ``runtime/app_session.py``,
``runtime/scriptrunner_utils/script_requests.py``, ``runtime/forward_msg_cache.py``,
``runtime/forward_msg_queue.py`` and the frontend bundle (``streamlit/static/static/js/
index.*.js``), and checked against Chromium's own frames (Playwright ``websocket`` events)
on this page:

* HTTP first: ``GET /`` (index.html), the scripts, module preloads, stylesheet and font it
  names (about 60 files), the icon font, ``/_stcore/health`` (which sets the
  ``_streamlit_xsrf`` cookie), ``/_stcore/host-config``, ``/favicon.png``. That costs the
  server about 0.13 s of CPU per fresh browser, more than a click, so the client fetches
  them (each session is a fresh browser context, as in bench_load). Element code is loaded
  lazily: the first radio, number input, button, image... shown makes the browser fetch that
  element's chunk and the chunks it imports; the client reads the chunk map
  (``__vite__mapDeps``) from the main bundle and fetches the same files when an element of
  that type first arrives (not inside a popover: closed, it is not rendered), and the bidi
  component's JS and CSS when it names files (the app's components carry theirs inline). Checked: the same 113 files as Chromium.
* The websocket ``/_stcore/stream`` is opened with subprotocols ``["streamlit", <xsrf>]``, the
  second being the ``_streamlit_xsrf`` cookie's value (a third would be a session id to
  resume), plus ``Origin`` and the cookie. With XSRF on, the server only uses the token to
  decide whether to read an auth cookie: the stream is not refused without it, and
  ``server.enableXsrfProtection`` stays on. The client sends it as the browser does.
* Every message is a binary protobuf: ``BackMsg`` up, ``ForwardMsg`` down.
* First ``BackMsg.rerun_script``: a ``ClientState`` with empty ``widget_states``, empty
  ``page_script_hash`` and a ``context_info`` (timezone, locale, url, color scheme). Later
  reruns carry ``page_script_hash`` from ``new_session``, ``query_string`` as the page last set
  it (``page_info_changed``: the app keeps its state in the address bar, and a rerun
  without it would tell the app the link changed), the ``cached_message_hashes`` (below),
  the same ``context_info``, ``fragment_id`` when the widget lives in an ``st.fragment``, and
  ``widget_states`` with the value of *every* widget the page holds, not only the one
  changed: the frontend registers each widget's default when it first renders it (radio
  and selectbox: the option's text, select_slider: the option texts, number_input: int or
  double, toggle: bool) and keeps the student's value afterwards. A button click is the
  button's ``trigger_value: true`` in that one message only. Values of widgets that are no
  longer on the page are dropped only when a run finishes with status 0 or 3 (the
  frontend's ``clearStaleNodes`` + ``removeInactive``, reproduced here on a tree of the
  deltas, fragments included); not after status 2, which ``ForwardMsgQueue`` also gives a
  run that completed when the next one starts before its last messages were sent.
* Fragments: each delta carries ``delta.fragment_id``; a widget inside a fragment sends its
  rerun with that id, and the server runs only that fragment (``script_finished`` status 3,
  ``metadata.run.fragment_ids``). Sending no id would rerun the whole page and measure the
  wrong thing. The "x" field and the board live in the ``workspace`` fragment, the stepper
  in ``lesson``.
* Components v2 (``bidi_component`` elements: the board, the stepper): the component's
  ``setStateValue(key, value)`` makes the frontend send a rerun of the component's fragment
  whose widget state, under the element's ``id``, is a ``json_value``: the JSON string of
  ``{...the state it held, [key]: value}``, beside every other widget value the page holds.
  Nothing is sent on mounting. The board's value is ``board = {"boxes": [[x, y, w, h], ...],
  "active": i, "seq": n, "revision": r}``, the stepper's ``step = {"step": k (1-based),
  "seq": n, "revision": r}``; ``r`` is the revision in the element's data (``json``), ``n``
  grows by one per value the browser sends for that key.
* ``ForwardMsg`` caching: a ``new_element`` delta of 10 kB or more has ``metadata.cacheable``
  and a ``hash``; the client keeps it and lists the hashes it holds in the next
  ``cached_message_hashes``; the server then sends ``ref_hash`` instead of the message (the
  board with its photo, at each rerun of ``workspace``). Entries age as in the frontend's
  ``ForwardMsgCache``: one run count per finished run (not status 2, and only if a
  ``new_session`` came since the last rerun request), checked against
  ``config.max_cached_message_age`` (2) only for entries of the fragments that ran; a
  ``ref_hash`` or a repeat of a hash refreshes its entry. A miss is an error.
* Images (the floor page): ``imgs`` elements name ``/media/<id>.<ext>`` URLs; the browser then GETs each
  (once per URL: its cache), and so does the client, over keep-alive HTTP/1.1, at most six
  connections per session, as a browser.
* ``session_status_changed.script_is_running`` is the browser's "running" indicator, but it
  goes off and on again between two runs back to back. To know that a session is idle the
  client also needs every rerun it sent to have been followed by a ``new_session``, then
  sends an ``app_heartbeat`` (the browser sends them too; the server answers
  ``heartbeat_ack`` in order with the session's other messages) and counts the session idle
  if no run starts before the ack and 30 ms after. An interaction's time ends at its last
  event (the last ``script_finished`` or image fetched), not at that check.

Lost clicks
-----------
A rerun request that reaches the server while the session's script runs waits (fragment
runs do not preempt one another, ``_fragment_run_should_not_preempt_script``);
``ScriptRequests._request_rerun_locked`` folds every further request into the waiting one,
and ``_coalesce_widget_states`` keeps one state per widget id: a button's trigger is a
boolean, so all the "Next ▶" clicks that arrive while one is waiting become one click, one
step. Seen with the server's ``ScriptRequests`` instrumented, at machine pace: click 1
starts a run, click 2 waits, clicks 3, 4, 5 are folded into click 2: two runs, step 3, three
clicks lost. ``--machine-pace`` counts them (the step after all reruns vs. the clicks sent)
and the runs each session saw. At a person's pace (a click after the page shows the last
one) nothing is waiting when a click arrives, and no click is lost.
"""
from __future__ import annotations

import argparse
import itertools
import asyncio
import gzip
import hashlib
import json
import os
import posixpath
import re
import signal
import statistics
import sys
import tempfile
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from google.protobuf.message import DecodeError
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ContextInfo
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState, WidgetStates
from websockets.asyncio.client import connect

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_load  # noqa: E402  (the server, CPU and memory helpers are shared with the browser bench)
from bench_load import cpu_seconds, free_port, pct, rss_mb, start_server  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
FLOOR_APP = Path(__file__).resolve().parent / "floor_app.py"
STATIC_DIR = Path(__import__("streamlit").__file__).resolve().parent / "static"

TRACE = os.environ.get("ROI_VIZ_PROTO_TRACE")  # a file: every message of every session, for debugging
TIMEOUT_S = float(os.environ.get("ROI_VIZ_LOAD_TIMEOUT_MS", 120_000)) / 1000
MACHINE_GAP_S = 0.030  # --machine-pace: the gap between two clicks
IDLE_QUIET_S = 0.030  # after the heartbeat's ack, no run may start for this long
IDLE_GRACE_S = 2.0  # a rerun sent, acknowledged, and still no run: the server dropped it
REST_RATE = 0.015  # server CPU seconds per second below which it is at rest between rounds
HTTP_CONNECTIONS = 6  # per session, as a browser per origin
NEXT_CLICKS = 5
FLOOR_IMAGES = 6  # bench/floor_app.py's N_IMAGES
FIRST_STEP, LAST_STEP = 1, 1 + NEXT_CLICKS
BROWSER_CONTEXT = dict(timezone="UTC", timezone_offset=0, locale="en-US", is_embedded=False, color_scheme="light")
# Element types whose code the frontend loads lazily under another name than CamelCase(type).
LAZY_ALIASES = {"imgs": "ImageList"}
HEADING = re.compile(r"^### Step (\d+):")
IMG_SRC = re.compile(r'<img\b[^>]*\bsrc="([^"]*)"')
FIGURE_MARK = 'class="roi-figure"'  # ui/figure.py show: a figure not described yet, an <img> of this class in st.html
FIGURE_COMPONENT = "roi_viz.figure"  # ui/figure.py show_drawing: a described figure, inline SVG in this component
STEP_FIGURE_KEY = "-step-figure"  # the walkthrough's container of the step figure: its block id ends with its key
DRAW_WINDOW_S = 3.0  # --case draw: every student draws once within this many seconds of the others
# Distinct x values for all sessions of a run, so that no student finds another's figures in the
# cache (st.cache_data): x in [100, 312] (the 200 px wide box stays inside the 512 px input), not
# 296 (the default box), and not 200 + 3k (the values bench_load's students type).
X_VALUES = [x for x in range(100, 313) if x % 3 != 2]


# ----------------------------------------------------------------------------- HTTP, as a browser
class HttpPool:
    """Keep-alive HTTP/1.1 GETs, at most HTTP_CONNECTIONS at once: one browser context's connections."""

    def __init__(self, host: str, port: int, user_agent: str, source: str | None = None):
        self.host, self.port = host, port
        self.local_addr = (source, 0) if source else None  # the student's own address (behind a balancer)
        self.headers = {"Host": f"{host}:{port}", "User-Agent": user_agent, "Accept": "*/*",
                        "Accept-Encoding": "gzip, deflate", "Accept-Language": "en-US"}
        self.cookies: dict[str, str] = {}
        self._idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []
        self._slots = asyncio.Semaphore(HTTP_CONNECTIONS)
        self.requests = 0
        self.bytes = 0

    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    async def get(self, path: str, decode: bool = False) -> tuple[int, bytes]:
        async with self._slots:
            for attempt in range(2):  # a kept-alive connection the server closed meanwhile: once more, fresh
                reuse = attempt == 0 and self._idle  # the retry is on a new connection, as a browser's
                conn = self._idle.pop() if reuse else await asyncio.open_connection(
                    self.host, self.port, local_addr=self.local_addr)
                try:
                    status, headers, body, keep = await self._exchange(conn, path)
                    break
                except (ConnectionError, asyncio.IncompleteReadError):
                    conn[1].close()
                    if attempt:
                        raise
            if keep:
                self._idle.append(conn)
            else:
                conn[1].close()
        self.requests += 1
        self.bytes += len(body)
        for value in headers.get("set-cookie", []):
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        if decode:
            enc = (headers.get("content-encoding") or [""])[0]
            if enc == "gzip":
                body = gzip.decompress(body)
            elif enc == "deflate":
                body = zlib.decompress(body)
        return status, body

    async def _exchange(self, conn, path: str):
        reader, writer = conn
        head = [f"GET {path} HTTP/1.1"] + [f"{k}: {v}" for k, v in self.headers.items()]
        if self.cookies:
            head.append(f"Cookie: {self.cookie_header()}")
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1"))
        await writer.drain()
        status_line = await reader.readline()
        if not status_line:
            raise ConnectionError("connection closed")
        status = int(status_line.split()[1])
        headers: dict[str, list[str]] = {}
        while (line := await reader.readline()) not in (b"\r\n", b"\n", b""):
            k, _, v = line.decode("latin-1").partition(":")
            headers.setdefault(k.strip().lower(), []).append(v.strip())
        if "chunked" in (headers.get("transfer-encoding") or [""])[0].lower():
            parts = []
            while (size := int((await reader.readline()).split(b";")[0], 16)):
                parts.append(await reader.readexactly(size))
                await reader.readline()
            while (await reader.readline()) not in (b"\r\n", b"\n", b""):
                pass
            body = b"".join(parts)
        elif "content-length" in headers:
            body = await reader.readexactly(int(headers["content-length"][0]))
        else:
            body = await reader.read()
        keep = (headers.get("connection") or [""])[0].lower() != "close"
        return status, headers, body, keep

    def close(self) -> None:
        for _, writer in self._idle:
            writer.close()
        self._idle.clear()


@dataclass
class StaticAssets:
    """What a fresh browser GETs on opening the page, read once from the installed Streamlit build."""

    first: list[str]  # named by index.html (scripts, module preloads, stylesheet, preloaded font), two fonts
    lazy: dict[str, list[str]]  # element chunk name -> the files it imports (itself first)

    @classmethod
    def load(cls) -> StaticAssets:
        html = (STATIC_DIR / "index.html").read_text()
        first = []
        for tag in re.findall(r"<(?:script|link)\b[^>]*>", html):
            rel = re.search(r'\brel="([^"]+)"', tag)
            ref = re.search(r'\b(?:src|href)="\./([^"]+)"', tag)
            if ref and (tag.startswith("<script") or (rel and rel.group(1) in ("modulepreload", "stylesheet", "preload"))):
                first.append("/" + ref.group(1))
        main_js = next(p for p in first if p.endswith(".js") and "/index." in p)
        js = (STATIC_DIR / main_js.lstrip("/")).read_text()
        files = re.search(r"m\.f\|\|\(m\.f=\[(.*?)\]\)", js)
        names = [posixpath.normpath("/static/js/" + n) for n in re.findall(r'"([^"]+)"', files.group(1))] if files else []
        lazy = {}
        for chunk, deps in re.findall(r"import\(`\./([\w.\-]+\.js)`\),__vite__mapDeps\(\[([\d,]*)\]\)", js):
            lazy.setdefault(chunk.split(".")[0], [names[int(i)] for i in deps.split(",") if i and int(i) < len(names)])
        media = {p.name.split(".")[0]: "/static/media/" + p.name for p in (STATIC_DIR / "static" / "media").glob("*.woff2")}
        # Two more fonts Chromium loaded on every opening of this page (icons, code).
        first += [media[f] for f in ("MaterialSymbols-Rounded", "SourceCodeVF-Upright") if f in media]
        return cls(first, lazy)


# ------------------------------------------------------------------- the frontend's element tree
class Node:
    __slots__ = ("block", "children", "run_id", "fragment_id", "element", "kind", "block_type", "block_id")

    def __init__(self, block: bool, run_id: str, fragment_id: str = "", element=None, kind: str = "",
                 block_type: str = "", block_id: str = ""):
        self.block, self.run_id, self.fragment_id = block, run_id, fragment_id
        self.children: list[Node] = []
        self.element, self.kind, self.block_type, self.block_id = element, kind, block_type, block_id

    @property
    def widget_id(self) -> str:
        if self.block or self.element is None:
            return ""
        return getattr(getattr(self.element, self.kind), "id", "") or ""


class Tree:
    """The frontend's AppRoot, reduced to what decides widget state: which elements are on the page.

    ``set`` and ``clear_stale`` follow the frontend's ``setNodeAtPath`` and ``ClearStaleNodeVisitor``:
    every block on the way to a new node takes the run's id; when a run finishes, nodes another
    run wrote are dropped (a fragment run only drops them inside its own fragments).
    """

    def __init__(self):
        self.root = Node(True, "NO_SCRIPT_RUN_ID")
        self.root.children = [Node(True, "NO_SCRIPT_RUN_ID") for _ in range(4)]  # main, sidebar, event, bottom

    def get(self, path) -> Node | None:
        node = self.root
        for i in path:
            if not node.block or i >= len(node.children):
                return None
            node = node.children[i]
        return node

    def set(self, path, new: Node, run_id: str) -> None:
        node = self.root
        for i in path[:-1]:
            node = node.children[i]
            node.run_id = run_id
        i = path[-1]
        if i < len(node.children):
            node.children[i] = new
        else:
            node.children.append(new)

    def clear_stale(self, run_id: str, fragment_ids: list[str]) -> None:
        def block(node: Node, in_fragment: str) -> Node | None:
            if fragment_ids:
                if in_fragment and node.run_id != run_id:
                    return None
                if node.fragment_id in fragment_ids and node.run_id == run_id:
                    in_fragment = node.fragment_id
            elif node.run_id != run_id:
                return None
            kept = []
            for child in node.children:
                child = block(child, in_fragment) if child.block else element(child, in_fragment)
                if child is not None:
                    kept.append(child)
            node.children = kept
            return node

        def element(node: Node, in_fragment: str) -> Node | None:
            if node.kind == "toast" or node.run_id == run_id:
                return node
            if fragment_ids and (not node.fragment_id or not in_fragment):
                return node
            return None

        self.root.children = [block(c, "") or Node(True, run_id) for c in self.root.children]

    def walk(self, node: Node | None = None):
        for child in (node or self.root).children:
            yield child
            if child.block:
                yield from self.walk(child)

    def elements(self, kind: str | None = None):
        return [n for n in self.walk() if not n.block and (kind is None or n.kind == kind)]

    def active_ids(self) -> set[str]:
        ids = set()
        for n in self.walk():
            if n.block:
                if n.block_id:
                    ids.add(n.block_id)
            elif n.widget_id:
                ids.add(n.widget_id)
        return ids


def initial_widget_state(kind: str, w) -> WidgetState | None:
    """The value the frontend registers when it first renders a widget (None: it registers none)."""
    s = WidgetState(id=w.id)
    if kind in ("radio", "selectbox"):
        if w.HasField("raw_value") and w.set_value:
            s.string_value = w.raw_value
        elif w.HasField("default") and 0 <= w.default < len(w.options):
            s.string_value = w.options[w.default]
        else:
            return None
    elif kind == "slider":
        values = list(w.value) if w.set_value else list(w.default)
        if w.type == w.SELECT_SLIDER:
            s.string_array_value.data.extend(w.options[int(v)] for v in values)
        else:
            s.double_array_value.data.extend(values)
    elif kind == "number_input":
        v = w.value if w.set_value and w.HasField("value") else (w.default if w.HasField("default") else None)
        if v is None:
            return None
        if w.data_type == w.INT:
            s.int_value = int(v)
        else:
            s.double_value = v
    elif kind == "checkbox":
        s.bool_value = w.value if w.set_value else w.default
    else:
        return None  # buttons (a trigger per click), components (their own state), other types: none here
    return s


# ------------------------------------------------------------------------------- one session
@dataclass
class Stats:
    opens: list = field(default_factory=list)
    times: list = field(default_factory=list)  # type x and each Next (or each floor click)
    errors: list = field(default_factory=list)
    lost: list = field(default_factory=list)  # "student k: n click(s)"
    runs: list = field(default_factory=list)  # per student: script runs seen during the clicks
    bursts: list = field(default_factory=list)  # --machine-pace: first click to idle
    marks: list = field(default_factory=list)  # (action, perf_counter, server CPU) at each action's end
    wire: list = field(default_factory=list)  # per student: (reruns sent, runs started, HTTP GETs)
    by_kind: dict = field(default_factory=dict)  # "type x" / "next" / "draw" -> its interaction times
    gone: int = 0  # images fetched too late: HTTP 404 (a full rerun cut the run that showed them)
    step_forms: dict = field(default_factory=dict)  # step -> {"svg", "img"}: the forms its figure took
    figure_forms: dict = field(default_factory=dict)  # "svg" / "img" -> figure deltas received, all students


class Session:
    """One browser tab, as the server sees it: HTTP GETs, one websocket, BackMsgs, ForwardMsgs."""

    def __init__(self, host: str, port: int, assets: StaticAssets, name: str, source: str | None = None):
        self.host, self.port, self.assets, self.name = host, port, assets, name
        self.http = HttpPool(host, port, f"roi-viz-bench/{name}", source)
        self.ws = None
        self.tree = Tree()
        self.states: dict[str, WidgetState] = {}  # the frontend's WidgetStateManager
        self.cache: dict[str, list] = {}  # hash -> [bytes, run count, fragment id]: ForwardMsgCache
        self.cache_runs = 0
        self.max_cache_age = 2
        self.new_session_since_rerun = False
        self.page_script_hash = ""
        self.query_string = ""  # the address bar's query, as the page last set it (page_info_changed)
        self.run_id = ""
        self.running = False
        self.runs_started = 0
        self.last_finish = 0.0  # perf_counter of the last script_finished
        self.fetched: set[str] = set()  # URLs GET so far (the browser's cache)
        self.images: dict[str, float | None] = {}  # media URL -> when it was fetched (None: in flight)
        self.lazy_kinds: set[str] = set()
        self.errors: list[str] = []
        self.gone: list[str] = []  # images that were no longer there when fetched (HTTP 404)
        self.heartbeat_acks = 0
        self.sent = 0  # rerun_script messages sent
        self.unstarted = 0  # reruns sent since the last new_session: a run is still to come for them
        self.step_seen: dict[int, float] = {}  # step heading -> when it was first shown
        # The app's figures are inline SVG in a roi_viz.figure component, or (not described yet)
        # <img class="roi-figure" src="data:..."> in st.html: a figure has arrived when the delta
        # carrying it has (nothing more to fetch for either).
        self.figure_times: list[float] = []  # arrival of every delta carrying a figure
        self.figure_forms: dict[str, int] = {}  # "svg" / "img" -> deltas carrying a figure of that form
        self.step_forms: dict[int, str] = {}  # step -> the form of its figure, when an action on it was over
        self.component_seq: dict[str, int] = {}  # the browser's per-key counter of a component's values (seq)
        self._changed = asyncio.Condition()
        self._reader: asyncio.Task | None = None
        self._tasks: set[asyncio.Task] = set()
        self.context = ContextInfo(url=f"http://{host}:{port}/", **BROWSER_CONTEXT)

    # ---- opening
    async def open(self) -> None:
        status, html = await self.http.get("/", decode=True)
        if status != 200:
            raise RuntimeError(f"GET / answered {status}")
        await asyncio.gather(*(self.fetch(p) for p in self.assets.first))
        await asyncio.gather(self.fetch("/_stcore/health"), self.fetch("/_stcore/host-config"))
        token = self.http.cookies.get("_streamlit_xsrf", "")
        self.ws = await connect(
            f"ws://{self.host}:{self.port}/_stcore/stream",
            subprotocols=["streamlit", token] if token else ["streamlit", "PLACEHOLDER_AUTH_TOKEN"],
            origin=f"http://{self.host}:{self.port}",
            additional_headers={"Cookie": self.http.cookie_header(), "User-Agent": self.http.headers["User-Agent"]},
            max_size=None, ping_interval=None, open_timeout=TIMEOUT_S, local_addr=self.http.local_addr,
        )
        self._reader = asyncio.create_task(self._read())
        self._spawn(self.fetch("/favicon.png"))
        await self.rerun(widget_states=WidgetStates(), first=True)

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self._reader is not None:
            self._reader.cancel()
        for t in list(self._tasks):
            t.cancel()
        self.http.close()

    def _spawn(self, coro) -> None:
        task = asyncio.create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def fetch(self, path: str) -> None:
        if path in self.fetched:
            return
        self.fetched.add(path)
        try:
            status, _ = await self.http.get(path)
        except (OSError, asyncio.IncompleteReadError) as exc:
            self.errors.append(f"GET {path}: {type(exc).__name__}")
            return
        if status == 404 and path.startswith("/media/"):
            self.gone.append(path)  # the run that showed it was cut short by the next: no error of the page
        elif status >= 400:
            self.errors.append(f"GET {path}: HTTP {status}")

    async def fetch_image(self, url: str) -> None:
        path = urlsplit(url).path if "://" in url else url
        await self.fetch(path)
        self.images[url] = time.perf_counter()
        self.trace("IMAGE", url)
        await self._notify()

    # ---- sending
    async def rerun(self, widget_states: WidgetStates | None = None, fragment_id: str = "", first: bool = False) -> float:
        msg = BackMsg()
        cs = msg.rerun_script
        cs.widget_states.CopyFrom(widget_states if widget_states is not None else self.widget_states())
        if self.query_string:
            cs.query_string = self.query_string
        if not first:
            cs.page_script_hash = self.page_script_hash
        if fragment_id:
            cs.fragment_id = fragment_id
        cs.cached_message_hashes.extend(self.cache)
        cs.context_info.CopyFrom(self.context)
        self.new_session_since_rerun = False
        self.unstarted += 1
        self.sent += 1
        t = time.perf_counter()
        if TRACE:
            self.trace("SEND rerun", fragment_id, [(w.id[-30:], w.WhichOneof("value")) for w in cs.widget_states.widgets],
                       len(cs.cached_message_hashes))
        await self.ws.send(msg.SerializeToString())
        return t

    def widget_states(self, trigger: str = "") -> WidgetStates:
        out = WidgetStates()
        out.widgets.extend(self.states.values())
        if trigger:
            out.widgets.add(id=trigger, trigger_value=True)
        return out

    async def click(self, node: Node) -> float:
        """A button click: its trigger in this one message, from the button's fragment."""
        return await self.rerun(self.widget_states(trigger=node.widget_id), node.fragment_id)

    async def set_value(self, node: Node, **value) -> float:
        state = WidgetState(id=node.widget_id, **value)
        self.states[node.widget_id] = state
        return await self.rerun(fragment_id=node.fragment_id)

    # ---- receiving
    async def _read(self) -> None:
        try:
            async for data in self.ws:
                msg = ForwardMsg()
                try:
                    msg.ParseFromString(data)
                except DecodeError:
                    self.errors.append("a ForwardMsg that does not parse")
                    continue
                self.handle(msg, data)
                await self._notify()
        except Exception as exc:  # noqa: BLE001  (the session is over; the waits time out and say so)
            if not isinstance(exc, asyncio.CancelledError):
                self.errors.append(f"websocket: {type(exc).__name__}: {exc}")
                await self._notify()

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    def trace(self, *what) -> None:
        if TRACE:
            with open(TRACE, "a") as f:
                print(f"{time.perf_counter():.3f} {self.name}", *what, file=f)

    def handle(self, msg: ForwardMsg, data: bytes) -> None:
        kind = msg.WhichOneof("type")
        if TRACE:
            extra = ""
            if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                el = msg.delta.new_element
                ek = el.WhichOneof("type")
                w = getattr(el, ek)
                extra = f"{ek} {getattr(w, 'id', '')} {getattr(w, 'label', '')!r} {getattr(w, 'body', '')[:40]!r}"
                if ek == "imgs":
                    extra += " " + ",".join(i.url for i in w.imgs)
            elif kind == "script_finished":
                extra = f"{msg.script_finished} {list(msg.metadata.run.fragment_ids)}"
            elif kind == "session_status_changed":
                extra = f"running={msg.session_status_changed.script_is_running}"
            elif kind == "page_info_changed":
                extra = msg.page_info_changed.query_string
            elif kind == "ref_hash":
                extra = msg.ref_hash
            self.trace("RECV", kind, list(msg.metadata.delta_path), extra)
        if kind == "ref_hash":
            entry = self.cache.get(msg.ref_hash)
            if entry is None:
                self.errors.append(f"ForwardMsg cache miss {msg.ref_hash}")
                return
            entry[1] = self.cache_runs
            cached = ForwardMsg()
            cached.ParseFromString(entry[0])
            cached.metadata.CopyFrom(msg.metadata)
            msg, kind = cached, cached.WhichOneof("type")
        elif msg.metadata.cacheable and msg.hash:
            if msg.hash in self.cache:
                self.cache[msg.hash][1] = self.cache_runs
            else:
                self.cache[msg.hash] = [data, self.cache_runs, msg.delta.fragment_id if kind == "delta" else ""]
        if kind == "new_session":
            ns = msg.new_session
            self.page_script_hash = ns.page_script_hash
            if ns.HasField("config"):
                self.max_cache_age = ns.config.max_cached_message_age
            self.run_id = msg.metadata.run.script_run_id
            self.new_session_since_rerun = True
            self.runs_started += 1
            self.unstarted = 0
        elif kind == "delta":
            self.delta(msg)
        elif kind == "script_finished":
            self.finished(msg)
        elif kind == "page_info_changed":
            self.query_string = msg.page_info_changed.query_string  # the frontend puts it in the URL
        elif kind == "session_status_changed":
            self.running = msg.session_status_changed.script_is_running
        elif kind == "heartbeat_ack":
            self.heartbeat_acks += 1
        elif kind == "session_event" and msg.session_event.HasField("script_compilation_exception"):
            self.errors.append("script compilation error")

    def delta(self, msg: ForwardMsg) -> None:
        d, path = msg.delta, list(msg.metadata.delta_path)
        kind = d.WhichOneof("type")
        if kind == "new_element":
            el = d.new_element
            ek = el.WhichOneof("type")
            node = Node(False, self.run_id, d.fragment_id, el, ek)
            self.tree.set(path, node, self.run_id)
            if not self.hidden(path):
                self.element_arrived(node)
        elif kind == "add_block":
            b = d.add_block
            old = self.tree.get(path)
            bt = b.WhichOneof("type") or ""
            node = Node(True, self.run_id, d.fragment_id, block_type=bt, block_id=b.id if b.HasField("id") else "")
            if old is not None and old.block and old.block_type == bt:
                node.children = old.children  # the frontend keeps a block's children when its type is unchanged
            self.tree.set(path, node, self.run_id)
        elif kind == "new_transient":  # a spinner: no widget, but its code is loaded
            for el in d.new_transient.elements:
                self.load_code(el.WhichOneof("type"))

    def hidden(self, path) -> bool:
        """Inside a popover, which starts closed: the frontend does not render its content (its
        code is not loaded, its widgets register nothing, its images are not fetched)."""
        node = self.tree.root
        for i in path[:-1]:
            node = node.children[i]
            if node.block_type == "popover":
                return True
        return False

    def element_arrived(self, node: Node) -> None:
        ek, w = node.kind, getattr(node.element, node.kind)
        self.load_code(ek)
        if ek == "exception":
            self.errors.append(f"exception element: {w.type}: {w.message[:80]}")
        for text in (getattr(w, "body", ""), getattr(w, "message", ""), getattr(w, "stack_trace", None) and "".join(w.stack_trace)):
            if text and ("Traceback" in text or "Something went wrong" in text):
                self.errors.append(f"error text in a {ek}: {text[:80]!r}")
        if ek == "markdown" and (m := HEADING.match(w.body)):
            self.step_seen.setdefault(int(m.group(1)), time.perf_counter())
        if (fig := figure_of(node)) is not None:
            self.figure_times.append(time.perf_counter())
            self.figure_forms[fig[0]] = self.figure_forms.get(fig[0], 0) + 1
            self.trace("FIGURE", fig[0], fig[1][:60])
        if ek == "imgs":
            for img in w.imgs:
                if img.url and not img.url.startswith("data:") and img.url not in self.images:
                    self.images[img.url] = None
                    self._spawn(self.fetch_image(img.url))
        elif ek == "bidi_component":
            base = f"/_stcore/bidi-components/{w.component_name}/"
            for p in (w.js_source_path, w.css_source_path):
                if p:
                    self._spawn(self.fetch(base + p))
        wid = node.widget_id
        if wid and (wid not in self.states or getattr(w, "set_value", False)):
            state = initial_widget_state(ek, w)
            if state is not None:
                self.states[wid] = state

    def load_code(self, kind: str | None) -> None:
        if not kind or kind in self.lazy_kinds:
            return
        self.lazy_kinds.add(kind)
        chunk = LAZY_ALIASES.get(kind) or "".join(p.capitalize() for p in kind.split("_"))
        for path in self.assets.lazy.get(chunk, []):
            self._spawn(self.fetch(path))

    def finished(self, msg: ForwardMsg) -> None:
        status, run = msg.script_finished, msg.metadata.run
        self.last_finish = time.perf_counter()
        frags = list(run.fragment_ids)
        if status in (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY):
            if frags or run.script_run_id == self.run_id:
                self.tree.clear_stale(run.script_run_id, frags)
                active = self.tree.active_ids()
                self.states = {k: v for k, v in self.states.items() if k in active}
        if status != ForwardMsg.FINISHED_EARLY_FOR_RERUN and self.new_session_since_rerun and msg.metadata.HasField("run"):
            self.cache_runs += 1
            for h, entry in list(self.cache.items()):
                if frags and (not entry[2] or entry[2] not in frags):
                    continue
                if self.cache_runs - entry[1] > self.max_cache_age:
                    del self.cache[h]

    # ---- what the page shows
    def find(self, kind: str, label: str) -> Node | None:
        found = [n for n in self.tree.elements(kind) if getattr(n.element, kind).label == label]
        return found[-1] if found else None

    def step(self) -> int:
        for n in self.tree.elements("markdown"):
            m = HEADING.match(n.element.markdown.body)
            if m:
                return int(m.group(1))
        return 0

    def has_text(self, text: str) -> bool:
        return any(text in n.element.markdown.body for n in self.tree.elements("markdown"))

    def images_loaded(self) -> bool:
        """Every media image on the page fetched (and at least one there), or an SVG figure on the page
        and no media image still in flight: inline SVG has nothing to fetch."""
        urls = [i.url for n in self.tree.elements("imgs") for i in n.element.imgs.imgs]
        svg = any(f[0] == "svg" for f in self.figures())
        return (bool(urls) or svg) and all(self.images.get(u) for u in urls)

    def figures(self) -> list[tuple[str, str]]:
        """The figures on the page, ``(form, identity)`` each, in page order; the step figure's (those under
        the ``step-figure`` container) alone when it is there. ``form``: "svg" or "img"."""
        found, in_step = [], []

        def walk(node: Node, step: bool) -> None:
            for child in node.children:
                if child.block:
                    walk(child, step or child.block_id.endswith(STEP_FIGURE_KEY))
                elif (fig := figure_of(child)) is not None:
                    (in_step if step else found).append(fig)
        walk(self.tree.root, False)
        return in_step or found

    def has_figure(self) -> bool:
        """The app's page: a figure (an SVG figure component, or an html element with an img figure) is on it."""
        return bool(self.figures())

    def figure_form(self) -> str:
        """The form of the figure shown (the step figure where there is one): "svg", "img" or ""."""
        figs = self.figures()
        return figs[-1][0] if figs else ""

    def figure_since(self, t0: float) -> bool:
        return bool(self.figure_times) and self.figure_times[-1] > t0

    def component(self, name_part: str) -> Node | None:
        found = [n for n in self.tree.elements("bidi_component") if name_part in n.element.bidi_component.component_name]
        return found[-1] if found else None

    async def set_component_value(self, node: Node, key: str, value: dict) -> float:
        """What a v2 component's ``setStateValue(key, value)`` sends: its whole state as a JSON string under
        the component's id, ``{...state held so far, [key]: value}``, from the component's fragment."""
        wid = node.widget_id
        state = json.loads(self.states[wid].json_value) if wid in self.states else {}
        state[key] = value
        return await self.set_value(node, json_value=json.dumps(state, separators=(",", ":")))

    def next_seq(self, key: str) -> int:
        self.component_seq[key] = self.component_seq.get(key, 0) + 1
        return self.component_seq[key]

    def figure(self) -> str:
        """What names the figure shown, and changes when it does: the floor's media URL, else the app's
        figure (the step figure where there is one): a hash of its SVG markup, or its img's data URL."""
        urls = [i.url for n in self.tree.elements("imgs") for i in n.element.imgs.imgs]
        if urls:
            return urls[-1]
        figs = self.figures()
        return f"{figs[-1][0]}:{figs[-1][1]}" if figs else ""

    def last_image_time(self) -> float:
        times = [self.images.get(i.url) or 0.0 for n in self.tree.elements("imgs") for i in n.element.imgs.imgs]
        return max(times, default=0.0)

    # ---- waiting
    async def wait_for(self, pred, timeout: float = TIMEOUT_S) -> None:
        async def loop():
            async with self._changed:
                while not pred():
                    if self.ws is not None and self._reader is not None and self._reader.done():
                        raise ConnectionError("the websocket closed")
                    await self._changed.wait()
        await asyncio.wait_for(loop(), timeout)

    async def idle(self, timeout: float = TIMEOUT_S) -> None:
        """Until no run is going or to come.

        Not running, no rerun decided and unsent, and every rerun sent followed by a run start
        (``new_session``); then an ``app_heartbeat``: once its ack is back the server has handled
        everything sent before it, and if no run starts in the next IDLE_QUIET_S, the session is idle.
        A rerun the server dropped (its fragment gone) starts no run: after the ack and
        IDLE_GRACE_S more it is given up on.
        """
        deadline = time.perf_counter() + timeout

        def left() -> float:
            return max(deadline - time.perf_counter(), 0.001)

        while True:
            await self.wait_for(lambda: not self.running, left())
            runs, acks = self.runs_started, self.heartbeat_acks
            await self.ws.send(BackMsg(app_heartbeat=True).SerializeToString())
            await self.wait_for(lambda: self.heartbeat_acks > acks, left())
            if self.unstarted:
                try:
                    await self.wait_for(lambda: self.runs_started != runs or self.running, min(IDLE_GRACE_S, left()))
                except TimeoutError:
                    self.unstarted = 0  # the server started no run for it
                continue
            await asyncio.sleep(IDLE_QUIET_S)
            if self.runs_started == runs and not self.running:
                return

    def note_form(self) -> None:
        """An action is over: which form the step figure shown took (the round reports it per step)."""
        if self.step() and (form := self.figure_form()):
            self.step_forms[self.step()] = form

    def done_at(self, t0: float) -> float:
        """When the interaction ended: its last run finished, its last image arrived."""
        return max(self.last_finish, self.last_image_time(), max(self.figure_times, default=0.0)) - t0


def figure_of(node: Node) -> tuple[str, str] | None:
    """The figure an element carries, ``(form, identity)``, or None.

    ``("svg", sha1 of the markup)`` for a ``roi_viz.figure`` component (the page's drawing and the phone's:
    either changes when the figure does); ``("img", the src)`` for an st.html element holding an
    ``<img class="roi-figure">`` (its data URL: the picture's bytes), the body's hash if no src is found.
    """
    if node.block or node.element is None:
        return None
    if node.kind == "bidi_component":
        w = node.element.bidi_component
        if not w.component_name.endswith(FIGURE_COMPONENT):
            return None
        text = w.json or (w.mixed.json if w.HasField("mixed") else "")
        try:
            data = json.loads(text) if text else {}
        except ValueError:
            data = {}
        markup = (data.get("svg") or "") + "\0" + (data.get("narrow") or "") if isinstance(data, dict) else ""
        return "svg", hashlib.sha1(markup.encode()).hexdigest()
    if node.kind == "html" and FIGURE_MARK in node.element.html.body:
        body = node.element.html.body
        m = IMG_SRC.search(body)
        return "img", m.group(1) if m else hashlib.sha1(body.encode()).hexdigest()
    return None


# ------------------------------------------------------------------------------- the students
class AppStudent:
    """The real page: open, type x, Next five times (the stepper's value); or draw a box (the board's value)."""

    def __init__(self, session: Session, x: int):
        self.s, self.x = session, x

    async def open(self) -> float:
        t0 = time.perf_counter()
        await self.s.open()
        await self.s.wait_for(lambda: self.s.step() == FIRST_STEP and self.s.has_figure())
        await self.s.idle()
        self.s.note_form()
        return self.s.done_at(t0)

    async def type_x(self) -> float:
        """A new x in the editor's "x" field, until the RoI list shows it and a new step figure has arrived."""
        s = self.s
        field_x = s.find("number_input", "x")
        if field_x is None:
            raise RuntimeError("no number input 'x' on the page")
        t0 = await s.set_value(field_x, double_value=float(self.x))
        await s.wait_for(lambda: s.has_text(f"({self.x}, ") and s.figure_since(t0))
        await s.idle()
        s.note_form()
        return s.done_at(t0)

    def stepper(self) -> Node:
        node = self.s.component("stepper")
        if node is None:
            raise RuntimeError("no stepper (Previous / Next) on the page")
        return node

    async def next_step(self, target: int, lost: list) -> float:
        """Next, as the stepper sends it: the target step as its state value, until step ``target`` and its figure
        are shown. A value the page settles without moving is counted lost (and sent again)."""
        s = self.s
        t0 = 0.0
        for again in range(2):
            node = self.stepper()
            data = json.loads(node.element.bidi_component.json)
            value = {"step": target, "seq": s.next_seq("steps"), "revision": data["revision"]}
            runs0 = s.runs_started
            t = await s.set_component_value(node, "step", value)
            t0 = t0 or t
            await s.wait_for(lambda: (s.step() >= target and s.figure_since(t)) or (s.runs_started > runs0 and not s.running))
            await s.idle()
            if s.step() >= target:
                break
            if again:
                raise RuntimeError(f"still step {s.step()} after a second Next")
            lost.append(1)
        s.note_form()
        return s.done_at(t0)

    async def draw(self) -> float:
        """Draw a box of its own on the board: on release the board sends every box, the new one followed.
        Until the step figure of the new box has arrived (the delta carrying it: the SVG figure component or
        the img figure's html) and the session is idle.
        Returns seconds from the value sent to the last figure's arrival."""
        s = self.s
        node = s.component("board")
        if node is None:
            raise RuntimeError("no board on the page")
        data = json.loads(node.element.bidi_component.json)
        W, H = data["image_size"]
        w, h = min(150, W - 1), min(120, H - 1)
        box = [min(self.x, W - w), min(60 + self.x % 97, H - h), w, h]
        boxes = [list(b) for b in data["boxes"]] + [box]
        value = {"boxes": boxes, "active": len(boxes) - 1, "seq": s.next_seq("board"), "revision": data["revision"]}
        t0 = await s.set_component_value(node, "board", value)
        await s.wait_for(lambda: s.has_text(f"RoI {len(boxes)}: ({', '.join(map(str, box))})") and s.figure_since(t0))
        await s.idle()
        if not s.figure_since(t0):
            raise RuntimeError("no step figure arrived after the box was drawn")
        s.note_form()
        return s.figure_times[-1] - t0

    async def burst(self, gap: float) -> tuple[list[float], int, int, float]:
        """--machine-pace: five Next ``gap`` apart, none waited for, each the stepper's next target. Returns
        per-click times, lost, runs, burst."""
        s = self.s
        runs0, start_step = s.runs_started, s.step()
        s.step_seen = {}
        sent = []
        for i in range(NEXT_CLICKS):
            node = self.stepper()
            data = json.loads(node.element.bidi_component.json)
            value = {"step": start_step + i + 1, "seq": s.next_seq("steps"), "revision": data["revision"]}
            sent.append(await s.set_component_value(node, "step", value))
            await asyncio.sleep(gap)
        await s.idle()
        await asyncio.sleep(0.5)  # and really nothing more comes
        await s.idle()
        final = s.step()
        times = [s.step_seen[start_step + i + 1] - sent[i] for i in range(NEXT_CLICKS) if start_step + i + 1 in s.step_seen]
        return times, max(0, start_step + NEXT_CLICKS - final), s.runs_started - runs0, s.done_at(sent[0])


class FloorStudent:
    """The floor page: open, then six clicks on its "Next ▶" (the next of its six images each)."""

    # image URL -> which of the floor's images it is. A media URL names its content, the same
    # for every session of a server; the warm-up's walk (open and six clicks) sees all six.
    order: dict[str, int] = {}

    def __init__(self, session: Session, x: int):
        self.s = session
        self.shown = 0  # the floor page starts on its first image

    async def open(self) -> float:
        t0 = time.perf_counter()
        await self.s.open()
        await self.s.wait_for(self.s.images_loaded)
        await self.s.idle()
        await self.s.wait_for(self.s.images_loaded)
        self.order.setdefault(self.s.figure(), 0)
        return self.s.done_at(t0)

    async def next_image(self) -> float:
        s = self.s
        before = s.figure()
        t0 = await s.click(s.find("button", "Next ▶"))
        await s.wait_for(lambda: s.figure() != before and s.images_loaded())
        await s.idle()
        await s.wait_for(s.images_loaded)
        self.shown = (self.shown + 1) % FLOOR_IMAGES
        self.order.setdefault(s.figure(), self.shown)
        return s.done_at(t0)

    type_x = next_image
    draw = next_image  # --case draw: the floor's one click stands beside a drawn box

    async def next_step(self, target: int, lost: list) -> float:
        return await self.next_image()

    async def burst(self, gap: float) -> tuple[list[float], int, int, float]:
        """--machine-pace: five clicks; the image shown at the end says how many counted.

        (Not the images seen on the way: a click on this page reruns it all, which stops the run
        in progress, so the images of runs cut short may never be sent, or be gone when fetched.)
        """
        s = self.s
        runs0, start = s.runs_started, self.order.get(s.figure())
        sent = []
        for _ in range(NEXT_CLICKS):
            sent.append(await s.click(s.find("button", "Next ▶")))
            await asyncio.sleep(gap)
        await s.idle()
        await asyncio.sleep(0.5)
        await s.idle()
        await s.wait_for(s.images_loaded)
        end = self.order.get(s.figure())
        if start is None or end is None:
            s.errors.append("the floor's image is not one the warm-up saw: lost clicks not counted")
            return [], 0, s.runs_started - runs0, s.done_at(sent[0])
        return [], NEXT_CLICKS - (end - start) % FLOOR_IMAGES, s.runs_started - runs0, s.done_at(sent[0])


# ------------------------------------------------------------------------------- a round
@dataclass
class Round:
    page: str
    n: int
    stats: Stats
    rss: float
    cpu_open: float  # server CPU per open, idle rate removed
    cpu_interaction: float  # server CPU per interaction, idle rate removed
    cpu_lumped: float  # bench_load's figure: CPU of the round / (opens + interactions), idle included
    idle_rate: float
    client_cpu: float
    per_session: float = float("nan")
    case: str = "walk"  # walk: type x, then Next five times; draw: one box drawn on the board
    spans: list = field(default_factory=list)  # N = 1: server CPU per action, see spans()


class Server:
    def __init__(self, name: str, script: Path, log_dir: Path, port: int = 0, profile: Path | None = None):
        self.name, self.port = name, port or free_port()
        self.log_path = log_dir / f"{name}.log"
        self.profile = profile
        launcher = [sys.executable, str(Path(__file__).resolve().parent / "profile_server.py"), str(profile)] if profile else None
        self.proc = start_server(self.port, self.log_path, script, launcher)

    def profile_start(self) -> None:
        if self.profile:
            self.proc.send_signal(signal.SIGUSR1)

    async def profile_dump(self) -> None:
        """Ask the server for its merged profile (profile_server.py) and wait until it is written."""
        if not self.profile:
            return
        done = Path(str(self.profile) + ".done")
        done.unlink(missing_ok=True)
        self.proc.send_signal(signal.SIGUSR2)
        for _ in range(600):
            if done.exists():
                return
            await asyncio.sleep(0.1)

    def cpu(self) -> float:
        return cpu_seconds(self.proc.pid)

    def rss(self) -> float:
        return rss_mb(self.proc.pid)

    async def idle_rate(self, seconds: float) -> float:
        c0, t0 = self.cpu(), time.perf_counter()
        await asyncio.sleep(seconds)
        return (self.cpu() - c0) / (time.perf_counter() - t0)

    async def rest(self, seconds: float = 2.0) -> float:
        """Wait until the server has finished what the last sessions left it (figures drawn ahead,
        closed sessions dropped): 1 s windows until one uses under REST_RATE, at most 30 s. Then its
        idle CPU rate over ``seconds``, taken off the phases' CPU."""
        for _ in range(30):
            if await self.idle_rate(1.0) < REST_RATE:
                break
        return await self.idle_rate(seconds)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(20)
        except Exception:  # noqa: BLE001
            self.proc.kill()

    def port_for(self, k: int) -> int:
        return self.port

    def source_for(self, k: int) -> str | None:
        return None


class Replicas(Server):
    """R copies of the app, one process (and one VGG16) each, on consecutive ports.

    Student ``k`` talks to replica ``k % R`` for its whole visit, as behind a load balancer
    with sticky sessions (a session's websocket and its media URLs live in one process).
    CPU and memory are the sums over the replicas. ``front``: a port that stands in front of
    them (nginx, see deploy/nginx.conf); every student then connects there and the balancer
    picks the replica.
    """

    def __init__(self, name: str, script: Path, log_dir: Path, replicas: int, port: int = 0, front: int = 0):
        first = port or free_port()
        self.parts = [Server(f"{name}-{i}", script, log_dir, first + i) for i in range(replicas)]
        self.name, self.port, self.front = name, first, front
        self.proc = self.parts[0].proc
        self.log_path = self.parts[0].log_path

    def cpu(self) -> float:
        return sum(s.cpu() for s in self.parts)

    def rss(self) -> float:
        return sum(s.rss() for s in self.parts)

    def stop(self) -> None:
        for s in self.parts:
            s.stop()

    def port_for(self, k: int) -> int:
        return self.front or self.parts[k % len(self.parts)].port

    def source_for(self, k: int) -> str | None:
        """Behind a balancer each student comes from an address of its own, as in a classroom:
        on Linux all of 127.0.0.0/8 is loopback, so student k speaks from 127.0.x.y."""
        if not self.front:
            return None
        return f"127.0.{(k + 2) // 256}.{(k + 2) % 256}"

    def cpu_each(self) -> list[float]:
        return [s.cpu() for s in self.parts]


async def run_student(student, k: int, stats: Stats, opened: asyncio.Barrier, think: float, gap: float | None,
                      cpu, case: str = "walk", n: int = 1) -> None:
    stage = "open"

    def mark(what: str) -> None:
        stats.marks.append((what, time.perf_counter(), cpu()))

    try:
        try:
            stats.opens.append(await student.open())
            mark("open")
        finally:
            await opened.wait()  # every student opens before anyone clicks: the phases' CPU is apart
        if case == "draw":
            # the class draws in the same DRAW_WINDOW_S, the students' releases spread evenly over it
            await asyncio.sleep(DRAW_WINDOW_S * k / max(n, 1))
            stage = "draw a box"
            stats.times.append(await student.draw())
            stats.by_kind.setdefault("draw", []).append(stats.times[-1])
            mark("draw")
        else:
            await asyncio.sleep(think)
            stage = "type x"
            stats.times.append(await student.type_x())
            stats.by_kind.setdefault("type x", []).append(stats.times[-1])
            mark("type x")
            if gap is None:
                lost: list = []
                for step in range(FIRST_STEP + 1, LAST_STEP + 1):
                    await asyncio.sleep(think)
                    stage = f"next to step {step}"
                    stats.times.append(await student.next_step(step, lost))
                    stats.by_kind.setdefault("next", []).append(stats.times[-1])
                    mark(f"next {step}")
                if lost:
                    stats.lost.append(f"student {k}: {len(lost)} click(s)")
            else:
                await asyncio.sleep(gap)
                stage = "five clicks, machine pace"
                times, lost_n, runs, burst = await student.burst(gap)
                stats.times.extend(times)
                stats.runs.append(runs)
                stats.bursts.append(burst)
                if lost_n:
                    stats.lost.append(f"student {k}: {lost_n} of {NEXT_CLICKS} clicks lost ({runs} runs)")
    except Exception as exc:  # noqa: BLE001  (a timeout or a crash is a result here, not a reason to stop)
        stats.errors.append(f"student {k}, {stage}: {type(exc).__name__}: {str(exc).splitlines()[0][:100] if str(exc) else ''}")
    student.s_wire = (student.s.sent, student.s.runs_started, student.s.http.requests)
    stats.wire.append(student.s_wire)
    stats.gone += len(student.s.gone)
    for step, form in student.s.step_forms.items():
        stats.step_forms.setdefault(step, set()).add(form)
    for form, count in student.s.figure_forms.items():
        stats.figure_forms[form] = stats.figure_forms.get(form, 0) + count
    for e in student.s.errors:
        stats.errors.append(f"student {k}: {e}")


async def run_round(server: Server, page: str, n: int, assets: StaticAssets, xs, think: float,
                    gap: float | None, case: str = "walk") -> Round:
    idle = await server.rest()  # the previous round's sessions are gone: the server at rest
    stats = Stats()
    Student = AppStudent if page == "app" else FloorStudent
    sessions = [Session("127.0.0.1", server.port_for(k), assets, f"{page}-{n}-{k}", server.source_for(k)) for k in range(n)]
    students = [Student(s, next(xs)) for s in sessions]
    opened = asyncio.Barrier(n + 1)
    client0 = sum(os.times()[:2])
    cpu0, t0 = server.cpu(), time.perf_counter()
    tasks = [asyncio.create_task(run_student(st, k, stats, opened, think, gap, server.cpu, case, n))
             for k, st in enumerate(students)]
    await opened.wait()
    cpu1, t1 = server.cpu(), time.perf_counter()
    await asyncio.gather(*tasks)
    await asyncio.sleep(1.0)  # as bench_load: the work a rerun does after answering is counted
    cpu2, t2 = server.cpu(), time.perf_counter()
    stats.marks.append(("end", t2, cpu2))
    rss = server.rss()  # every session of this round is still open
    client = sum(os.times()[:2]) - client0
    for s in sessions:
        await s.close()
    n_open, n_act = len(stats.opens), len(stats.times)
    cpu_open = ((cpu1 - cpu0) - idle * (t1 - t0)) / n_open if n_open else float("nan")
    # Interactions: in --machine-pace, the clicks sent (lost ones too: their reruns still ran or were merged).
    sent = n * (1 + NEXT_CLICKS) if gap is not None and case == "walk" else n_act
    cpu_act = ((cpu2 - cpu1) - idle * (t2 - t1)) / sent if sent else float("nan")
    lumped = (cpu2 - cpu0) / (n_open + sent) if n_open + sent else float("nan")
    await asyncio.sleep(1.0)  # let the server drop the closed sessions
    r = Round(page, n, stats, rss, cpu_open, cpu_act, lumped, idle, client)
    r.spans = spans([("start", t0, cpu0)] + stats.marks, idle) if n == 1 else []
    return r


def spans(marks: list, idle: float) -> list[tuple[str, float]]:
    """One student alone: server CPU from one action's end to the next one's end, idle removed.

    Each span holds an action and the think time before it (and what the server does then, as
    drawing the next step's figure ahead); the last one is the round's 1 s tail.
    """
    return [(b[0], (b[2] - a[2]) - idle * (b[1] - a[1])) for a, b in zip(marks, marks[1:])]


# ------------------------------------------------------------------------------- Chromium, for comparison
async def chromium_round(server: Server, n: int, first_k: int) -> dict:
    """bench_load's students, unchanged, against this warm server: its CPU figure, and the open/click split at N = 1."""
    from playwright.async_api import async_playwright

    marks: list[tuple[str, float, float]] = []

    class Marked(list):
        def __init__(self, what: str):
            super().__init__()
            self.what = what

        def append(self, v):
            marks.append((self.what, time.perf_counter(), server.cpu()))
            super().append(v)

    times, opens, errors, contexts, retries = Marked("interaction"), Marked("open"), [], [], []
    wire = {"sent": 0, "runs": 0, "gets": 0}

    def on_ws(ws) -> None:
        def sent(payload) -> None:
            if isinstance(payload, bytes):
                m = BackMsg()
                m.ParseFromString(payload)
                wire["sent"] += m.WhichOneof("type") == "rerun_script"

        def received(payload) -> None:
            # a new_session is one of the first bytes' kinds: parse only small messages, figures come in deltas
            if isinstance(payload, bytes) and len(payload) < 4096:
                m = ForwardMsg()
                m.ParseFromString(payload)
                wire["runs"] += m.WhichOneof("type") == "new_session"
        ws.on("framesent", sent)
        ws.on("framereceived", received)

    class Counting:
        """bench_load's browser, its pages' websocket frames and HTTP requests counted."""

        def __init__(self, browser):
            self._browser = browser

        async def new_context(self, **kw):
            ctx = await self._browser.new_context(**kw)
            ctx.on("page", lambda page: (page.on("websocket", on_ws),
                                         page.on("request", lambda r: wire.__setitem__("gets", wire["gets"] + 1))))
            return ctx
    idle = await server.rest()
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=bench_load.CHROMIUM, args=bench_load.FLAGS)
        counted = Counting(browser)
        url = f"http://127.0.0.1:{server.port}"
        cpu0, t0 = server.cpu(), time.perf_counter()
        # bench_load's student k types x = 200 + 3k: numbering on across rounds, no round finds
        # another's figures in the cache (bench_load itself restarts k at 0 each round).
        await asyncio.gather(*(bench_load.student(counted, url, k, times, opens, errors, contexts, retries)
                               for k in range(first_k, first_k + n)))
        await asyncio.sleep(1.0)
        cpu2, t2 = server.cpu(), time.perf_counter()
        rss = server.rss()
        for ctx in contexts:
            await ctx.close()
        await browser.close()
    done = len(times) + len(opens)
    out = dict(n=n, errors=errors, lost=retries, rss=rss, idle_rate=idle, wire={k: v / n for k, v in wire.items()},
               lumped=(cpu2 - cpu0) / done if done else float("nan"),
               p50=pct(list(times), 0.5), p95=pct(list(times), 0.95), open_p50=pct(list(opens), 0.5))
    if n == 1 and len(opens) == 1:
        names = ["open", "type x"] + [f"next {k}" for k in range(FIRST_STEP + 1, LAST_STEP + 1)]
        out["spans"] = spans([("start", t0, cpu0)] + [(names[i] if i < len(names) else w, t, c)
                                                      for i, (w, t, c) in enumerate(marks)]
                             + [("end", t2, cpu2)], idle)
        # One student: the open ends at its mark; each interaction spans mark to mark (think time
        # included, idle removed), the last one until the end of the round.
        (_, t_open, c_open), acts = marks[0], marks[1:]
        out["cpu_open"] = (c_open - cpu0) - idle * (t_open - t0)
        # from the open's mark to the end of the round (think times and the 1 s tail too), idle removed
        out["cpu_interaction"] = ((cpu2 - c_open) - idle * (t2 - t_open)) / len(acts) if acts else float("nan")
    await asyncio.sleep(2.0)
    return out


# ------------------------------------------------------------------------------- report
def check_log(server: Server) -> list[str]:
    log = server.log_path.read_text()
    lines = [f"{server.name}: {log.count('Traceback')} Traceback(s) in the server log"]
    if server.name.startswith("app"):
        feats = [line.strip() for line in log.splitlines() if "[roi-viz] features computed" in line]
        lines.append(f"app: VGG16 loaded {log.count('[roi-viz] VGG16 loaded')} time(s) (once per process)")
        lines.append(f"app: features computed {len(feats)} time(s) (once: for the sample, by the warm-up)")
        lines += ["    " + f for f in feats]
    return lines


def print_profile(path: Path, top: int = 30) -> None:
    """The app server's calls over the rounds (all threads), by cumulative and by own time."""
    import pstats

    stats = pstats.Stats(str(path))
    print(f"\nServer profile over the rounds ({path}; all threads):")
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)


def fmt(v: float, digits: int = 2) -> str:
    return "–" if v != v else f"{v:.{digits}f}"  # noqa: PLR0124  (NaN)


def table(rounds: list[Round]) -> str:
    head = ("| page | case | N | open p50 (s) | p50 (s) | p95 (s) | max (s) | errors | lost clicks | server RSS (MB) "
            "| MB per extra session | server CPU per open (s) | server CPU per interaction (s) | lumped, as bench_load (s) |")
    rows = [head, "|" + "---|" * (head.count("|") - 1)]
    for r in rounds:
        st = r.stats
        lost = sum(int(re.search(r"(\d+)", x.split(":", 1)[1]).group(1)) for x in st.lost)
        rows.append(f"| {r.page} | {r.case} | {r.n} | {fmt(pct(st.opens, 0.5), 1)} | {fmt(pct(st.times, 0.5))} | "
                    f"{fmt(pct(st.times, 0.95))} | {fmt(max(st.times, default=float('nan')))} | {len(st.errors)} | "
                    f"{lost} | {r.rss:.0f} | {fmt(r.per_session, 1)} | {fmt(r.cpu_open, 3)} | "
                    f"{fmt(r.cpu_interaction, 3)} | {fmt(r.cpu_lumped, 3)} |")
    return "\n".join(rows)


async def main_async(args) -> None:
    assets = StaticAssets.load()
    log_dir = Path(tempfile.mkdtemp(prefix="bench_protocol_"))
    gap = MACHINE_GAP_S if args.machine_pace else None
    think = MACHINE_GAP_S if args.machine_pace else args.think
    xs = iter(X_VALUES * 10)
    profile = Path(args.profile).resolve() if args.profile else None
    servers = {"app": Server("app", ROOT / "app.py", log_dir, args.port, profile) if args.replicas == 1 else
               Replicas("app", ROOT / "app.py", log_dir, args.replicas, args.port, args.front)}
    if not args.no_floor:
        servers["floor"] = Server("floor", FLOOR_APP, log_dir)
    print(f"{os.cpu_count()} CPUs; logs in {log_dir}; think {think * 1000:.0f} ms"
          f"{', machine pace (clicks not waited for)' if gap else ''}")
    rounds: list[Round] = []
    checks: list[dict] = []
    try:
        for name, server in [(n, part) for n, s in servers.items() for part in getattr(s, "parts", [s])]:
            # Warm, as a server is before the class comes in: VGG16 loaded, the sample's features
            # computed, and every code path of the walk run once (the first figure of each kind
            # imports and sets up what later ones reuse). Its own x: it leaves no figure for a student.
            s = Session("127.0.0.1", server.port, assets, f"{name}-warm")
            st = (AppStudent if name == "app" else FloorStudent)(s, next(xs))
            t0 = time.perf_counter()
            await st.open()
            await st.type_x()
            for step in range(FIRST_STEP + 1, LAST_STEP + 1):
                await asyncio.sleep(0.4)  # the figure drawn ahead is drawn too
                await st.next_step(step, [])
            if "draw" in args.case:  # the draw path too (a box added, the board's value, its figures)
                await st.draw()
            await s.close()
            print(f"{name}: server pid {server.proc.pid} on port {server.port}, warmed in "
                  f"{time.perf_counter() - t0:.1f} s; RSS {server.rss():.0f} MB", flush=True)
        servers["app"].profile_start()  # --profile: the rounds only, not the warm-up
        if args.same_box:  # a class following the teacher's link: one box for all, figures drawn once
            xs = itertools.repeat(next(xs))
        one = {}
        for case, n in [(c, n) for c in args.case for n in args.sessions]:
            for name, server in servers.items():
                r = await run_round(server, name, n, assets, xs, think, gap, case)
                r.case = case
                if n == 1 and case == args.case[0]:
                    one[name] = r.rss
                if name in one and n > 1:
                    r.per_session = (r.rss - one[name]) / (n - 1)
                rounds.append(r)
                st = r.stats
                print(f"{name:5s} {case:4s} N={n:3d}: open p50 {fmt(pct(st.opens, 0.5), 1)} s, interaction p50 "
                      f"{fmt(pct(st.times, 0.5))} p95 {fmt(pct(st.times, 0.95))} max "
                      f"{fmt(max(st.times, default=float('nan')))} s, errors {len(st.errors)}, lost clicks "
                      f"{len(st.lost)} student(s), RSS {r.rss:.0f} MB, server CPU/open {fmt(r.cpu_open, 3)} s, "
                      f"/interaction {fmt(r.cpu_interaction, 3)} s (lumped {fmt(r.cpu_lumped, 3)} s, idle "
                      f"{r.idle_rate * 1000:.1f} ms/s), client CPU {r.client_cpu:.1f} s"
                      + (f", runs per 5 clicks {statistics.mean(st.runs):.1f}" if st.runs else "")
                      + (f", {st.gone} image(s) gone before fetched (404)" if st.gone else "")
                      + (f"; per student: {statistics.mean(w[0] for w in st.wire):.1f} reruns sent, "
                         f"{statistics.mean(w[1] for w in st.wire):.1f} runs, {statistics.mean(w[2] for w in st.wire):.0f} "
                         f"HTTP requests" if st.wire else ""), flush=True)
                if st.step_forms:
                    print("       step figures: " + ", ".join(f"{k} {'/'.join(sorted(v))}" for k, v in sorted(st.step_forms.items()))
                          + "; figure deltas received: " + ", ".join(f"{k} {v}" for k, v in sorted(st.figure_forms.items())),
                          flush=True)
                if len(st.by_kind) > 1:
                    print("       by action: " + "; ".join(f"{k} p50 {fmt(pct(v, 0.5))} p95 {fmt(pct(v, 0.95))} s"
                                                         for k, v in st.by_kind.items()), flush=True)
                for e in (st.errors[:5] + st.lost[:5]):
                    print("      ", e)
        await servers["app"].profile_dump()
        if args.chromium_check:
            first_k = 0
            for n in args.chromium_check:
                c = await chromium_round(servers["app"], n, first_k)
                first_k += n
                checks.append(c)
                print(f"chromium N={n}: lumped {fmt(c['lumped'], 3)} s, open {fmt(c.get('cpu_open', float('nan')), 3)} s, "
                      f"interaction {fmt(c.get('cpu_interaction', float('nan')), 3)} s, p50 {fmt(c['p50'])} s, "
                      f"errors {len(c['errors'])}, retried clicks {len(c['lost'])}; per student: "
                      f"{c['wire']['sent']:.1f} reruns sent, {c['wire']['runs']:.1f} runs, {c['wire']['gets']:.0f} HTTP "
                      f"requests", flush=True)
                for e in c["errors"][:5]:
                    print("      ", e)
    finally:
        for server in servers.values():
            if hasattr(server, "cpu_each"):  # did the balancer spread the class? (warm-ups included)
                print(f"{server.name}: CPU seconds per replica over the run: "
                      + ", ".join(f"{c:.1f}" for c in server.cpu_each()), flush=True)
            server.stop()
    print()
    print(table(rounds))
    print()
    idle = {r.page: r.idle_rate for r in rounds}
    print("Interaction (walk): typing x (floor: a first click) or one Next, until its result is shown, its "
          "figure arrived and the session idle; (draw): from the board's value sent to the last step figure's "
          "delta (SVG component or img html; floor: one click, its image fetched). Server CPU per open / per interaction: over that phase, less "
          "the server's idle rate (" + ", ".join(f"{k} {v * 1000:.1f} ms/s" for k, v in idle.items()) +
          "); lumped: the whole round / (opens + interactions), idle included, as bench_load.py.")
    if gap is not None:
        runs = [r for r in rounds if r.stats.runs]
        for r in runs:
            print(f"{r.page} N={r.n}: {NEXT_CLICKS} clicks {MACHINE_GAP_S * 1000:.0f} ms apart gave "
                  f"{statistics.mean(r.stats.runs):.1f} runs on average; first click to idle p50 "
                  f"{fmt(pct(r.stats.bursts, 0.5))} s")
    if checks:
        print("\nServer CPU, this client vs Chromium (bench_load.student), same warm server:")
        print("| N | lumped, protocol (s) | lumped, Chromium (s) | per interaction, protocol (s) | per interaction, Chromium (s) "
              "| per open, protocol (s) | per open, Chromium (s) |")
        print("|---|---|---|---|---|---|---|")
        app_rounds = [r for r in rounds if r.page == "app"]
        pairs = []
        for c in checks:  # the i-th Chromium round of an N beside the i-th protocol round of that N
            mine = next((r for r in app_rounds if r.n == c["n"]), None)
            if mine is not None:
                app_rounds.remove(mine)
            pairs.append((c, mine))
            print(f"| {c['n']} | {fmt(mine.cpu_lumped, 3) if mine else '–'} | {fmt(c['lumped'], 3)} | "
                  f"{fmt(mine.cpu_interaction, 3) if mine else '–'} | {fmt(c.get('cpu_interaction', float('nan')), 3)} | "
                  f"{fmt(mine.cpu_open, 3) if mine else '–'} | {fmt(c.get('cpu_open', float('nan')), 3)} |")
        for c, mine in pairs:
            if c.get("spans") and mine is not None and mine.spans:
                print("\nN = 1, server CPU per action (from the previous action's end: think time included, idle removed):")
                print("| action | protocol (s) | Chromium (s) |")
                print("|---|---|---|")
                theirs = dict(c["spans"])
                for what, v in mine.spans:
                    print(f"| {what} | {v:.3f} | {fmt(theirs.get(what, float('nan')), 3)} |")
    print()
    for server in servers.values():
        for part in getattr(server, "parts", [server]):
            for line in check_log(part):
                print(line)
    if profile:
        print_profile(profile)
    if args.json:
        out = dict(machine_pace=gap is not None, think=think,
                   rounds=[dict(page=r.page, case=r.case, n=r.n, opens=r.stats.opens, times=r.stats.times, errors=r.stats.errors,
                                lost=r.stats.lost, by_action=r.stats.by_kind,
                                step_figures={k: sorted(v) for k, v in r.stats.step_forms.items()},
                                figure_deltas=r.stats.figure_forms, runs=r.stats.runs, bursts=r.stats.bursts, rss_mb=r.rss,
                                mb_per_extra_session=r.per_session, cpu_open=r.cpu_open,
                                cpu_interaction=r.cpu_interaction, cpu_lumped=r.cpu_lumped,
                                idle_rate=r.idle_rate, client_cpu=r.client_cpu) for r in rounds],
                   chromium=checks)
        Path(args.json).write_text(json.dumps(out, indent=1, default=str))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sessions", type=int, nargs="+", default=[1, 10, 30, 60])
    ap.add_argument("--case", nargs="+", choices=["walk", "draw"], default=["walk"],
                    help="walk: type x, then Next five times (think time apart); draw: each student draws one box "
                         f"of its own, the class within {DRAW_WINDOW_S:.0f} s (default %(default)s)")
    ap.add_argument("--think", type=float, default=1.0, help="seconds a student looks before the next action")
    ap.add_argument("--machine-pace", action="store_true",
                    help=f"the five Next clicks {MACHINE_GAP_S * 1000:.0f} ms apart, none waited for")
    ap.add_argument("--chromium-check", type=int, nargs="*", metavar="N",
                    help="then run bench_load's Chromium students for these N (default 1 5) and compare server CPU")
    ap.add_argument("--no-floor", action="store_true", help="skip the floor page")
    ap.add_argument("--json", help="write every figure to this file")
    ap.add_argument("--profile", metavar="FILE",
                    help="run the app server under bench/profile_server.py (cProfile in every thread) over the rounds, "
                         "write the merged profile to FILE and print its top calls")
    ap.add_argument("--port", type=int, default=0, help="the app server's port (0 = any free port)")
    ap.add_argument("--same-box", action="store_true",
                    help="every student types the same x (a class following one link): figures are shared")
    ap.add_argument("--replicas", type=int, default=1,
                    help="run R copies of the app on ports PORT, PORT+1, ...; student k uses copy k %% R")
    ap.add_argument("--front", type=int, default=0,
                    help="with --replicas: connect every student to this port (a load balancer in front)")
    args = ap.parse_args()
    if args.chromium_check == []:
        args.chromium_check = [1, 5]
    asyncio.run(main_async(args))


if __name__ == "__main__":
    main()

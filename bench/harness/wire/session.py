"""One browser tab on the wire: HTTP GETs, one websocket, BackMsgs up and ForwardMsgs down.

See the package's docstring for what the browser sends and when; ``Stats`` gathers a round's figures.
"""
from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from google.protobuf.message import DecodeError
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ContextInfo
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState, WidgetStates
from websockets.asyncio.client import connect

from bench.harness.wire.config import BROWSER_CONTEXT, IDLE_GRACE_S, IDLE_QUIET_S, TIMEOUT_S, TRACE
from bench.harness.wire.frontend import Frontend
from bench.harness.wire.http import HttpPool, StaticAssets
from bench.harness.wire.tree import Node, Tree
from bench.harness.wire.view import PageView


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


class Session(Frontend, PageView):
    """One browser tab, as the server sees it: HTTP GETs, one websocket, BackMsgs, ForwardMsgs.

    What arrives is applied as the frontend applies it (``Frontend``); the page is read as a person reads it
    (``PageView``); here: the connection, the reruns sent and the waiting.
    """

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

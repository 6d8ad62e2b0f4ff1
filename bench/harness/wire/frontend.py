"""How the browser's app takes in ForwardMsgs: deltas into the tree, widget values, the message cache."""
from __future__ import annotations

import time

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from bench.harness.wire.config import HEADING, LAZY_ALIASES, TRACE
from bench.harness.wire.tree import Node, initial_widget_state
from bench.harness.wire.view import figure_of


class Frontend:
    """The frontend's side of a session: each ForwardMsg applied to the element tree, the widget values and
    the message cache, as the browser's app does it; lazily loaded element code fetched."""

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

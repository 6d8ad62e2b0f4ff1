"""Reading a session's page as a person reads it: its widgets, the step shown, the step figure and its form."""
from __future__ import annotations

import hashlib
import json

from bench.harness.wire.config import FIGURE_COMPONENT, FIGURE_MARK, HEADING, IMG_SRC, STEP_FIGURE_KEY
from bench.harness.wire.tree import Node


class PageView:
    """What a session's page shows now: widgets by label, the step, its text, the step figure and its form."""

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

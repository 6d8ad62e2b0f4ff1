"""The students of a round: the real page's walk (or one box drawn) and the floor page's clicks."""
from __future__ import annotations

import asyncio
import json
import time

from bench.harness.wire.config import FIRST_STEP, FLOOR_IMAGES, NEXT_CLICKS
from bench.harness.wire.session import Session
from bench.harness.wire.tree import Node
from ui.board.wire import unpacked  # the page's components send their nested data as JSON


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
            data = unpacked(json.loads(node.element.bidi_component.json))
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
        data = unpacked(json.loads(node.element.bidi_component.json))
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
            data = unpacked(json.loads(node.element.bidi_component.json))
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

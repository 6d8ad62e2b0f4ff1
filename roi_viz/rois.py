"""The user's RoIs: checked before any pooling sees them, and kept in one store.

RoIs are ``(x, y, w, h)`` in pixels of the model input, ``W x H`` (``S x S``
for the article's square). Every ``size`` argument below is that input's size:
``(W, H)``, or one number ``S`` for a square (:data:`Size`). A box that
sticks out of the image is cut to it; a box with nothing left is refused.
Each function returns a message in plain words for the page to show.

:class:`RoIStore` is the one owner of the boxes a page shows. It keeps them as
exact fractions of the image, so changing the input size and back gives the
same numbers, and it merges what the drawing canvas sends (see its docstring).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from .ops import geometry as g

Size = int | tuple[int, int]  # the model input: S for S x S, or (W, H)
MIN_SIDE = 1.0  # pixels; anything thinner is an accidental click, not a box


class RoIError(ValueError):
    """An RoI that cannot be used; the message is meant for the student."""


def dims_of(size: Size) -> tuple[int, int]:
    """``(W, H)`` of the model input: ``size`` is ``S`` (a square) or ``(W, H)``."""
    return (size, size) if isinstance(size, (int, float)) else (int(size[0]), int(size[1]))


def clip_roi(roi, size: Size) -> tuple[g.Box, str]:
    """Cut ``roi`` to the image (``size``: ``S`` for ``S x S``, or ``(W, H)``). Returns ``(box, message)``.

    Raises :class:`RoIError` for non-numbers, a non-positive size, or a box with
    nothing left inside the image.
    """
    try:
        x, y, w, h = g.check_roi(roi)
    except ValueError as exc:
        raise RoIError(str(exc)) from None
    if w < MIN_SIDE or h < MIN_SIDE:
        raise RoIError(f"The RoI is only {w:g} × {h:g} pixels; draw or type a box at least 1 pixel on each side.")
    W, H = dims_of(size)
    x0, y0 = max(x, 0.0), max(y, 0.0)
    x1, y1 = min(x + w, float(W)), min(y + h, float(H))
    if x1 - x0 < MIN_SIDE or y1 - y0 < MIN_SIDE:
        raise RoIError(
            f"The RoI ({x:g}, {y:g}, {w:g}, {h:g}) lies outside the {W} × {H} image; "
            "nothing of it is left to pool."
        )
    # Recompute a side only where it was cut, so round-off never reports a cut.
    box = (
        x0,
        y0,
        w if (x0, x1) == (x, x + w) else x1 - x0,
        h if (y0, y1) == (y, y + h) else y1 - y0,
    )
    if box != (x, y, w, h):
        return box, (
            f"The RoI ({x:g}, {y:g}, {w:g}, {h:g}) reached outside the {W} × {H} image and was cut to "
            f"({box[0]:g}, {box[1]:g}, {box[2]:g}, {box[3]:g})."
        )
    return box, ""


def new_roi(size: Size) -> g.Box:
    """A square box in the image's middle third, a third of its shorter side, for "Add RoI"."""
    W, H = dims_of(size)
    return (float(round(W / 3)), float(round(H / 3)), float(round(min(W, H) / 3)), float(round(min(W, H) / 3)))


# ---------------------------------------------------------------------- the store
DRAWN_MIN = 4.0  # input pixels: a drawn box thinner than this was a click, not a drag
MOVED = 0.5  # canvas pixels: less than this is the same position (the canvas sends floats)
KEPT_SNAPSHOTS = 8  # canvases whose late messages are still understood


@dataclass
class _Canvas:
    """What one mounted canvas was given, and what it has sent since.

    The canvas sends its whole drawing each time: first the boxes it was
    given (labelled ``RoI 1`` ... in that order), then the boxes drawn on it.
    ``given`` maps each label it was given to the RoI's id; ``drawn`` holds,
    in the order they were drawn, the RoI id each new box became (``None`` for
    a click that was ignored); ``seen`` the last position of every box, by
    ``("given", label)`` or ``("drawn", n)``, to tell a move from a repeat.
    """

    given: dict[str, int]
    shown: list[dict] = field(default_factory=list)
    drawn: list[int | None] = field(default_factory=list)
    seen: dict[tuple, tuple[float, ...]] = field(default_factory=dict)


class RoIStore:
    """Several RoIs, the active one, and the merging of what the canvas sends.

    Boxes are stored as fractions of the image's width and height, read and
    written in pixels of a ``W x H`` input (:meth:`boxes`, :meth:`add`, :meth:`move`). Every
    change bumps :attr:`revision`; a change the canvas did not make itself
    (typed numbers, add, delete, a preset) also bumps :attr:`generation`, the
    signal to give the canvas a fresh drawing (:meth:`drawing`). What the
    canvas sends comes back through :meth:`merge_canvas`, which

    - adds each newly drawn box once, however often the canvas repeats it, and
      makes it the active one, even when two boxes arrive in one message;
    - applies a box moved or resized on the canvas;
    - understands late messages from a canvas that has since been replaced (a
      box drawn while a typed number was on its way is kept);
    - never deletes: a box missing from a message (an older message, or one
      removed on the canvas) stays until *Delete RoI* removes it; an empty
      drawing (the canvas's bin) remounts the canvas with every box.
    """

    def __init__(self, boxes=(), size: Size = 512):
        self._boxes: list[tuple[Fraction, ...]] = []
        self._ids: list[int] = []
        self._next_id = 1
        self.active = 0
        self.revision = 0
        self.generation = 0
        self._canvases: dict[str, _Canvas] = {}
        for box in boxes:
            self._append(box, size)
        self.notice = ""

    # -------------------------------------------------------------- reading
    def __len__(self) -> int:
        return len(self._boxes)

    def boxes(self, size: Size) -> list[g.Box]:
        """Every RoI in pixels of the input (``size``: ``S`` for ``S x S``, or ``(W, H)``)."""
        return [self.box(i, size) for i in range(len(self._boxes))]

    def box(self, index: int, size: Size) -> g.Box:
        W, H = dims_of(size)
        return tuple(float(v * d) for v, d in zip(self._boxes[index], (W, H, W, H)))  # type: ignore[return-value]

    def id_at(self, index: int) -> int:
        """RoI ``index``'s identity: it stays with the box when others are added or deleted."""
        return self._ids[index]

    def index_of(self, roi_id: int) -> int | None:
        """Where the RoI with identity ``roi_id`` is now; ``None`` once it was deleted."""
        return self._ids.index(roi_id) if roi_id in self._ids else None

    # -------------------------------------------------------------- changing
    def add(self, box, size: Size) -> str:
        """Add ``box`` (input pixels, cut to the image) and make it active. Returns a notice."""
        clipped, msg = clip_roi(box, size)
        self._append(clipped, size)
        self.active = len(self._boxes) - 1
        self._changed(external=True, notice=msg)
        return msg

    def move(self, index: int, box, size: Size) -> str:
        """Replace RoI ``index`` by ``box`` (cut to the image). Raises :class:`RoIError`, keeping the old box."""
        clipped, msg = clip_roi(box, size)
        self._boxes[index] = _exact(clipped, size)
        self.active = index
        self._changed(external=True, notice=msg)
        return msg

    def snap(self, size: Size) -> None:
        """Every box in whole pixels of the input ``size`` (after the input changed shape: a drawn box is
        whole pixels). The same part of the photo, the same active box."""
        active = self.active
        self.replace_all([tuple(float(max(round(v), 1 if k >= 2 else 0)) for k, v in enumerate(b))
                          for b in self.boxes(size)], size)
        self.active = active

    def delete(self, index: int) -> None:
        """Remove RoI ``index``; the last one is never removed (a walkthrough needs a box)."""
        if len(self._boxes) < 2:
            raise RoIError("At least one RoI is needed.")
        del self._boxes[index], self._ids[index]
        if index < self.active or (index == self.active and index > 0):
            self.active -= 1  # the same box stays active; a deleted active box hands over to the one before
        self._changed(external=True)

    def select(self, index: int) -> None:
        if not 0 <= index < len(self._boxes):
            raise RoIError(f"There is no RoI {index + 1}.")
        if index != self.active:
            self.active = index
            self._changed(external=True)  # the canvas shows the active box in its own colour

    def replace_all(self, boxes, size: Size, notice: str = "") -> None:
        """A preset: these boxes instead of all the others; the first is active."""
        self._boxes, self._ids = [], []
        for box in boxes:
            self._append(clip_roi(box, size)[0], size)
        self.active = 0
        self._changed(external=True, notice=notice)

    # -------------------------------------------------------------- the canvas
    def drawing(self, canvas_key: str, scale: float, size: Size) -> list[dict]:
        """The boxes to give a canvas mounted under ``canvas_key``, in canvas pixels.

        ``scale`` is canvas pixels per input pixel. The first call for a key
        records what that canvas was given; later calls return the same boxes,
        so a rerun never makes the canvas reload.
        """
        if canvas_key in self._canvases:  # what it was given: a changed drawing would reload it
            return self._canvases[canvas_key].shown
        boxes = self.boxes(size)
        labels = [f"RoI {i + 1}" for i in range(len(boxes))]
        canvas = self._canvases[canvas_key] = _Canvas(dict(zip(labels, self._ids)))
        while len(self._canvases) > KEPT_SNAPSHOTS:
            self._canvases.pop(next(iter(self._canvases)))
        for label, b in zip(labels, boxes):
            canvas.seen[("given", label)] = tuple(v * scale for v in b)
        canvas.shown = [
            {"label": label, "left": x * scale, "top": y * scale, "width": w * scale, "height": h * scale,
             "active": i == self.active}
            for i, (label, (x, y, w, h)) in enumerate(zip(labels, boxes))
        ]
        return canvas.shown

    def merge_canvas(self, canvas_key: str, sent: list[dict], scale: float, size: Size) -> bool:
        """Take what the canvas under ``canvas_key`` sent (``CanvasResult.boxes``). True if anything changed."""
        canvas = self._canvases.get(canvas_key)
        if canvas is None:  # a canvas from long ago: nothing it says can be placed
            return False
        if not sent and (canvas.given or canvas.drawn):  # the canvas's bin: it clears the drawing, not the RoIs
            self._changed(external=True, notice="The bin clears the drawing only; the RoIs are drawn again. "
                          "To remove one, pick it and press “Delete RoI”.")
            return False
        notices: list[str] = []
        changed = False
        drawn_n = 0
        used_labels: set[str] = set()
        for b in sent:
            pos = (float(b["left"]), float(b["top"]), float(b["width"]), float(b["height"]))
            label = str(b.get("label", ""))
            if label in canvas.given and label not in used_labels:
                used_labels.add(label)
                key, roi_id = ("given", label), canvas.given[label]
            else:
                if drawn_n == len(canvas.drawn):  # a box this canvas has not sent before
                    canvas.drawn.append(self._take_drawn(pos, scale, size, notices))
                    canvas.seen[("drawn", drawn_n)] = pos
                    changed = changed or canvas.drawn[-1] is not None
                    drawn_n += 1
                    continue
                key, roi_id = ("drawn", drawn_n), canvas.drawn[drawn_n]
                drawn_n += 1
            if roi_id is None or roi_id not in self._ids or _same(pos, canvas.seen.get(key)):
                continue
            canvas.seen[key] = pos  # moved or resized on the canvas
            index = self._ids.index(roi_id)
            try:
                box, msg = clip_roi(_whole_pixels(pos, scale), size)
            except RoIError as exc:
                notices.append(f"{exc} The RoI was left as it was.")
                continue
            self._boxes[index] = _exact(box, size)
            self.active = index
            notices.append(msg)
            changed = True
        if changed or notices:
            self._changed(external=False, notice=" ".join(n for n in notices if n))
        return changed

    def _take_drawn(self, pos, scale: float, size: Size, notices: list[str]) -> int | None:
        box = _whole_pixels(pos, scale)
        if box[2] < DRAWN_MIN or box[3] < DRAWN_MIN:
            notices.append("A click without a drag was ignored: press, drag and release to draw a box.")
            return None
        try:
            clipped, msg = clip_roi(box, size)
        except RoIError as exc:
            notices.append(f"{exc} The box was not added.")
            return None
        self._append(clipped, size)
        self.active = len(self._boxes) - 1
        notices.append(msg)
        return self._ids[-1]

    # -------------------------------------------------------------- inside
    def _append(self, box, size: Size) -> None:
        self._boxes.append(_exact(g.check_roi(box), size))
        self._ids.append(self._next_id)
        self._next_id += 1

    def _changed(self, *, external: bool, notice: str = "") -> None:
        self.revision += 1
        if external:
            self.generation += 1
        self.notice = notice


def _exact(box, size: Size) -> tuple[Fraction, ...]:
    """A box as exact fractions of the image's width and height (a float converts to a Fraction exactly).

    Kept per axis, a box covers the same part of the photo in a square input and in
    one that keeps the photo's proportions."""
    W, H = dims_of(size)
    return tuple(Fraction(v) / d for v, d in zip(box, (W, H, W, H)))


def _whole_pixels(pos, scale: float) -> g.Box:
    """Canvas pixels to whole input pixels: a mouse does not draw 19.03."""
    x0, y0 = round(pos[0] / scale), round(pos[1] / scale)
    x1, y1 = round((pos[0] + pos[2]) / scale), round((pos[1] + pos[3]) / scale)
    return float(x0), float(y0), float(x1 - x0), float(y1 - y0)


def _same(a, b) -> bool:
    return b is not None and all(abs(p - q) <= MOVED for p, q in zip(a, b))

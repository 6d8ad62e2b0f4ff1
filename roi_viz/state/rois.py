"""The user's RoIs: checked before any pooling sees them, and kept in one store.

RoIs are ``(x, y, w, h)`` in pixels of the model input, ``W x H`` (``S x S``
for the article's square). Every ``size`` argument below is that input's size:
``(W, H)``, or one number ``S`` for a square (:data:`Size`). A box that
sticks out of the image is cut to it; a box with nothing left is refused.
Each function returns a message in plain words for the page to show.

The operators take fractional boxes (they are arithmetic), but the page's boxes
are **whole pixels** of the input, as a box drawn on the board is: a typed or
linked 296.6 becomes 297 (:func:`whole_roi`, ties rounded as Python rounds them,
to the even neighbour), and the page says so. One box then has one set of
numbers on the board, in the list, in the words and in the figures.

:class:`RoIStore` is the one owner of the boxes a page shows. It keeps them as
exact fractions of the image, so changing the input size and back gives the
same numbers, and it takes what the board sends (see its docstring).
"""
from __future__ import annotations

from fractions import Fraction

import math

from ..language import N_, _
from ..ops import geometry as g

Size = int | tuple[int, int]  # the model input: S for S x S, or (W, H)
MIN_SIDE = 1.0  # pixels; anything thinner is an accidental click, not a box
# Why a number was rounded: stored, marked for the catalog, said with _() where a notice is made.
WHOLE_PIXELS = N_("RoIs are whole pixels of the model input, as a box drawn on the photo is")


class RoIError(ValueError):
    """An RoI that cannot be used; the message is meant for the student, a whole sentence in the language in
    force where it was raised."""


def _checked(roi) -> g.Box:
    """:func:`roi_viz.ops.geometry.check_roi`, its refusal said as a whole sentence in the language in force
    (the op's own message stays English, for a library's user): the same checks, in the same order."""
    try:
        return g.check_roi(roi)
    except ValueError:
        pass
    if isinstance(roi, (str, bytes)):
        raise RoIError(_("An RoI is four numbers (x, y, w, h), not the text {text}.").format(text=repr(roi[:40])))
    try:
        values = [float(v) for v in roi]
    except (TypeError, ValueError):
        raise RoIError(_("An RoI is four numbers (x, y, w, h); got {value}, which are not all numbers.").format(
            value=repr(roi))) from None
    if len(values) != 4:
        raise RoIError(_("An RoI is four numbers (x, y, w, h); got {n} numbers.").format(n=len(values)))
    shown = str(tuple(values))
    if not all(math.isfinite(v) for v in values):
        raise RoIError(_("The RoI {roi} contains NaN or infinity.").format(roi=shown))
    if any(abs(v) > g.MAX_COORD for v in values):
        raise RoIError(_("The RoI {roi} reaches beyond any image: each number must be at most {most} pixels in "
                         "size.").format(roi=shown, most=f"{g.MAX_COORD:,.0f}"))
    raise RoIError(_("The RoI must have a positive width and height; got w={w}, h={h}.").format(
        w=f"{values[2]:g}", h=f"{values[3]:g}"))


def too_thin(w: float, h: float) -> RoIError:
    return RoIError(_("The RoI is only {w} × {h} pixels; draw or type a box at least 1 pixel on each side.").format(
        w=f"{w:g}", h=f"{h:g}"))


def dims_of(size: Size) -> tuple[int, int]:
    """``(W, H)`` of the model input: ``size`` is ``S`` (a square) or ``(W, H)``."""
    return (size, size) if isinstance(size, (int, float)) else (int(size[0]), int(size[1]))


def clip_roi(roi, size: Size) -> tuple[g.Box, str]:
    """Cut ``roi`` to the image (``size``: ``S`` for ``S x S``, or ``(W, H)``). Returns ``(box, message)``.

    Raises :class:`RoIError` for non-numbers, a non-positive size, or a box with
    nothing left inside the image.
    """
    x, y, w, h = _checked(roi)
    if w < MIN_SIDE or h < MIN_SIDE:
        raise too_thin(w, h)
    W, H = dims_of(size)
    x0, y0 = max(x, 0.0), max(y, 0.0)
    x1, y1 = min(x + w, float(W)), min(y + h, float(H))
    if x1 - x0 < MIN_SIDE or y1 - y0 < MIN_SIDE:
        raise RoIError(_("The RoI ({x}, {y}, {w}, {h}) lies outside the {W} × {H} image; nothing of it is left to "
                         "pool.").format(x=f"{x:g}", y=f"{y:g}", w=f"{w:g}", h=f"{h:g}", W=W, H=H))
    # Recompute a side only where it was cut, so round-off never reports a cut.
    box = (
        x0,
        y0,
        w if (x0, x1) == (x, x + w) else x1 - x0,
        h if (y0, y1) == (y, y + h) else y1 - y0,
    )
    if box != (x, y, w, h):
        return box, _("The RoI ({x}, {y}, {w}, {h}) reached outside the {W} × {H} image and was cut to ({x2}, {y2}, "
                      "{w2}, {h2}).").format(x=f"{x:g}", y=f"{y:g}", w=f"{w:g}", h=f"{h:g}", W=W, H=H,
                                             x2=f"{box[0]:g}", y2=f"{box[1]:g}", w2=f"{box[2]:g}", h2=f"{box[3]:g}")
    return box, ""


def whole_roi(roi) -> tuple[g.Box, str]:
    """``roi`` ``(x, y, w, h)`` rounded to whole input pixels, each number on its own, ties as Python's
    :func:`round` (to the even neighbour: 296.5 -> 296). Returns ``(box, said)``: ``said`` names each number
    that was rounded ("x 296.6 was rounded to 297"), ``""`` when all were whole already; a notice gives its
    reason with it (:data:`WHOLE_PIXELS`).

    Raises :class:`RoIError` for non-numbers, and for a side under :data:`MIN_SIDE` *before* rounding
    (a typed 0.4 is refused as too thin rather than rounded to nothing).
    """
    values = _checked(roi)
    x, y, w, h = values
    if w < MIN_SIDE or h < MIN_SIDE:
        raise too_thin(w, h)
    box = tuple(float(round(v)) for v in values)
    changed = [(name, v, r) for name, v, r in zip("xywh", values, box) if v != r]
    if not changed:
        return box, ""
    # Each number's clause is whole; the list is joined by list patterns ("{first}, {next}", "{first} and
    # {last}", as CLDR writes them), so a translation joins its own way.
    said = [_("{name} {value} to {whole}").format(name=name, value=_plain(v), whole=f"{r:.0f}")
            for name, v, r in changed]
    name, v, r = changed[0]
    said[0] = _("{name} {value} was rounded to {whole}").format(name=name, value=_plain(v), whole=f"{r:.0f}")
    listed = said[0]
    for k, item in enumerate(said[1:], 1):
        listed = (_("{first} and {last}") if k == len(said) - 1 else _("{first}, {next}")).format(
            first=listed, last=item, next=item)
    return box, listed


def _plain(v: float) -> str:
    """A typed number as the student wrote it, near enough: 296.6, not 296.60000000000002."""
    return f"{v:.10f}".rstrip("0").rstrip(".")


def new_roi(size: Size) -> g.Box:
    """A square box in the image's middle third, a third of its shorter side, for "Add RoI"."""
    W, H = dims_of(size)
    return (float(round(W / 3)), float(round(H / 3)), float(round(min(W, H) / 3)), float(round(min(W, H) / 3)))


# ---------------------------------------------------------------------- the store
DRAWN_MIN = 4.0  # input pixels: a board box thinner than this was a click, not a drag (the board says so too)


class RoIStore:
    """Several RoIs, the active one, and what the board sends.

    Boxes are stored as exact fractions of the image's width and height, read
    and written in pixels of an input of ``size`` (``S`` for ``S x S``, or
    ``(W, H)``) (:meth:`boxes`, :meth:`add`, :meth:`move`). A box enters in
    whole pixels of the input it is given in (:func:`whole_roi`; :meth:`add`
    and :meth:`move` say so in their notice when they round). Every change bumps
    :attr:`revision`; a change the board did not make itself (typed numbers,
    add, delete, a preset) also bumps :attr:`generation`, the signal to give
    the board this content afresh. What the board sends (its whole list of
    whole-pixel boxes, after each release) comes back through
    :meth:`merge_board`: a box it did not change keeps its value and its
    identity, a new one becomes active, nothing is lost.
    """

    def __init__(self, boxes=(), size: Size = 512):
        self._boxes: list[tuple[Fraction, ...]] = []
        self._home: list[tuple[tuple[int, int], g.Box]] = []  # per box: the input it was set in, and its numbers there
        self._ids: list[int] = []
        self._next_id = 1
        self.active = 0
        self.revision = 0
        self.generation = 0
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
        """RoI ``index`` in whole pixels of the input ``size``: as it was set in the input it was set in, and
        the same part of the photo in any other input (a box keeps whole pixels through every change of
        photo, shape and size, and comes back exactly to its own input)."""
        return self.box_of(self._boxes[index], self._home[index], size)

    @staticmethod
    def box_of(fractions, home, size: Size) -> g.Box:
        """A box kept as ``fractions`` of the photo with its ``home`` (dims, numbers), read in ``size``."""
        dims = dims_of(size)
        return home[1] if dims == home[0] else _whole_of(fractions, dims)

    def id_at(self, index: int) -> int:
        """RoI ``index``'s identity: it stays with the box when others are added or deleted."""
        return self._ids[index]

    def index_of(self, roi_id: int) -> int | None:
        """Where the RoI with identity ``roi_id`` is now; ``None`` once it was deleted."""
        return self._ids.index(roi_id) if roi_id in self._ids else None

    # -------------------------------------------------------------- changing
    def add(self, box, size: Size) -> str:
        """Add ``box`` (input pixels, rounded to whole ones and cut to the image) and make it active.
        Returns a notice ("" when nothing was rounded or cut)."""
        clipped, msg = entering(box, size)
        self._append(clipped, size)
        self.active = len(self._boxes) - 1
        self._changed(external=True, notice=msg)
        return msg

    def move(self, index: int, box, size: Size) -> str:
        """Replace RoI ``index`` by ``box`` (rounded to whole pixels, cut to the image). Returns a notice.
        Raises :class:`RoIError`, keeping the old box."""
        clipped, msg = entering(box, size)
        self._boxes[index] = _exact(clipped, size)
        self._home[index] = (dims_of(size), tuple(float(v) for v in clipped))
        self.active = index
        self._changed(external=True, notice=msg)
        return msg

    def delete(self, index: int) -> None:
        """Remove RoI ``index``; the last one is never removed (a walkthrough needs a box)."""
        if len(self._boxes) < 2:
            raise RoIError(_("At least one RoI is needed."))
        del self._boxes[index], self._ids[index], self._home[index]
        if index < self.active or (index == self.active and index > 0):
            self.active -= 1  # the same box stays active; a deleted active box hands over to the one before
        self._changed(external=True)

    def select(self, index: int) -> None:
        if not 0 <= index < len(self._boxes):
            raise RoIError(_("There is no RoI {n}.").format(n=index + 1))
        if index != self.active:
            self.active = index
            self._changed(external=True)  # the board shows the followed box in its own colour

    def replace_all(self, boxes, size: Size, notice: str = "") -> None:
        """A preset: these boxes instead of all the others; the first is active."""
        self._boxes, self._ids, self._home = [], [], []
        for box in boxes:
            self._append(box, size)
        self.active = 0
        self._changed(external=True, notice=notice)

    # -------------------------------------------------------------- the board
    def whole(self, size: Size) -> list[tuple[int, int, int, int]]:
        """Every RoI in whole pixels of the input, inside it and at least 1 x 1: what the board shows."""
        return [tuple(int(v) for v in _whole_of(_exact(b, size), dims_of(size))) for b in self.boxes(size)]

    def merge_board(self, boxes, active: int, size: Size) -> bool:
        """Take the board's boxes (``(x, y, w, h)`` whole input pixels, all of them) and the followed one.

        The board starts from :meth:`whole`; a box it left as it was keeps its
        value and identity here. True if anything changed.
        """
        if not boxes:
            return False  # the board never removes the last box; an empty list is not a student's doing
        shown, old = self.whole(size), self.boxes(size)
        kept, notices = [], []  # (fractions, home, id) per box
        for n, b in enumerate(boxes):
            b = tuple(float(v) for v in b)
            if n < len(shown) and tuple(float(v) for v in shown[n]) == b:  # left alone: kept exactly as it was
                kept.append((self._boxes[n], self._home[n], self._ids[n]))
                continue
            try:
                box, msg = clip_roi(b, size)
            except RoIError as exc:
                notices.append(_("{reason} The box was not kept.").format(reason=exc))
                continue
            notices.append(msg)
            if n < len(self._ids):
                roi_id = self._ids[n]
            else:
                roi_id, self._next_id = self._next_id, self._next_id + 1
            kept.append((_exact(box, size), (dims_of(size), box), roi_id))
        active = min(max(int(active), 0), len(kept) - 1) if kept else self.active
        if not kept or ([self.box_of(f, h, size) for f, h, __ in kept] == old and len(kept) == len(old)
                        and active == self.active):
            if any(notices):
                self.notice = " ".join(n for n in notices if n)
            return False
        self._boxes, self._home, self._ids = (list(t) for t in zip(*kept))
        self.active = active
        self._changed(external=False, notice=" ".join(n for n in notices if n))
        return True

    # -------------------------------------------------------------- inside
    def _append(self, box, size: Size) -> None:
        box = entering(box, size)[0]  # the constructor's boxes too (a link's, a preset's); the caller says why
        self._boxes.append(_exact(box, size))
        self._home.append((dims_of(size), tuple(float(v) for v in box)))
        self._ids.append(self._next_id)
        self._next_id += 1

    def _changed(self, *, external: bool, notice: str = "") -> None:
        self.revision += 1
        if external:
            self.generation += 1
        self.notice = notice


def entering(box, size: Size) -> tuple[g.Box, str]:
    """A box entering the store, or the command line: whole pixels, then cut to the image. Returns ``(box, notice)``."""
    whole, rounded = whole_roi(box)
    clipped, cut = clip_roi(whole, size)
    why = _("{why}: {rounded}.").format(why=_(WHOLE_PIXELS), rounded=rounded) if rounded else ""
    return clipped, " ".join(m for m in (why, cut) if m)


def _exact(box, size: Size) -> tuple[Fraction, ...]:
    """A box as exact fractions of the image's width and height (a float converts to a Fraction exactly).

    Kept per axis, a box covers the same part of the photo in a square input and in
    one that keeps the photo's proportions."""
    W, H = dims_of(size)
    return tuple(Fraction(v) / d for v, d in zip(box, (W, H, W, H)))


def _whole_of(box: tuple[Fraction, ...], dims: tuple[int, int]) -> g.Box:
    """A box kept as fractions of the photo, in whole pixels of an input ``dims`` (W, H): its corners rounded,
    inside the image, at least 1 x 1."""
    W, H = dims
    x0, y0 = min(max(round(box[0] * W), 0), W - 1), min(max(round(box[1] * H), 0), H - 1)
    x1, y1 = round((box[0] + box[2]) * W), round((box[1] + box[3]) * H)
    return float(x0), float(y0), float(max(min(x1, W) - x0, 1)), float(max(min(y1, H) - y0, 1))

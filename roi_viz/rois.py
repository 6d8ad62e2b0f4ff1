"""Checking the RoIs a user draws or types, before any pooling sees them.

RoIs are ``(x, y, w, h)`` in pixels of the ``S x S`` model input. A box that
sticks out of the image is cut to it; a box with nothing left is refused.
Each function returns a message in plain words for the page to show.
"""
from __future__ import annotations

from . import geometry as g

MIN_SIDE = 1.0  # pixels; anything thinner is an accidental click, not a box


class RoIError(ValueError):
    """An RoI that cannot be used; the message is meant for the student."""


def clip_roi(roi, size: int) -> tuple[g.Box, str]:
    """Cut ``roi`` to the ``size x size`` image. Returns ``(box, message)``; message may be empty.

    Raises :class:`RoIError` for non-numbers, a non-positive size, or a box with
    nothing left inside the image.
    """
    try:
        x, y, w, h = g.check_roi(roi)
    except ValueError as exc:
        raise RoIError(str(exc)) from None
    if w < MIN_SIDE or h < MIN_SIDE:
        raise RoIError(f"The RoI is only {w:g} × {h:g} pixels; draw or type a box at least 1 pixel on each side.")
    x0, y0 = max(x, 0.0), max(y, 0.0)
    x1, y1 = min(x + w, float(size)), min(y + h, float(size))
    if x1 - x0 < MIN_SIDE or y1 - y0 < MIN_SIDE:
        raise RoIError(
            f"The RoI ({x:g}, {y:g}, {w:g}, {h:g}) lies outside the {size} × {size} image; "
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
            f"The RoI ({x:g}, {y:g}, {w:g}, {h:g}) reached outside the {size} × {size} image and was cut to "
            f"({box[0]:g}, {box[1]:g}, {box[2]:g}, {box[3]:g})."
        )
    return box, ""


def rescale(rois, old_size: int, new_size: int) -> list[g.Box]:
    """Keep RoIs on the same part of the picture when the input size changes."""
    k = new_size / old_size
    return [tuple(round(v * k, 2) for v in r) for r in rois]  # type: ignore[misc]


def new_roi(size: int) -> g.Box:
    """A box in the middle of the image, a third of its size, for "Add RoI"."""
    side = round(size / 3)
    return (float(side), float(side), float(side), float(side))

"""What every view is drawn from: one small frozen record, built once per lesson run by ``app.py``."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Context:
    """The lesson as one view sees it.

    ``scene`` is the :class:`roi_viz.state.scene.Scene` on the followed RoI (its boxes are
    ``(x, y, w, h)`` in pixels of the model input); ``fm`` the feature map of that input (its
    ``values`` are ``(C, H, W)``, one cell per ``stride`` pixels); ``key`` names the model
    input for the caches (photo and shape); ``inp`` is the model input itself, a PIL image of
    ``(W, H)`` pixels; ``present`` is presenter mode as the page was drawn; ``session`` the
    student's state (:func:`ui.session.session`), read and written by the views' controls.
    """

    scene: Any
    fm: Any
    key: str
    inp: Any
    present: bool
    session: Any

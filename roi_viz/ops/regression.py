"""From proposal to detection: the box head's regression targets, and the box they decode to.

Pooling gives the box head a fixed-size tensor for a proposal; the head answers with
a class and four numbers ``(tx, ty, tw, th)`` that move and rescale the proposal. No
gradient reaches the proposal's coordinates through the pooling (they are constants
to it); this head, trained on the targets below, is what corrects a box. The
parameterization is R-CNN's (Girshick et al. 2014), kept by Fast, Faster and Mask R-CNN::

    tx = wx * (x* - x) / w        ty = wy * (y* - y) / h        (centres)
    tw = ww * log(w* / w)         th = wh * log(h* / h)         (sizes)

for a proposal of centre ``(x, y)`` and size ``w x h`` and a target (the ground-truth
box) of centre ``(x*, y*)`` and size ``w* x h*``. The shift is in units of the
proposal's own size and the scale is a logarithm, so the same numbers mean the same
correction for a small box and a large one. The weights ``(wx, wy, ww, wh)`` only scale
the targets for training: torchvision's box head uses ``(10, 10, 5, 5)``, its RPN
``(1, 1, 1, 1)``. Decoding clips ``tw`` and ``th`` at ``log(1000 / 16)`` before the
exponential, as torchvision does, so a wild prediction cannot grow a box 1000 times.

Boxes are ``(x, y, w, h)`` in input pixels, ``(x, y)`` the top-left corner, as everywhere
in :mod:`roi_viz.ops`. Equal to torchvision's ``BoxCoder`` (tests/lib/test_pyramid_ops.py).
"""
from __future__ import annotations

import math
from typing import Sequence

from . import geometry as g

BOX_HEAD_WEIGHTS = (10.0, 10.0, 5.0, 5.0)  # torchvision's Faster / Mask R-CNN box head
RPN_WEIGHTS = (1.0, 1.0, 1.0, 1.0)
CLIP = math.log(1000.0 / 16)  # the largest tw, th decoded: a box grows at most 62.5 times


def _centre(box):
    x, y, w, h = box
    return x + 0.5 * w, y + 0.5 * h, w, h


def encode(proposal: Sequence[float], target: Sequence[float],
           weights: Sequence[float] = RPN_WEIGHTS) -> tuple[float, float, float, float]:
    """The regression target ``(tx, ty, tw, th)`` that moves ``proposal`` onto ``target``.

    Args:
        proposal, target: ``(x, y, w, h)`` in input pixels, positive sizes.
        weights: ``(wx, wy, ww, wh)``; ``RPN_WEIGHTS`` gives the plain parameterization.
    """
    px, py, pw, ph = _centre(g.check_roi(proposal))
    tx, ty, tw, th = _centre(g.check_roi(target))
    wx, wy, ww, wh = (float(v) for v in weights)
    return wx * (tx - px) / pw, wy * (ty - py) / ph, ww * math.log(tw / pw), wh * math.log(th / ph)


def decode(proposal: Sequence[float], deltas: Sequence[float], weights: Sequence[float] = RPN_WEIGHTS,
           clip: float = CLIP) -> tuple[float, float, float, float]:
    """The box ``(x, y, w, h)`` that ``deltas = (tx, ty, tw, th)`` make of ``proposal``.

    ``tw`` and ``th`` (after dividing by their weights) are clipped at ``clip`` first.
    """
    px, py, pw, ph = _centre(g.check_roi(proposal))
    dx, dy, dw, dh = (float(d) / float(w) for d, w in zip(deltas, weights))
    cx, cy = dx * pw + px, dy * ph + py
    w, h = math.exp(min(dw, clip)) * pw, math.exp(min(dh, clip)) * ph
    return cx - 0.5 * w, cy - 0.5 * h, w, h

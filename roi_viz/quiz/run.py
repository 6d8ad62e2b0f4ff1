"""The walkthrough's op, run on a zero map: where every correct answer is read from.

The quiz never computes an answer a second time: it runs the method's record
(:attr:`roi_viz.methods.Method.run`, the walkthrough's own call) and reads the
trace. The numbers asked are geometry, independent of the map's values, so a
map of zeros of the right shape is enough.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from ..state.settings import Settings
from ..methods import method
from ..ops.prroi import PrRoITrace
from ..ops.roialign import AlignTrace
from ..ops.roipool import PoolTrace

Trace = PoolTrace | AlignTrace | PrRoITrace


def map_size(settings: Settings) -> tuple[int, int]:
    """``(H, W)`` of VGG16's map: its 3 x 3 convolutions keep the size and every pool halves it,
    so an ``S x S`` input (S a multiple of 32) gives exactly ``S / stride`` cells a side."""
    n = settings.input_size // settings.stride
    return n, n


def zero_map(settings: Settings) -> np.ndarray:
    """A ``1 x H x W`` float32 map of zeros.

    Every number the quiz asks (boxes, bins, sampling points, weights, shares) is
    geometry: it depends on the map's size, never on its values. One channel is
    enough, and float32 is the real map's dtype, which matters: Fast R-CNN's
    rounding and RoIAlign's grid are computed in it.
    """
    H, W = map_size(settings)
    return np.zeros((1, H, W), dtype=np.float32)


def run_method(roi: Sequence[float], settings: Settings) -> Trace:
    """The trace of ``settings.method`` for ``roi``, with the same arguments as the walkthrough's record."""
    return method(settings.method).run(zero_map(settings), roi, settings)

"""Position-sensitive RoI pooling (R-FCN, Dai et al. 2016) and its aligned form (Light-Head R-CNN).

In RoI pooling every bin reads every channel. In position-sensitive pooling the map
has ``C = C' * ph * pw`` channels in ``ph * pw`` groups, one group per bin position,
and bin ``(i, j)`` reads only its own group: channel ``(c * ph + i) * pw + j`` for
output channel ``c`` (torchvision's layout). A network trained this way learns a
"top-left of an object" map, a "centre" map and so on; the pooled value of bin
``(i, j)`` is the *average* of its group's cells there, and what each bin sees is
fixed by its position in the box.

Boxes are ``(x, y, w, h)`` in input pixels; maps ``C x H x W``; outputs ``C' x ph x pw``.
Equal to ``torchvision.ops.ps_roi_pool`` and ``ps_roi_align`` (tests/lib/test_pyramid_ops.py),
float32 arithmetic included, quirks included: see :func:`ps_roi_pool`.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from . import geometry as g
from .maps import as_numpy_map
from .roialign import AlignTrace, roi_align


def _groups(fm: np.ndarray, output_size) -> tuple[int, int, int]:
    ph, pw = g.check_output_size(output_size)
    c = fm.shape[0]
    if c % (ph * pw):
        raise ValueError(f"Position-sensitive pooling to {ph} x {pw} needs a multiple of {ph * pw} channels "
                         f"(one group per bin); the map has {c}.")
    return c // (ph * pw), ph, pw


def group_channel(c: int, i: int, j: int, output_size: tuple[int, int]) -> int:
    """The input channel that output channel ``c``'s bin ``(i, j)`` reads."""
    ph, pw = output_size
    return (c * ph + i) * pw + j


def ps_roi_pool(feature_map, roi: Sequence[float], *, stride: float,
                output_size: int | tuple[int, int] = (3, 3)) -> np.ndarray:
    """Position-sensitive RoI pooling: each bin averages the whole cells of its own channel group.

    The box's corners are rounded to the nearest cell (C's ``round``, halves away from
    zero, in float32), the box is at least 1 x 1 cell, and bin ``(i, j)`` covers cells
    ``floor(i * bh) .. ceil((i + 1) * bh)`` from the box's first row (likewise columns),
    where ``bh`` is the box's rows / ``ph``.

    torchvision's kernel clips a bin's end to the map's last row and column *index*
    (``H - 1``, ``W - 1``) rather than to ``H`` and ``W``, so its forward pass never reads
    the map's last row or column (its backward pass does): kept here, so the numbers are
    torchvision's. A bin left with no cell outputs 0.

    Returns:
        ``C' x ph x pw`` with ``C' = C / (ph * pw)``.
    """
    fm = as_numpy_map(feature_map)
    x, y, w, h = g.check_roi(roi)
    s = g.check_stride(stride)
    cout, ph, pw = _groups(fm, output_size)
    dt = fm.dtype.type
    scale = dt(1.0 / s)
    # torchvision receives corners in the map's dtype: x2 = x + w is computed there too.
    x1, y1, x2, y2 = (dt(v) for v in (x, y, x + w, y + h))
    start_x, start_y = g.round_half_away(x1 * scale), g.round_half_away(y1 * scale)
    end_x, end_y = g.round_half_away(x2 * scale), g.round_half_away(y2 * scale)
    rows, cols = max(end_y - start_y, 1), max(end_x - start_x, 1)
    bin_h, bin_w = dt(rows) / dt(ph), dt(cols) / dt(pw)
    H, W = fm.shape[1], fm.shape[2]
    out = np.zeros((cout, ph, pw), dtype=fm.dtype)
    for i in range(ph):
        r0 = min(max(int(math.floor(dt(i) * bin_h)) + start_y, 0), H - 1)
        r1 = min(max(int(math.ceil(dt(i + 1) * bin_h)) + start_y, 0), H - 1)
        for j in range(pw):
            c0 = min(max(int(math.floor(dt(j) * bin_w)) + start_x, 0), W - 1)
            c1 = min(max(int(math.ceil(dt(j + 1) * bin_w)) + start_x, 0), W - 1)
            if r1 <= r0 or c1 <= c0:
                continue  # an empty bin outputs 0
            channels = [group_channel(c, i, j, (ph, pw)) for c in range(cout)]
            block = fm[channels, r0:r1, c0:c1]
            # The kernel adds the cells one by one in its dtype, row by row.
            total = np.zeros(cout, dtype=fm.dtype)
            for v in block.reshape(cout, -1).T:
                total = total + v
            out[:, i, j] = total / dt((r1 - r0) * (c1 - c0))
    return out


def ps_roi_align(feature_map, roi: Sequence[float], *, stride: float,
                 output_size: int | tuple[int, int] = (3, 3), sampling_ratio: int = -1) -> np.ndarray:
    """Position-sensitive RoIAlign: RoIAlign's sampling points, each bin reading its own channel group.

    Always the aligned rule (the half-cell shift, no one-cell minimum), as torchvision's
    kernel; ``sampling_ratio <= 0`` is adaptive (``ceil`` of the bin's size in cells).

    Returns:
        ``C' x ph x pw`` with ``C' = C / (ph * pw)``.
    """
    fm = as_numpy_map(feature_map)
    cout, ph, pw = _groups(fm, output_size)
    full = roi_align(fm, roi, stride=stride, output_size=(ph, pw), sampling_ratio=sampling_ratio,
                     aligned=True).output  # C x ph x pw: every channel in every bin
    out = np.empty((cout, ph, pw), dtype=fm.dtype)
    for i in range(ph):
        for j in range(pw):
            out[:, i, j] = full[[group_channel(c, i, j, (ph, pw)) for c in range(cout)], i, j]
    return out


# ------------------------------------------------------------------ the page's method: a trace that follows a channel
@dataclass(frozen=True)
class PSAlignTrace(AlignTrace):
    """Position-sensitive RoIAlign on one RoI, with what the page needs to follow one map channel through it.

    A real R-FCN head makes its ``k² · C'`` score maps with a 1 x 1 conv layer; VGG16's map (512
    channels) was not trained for that. Here the method reads the map's first ``k² · C'`` channels,
    ``C' = floor(C / (ph · pw))``, in ``ph · pw`` groups (torchvision's layout, :func:`group_channel`),
    and leaves the last ``C - k² · C'`` channels unread. ``scores`` (``C' x ph x pw``) is the real
    output, equal to ``torchvision.ops.ps_roi_align`` on those channels.

    The page follows one map channel ``ch`` at a time, so ``output`` and ``sample_values`` are
    indexed by the *map's* channel (``C x ph x pw`` and ``C x ph x pw x n``): channel ``ch`` is followed
    through the output channel whose group holds it, ``c' = ch // (ph · pw)``, and ``output[ch, i, j]``
    is ``scores[c', i, j]``: bin ``(i, j)`` read at its sampling points in channel
    ``group_channel(c', i, j)``, averaged. A channel past ``k² · C'`` is read by no bin: its rows are 0
    and :meth:`follows` says ``None``. ``C' = 0`` (more bins than channels) leaves every row 0.

    Geometry (bins, points, ``samples`` in cells, ``(y, x)``) is RoIAlign's with ``aligned=True``.
    """

    scores: np.ndarray = field(default=None, repr=False)  # C' x ph x pw: the real output
    map_channels: int = 0  # C, the map's channels

    @property
    def channels(self) -> int:
        """``C'``: the real output's channels (``output`` has a row per map channel only to follow one)."""
        return self.out_channels

    @property
    def groups(self) -> int:
        """``ph · pw``: one group of channels per bin position."""
        return self.output_size[0] * self.output_size[1]

    @property
    def out_channels(self) -> int:
        """``C' = floor(C / (ph · pw))``."""
        return int(self.scores.shape[0])

    @property
    def channels_used(self) -> int:
        """``ph · pw · C'``: the map's channels any bin reads (the first ones)."""
        return self.groups * self.out_channels

    def follows(self, channel: int) -> int | None:
        """The output channel ``c'`` that map channel ``channel`` is followed through; ``None`` if no bin reads it."""
        c = int(channel) // self.groups
        return c if 0 <= int(channel) and c < self.out_channels else None

    def read_channel(self, channel: int, i: int, j: int) -> int | None:
        """The map channel that bin ``(i, j)`` reads for the output channel map ``channel`` is followed through."""
        c = self.follows(channel)
        return None if c is None else group_channel(c, i, j, self.output_size)

    def details(self) -> dict:
        """RoIAlign's numbers, and the groups: ``C'``, the channels read, the real ``C' x ph x pw`` output."""
        return {**super().details(),
                "position_sensitive": {"groups": self.groups, "out_channels": self.out_channels,
                                       "map_channels": self.map_channels, "channels_used": self.channels_used,
                                       "scores": self.scores.tolist()}}


def ps_align_trace(feature_map, roi: Sequence[float], *, stride: float,
                   output_size: int | tuple[int, int] = (3, 3), sampling_ratio: int = -1,
                   method: str = "psroi") -> PSAlignTrace:
    """Position-sensitive RoIAlign on the map's first ``ph · pw · C'`` channels, as a :class:`PSAlignTrace`.

    Args:
        feature_map: ``C x H x W``; any ``C`` (the channels past ``ph · pw · floor(C / (ph · pw))`` are unread).
        roi: ``(x, y, w, h)`` in input pixels.
        method: the record's key, kept in the trace (figures look its record up by it).
    """
    fm = as_numpy_map(feature_map)
    ph, pw = g.check_output_size(output_size)
    k2 = ph * pw
    cout = fm.shape[0] // k2
    full = roi_align(fm, roi, stride=stride, output_size=(ph, pw), sampling_ratio=sampling_ratio, aligned=True)
    C = fm.shape[0]
    n = full.sample_values.shape[-1]
    output = np.zeros((C, ph, pw), dtype=full.output.dtype)
    values = np.zeros((C, ph, pw, n), dtype=full.sample_values.dtype)
    scores = np.zeros((cout, ph, pw), dtype=full.output.dtype)
    for i in range(ph):
        for j in range(pw):
            read = [group_channel(c, i, j, (ph, pw)) for c in range(cout)]
            scores[:, i, j] = full.output[read, i, j]
            for c in range(cout):  # every map channel of output channel c's groups is followed through c
                output[c * k2:(c + 1) * k2, i, j] = full.output[read[c], i, j]
                values[c * k2:(c + 1) * k2, i, j] = full.sample_values[read[c], i, j]
    kept = {f: getattr(full, f) for f in full.__dataclass_fields__ if f not in ("output", "sample_values", "method")}
    return PSAlignTrace(**kept, method=method, output=output, sample_values=values, scores=scores, map_channels=C)

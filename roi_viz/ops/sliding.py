"""Slide the box by fractions of a cell and watch one output value.

The article's point in one experiment: move the RoI right (or down) a little at
a time, from 0 to 1 cell, and record one output value (one channel, one bin)
and the coverage. RoI pooling's value stands still and then jumps, because the
snapped box only changes when an edge crosses a cell boundary; RoIAlign and
Precise RoI Pooling follow the box smoothly.

Only the chosen channel is pooled, so a slide of a hundred positions through
all four methods costs a few milliseconds.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from typing import Callable, Mapping

from . import geometry as g
from .maps import as_numpy_map

AXES = ("x", "y")


@dataclass(frozen=True)
class Slide:
    """Values and coverage of every method along one slide. Offsets are in cells."""

    axis: str
    offsets: np.ndarray  # cells moved, 0 .. distance
    stride: float
    channel: int
    bin: tuple[int, int]
    values: dict  # method -> array like offsets
    coverage: dict  # method -> array like offsets, in [0, 1]

    def jumps(self, method: str, tol: float = 1e-6) -> int:
        """How many times the value changes between neighbouring positions."""
        return int((np.abs(np.diff(self.values[method])) > tol).sum())

    def largest_step(self, method: str) -> float:
        """The largest change between two neighbouring positions."""
        return float(np.abs(np.diff(self.values[method])).max(initial=0.0))

    def spread(self, method: str) -> float:
        v = self.values[method]
        return float(v.max() - v.min())


def slide_roi(
    feature_map,
    roi,
    runs: Mapping[str, Callable],
    *,
    stride: float,
    output_size: tuple[int, int],
    channel: int,
    bin: tuple[int, int] = (0, 0),
    axis: str = "x",
    distance: float = 1.0,
    steps: int = 61,
) -> Slide:
    """Move ``roi`` by ``0 .. distance`` cells along ``axis`` in ``steps`` positions.

    Args:
        feature_map: ``C x H x W``.
        roi: ``(x, y, w, h)`` in input pixels: the starting position.
        runs: method key -> ``run(feature_map, roi)`` returning a trace with
            ``output`` and ``coverage`` (each method with its options bound); a run
            with ``reads_other_channels`` set is given the whole map (a position-
            sensitive bin reads another channel than the one followed), the others
            the followed channel alone.
        stride: image pixels per cell; the box moves in cells.
        output_size: ``(ph, pw)`` of every method's output.
        channel: the channel whose value is followed.
        bin: ``(i, j)``, the output bin whose value is followed.
        axis: ``"x"`` (move right) or ``"y"`` (move down).
    """
    fm = as_numpy_map(feature_map)
    box = g.check_roi(roi)
    if axis not in AXES:
        raise ValueError(f"The box slides along 'x' or 'y'; got {axis!r}.")
    if not 0 <= channel < fm.shape[0]:
        raise ValueError(f"The channel must be between 0 and {fm.shape[0] - 1}; got {channel}.")
    ph, pw = g.check_output_size(output_size)
    stride = g.check_stride(stride)
    i, j = bin
    if not (0 <= i < ph and 0 <= j < pw):
        raise ValueError(f"The bin must be inside the {ph} x {pw} output; got ({i}, {j}).")
    one = fm[channel : channel + 1]
    offsets = np.linspace(0.0, distance, steps)
    values = {m: np.zeros(steps) for m in runs}
    coverage = {m: np.zeros(steps) for m in runs}
    for k, off in enumerate(offsets):
        dx, dy = (off * stride, 0.0) if axis == "x" else (0.0, off * stride)
        moved = (box[0] + dx, box[1] + dy, box[2], box[3])
        for m, run in runs.items():
            # A position-sensitive bin reads another channel than the one followed: such a run gets the whole map.
            whole = getattr(run, "reads_other_channels", False)
            trace = run(fm if whole else one, moved)
            values[m][k] = trace.output[channel if whole else 0, i, j]
            coverage[m][k] = trace.coverage
    return Slide(axis, offsets, float(stride), int(channel), (int(i), int(j)), values, coverage)

"""What the gradient reaches: the backward pass through each pooling, by the map and by the box.

Take a loss ``L = sum(weights * output)`` (``weights`` is ``C x ph x pw``; all ones
by default, or one bin of one channel with :func:`one_hot`). Two derivatives of it:

- by the **feature map** (:func:`feature_gradient`, ``C x H x W``): where the
  gradient lands, so through which cells it can pass on to the weights that
  computed them (a cell is an activation: it does not learn, the weights do);
- by the **box** (:func:`box_gradient`): how the loss changes when a corner
  ``(x1, y1, x2, y2)`` moves by one input pixel: the operator's own mathematics.
  Fast, Faster and Mask R-CNN never use it (their proposals are constants and
  torchvision's ``roi_pool``/``roi_align`` return no gradient for the boxes; a
  separate regression head corrects the box), but it says whether a box *could*
  be moved through the pooling at all.

Every number is read off the forward traces of :mod:`roi_viz.ops`, so each can be
shown and explained:

=========  ===================================  =========================================
method     by the map                           by the box
=========  ===================================  =========================================
``pool``   each bin's weight to its arg-max     0: the output is flat between jumps,
           cell alone (nothing for an empty     undefined at a jump (an edge snaps
           bin)                                 to the next cell)
``align``  each point's share to its four       the bilinear surface's slope at each
           cells, bilinear weights              point times the point's motion; kinks
                                                where a point crosses a cell centre
``warp``   as ``align``, on the snapped cells   exactly as ``pool`` (the box is snapped
                                                first); MNC's layer back-propagates a
                                                surrogate instead (:func:`warp_surrogate`)
``prroi``  the bin's weight map (exact          the exact integral differentiated by its
           integral, divided by the area)       limits and by the bin's area: continuous
=========  ===================================  =========================================

Conventions: corners are in input pixels, ``(x1, y1, x2, y2) = (x, y, x + w, y + h)``
for an RoI ``(x, y, w, h)``; derivatives are per input pixel. A *left* value is
the one-sided derivative as the corner comes from smaller values, a *right*
value from larger ones. NumPy only, like :mod:`roi_viz.ops`.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from ..ops import geometry as g
from ..ops.maps import VALUE_TO_CELL, as_numpy_map, bilinear_weights
from ..ops.prroi import PrRoITrace
from ..ops.roialign import AlignTrace
from ..ops.roipool import PoolTrace

CORNERS = ("x1", "y1", "x2", "y2")
# A corner counts as *on* a jump or a kink when it is this close to one, relative to its size:
# float64 box arithmetic is good to ~1e-15, and no slider or drag lands closer than this by chance.
_NUDGE = 1e-9
_SAME = 1e-9  # relative tolerance under which a left and a right derivative are one number


# ----------------------------------------------------------------------- checks
def _record(method: str):
    """The method's record: its traits answer every "which method?" (roi_viz.methods is pure)."""
    from ..methods import method as record

    return record(method)


def _check_method(method: str) -> str:
    from ..methods import METHODS

    if method not in METHODS:
        raise ValueError(f"The method must be one of {', '.join(METHODS)}; got {method!r}.")
    if _record(method).forward is None:
        raise ValueError(f"{_record(method).name} has no backward pass here: its record names no forward function.")
    return method


def options_of(method: str) -> tuple[str, ...]:
    """The forward function's own keyword arguments for ``method`` (its record's ``forward_options``)."""
    return _record(_check_method(method)).option_names()


def _forward(method: str):
    """``(feature_map, roi, *, stride, output_size, **options) -> trace``: the method's op, from its record."""
    return _record(method).forward


def _check_options(method: str, options: dict) -> dict:
    names = options_of(method)
    unknown = sorted(set(options) - set(names))
    if unknown:
        raise ValueError(f"The method {method!r} takes the options {', '.join(names)}; "
                         f"{', '.join(unknown)} is not one of them.")
    return options


def _check_inside(roi: g.Box, stride: float, map_size: tuple[int, int]) -> None:
    """A box that misses the map entirely has nothing to send a gradient to."""
    x, y, w, h = g.project(roi, stride)
    H, W = map_size
    if x >= W or y >= H or x + w <= 0 or y + h <= 0:
        raise ValueError(
            f"The box {tuple(round(v, 3) for v in roi)} lies outside the {H} x {W} feature map "
            f"(stride {stride:g}): move it onto the image."
        )


def _check_weights(weights, shape: tuple[int, int, int]) -> np.ndarray:
    if weights is None:
        return np.ones(shape)
    try:
        w = np.asarray(weights, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError("The weights must be numbers, one per output value.") from None
    if w.shape != shape:
        raise ValueError(
            f"The weights must have the output's shape {shape} (channels x rows x columns); got {w.shape}."
        )
    if not np.isfinite(w).all():
        raise ValueError("The weights contain NaN or infinity.")
    return w


def one_hot(channels: int, output_size, channel: int, bin: tuple[int, int]) -> np.ndarray:
    """``C x ph x pw`` weights that pick one output value: the loss is that value alone."""
    ph, pw = g.check_output_size(output_size)
    if not (isinstance(channel, (int, np.integer)) and 0 <= channel < channels):
        raise ValueError(f"The channel must be between 0 and {channels - 1}; got {channel!r}.")
    try:
        i, j = (int(v) for v in bin)
    except (TypeError, ValueError):
        raise ValueError(f"A bin is two numbers (row, column); got {bin!r}.") from None
    if not (0 <= i < ph and 0 <= j < pw):
        raise ValueError(f"There is no bin ({i}, {j}) in a {ph} x {pw} output: rows 0-{ph - 1}, columns 0-{pw - 1}.")
    w = np.zeros((channels, ph, pw))
    w[channel, i, j] = 1.0
    return w


def _prepare(method, feature_map, roi, stride, output_size, weights, options):
    """Checked inputs and the forward trace: ``(map, roi, stride, weights, trace)``."""
    _check_method(method)
    _check_options(method, options)
    fm = as_numpy_map(feature_map)
    box = g.check_roi(roi)
    s = g.check_stride(stride)
    _check_inside(box, s, (int(fm.shape[1]), int(fm.shape[2])))
    trace = _forward(method)(fm, box, stride=s, output_size=output_size, **options)
    w = _check_weights(weights, trace.output.shape)
    return fm, box, s, w, trace


# -------------------------------------------------------------- by the feature map
def feature_gradient(method: str, feature_map, roi: Sequence[float], *, stride: float,
                     output_size=(3, 3), weights=None, **options) -> np.ndarray:
    """The derivative of ``sum(weights * output)`` by every cell of the feature map.

    Args:
        method: a key of :data:`roi_viz.methods.METHODS` whose record has a ``forward``.
        feature_map: ``C x H x W`` NumPy array or torch tensor.
        roi: ``(x, y, w, h)`` in input pixels.
        stride: input pixels per cell.
        output_size: ``(ph, pw)`` or one int.
        weights: ``C x ph x pw``, the loss's derivative by each output value
            (``None``: all ones).
        **options: the forward function's own (``scheme``, ``aligned``,
            ``sampling_ratio``, ``mode``).

    Returns:
        ``C x H x W`` float64; zero at every cell the RoI's output never read.
    """
    fm, _, _, w, trace = _prepare(method, feature_map, roi, stride, output_size, weights, options)
    grad = np.zeros(fm.shape, dtype=np.float64)
    if isinstance(trace, PoolTrace):
        _pool_feature_gradient(trace, w, grad)
    elif isinstance(trace, AlignTrace):
        _points_feature_gradient(trace, w, grad)
    else:
        _prroi_feature_gradient(trace, w, grad)
    return grad


def _pool_feature_gradient(trace: PoolTrace, w: np.ndarray, grad: np.ndarray) -> None:
    # Max pooling is a switch: only the arg-max cell was read, so only it learns.
    # add.at, not +=: one cell can be the arg-max of several bins and receives each share.
    C, H, W = grad.shape
    c, i, j = np.nonzero(trace.argmax >= 0)  # an empty bin (-1) read nothing and sends nothing
    flat = grad.reshape(C, H * W)
    np.add.at(flat, (c, trace.argmax[c, i, j]), w[c, i, j])


def _points_feature_gradient(trace: AlignTrace, w: np.ndarray, grad: np.ndarray) -> None:
    n = trace.points_per_bin
    if n == 0:
        return
    C = grad.shape[0]
    # The same four cells and weights as trace.neighbours(i, j, k), for every point at once.
    y = trace.samples[..., 0] - VALUE_TO_CELL
    x = trace.samples[..., 1] - VALUE_TO_CELL
    rows, cols, bw, _ = bilinear_weights(y, x, *trace.map_size)  # ph x pw x n x 4
    if trace.mode == "avg":
        share = np.broadcast_to(w[..., None] / n, trace.sample_values.shape)  # C x ph x pw x n
    else:  # max: the bin's value is one point's, so that point alone passes the gradient on
        best = trace.sample_values.argmax(axis=-1)  # first point on ties
        share = np.zeros(trace.sample_values.shape)
        np.put_along_axis(share, best[..., None], w[..., None], axis=-1)
    per_cell = share[..., None] * bw[None]  # C x ph x pw x n x 4
    cells = rows * trace.map_size[1] + cols
    flat = grad.reshape(C, -1)
    for c in range(C):
        flat[c] += np.bincount(cells.ravel(), per_cell[c].ravel(), minlength=flat.shape[1])


def _prroi_feature_gradient(trace: PrRoITrace, w: np.ndarray, grad: np.ndarray) -> None:
    if trace.bin_area <= 0:
        return
    # output[c,i,j] = row_weights[i] @ F[c] @ col_weights[j] / area is linear in F:
    # its derivative is the weight map of bin (i, j), weighted by w[c, i, j].
    grad += np.einsum("cij,ih,jw->chw", w, trace.row_weights, trace.col_weights, optimize=True) / trace.bin_area


def share_reached(gradient: np.ndarray, roi: Sequence[float], *, stride: float, channel: int | None = None) -> float:
    """Share of the cells the RoI touches (even partly) whose gradient is not zero, in [0, 1].

    ``channel=None`` counts a cell if any channel's gradient reaches it.
    """
    grad = np.asarray(gradient)
    if grad.ndim != 3:
        raise ValueError(f"The gradient must be C x H x W; got shape {grad.shape}.")
    if channel is not None and not 0 <= channel < grad.shape[0]:
        raise ValueError(f"The channel must be between 0 and {grad.shape[0] - 1}; got {channel}.")
    r0, r1, c0, c1 = g.touched_span(g.project(g.check_roi(roi), g.check_stride(stride)), grad.shape[1:])
    cells = (r1 - r0) * (c1 - c0)
    if cells <= 0:
        return 0.0
    part = grad[:, r0:r1, c0:c1] if channel is None else grad[channel : channel + 1, r0:r1, c0:c1]
    return float((np.abs(part) > 0).any(axis=0).sum() / cells)


# ----------------------------------------------------------------------- by the box
@dataclass(frozen=True)
class BoxGradient:
    """The loss's derivative by the corners ``(x1, y1, x2, y2)``, per input pixel.

    ``value[k]`` is ``None`` where the derivative does not exist: at a jump of the
    loss (``jump[k]``, the loss on the right minus on the left, is then not 0) or
    at a kink (``left[k] != right[k]``). ``left`` and ``right`` are the one-sided
    derivatives, equal to ``value`` where it exists. ``surrogate`` (RoIWarp only,
    else ``None``) is what MNC's layer back-propagates instead: :func:`warp_surrogate`.
    """

    method: str
    value: tuple  # 4 x (float | None)
    left: tuple  # 4 floats
    right: tuple  # 4 floats
    jump: tuple  # 4 floats: the step of the loss at this position, 0.0 where it is continuous
    words: str
    surrogate: tuple | None = None  # 4 floats: RoIWarp's back-propagated stand-in, ignoring the rounding

    @property
    def defined(self) -> tuple[bool, ...]:
        return tuple(v is not None for v in self.value)


def box_gradient(method: str, feature_map, roi: Sequence[float], *, stride: float,
                 output_size=(3, 3), weights=None, **options) -> BoxGradient:
    """The derivative of ``sum(weights * output)`` by each corner of the box, per input pixel.

    Args are those of :func:`feature_gradient`. Returns a :class:`BoxGradient`.
    """
    fm, box, s, w, trace = _prepare(method, feature_map, roi, stride, output_size, weights, options)
    if isinstance(trace, PrRoITrace):  # smooth: one gradient, no sides to tell apart
        grad = tuple(float(v) for v in _prroi_box_gradient(trace, fm, w))
        left, right, jump = grad, grad, (0.0,) * 4
    else:
        sides = [_directional(method, fm, box, s, w, trace, options, e) for e in np.eye(4)]
        left, right, jump = (tuple(float(d[k]) for d in sides) for k in range(3))
    value = tuple(_one_value(lo, hi, j) for lo, hi, j in zip(left, right, jump))
    # The surrogate reads the sampling points of the snapped box: only a record that has one asks for it.
    surrogate = _warp_surrogate(fm, s, w, trace) if _record(method).surrogate else None
    return BoxGradient(method, value, left, right, jump, _words(method, trace, value, left, right, jump, surrogate),
                       surrogate)


def warp_surrogate(feature_map, roi: Sequence[float], *, stride: float, output_size=(3, 3), weights=None,
                   method: str | None = None, **options) -> tuple[float, float, float, float]:
    """What RoIWarp's layer in MNC (Dai et al., 2016) back-propagates to the corners, per input pixel.

    The exact derivative of RoIWarp's forward pass is 0 between jumps (the box is
    snapped to whole cells first). MNC's layer ignores the rounding: it lets the
    snapped box move with the box, pixel for pixel, and passes back the slope of
    the bilinear surface at each sampling point (the winning point for the
    maximum) times that point's motion. That is RoIAlign's derivative, with the
    aligned rule, at the box RoIWarp samples (the snapped cells, cut to the map),
    its grid of points held fixed. On a cell centre, where the surface has a kink,
    the slope towards larger coordinates is taken, as a kernel that floors the
    point's coordinate does. Args are those of :func:`box_gradient`; ``method`` is a key whose record has
    a surrogate (``None``: the first such record, RoIWarp).
    """
    if method is None:
        from ..methods import METHODS

        method = next(k for k, m in METHODS.items() if m.surrogate)
    if not _record(method).surrogate:
        raise ValueError(f"{_record(method).name} has no surrogate gradient by the box.")
    fm, _, s, w, trace = _prepare(method, feature_map, roi, stride, output_size, weights, options)
    return _warp_surrogate(fm, s, w, trace)


def _warp_surrogate(fm, stride, w, trace: AlignTrace) -> tuple[float, float, float, float]:
    if trace.points_per_bin == 0:
        return (0.0,) * 4
    y = trace.samples[..., 0] - VALUE_TO_CELL
    x = trace.samples[..., 1] - VALUE_TO_CELL
    best = None if trace.mode == "avg" else trace.sample_values.argmax(axis=-1)  # the first on ties, as a kernel's `>`
    out = []
    for direction in np.eye(4):
        dv = _point_derivative(fm, trace, stride, x, y, direction, 1)
        if best is None:
            d_out = dv.mean(axis=-1)
        else:
            d_out = np.take_along_axis(dv, best[..., None], axis=-1)[..., 0]
        out.append(float((w * d_out).sum()))
    return tuple(out)


def _point_derivative(fm, trace: AlignTrace, stride: float, x, y, direction, side: int) -> np.ndarray:
    """``C x ph x pw x n``: each point's value's one-sided derivative as the corners move along ``direction``.

    ``x``, ``y`` are the points in value coordinates; ``side`` +1 or -1 says which way they move.
    """
    ph, pw = trace.output_size
    gh, gw = trace.grid
    scale = 1.0 / stride
    d1x, d1y, d2x, d2y = direction
    # Where each point sits inside the box, 0 at the start corner and 1 at the end one.
    ux = ((np.arange(pw)[:, None] + (np.arange(gw)[None, :] + 0.5) / gw) / pw)  # pw x gw
    uy = ((np.arange(ph)[:, None] + (np.arange(gh)[None, :] + 0.5) / gh) / ph)  # ph x gh
    ux = np.broadcast_to(ux[None, :, None, :], (ph, pw, gh, gw)).reshape(ph, pw, gh * gw)
    uy = np.broadcast_to(uy[:, None, :, None], (ph, pw, gh, gw)).reshape(ph, pw, gh * gw)
    mx = scale * _point_motion(trace.projected[2], trace.aligned, ux, d1x, d2x, side)
    my = scale * _point_motion(trace.projected[3], trace.aligned, uy, d1y, d2y, side)
    return (_slopes(fm, y, x, "x", np.full(x.shape, side)) * mx
            + _slopes(fm, y, x, "y", np.full(x.shape, side)) * my)


def _one_value(left: float, right: float, jump: float) -> float | None:
    if jump != 0.0 or abs(left - right) > _SAME * (1.0 + abs(left) + abs(right)):
        return None
    return 0.5 * (left + right)


def _moved(box: g.Box, direction: np.ndarray, t: float) -> g.Box:
    """The RoI with its corners moved by ``t * direction`` pixels."""
    x1, y1, x2, y2 = np.array([box[0], box[1], box[0] + box[2], box[1] + box[3]]) + t * direction
    return float(x1), float(y1), float(x2 - x1), float(y2 - y1)


def _nudge(box: g.Box, stride: float) -> float:
    return _NUDGE * max(stride, abs(box[0]) + box[2], abs(box[1]) + box[3])


def _loss(method, fm, box, stride, w, options, size) -> float:
    return float((_forward(method)(fm, box, stride=stride, output_size=size, **options).output * w).sum())


def _directional(method, fm, box, stride, w, trace, options, direction) -> tuple[float, float, float]:
    """``(left, right, jump)`` of the loss along ``direction`` (a non-negative 4-vector of corner motions)."""
    if isinstance(trace, PrRoITrace):
        d = float(_prroi_box_gradient(trace, fm, w) @ direction)
        return d, d, 0.0
    eta = _nudge(box, stride)
    if _record(method).snaps_to_cells:
        # The snapped box decides everything, so between jumps nothing moves; a jump is where
        # a tiny move either way snaps differently.
        before, after = (_snapped(method, fm, _moved(box, direction, t), stride, trace.output_size, options)
                         for t in (-eta, eta))
        if before == after:
            return 0.0, 0.0, 0.0
        size = trace.output_size
        step = (_loss(method, fm.astype(np.float64), _moved(box, direction, eta), stride, w, options, size)
                - _loss(method, fm.astype(np.float64), _moved(box, direction, -eta), stride, w, options, size))
        return 0.0, 0.0, step
    return _align_directional(method, fm, box, stride, w, trace, options, direction, eta)


def _snapped(method, fm, box, stride, size, options):
    """What the output of RoI pooling or RoIWarp depends on, besides the map: its cells."""
    scheme = options.get("scheme", "article")
    map_size = (int(fm.shape[1]), int(fm.shape[2]))
    size = g.check_output_size(size)
    # float64 whatever the map: a nudge of 1e-9 must register, and float32 would round it away.
    q = g.quantize(box, stride, scheme, np.float64)
    region = g.span_of_box(*q, map_size)
    if _record(method).samples_points:  # RoIWarp: the snapped region is sampled, not split into cells
        return region
    if scheme == "article":
        return g.article_bins(region, size)[0]
    return g.fastrcnn_bins(q, size, map_size, np.float64)[0]


# RoIAlign ------------------------------------------------------------------------
def _axis_weights(v: np.ndarray, n: int):
    """Along one axis, torchvision's two lattice points and weights: ``lo, hi, w_lo, w_hi, valid``."""
    valid = (v >= -1.0) & (v <= n)
    v = np.maximum(v, 0.0)
    lo = np.floor(v).astype(np.int64)
    last = lo >= n - 1
    lo = np.where(last, n - 1, lo)
    hi = np.where(last, n - 1, lo + 1)
    frac = np.where(last, 0.0, v - lo)
    return lo, hi, 1.0 - frac, frac, valid


def _side_cell(v: np.ndarray, n: int, side: int):
    """The lattice interval a point enters when it moves a little to ``side`` (+1 or -1).

    Returns ``(lo, inside)``: the surface's slope there is ``f[lo + 1] - f[lo]`` when
    ``inside``; elsewhere (the clamped margins, past the map) the surface is flat.
    """
    if side > 0:
        lo, inside = np.floor(v), (v >= 0) & (v < n - 1)
    else:
        lo, inside = np.ceil(v) - 1, (v > 0) & (v <= n - 1)
    return np.clip(lo, 0, max(n - 2, 0)).astype(np.int64), inside


def _slopes(fm: np.ndarray, y: np.ndarray, x: np.ndarray, axis: str, side: np.ndarray) -> np.ndarray:
    """``C x ...``: the bilinear surface's one-sided slope along ``axis`` at points ``(y, x)``."""
    H, W = fm.shape[1:]
    along, across, n_along, n_across = (x, y, W, H) if axis == "x" else (y, x, H, W)
    lo_a, hi_a, w_lo, w_hi, valid = _axis_weights(across, n_across)
    lo_r, in_r = _side_cell(along, n_along, 1)
    lo_l, in_l = _side_cell(along, n_along, -1)
    lo = np.where(side > 0, lo_r, lo_l)
    inside = np.where(side > 0, in_r, in_l) & valid
    hi = np.minimum(lo + 1, n_along - 1)

    def at(a, b):  # the map at (across index a, along index b)
        return fm[:, a, b] if axis == "x" else fm[:, b, a]

    slope = w_lo * (at(lo_a, hi) - at(lo_a, lo)) + w_hi * (at(hi_a, hi) - at(hi_a, lo))
    return slope * inside


def _align_directional(method, fm, box, stride, w, trace: AlignTrace, options, direction, eta):
    """One-sided derivatives of RoIAlign's loss along ``direction``, and the jump if there is one."""
    ph, pw = trace.output_size
    gh, gw = trace.grid
    if gh * gw == 0:
        return 0.0, 0.0, 0.0
    d1x, d1y, d2x, d2y = direction
    y = trace.samples[..., 0] - VALUE_TO_CELL
    x = trace.samples[..., 1] - VALUE_TO_CELL
    H, W = trace.map_size
    results = {}
    for side in (-1, 1):
        # Corners only move forward here, so each point moves to `side` (or stands still).
        dv = _point_derivative(fm, trace, stride, x, y, direction, side)  # C x ph x pw x n
        if trace.mode == "avg":
            d_out = dv.mean(axis=-1)
        else:  # the max of tied points: the one that grows fastest to that side wins
            vals = trace.sample_values
            tied = vals == vals.max(axis=-1, keepdims=True)
            d_out = np.where(tied, dv, -np.inf if side > 0 else np.inf)
            d_out = d_out.max(axis=-1) if side > 0 else d_out.min(axis=-1)
        results[side] = float((w * d_out).sum())
    # Two ways the loss itself steps: a point leaving the map's margin (the surface drops to 0
    # past one cell beyond the edge), and the adaptive grid gaining a point as the box grows
    # (on one side of a whole-number bin size; which side depends on the corner).
    on_edge = ((np.isin(x, (-1.0, float(W))).any() and (d1x or d2x))
               or (np.isin(y, (-1.0, float(H))).any() and (d1y or d2y)))
    grows = trace.sampling_ratio <= 0 and (
        (d2x != d1x and _whole(trace.box[2] / pw)) or (d2y != d1y and _whole(trace.box[3] / ph)))
    if on_edge or grows:
        f64 = fm.astype(np.float64)
        step = (_loss(method, f64, _moved(box, direction, eta), stride, w, options, trace.output_size)
                - _loss(method, f64, _moved(box, direction, -eta), stride, w, options, trace.output_size))
        if abs(step) > 1e3 * eta * (abs(results[-1]) + abs(results[1]) + 1e-12):
            return results[-1], results[1], step
    return results[-1], results[1], 0.0


def _whole(v: float) -> bool:
    return v > 0 and abs(v - round(v)) <= _SAME * max(1.0, v)


def _point_motion(raw_size: float, aligned: bool, u: np.ndarray, d_start: float, d_end: float, side: int):
    """How far a point moves (in cells per cell of corner motion) along one axis.

    A point at fraction ``u`` of the box follows ``(1 - u) * start + u * end``. The
    legacy rule (``aligned=False``) never lets the box be narrower than one cell:
    while it is clamped the size is fixed and every point moves with the start corner.
    """
    if not aligned:
        grows = side * (d_end - d_start)
        at_one = abs(raw_size - 1.0) <= _SAME
        if raw_size < 1.0 - _SAME or (at_one and grows < 0):
            return np.full(u.shape, float(d_start))
    return (1.0 - u) * d_start + u * d_end


# Precise RoI Pooling -------------------------------------------------------------
def _hat(t: np.ndarray) -> np.ndarray:
    return np.maximum(0.0, 1.0 - np.abs(t))


def _prroi_box_gradient(trace: PrRoITrace, fm: np.ndarray, w: np.ndarray) -> np.ndarray:
    """``dL/d(x1, y1, x2, y2)`` for PrRoI, per input pixel (Jiang et al., 2018, eq. for the bin's limits).

    A bin's value is ``S / A``: the integral ``S`` of the surface over the bin over its
    area ``A``. The integral's derivative by one of its limits is the surface
    integrated along that edge (the hat weights at the edge: the fundamental theorem
    of calculus), and ``A`` changes with the box's size, so
    ``d(S/A) = dS / A - (S/A) dA / A``. Each bin's edges move with the corners:
    edge ``k`` of ``p`` sits at ``start + k/p * size``.
    """
    ph, pw = trace.output_size
    H, W = trace.map_size
    A = trace.bin_area
    if A <= 0:
        return np.zeros(4)
    s = trace.stride
    bh, bw = trace.bin_size
    F = fm.astype(np.float64)
    ry, rx = trace.row_edges - VALUE_TO_CELL, trace.col_edges - VALUE_TO_CELL  # value coordinates
    hat_y = _hat(ry[:, None] - np.arange(H)[None, :])  # (ph+1) x H: the surface's row weights on each edge
    hat_x = _hat(rx[:, None] - np.arange(W)[None, :])  # (pw+1) x W
    out = np.einsum("ih,chw,jw->cij", trace.row_weights, F, trace.col_weights, optimize=True) / A
    # The integral along edge x = rx[k] over bin row i, and along y = ry[k] over bin column j.
    along_x = np.einsum("ih,chw,kw->cik", trace.row_weights, F, hat_x, optimize=True)  # C x ph x (pw+1)
    along_y = np.einsum("kh,chw,jw->ckj", hat_y, F, trace.col_weights, optimize=True)  # C x (ph+1) x pw
    kx, ky = np.arange(pw + 1) / pw, np.arange(ph + 1) / ph  # where each edge sits in the box
    grad = np.zeros(4)
    for corner, (frac, along, n, size, area_sign) in enumerate(
        [(1 - kx, along_x, pw, bw, -1), (1 - ky, along_y, ph, bh, -1), (kx, along_x, pw, bw, 1), (ky, along_y, ph, bh, 1)]
    ):
        is_x = corner in (0, 2)
        edge_move = frac / s  # cells each edge moves per pixel of this corner
        if is_x:
            dS = along[:, :, 1:] * edge_move[1:] - along[:, :, :-1] * edge_move[:-1]  # C x ph x pw
        else:
            dS = along[:, 1:, :] * edge_move[1:, None] - along[:, :-1, :] * edge_move[:-1, None]
        dA = area_sign * (bh if is_x else bw) / (n * s)  # the bin's area per pixel of this corner
        grad[corner] = float((w * (dS / A - out * dA / A)).sum())
    return grad


# ----------------------------------------------------------------------- words
def _fmt(v: float) -> str:
    return f"{v:+.4g}"


def _words(method, trace, value, left, right, jump, surrogate=None) -> str:
    undefined = [k for k in range(4) if value[k] is None]
    rec = _record(method)
    if rec.snaps_to_cells:
        name = rec.name
        text = (f"{name} snaps the box to whole cells first, so its output stands still while a corner moves "
                "less than the way to the next snapping boundary: between jumps the exact derivative by every "
                "corner is 0.")
        jumps = [f"{CORNERS[k]} sits on a jump (the loss steps by {_fmt(jump[k])} as it crosses), so its "
                 "derivative is undefined there" for k in undefined]
        text += (" " + "; ".join(jumps) + "." if jumps else "")
        if surrogate is not None:
            text += (" MNC's RoIWarp layer back-propagates a surrogate instead, so that a gradient does reach the "
                     "box: the bilinear slope at the sampling points, as if the snapped box moved with the box "
                     "(the rounding ignored): " + ", ".join(f"{CORNERS[k]} {_fmt(surrogate[k])}" for k in range(4))
                     + ".")
        return text
    if rec.samples_points:
        known = ", ".join(f"{CORNERS[k]} {_fmt(value[k])}" for k in range(4) if value[k] is not None)
        text = ("Every sampling point moves with the corners (a point a fraction u across the box moves 1 − u "
                "pixels with the start corner and u with the end one), so the derivative is the bilinear "
                "surface's slope at each point times that motion" + (f": {known}." if known else "."))
        for k in undefined:
            if jump[k] != 0.0:
                text += (f" At {CORNERS[k]} the loss steps by {_fmt(jump[k])} (a point leaves the map's margin "
                         "or the adaptive grid gains a point), so the derivative is undefined there.")
            else:
                text += (f" At {CORNERS[k]} a point sits on a cell centre, a kink of the surface: the derivative is "
                         f"{_fmt(left[k])} from the left and {_fmt(right[k])} from the right.")
        return text
    return ("Precise RoI Pooling integrates the surface over each bin exactly, so moving a corner moves the "
            "bins' edges smoothly: the derivative is the surface integrated along each moving edge, less the "
            "value times the change of the bin's area, and it is continuous in the box: "
            + ", ".join(f"{CORNERS[k]} {_fmt(value[k])}" for k in range(4)) + ".")


# ------------------------------------------------------------- along a slide
@dataclass(frozen=True)
class DerivativeSlide:
    """One output value and its derivative by the box's position as the box slides.

    ``offsets`` are in cells (0 .. distance); ``values`` the output there;
    ``derivative`` per input pixel of the whole box's move, NaN where undefined
    (``defined`` False); ``left``/``right`` the one-sided ones. ``jumps`` lists
    ``(offset, step)`` where the value steps (RoI pooling, RoIWarp), ``kinks`` the
    offsets where a sampling point of the bin crosses a cell centre (RoIAlign).
    """

    method: str
    axis: str
    stride: float
    channel: int
    bin: tuple[int, int]
    offsets: np.ndarray
    values: np.ndarray
    derivative: np.ndarray
    left: np.ndarray
    right: np.ndarray
    defined: np.ndarray
    jumps: tuple
    kinks: tuple


def derivative_along_slide(method: str, feature_map, roi: Sequence[float], *, stride: float,
                           output_size=(3, 3), channel: int = 0, bin: tuple[int, int] = (0, 0),
                           axis: str = "x", distance: float = 1.0, steps: int = 61,
                           **options) -> DerivativeSlide:
    """Slide ``roi`` by ``0 .. distance`` cells along ``axis``; follow one output value and its derivative.

    The derivative is by the box's position (both corners of that axis together),
    per input pixel, as in :func:`roi_viz.ops.sliding.slide_roi`. Only the chosen
    channel is computed.
    """
    _check_method(method)
    _check_options(method, options)
    fm = as_numpy_map(feature_map)
    if axis not in ("x", "y"):
        raise ValueError(f"The box slides along 'x' or 'y'; got {axis!r}.")
    if not (isinstance(steps, (int, np.integer)) and 2 <= steps <= 2001):
        raise ValueError(f"The number of positions must be a whole number from 2 to 2001; got {steps!r}.")
    if not (math.isfinite(distance) and distance > 0):
        raise ValueError(f"The distance must be a positive number of cells; got {distance!r}.")
    w = one_hot(fm.shape[0], output_size, channel, bin)[channel : channel + 1]
    one = fm[channel : channel + 1]
    box = g.check_roi(roi)
    s = g.check_stride(stride)
    size = g.check_output_size(output_size)
    direction = np.array([1.0, 0, 1.0, 0]) if axis == "x" else np.array([0, 1.0, 0, 1.0])
    offsets = np.linspace(0.0, float(distance), int(steps))
    n = len(offsets)
    values, left, right, step = (np.zeros(n) for _ in range(4))
    for k, off in enumerate(offsets):
        moved = _moved(box, direction, off * s)
        _check_inside(moved, s, (int(fm.shape[1]), int(fm.shape[2])))
        trace = _forward(method)(one, moved, stride=s, output_size=size, **options)
        values[k] = float((trace.output * w).sum())
        left[k], right[k], step[k] = _directional(method, one, moved, s, w, trace, options, direction)
    defined = np.array([_one_value(a, b, j) is not None for a, b, j in zip(left, right, step)])
    derivative = np.where(defined, 0.5 * (left + right), np.nan)
    jumps: tuple = ()
    kinks: tuple = ()
    if _record(method).snaps_to_cells:
        jumps = tuple(_find_jumps(method, one, box, s, size, w, options, direction, offsets))
    elif _record(method).samples_points:
        kinks = _align_kinks(method, one, box, s, size, options, bin, axis, offsets)
    return DerivativeSlide(method, axis, s, int(channel), tuple(int(v) for v in bin), offsets, values,
                           derivative, left, right, defined, jumps, kinks)


def _find_jumps(method, fm, box, s, size, w, options, direction, offsets):
    """``(offset, step)`` of every place between two positions where the snapped box changes."""
    def snap(off):
        return _snapped(method, fm, _moved(box, direction, off * s), s, size, options)

    f64 = fm.astype(np.float64)
    found = []
    for a, b in zip(offsets[:-1], offsets[1:]):
        if snap(a) == snap(b):
            continue
        lo, hi = a, b
        for _ in range(60):  # bisection to float precision: the snapping rule has no closed form here
            mid = 0.5 * (lo + hi)
            if mid in (lo, hi):
                break
            if snap(mid) == snap(lo):
                lo = mid
            else:
                hi = mid
        step = (_loss(method, f64, _moved(box, direction, hi * s), s, w, options, size)
                - _loss(method, f64, _moved(box, direction, lo * s), s, w, options, size))
        if step != 0.0:  # the snapped cells changed, but not the cells this loss reads
            found.append((float(hi), float(step)))
    return found


def _align_kinks(method, fm, box, s, size, options, bin, axis, offsets) -> tuple:
    """Offsets where one of the bin's points crosses a cell centre (an integer value coordinate)."""
    start = _forward(method)(fm, box, stride=s, output_size=size, **options)
    i, j = bin
    pts = start.samples[i, j, :, 1 if axis == "x" else 0] - VALUE_TO_CELL
    n = start.map_size[1 if axis == "x" else 0]
    lo, hi = offsets[0], offsets[-1]
    # The whole box moves, so every point moves by exactly the offset (in cells).
    kinks = {float(c - p) for p in pts for c in range(max(n - 1, 0) + 1) if lo <= c - p <= hi}
    return tuple(sorted(kinks))

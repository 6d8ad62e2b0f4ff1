"""What one cell of the feature map really sees: its receptive field.

The article says a cell "loosely translates to 32 x 32 x 3 on the original
image, but please do not use that reference". This module gives the right
reference, in two senses:

- the **theoretical** field: every input pixel that can change the cell at
  all. It is computed here, not typed in, by walking the layers of
  torchvision's VGG16 ``features`` as in Araujo, Norris & Sim, *Computing
  receptive fields of convolutional neural networks* (Distill, 2019);
- the **effective** field: how much each of those pixels actually changes
  the cell, measured by a real backward pass (Luo et al., *Understanding the
  effective receptive field in deep CNNs*, NeurIPS 2016). It is zero outside
  the theoretical field and concentrated near its centre.

Coordinate conventions (as in :mod:`roi_viz.ops.geometry`):

- pixels of the *model input*; a pixel ``(x, y)`` covers ``[x, x+1) x [y, y+1)``;
- the fields are square, so one ``size``, ``stride`` and ``offset`` serve both
  axes: cell ``(r, c)`` depends on input columns
  ``[stride*c + offset, stride*c + offset + size)`` and rows likewise;
- a *pixel span* is ``(x0, y0, x1, y1)``, half-open, **unclipped**: a field
  may reach past the image, where the network sees only zero padding;
- a *cell span* is ``(row0, row1, col0, col1)``, half-open, as in geometry.

The theoretical field needs no weights and no torch beyond reading the
layers' kernel sizes (on the meta device); only
:func:`effective_receptive_field` runs the network.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from ..ops import geometry as g

PixelSpan = tuple[int, int, int, int]  # (x0, y0, x1, y1), half-open, input pixels


# ---------------------------------------------------------------- the theoretical field
@dataclass(frozen=True)
class Field:
    """The receptive field of every cell of one layer (they differ only by a shift).

    ``size``: side of the square field, in input pixels.
    ``stride``: input pixels between the fields of neighbouring cells (the "jump").
    ``offset``: input column of the left edge of cell 0's field; negative when
    the field of the first cell starts in the zero padding.
    """

    layer: str  # "pool5", "conv5_3", ... or "features[:end]" for an end index without a name
    end: int  # the map is ``features[:end](image)``
    size: int
    stride: int
    offset: int

    def span(self, row: int, col: int) -> PixelSpan:
        """The field of cell ``(row, col)``: ``(x0, y0, x1, y1)``, half-open, unclipped."""
        x0, y0 = self.stride * col + self.offset, self.stride * row + self.offset
        return x0, y0, x0 + self.size, y0 + self.size

    def patch(self, row: int, col: int) -> PixelSpan:
        """The ``stride x stride`` square the cell "stands for" on the grid (not what it sees)."""
        return self.stride * col, self.stride * row, self.stride * (col + 1), self.stride * (row + 1)

    def block_span(self, cells: g.Span) -> PixelSpan:
        """Union of the fields of the cells ``(row0, row1, col0, col1)``: one rectangle, unclipped.

        The fields of neighbouring cells overlap (``size > stride``), so the
        union of a block is the rectangle from the first cell's field to the last's.
        """
        r0, r1, c0, c1 = cells
        if r1 <= r0 or c1 <= c0:
            raise ValueError(f"The block of cells {cells} is empty.")
        x0, y0, _, _ = self.span(r0, c0)
        _, _, x1, y1 = self.span(r1 - 1, c1 - 1)
        return x0, y0, x1, y1


def clip(span: PixelSpan, width: int, height: int) -> PixelSpan:
    """The part of a pixel span inside a ``width x height`` image (may be empty: x1 <= x0)."""
    x0, y0, x1, y1 = span
    return max(x0, 0), max(y0, 0), min(x1, width), min(y1, height)


def outside(span: PixelSpan, width: int, height: int) -> tuple[int, int, int, int]:
    """How many pixels the span reaches past each edge of the image: ``(left, top, right, bottom)``."""
    x0, y0, x1, y1 = span
    return max(-x0, 0), max(-y0, 0), max(x1 - width, 0), max(y1 - height, 0)


def cells_read(bin_use: np.ndarray) -> g.Span | None:
    """The cells the pooled output reads (``bin_use > 0`` of a PoolTrace), as one block.

    RoI pooling's bins tile a rectangle (the article's rule drops rows and
    columns only at the bottom and right), so their cells form one block.
    ``None`` when no bin has a cell.
    """
    rows, cols = np.nonzero(np.asarray(bin_use) > 0)
    if rows.size == 0:
        return None
    return int(rows.min()), int(rows.max()) + 1, int(cols.min()), int(cols.max()) + 1


@functools.cache
def _walk() -> tuple[tuple[str | None, int, int, int], ...]:
    """``(name, size, stride, offset)`` after each module of VGG16's ``features``; index = end - 1.

    The recurrence (Araujo et al., eqs. 1-2, with the left edge instead of the
    centre): a layer with kernel ``k``, stride ``s``, padding ``p`` seen
    through a jump ``j`` so far grows the field by ``(k - 1) * j``, moves its
    left edge by ``-p * j`` (padding pixels come first) and multiplies the
    jump by ``s``. A ReLU changes nothing. The stack is built on the meta
    device: only the layers' hyper-parameters are read, no weights exist.
    """
    from torch import nn

    from ..model.vgg import features_stack

    size, jump, left = 1, 1, 0  # before any layer a "cell" is one pixel
    stage, conv = 1, 0
    walked = []
    for module in features_stack(device="meta"):
        name = None
        if isinstance(module, (nn.Conv2d, nn.MaxPool2d)):
            k, s, p = (_side(v) for v in (module.kernel_size, module.stride, module.padding))
            if _side(module.dilation) != 1 or getattr(module, "ceil_mode", False):
                raise NotImplementedError("VGG16 has no dilated convolutions nor ceil-mode pools")
            size, left, jump = size + (k - 1) * jump, left - p * jump, jump * s
            if isinstance(module, nn.Conv2d):
                conv += 1
                name = f"conv{stage}_{conv}"
            else:
                name = f"pool{stage}"
                stage, conv = stage + 1, 0
        elif isinstance(module, nn.ReLU):
            # conv5_3 in this project means conv5_3 and its ReLU (features[:30]): the name moves on.
            prev = walked[-1][0]
            walked[-1] = (None, *walked[-1][1:])
            name = prev
        else:
            raise NotImplementedError(f"unexpected layer in VGG16 features: {module!r}")
        walked.append((name, size, jump, left))
    return tuple(walked)


def _side(v) -> int:
    """Kernel, stride, padding of a square layer: torchvision gives an int or a pair."""
    if isinstance(v, (tuple, list)):
        if len(set(v)) != 1:
            raise NotImplementedError(f"non-square layer parameter {v}")
        v = v[0]
    return int(v)


def layer_names() -> tuple[str, ...]:
    """Every named layer of VGG16's ``features``, input to output: conv1_1, conv1_2, pool1, ..., pool5."""
    return tuple(name for name, *_ in _walk() if name)


def layer_end(layer: str | int) -> int:
    """The end index of a layer: ``features[:end]`` computes it (a conv includes its ReLU)."""
    walked = _walk()
    if isinstance(layer, (int, np.integer)) and not isinstance(layer, bool):
        if not 0 <= layer <= len(walked):
            raise ValueError(f"VGG16's features have {len(walked)} layers; an end index is 0 to {len(walked)}, got {layer}.")
        return int(layer)
    for end, (name, *_) in enumerate(walked, start=1):
        if name == layer:
            return end
    raise ValueError(f"Unknown layer {layer!r}: use one of {', '.join(layer_names())}, or an end index.")


def receptive_field(layer: str | int) -> Field:
    """The theoretical receptive field of the cells of ``layer``.

    Args:
        layer: a name (``"conv1_1"`` ... ``"conv5_3"``, ``"pool1"`` ... ``"pool5"``;
            a conv includes its ReLU) or an end index ``end`` for ``features[:end]``
            (0 is the input itself: a one-pixel field).

    Returns:
        A :class:`Field`; e.g. pool5: size 212, stride 32, offset -90.
    """
    end = layer_end(layer)
    if end == 0:
        return Field("input", 0, 1, 1, 0)
    name, size, stride, offset = _walk()[end - 1]
    if name is None:
        name = f"features[:{end}]"
    return Field(name, end, size, stride, offset)


# ------------------------------------------------------------------ the effective field
def effective_receptive_field(net, image, layer: str | int, cell: tuple[int, int], channel: int | None = None) -> np.ndarray:
    """How strongly each input pixel moves one cell: ``|d cell / d pixel|`` summed over RGB.

    Args:
        net: VGG16's ``features`` (``torchvision.models.vgg16().features`` or
            :func:`roi_viz.model.vgg.features_stack`), any device.
        image: ``1 x 3 x H x W`` tensor, normalised as the network expects.
        layer: where to cut the network (``"pool5"``, ``"conv5_3"``, any name
            of :func:`layer_names`, or an end index).
        cell: ``(row, col)`` of the output cell.
        channel: one channel of that cell, or ``None`` for the sum over channels.

    Returns:
        ``H x W`` float32 NumPy array, non-negative; exactly zero outside the
        theoretical field (clipped to the image).

    Works under ``torch.inference_mode()`` or ``torch.no_grad()``: the
    backward pass turns gradients back on locally. The parameters'
    ``requires_grad`` and ``.grad`` are left as they were (only the input's
    gradient is asked for).
    """
    import torch

    end = layer_end(layer)
    row, col = (int(v) for v in cell)
    if image.dim() != 4 or image.shape[0] != 1:
        raise ValueError(f"The image must be one 1 x 3 x H x W tensor; got shape {tuple(image.shape)}.")
    param = next(net.parameters(), None)
    device = param.device if param is not None else image.device
    # inference_mode(False) first: a tensor made in inference mode cannot join autograd,
    # and enable_grad alone does not leave inference mode.
    with torch.inference_mode(False), torch.enable_grad():
        x = image.detach().to(device).clone().requires_grad_(True)
        out = net[:end](x)
        _, C, H, W = out.shape
        if not (0 <= row < H and 0 <= col < W):
            raise ValueError(f"Cell {(row, col)} is outside the {H} x {W} map of {receptive_field(end).layer}.")
        value = out[0, :, row, col].sum() if channel is None else out[0, int(channel), row, col]
        (grad,) = torch.autograd.grad(value, x)
    return grad[0].abs().sum(dim=0).float().cpu().numpy()


@dataclass(frozen=True)
class Shares:
    """Where the effective field's total lies: shares of the sum of ``|gradient|``, in [0, 1]."""

    in_patch: float  # inside the stride x stride patch the cell stands for
    in_field: float  # inside the theoretical field (1 up to round-off: it is zero outside)
    total: float  # the sum itself (0 when the cell does not depend on the image at all)


def field_shares(erf: np.ndarray, field: Field, cell: tuple[int, int]) -> Shares:
    """The share of an effective field (from :func:`effective_receptive_field`) in the patch and in the field."""
    erf = np.asarray(erf, dtype=np.float64)
    H, W = erf.shape
    row, col = cell
    total = float(erf.sum())

    def share(span: PixelSpan) -> float:
        x0, y0, x1, y1 = clip(span, W, H)
        if total == 0 or x1 <= x0 or y1 <= y0:
            return 0.0
        return float(erf[y0:y1, x0:x1].sum()) / total

    return Shares(share(field.patch(row, col)), share(field.span(row, col)), total)


def pick_cell(field: Field, map_size: Sequence[int], roi: g.Box | None = None) -> tuple[int, int]:
    """A cell worth showing: the one under the RoI's centre (or the map's centre), clamped to the map."""
    H, W = map_size
    if roi is None:
        return H // 2, W // 2
    x, y, w, h = roi
    r, c = int((y + h / 2) // field.stride), int((x + w / 2) // field.stride)
    return min(max(r, 0), H - 1), min(max(c, 0), W - 1)

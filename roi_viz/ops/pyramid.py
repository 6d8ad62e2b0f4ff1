"""Pooling from a feature pyramid (FPN): pick the level by the box's size, then RoIAlign there.

A detector with a feature pyramid (torchvision's Faster and Mask R-CNN, detectron2,
mmdetection) keeps several maps of one image, finest first: P2 to P5 at strides 4, 8,
16 and 32. A small box is pooled from a fine map, a large one from a coarse map, so
that every box covers about the same number of cells. The level is Eq. (1) of the
FPN paper (Lin et al., 2017)::

    k = floor(k0 + log2(sqrt(w * h) / 224)),   clamped to [k_min, k_max]

with ``k0 = 4``: a 224 x 224 box (an ImageNet picture) goes to P4. torchvision's
``LevelMapper`` adds ``eps = 1e-6`` inside the floor, so a box whose side is exactly
112, 224 or 448 px lands on the level above, not below, whatever the rounding of the
logarithm; detectron2 (``canonical_box_size=224, canonical_level=4``) and mmdetection
(``finest_scale=56``, i.e. 56 * 2**(k - 2)) write the same rule.

Boxes are ``(x, y, w, h)`` in input pixels, as everywhere in :mod:`roi_viz.ops`;
maps are ``C x H x W``. Pure NumPy: equal to ``torchvision.ops.MultiScaleRoIAlign``
and its ``LevelMapper`` (tests/lib/test_pyramid_ops.py, thousands of random cases).
"""
from __future__ import annotations

import math
from typing import Sequence

import numpy as np

from . import geometry as g
from .maps import as_numpy_map
from .roialign import roi_align

EPS = 1e-6  # torchvision's LevelMapper: a box exactly at a boundary goes to the coarser level


def fpn_level(w: float, h: float, *, canonical_size: float = 224, canonical_level: int = 4,
              k_min: int = 2, k_max: int = 5) -> int:
    """The pyramid level a ``w x h`` box (input pixels) is pooled from: ``k_min..k_max``.

    Computed in float32, as torchvision's ``LevelMapper`` computes it on the boxes'
    own dtype, so the two agree at the boundaries too.
    """
    w, h = float(w), float(h)
    if not (math.isfinite(w) and math.isfinite(h)) or w <= 0 or h <= 0:
        raise ValueError(f"A box's width and height must be positive numbers; got w={w!r}, h={h!r}.")
    if not k_min <= k_max:
        raise ValueError(f"The lowest level must not be above the highest: k_min={k_min}, k_max={k_max}.")
    f = np.float32
    side = np.sqrt(f(w) * f(h))  # torchvision: sqrt(box_area), both in float32
    k = np.floor(f(canonical_level) + np.log2(side / f(canonical_size)) + f(EPS))
    return int(min(max(k, k_min), k_max))


def levels_of(strides: Sequence[float]) -> list[int]:
    """The pyramid levels ``k`` of ``strides`` (stride ``2**k``), finest first; each must double the last."""
    levels = []
    for s in strides:
        k = math.log2(g.check_stride(s))
        if not float(k).is_integer():
            raise ValueError(f"A pyramid's strides are powers of two (4, 8, 16, 32); got {s!r}.")
        levels.append(int(k))
    if not levels or any(b != a + 1 for a, b in zip(levels, levels[1:])):
        raise ValueError(f"The strides must double from one level to the next, finest first; got {tuple(strides)}.")
    return levels


def level_strides(levels: Sequence[int]) -> tuple[int, ...]:
    """The stride of each level: level ``k`` halves the image ``k`` times (P2: 4, P5: 32)."""
    return tuple(2 ** int(k) for k in levels)


def multiscale_roi_align(
    feature_maps: Sequence,
    strides: Sequence[float],
    roi: Sequence[float],
    *,
    output_size: int | tuple[int, int] = (7, 7),
    sampling_ratio: int = 2,
    aligned: bool = False,
    canonical_size: float = 224,
    canonical_level: int = 4,
) -> np.ndarray:
    """RoIAlign from the level of a pyramid that the box's size picks (FPN, Eq. 1).

    Args:
        feature_maps: one ``C x H x W`` map per level (NumPy or torch), finest first.
        strides: each map's stride in input pixels, e.g. ``(4, 8, 16, 32)``: powers of
            two, increasing by a factor of 2 from one level to the next. Level ``k`` has
            stride ``2**k``, so the levels are ``log2(strides)``.
        roi: ``(x, y, w, h)`` in input pixels.
        output_size: ``(ph, pw)`` or one int; torchvision's box head uses 7 x 7, the mask head 14 x 14.
        sampling_ratio: points per bin along each axis (torchvision's Faster R-CNN: 2).
        aligned: the half-cell shift; torchvision's ``MultiScaleRoIAlign`` uses the legacy
            ``False``, detectron2's ``ROIAlignV2`` ``True``.
        canonical_size, canonical_level: the level rule's anchor (224 px at P4).

    Returns:
        ``C x ph x pw``, the pooled values; :func:`fpn_level` says which level they came from.
    """
    if len(feature_maps) != len(strides) or not feature_maps:
        raise ValueError(f"One stride per map: {len(feature_maps)} maps and {len(strides)} strides.")
    levels = levels_of(strides)
    x, y, w, h = g.check_roi(roi)
    k = fpn_level(w, h, canonical_size=canonical_size, canonical_level=canonical_level,
                  k_min=levels[0], k_max=levels[-1])
    i = levels.index(k)
    fm = as_numpy_map(feature_maps[i])
    return roi_align(fm, (x, y, w, h), stride=strides[i], output_size=output_size,
                     sampling_ratio=sampling_ratio, aligned=aligned).output

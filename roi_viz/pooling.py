"""Every way of turning an RoI into a fixed-size tensor, behind one front door.

===========  ======================  ===============================================
method       function                what it reads from the map
===========  ======================  ===============================================
``pool``     :func:`roi_pool`        whole cells, box snapped to cells (Fast R-CNN)
``align``    :func:`roi_align`       bilinear points, box kept exact (Mask R-CNN)
``warp``     :func:`roi_warp`        bilinear points, box snapped to cells (MNC)
``prroi``    :func:`prroi_pool`      the exact integral over each bin (PrRoI)
===========  ======================  ===============================================

Each lives in its own module (``roipool``, ``roialign``, ``prroi``) and returns
a trace with ``output`` (``C x ph x pw``) and everything computed on the way.
:class:`Settings` bundles the options the page offers so that one call runs the
method the user picked, or all four for the comparison.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from .maps import as_numpy_map
from .prroi import PrRoITrace, prroi_pool
from .roialign import AlignTrace, roi_align, roi_warp
from .roipool import PoolTrace, max_per_bin, roi_pool

METHODS = {
    "pool": "RoI pooling",
    "align": "RoIAlign",
    "warp": "RoIWarp",
    "prroi": "Precise RoI Pooling",
}

__all__ = [
    "METHODS", "Settings", "describe", "run", "run_all", "roi_pool", "roi_align", "roi_warp", "prroi_pool",
    "PoolTrace", "AlignTrace", "PrRoITrace", "as_numpy_map", "max_per_bin",
]


@dataclass(frozen=True)
class Settings:
    """The options of all four methods; each method reads the ones it has."""

    stride: float
    output_size: tuple[int, int] = (3, 3)
    scheme: str = "article"  # pool and warp: the rounding rule
    sampling_ratio: int = 2  # align and warp
    aligned: bool = True  # align and prroi: the -0.5 cell shift
    align_mode: str = "avg"
    warp_mode: str = "max"

    def with_(self, **changes) -> "Settings":
        return replace(self, **changes)


def run(method: str, feature_map, roi, settings: Settings):
    """Run one method on one RoI; returns its trace."""
    s = settings
    if method == "pool":
        return roi_pool(feature_map, roi, stride=s.stride, output_size=s.output_size, scheme=s.scheme)
    if method == "align":
        return roi_align(feature_map, roi, stride=s.stride, output_size=s.output_size,
                         sampling_ratio=s.sampling_ratio, aligned=s.aligned, mode=s.align_mode)
    if method == "warp":
        return roi_warp(feature_map, roi, stride=s.stride, output_size=s.output_size,
                        sampling_ratio=s.sampling_ratio, mode=s.warp_mode, scheme=s.scheme)
    if method == "prroi":
        return prroi_pool(feature_map, roi, stride=s.stride, output_size=s.output_size, aligned=s.aligned)
    raise ValueError(f"The method must be one of {', '.join(METHODS)}; got {method!r}.")


def run_all(feature_map, roi, settings: Settings) -> dict:
    """Every method on the same RoI, in the order of :data:`METHODS`."""
    fm = as_numpy_map(feature_map)
    return {m: run(m, fm, roi, settings) for m in METHODS}


def describe(method: str, trace) -> str:
    """A method's name with the settings that change its numbers, e.g. ``RoIAlign (avg, ratio 2, aligned)``."""
    if method == "pool":
        return f"RoI pooling ({'article' if trace.scheme == 'article' else 'Fast R-CNN'} rounding)"
    if method in ("align", "warp"):
        ratio = "adaptive" if trace.sampling_ratio <= 0 else str(trace.sampling_ratio)
        extra = (", aligned" if trace.aligned else ", legacy") if method == "align" else ""
        return f"{METHODS[method]} ({trace.mode}, ratio {ratio}{extra})"
    return f"{METHODS[method]} ({'aligned' if trace.aligned else 'authors’ rule'})"

"""The library's front door: every way of turning an RoI into a fixed-size tensor.

===========  ======================  ===============================================
method       function                what it reads from the map
===========  ======================  ===============================================
``pool``     :func:`roi_pool`        whole cells, box snapped to cells (Fast R-CNN)
``align``    :func:`roi_align`       bilinear points, box kept exact (Mask R-CNN)
``warp``     :func:`roi_warp`        bilinear points, box snapped to cells (MNC)
``prroi``    :func:`prroi_pool`      the exact integral over each bin (PrRoI)
===========  ======================  ===============================================

They live in :mod:`roi_viz.ops` (one module per method); this module keeps the
import path ``roi_viz.pooling`` that notebooks and the README use.
"""
from .ops.maps import as_numpy_map
from .ops.prroi import PrRoITrace, prroi_pool
from .ops.roialign import AlignTrace, roi_align, roi_warp
from .ops.roipool import PoolTrace, max_per_bin, roi_pool

__all__ = [
    "roi_pool", "roi_align", "roi_warp", "prroi_pool", "PoolTrace", "AlignTrace", "PrRoITrace",
    "as_numpy_map", "max_per_bin",
]

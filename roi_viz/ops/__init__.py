"""The arithmetic of every method: pure NumPy, no drawing, no page.

Modules, in the order a student meets them:

- ``geometry``: projection, quantization, bins, coverage (RoI pooling's loss);
- ``maps``: the feature map as cells and as a bilinear surface;
- ``roipool``: RoI pooling (the article's rule and Fast R-CNN's code);
- ``roialign``: RoIAlign and RoIWarp (bilinear sampling points);
- ``prroi``: Precise RoI Pooling (the exact integral over each bin);
- ``sliding``: one output value while the box moves by fractions of a cell.

Every function takes a ``C x H x W`` map (NumPy or torch) and an RoI
``(x, y, w, h)`` in model-input pixels, and returns a trace: the output
``C x ph x pw`` and everything computed on the way. Torch is never imported.
"""
from .prroi import PrRoITrace, prroi_pool
from .roialign import AlignTrace, roi_align, roi_warp
from .roipool import PoolTrace, roi_pool

__all__ = ["roi_pool", "roi_align", "roi_warp", "prroi_pool", "PoolTrace", "AlignTrace", "PrRoITrace"]

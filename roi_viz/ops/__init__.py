"""The arithmetic of every method: pure NumPy, no drawing, no page.

Modules, in the order a student meets them:

- ``geometry``: projection, quantization, bins, coverage (RoI pooling's loss);
- ``maps``: the feature map as cells and as a bilinear surface;
- ``roipool``: RoI pooling (the article's rule and Fast R-CNN's code);
- ``roialign``: RoIAlign and RoIWarp (bilinear sampling points);
- ``prroi``: Precise RoI Pooling (the exact integral over each bin);
- ``sliding``: one output value while the box moves by fractions of a cell;
- ``pyramid``: today's detectors: the FPN level a box's size picks, and RoIAlign from it;
- ``psroi``: position-sensitive pooling (R-FCN): each bin reads its own group of channels;
- ``looking``: where each output cell really reads, against where its bin is (why RoIAlign);
- ``regression``: the box head's targets (tx, ty, tw, th), and the box they decode to.

Every function takes a ``C x H x W`` map (NumPy or torch) and an RoI
``(x, y, w, h)`` in model-input pixels, and returns a trace: the output
``C x ph x pw`` and everything computed on the way (``pyramid`` and ``psroi`` return
the output array alone; ``looking`` and ``regression`` work on boxes and positions). Torch is never imported.
"""
from .prroi import PrRoITrace, prroi_pool
from .roialign import AlignTrace, roi_align, roi_warp
from .psroi import ps_roi_align, ps_roi_pool
from .pyramid import fpn_level, multiscale_roi_align
from .roipool import PoolTrace, roi_pool

__all__ = ["roi_pool", "roi_align", "roi_warp", "prroi_pool", "PoolTrace", "AlignTrace", "PrRoITrace",
           "fpn_level", "multiscale_roi_align", "ps_roi_pool", "ps_roi_align"]

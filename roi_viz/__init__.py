"""roi-viz: how RoI pooling turns an arbitrary box into a fixed-size tensor, and what it loses.

Modules, in the order the data flows:

- ``images``: decode a file, resize it to the model input, map coordinates;
- ``weights`` and ``features``: torchvision's VGG16 and its feature map;
- ``geometry``: projection, quantization, bins and coverage (pure NumPy);
- ``pooling``: ``roi_pool`` and its trace;
- ``walkthrough``, ``explain``, ``figures``: the six steps, in words and pictures;
- ``rois``, ``samples``, ``cli``: the user's boxes, the sample photos, the command line.
"""
from .pooling import AlignTrace, PoolTrace, PrRoITrace, prroi_pool, roi_align, roi_pool, roi_warp

__all__ = ["PoolTrace", "AlignTrace", "PrRoITrace", "roi_pool", "roi_align", "roi_warp", "prroi_pool"]

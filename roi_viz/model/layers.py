"""Where VGG16 is cut, and what that means for the grid: no torch needed to know it.

``vgg16().features`` is 31 layers; the papers cut it in two places:

- ``pool5`` (all 31): stride 32, so a 512 x 512 input gives a 16 x 16 grid,
  as in the article;
- ``conv5_3`` (``features[:30]``, conv5_3 and its ReLU): stride 16, the layer
  the Fast R-CNN paper pools from.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Layer:
    name: str
    end: int  # the map is ``features[:end](image)``
    stride: int  # input pixels per cell
    label: str
    channels: int = 512  # every stage of VGG16 after conv4 has 512


LAYERS = {
    "pool5": Layer("pool5", 31, 32, "VGG16 up to pool5 (stride 32)"),
    "conv5_3": Layer("conv5_3", 30, 16, "VGG16 up to conv5_3 + ReLU (stride 16)"),
}

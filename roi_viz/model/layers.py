"""The networks and where their maps are read, and what that means for the grid: no torch needed to know it.

Two networks (:data:`NETWORKS`):

- ``vgg16``: ``vgg16().features`` is 31 layers; the papers cut it in two places:

  - ``pool5`` (all 31): stride 32, so a 512 x 512 input gives a 16 x 16 grid,
    as in the article;
  - ``conv5_3`` (``features[:30]``, conv5_3 and its ReLU): stride 16, the layer
    the Fast R-CNN paper pools from.

- ``resnet50_fpn``: ResNet-50 with a feature pyramid, as torchvision's Faster R-CNN builds it
  (:mod:`roi_viz.model.pyramid`): four maps P2 to P5 of 256 channels at strides 4, 8, 16 and 32. The
  student does not pick one: each box is pooled from the level its size picks
  (:func:`roi_viz.ops.fpn_level`), so a scene's settings carry the level resolved for its box
  (:meth:`roi_viz.state.settings.Settings.at_box`).
"""
from __future__ import annotations

from dataclasses import dataclass

from ..language import N_  # the labels are stored in English and translated where shown


@dataclass(frozen=True)
class Layer:
    name: str
    end: int  # VGG16: the map is ``features[:end](image)``; a pyramid level: its index, finest first
    stride: int  # input pixels per cell
    label: str  # marked for the catalog; shown with _(label)
    channels: int = 512  # every stage of VGG16 after conv4 has 512


@dataclass(frozen=True)
class Network:
    key: str  # "vgg16", "resnet50_fpn": in settings, links and the CLI
    name: str  # "VGG16"
    label: str  # the sidebar's words for it, marked for the catalog; shown with _(label)
    layers: tuple[str, ...]  # its maps, keys of LAYERS (a pyramid's finest first)
    pyramid: bool = False  # several maps, the level picked by the box's size

    @property
    def strides(self) -> tuple[int, ...]:
        return tuple(LAYERS[k].stride for k in self.layers)


LAYERS = {
    "pool5": Layer("pool5", 31, 32, N_("VGG16 up to pool5 (stride 32)")),
    "conv5_3": Layer("conv5_3", 30, 16, N_("VGG16 up to conv5_3 + ReLU (stride 16)")),
    # Each level's label written whole (not made from a template), so the catalog holds each sentence.
    "P2": Layer("P2", 0, 4, N_("ResNet-50-FPN level P2 (stride 4)"), 256),
    "P3": Layer("P3", 1, 8, N_("ResNet-50-FPN level P3 (stride 8)"), 256),
    "P4": Layer("P4", 2, 16, N_("ResNet-50-FPN level P4 (stride 16)"), 256),
    "P5": Layer("P5", 3, 32, N_("ResNet-50-FPN level P5 (stride 32)"), 256),
}

NETWORKS = {
    n.key: n
    for n in (
        Network("vgg16", "VGG16", N_("VGG16 (one map: pool5 or conv5_3)"), ("pool5", "conv5_3")),
        Network("resnet50_fpn", "ResNet-50-FPN", N_("ResNet-50 with a feature pyramid (P2–P5, level by the box's size)"),
                ("P2", "P3", "P4", "P5"), pyramid=True),
    )
}
VGG_LAYERS = NETWORKS["vgg16"].layers  # the layers the student picks from; a pyramid's level is picked by the box

"""What the user chose, beside the image and the boxes: one value, one place for defaults.

The page's sidebar returns a :class:`Settings`, the CLI builds one from its
flags, and every method reads the fields it needs (its record in
:mod:`roi_viz.methods` names them). It is frozen and hashable, so it can key
a cache as it is.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from ..language import N_
from ..model.images import DEFAULT_INPUT_SIZE, INPUT_SIZES, SHAPES
from ..model.layers import LAYERS, NETWORKS
from ..ops.geometry import SCHEMES, check_output_size, check_roi
from ..ops.pyramid import fpn_level

MODES = ("avg", "max")
MAX_OUTPUT = 14  # bins per side the page offers; the library takes any size


@dataclass(frozen=True)
class Settings:
    network: str = "vgg16"  # a key of roi_viz.model.layers.NETWORKS: VGG16, or ResNet-50 with a feature pyramid
    input_size: int = DEFAULT_INPUT_SIZE  # the picture is resized to S x S pixels (or its shorter side to S)
    shape: str = "square"  # "square": S x S, as the article; "aspect": proportions kept, as Fast R-CNN
    # Where VGG16 is cut: pool5 (stride 32) or conv5_3 (stride 16). On the pyramid the student's choice is
    # "by the box's size": it holds VGG16's layer for when they switch back, until at_box resolves a level (P2..P5).
    layer: str = "pool5"
    method: str = "pool"  # a key of roi_viz.methods.METHODS
    scheme: str = "article"  # RoI pooling and RoIWarp: the rounding rule
    output_size: tuple[int, int] = (3, 3)  # (rows, columns) of the output
    sampling_ratio: int = 2  # RoIAlign and RoIWarp: points per bin per axis; <= 0 is adaptive
    aligned: bool = True  # RoIAlign and PrRoI: the -0.5 cell shift
    align_mode: str = "avg"  # RoIAlign: mean or max of the points of a bin
    warp_mode: str = "max"  # RoIWarp: likewise
    channel: int | None = None  # the channel shown; None picks the strongest inside the RoI
    mean_view: bool = False  # step 2 shows the mean over all channels

    def __post_init__(self):
        if self.input_size not in INPUT_SIZES:
            raise ValueError(f"The input size must be a multiple of 32 from {INPUT_SIZES[0]} to {INPUT_SIZES[-1]}.")
        if self.shape not in SHAPES:
            raise ValueError(f"The input shape must be one of {', '.join(SHAPES)}; got {self.shape!r}.")
        if self.network not in NETWORKS:
            raise ValueError(f"The network must be one of {', '.join(NETWORKS)}; got {self.network!r}.")
        if self.layer not in LAYERS:
            raise ValueError(f"The layer must be one of {', '.join(LAYERS)}; got {self.layer!r}.")
        if self.scheme not in SCHEMES:
            raise ValueError(f"The rounding rule must be one of {', '.join(SCHEMES)}; got {self.scheme!r}.")
        if self.align_mode not in MODES or self.warp_mode not in MODES:
            raise ValueError("The mode must be 'avg' or 'max'.")
        object.__setattr__(self, "output_size", check_output_size(self.output_size))

    @property
    def pyramid(self) -> bool:
        """The network keeps a feature pyramid: each box is pooled from the level its size picks."""
        return NETWORKS[self.network].pyramid

    @property
    def resolved(self) -> bool:
        """``layer`` names one of this network's maps (on the pyramid: after :meth:`at_box`)."""
        return self.layer in NETWORKS[self.network].layers

    @property
    def stride(self) -> int:
        """Input pixels per cell of the map read (on the pyramid, of the level :meth:`at_box` resolved)."""
        return LAYERS[self.layer].stride

    @property
    def channels(self) -> int:
        """Channels of the map read: 512 for VGG16, 256 at every level of the pyramid."""
        return LAYERS[self.layer if self.resolved else NETWORKS[self.network].layers[0]].channels

    @property
    def layer_label(self) -> str:
        if self.pyramid and not self.resolved:
            # stored like the layers' labels (marked, translated where shown with _())
            return N_("ResNet-50-FPN, the level picked by the box's size (P2–P5, strides 4–32)")
        return LAYERS[self.layer].label

    def at_box(self, roi) -> "Settings":
        """These settings for the box ``(x, y, w, h)`` (input pixels): on the pyramid, ``layer`` is the level
        :func:`~roi_viz.ops.fpn_level` picks for its size (``P2``..``P5``), so ``stride`` is that level's;
        VGG16's settings come back as they are."""
        if not self.pyramid:
            return self
        _, _, w, h = check_roi(roi)
        net = NETWORKS[self.network]
        ks = [int(k[1:]) for k in net.layers]
        return self.with_(layer=f"P{fpn_level(w, h, k_min=ks[0], k_max=ks[-1])}")

    def with_(self, **changes) -> "Settings":
        return replace(self, **changes)


# What the presets set; every other field keeps its value.
ARTICLE = dict(network="vgg16", input_size=512, shape="square", layer="pool5", method="pool", scheme="article", output_size=(3, 3))
FAST_RCNN = dict(network="vgg16", shape="aspect", layer="conv5_3", method="pool", scheme="fastrcnn", output_size=(7, 7))

"""torchvision's VGG16 feature stack, built without the parts we never use.

``torchvision.models.vgg16()`` builds and randomly initialises the whole
network, classifier included (124 M of its 138 M parameters), only for us to
keep ``features``. Here the same ``features`` come from torchvision's own
``make_layers`` with VGG16's configuration: identical layers, identical
parameter names, a fraction of the work.
"""
from __future__ import annotations

import torch
from torch import nn
from torchvision.models.vgg import cfgs, make_layers

VGG16 = "D"  # torchvision's name for VGG16's configuration


def features_stack(*, seed: int | None = None, device: str | torch.device = "cpu") -> nn.Sequential:
    """VGG16's ``features``: 13 conv layers with ReLU and 5 max pools, 31 modules.

    With ``seed`` the weights are initialised exactly as ``VGG.__init__`` does
    (Kaiming normal, fan-out, zero bias) under that seed; without it the
    parameters are left uninitialised (``torch.empty``), for weights that are
    about to be loaded.
    """
    with torch.device("meta"):  # no memory and no random numbers spent on construction
        net = make_layers(cfgs[VGG16], batch_norm=False)
    net = net.to_empty(device=device)
    if seed is not None:
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(seed)
            for m in net.modules():
                if isinstance(m, nn.Conv2d):
                    nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
                    nn.init.zeros_(m.bias)
    return net


def feature_shapes() -> dict[str, tuple[int, ...]]:
    """Parameter names and shapes of VGG16's ``features`` (``"0.weight"``: ``(64, 3, 3, 3)``, ...)."""
    with torch.device("meta"):
        net = make_layers(cfgs[VGG16], batch_norm=False)
    return {k: tuple(v.shape) for k, v in net.state_dict().items()}

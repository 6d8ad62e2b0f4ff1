"""The second network in the library: ResNet-50-FPN as a setting, the scene built on the level the followed box's
size picks, and the walkthrough's level step, whose words carry the numbers its figure draws.

The level is checked against torchvision's own ``LevelMapper``; √(w·h) and the logarithm against float64 math;
the words' arithmetic against the figure's, number for number, over many random boxes (boundaries among them).
No model, no page.
"""
from __future__ import annotations

import math
import re

import numpy as np
import pytest
import torch
from PIL import Image
from torchvision.ops.poolers import LevelMapper

from roi_viz import walkthrough
from roi_viz.methods import METHODS, build_scene
from roi_viz.model.layers import LAYERS, NETWORKS
from roi_viz.picture.spec import Text
from roi_viz.state import options
from roi_viz.state.settings import Settings

FPN = "resnet50_fpn"
SIZE = 512
NUMBER = re.compile(r"−?\d+(?:\.\d+)?")


@pytest.fixture(scope="module")
def maps():
    """Four maps of a 512 x 512 input at strides 4..32, each level's cells holding its own level number."""
    return tuple(np.full((256, SIZE // s, SIZE // s), float(k), np.float32)
                 for k, s in zip((2, 3, 4, 5), (4, 8, 16, 32)))


def torchvision_level(w: float, h: float) -> int:
    boxes = torch.tensor([[0.0, 0.0, w, h]], dtype=torch.float32)
    return int(LevelMapper(k_min=2, k_max=5)([boxes])[0]) + 2


def random_boxes(n: int, seed: int = 7):
    rng = np.random.default_rng(seed)
    out = [(296, 192, 200, 145), (0, 0, 500, 500), (0, 0, 112, 112), (0, 0, 224, 224), (0, 0, 448, 448),
           (10, 10, 111, 113), (5, 5, 1, 1), (0, 0, 512, 512)]
    while len(out) < n:
        w, h = (int(v) for v in rng.integers(1, SIZE, 2))
        x, y = int(rng.integers(0, SIZE - w + 1)), int(rng.integers(0, SIZE - h + 1))
        out.append((x, y, w, h))
    return out


def arithmetic(drawing) -> list[str]:
    """The rule's lines as the figure draws them (a note may wrap: its pieces joined)."""
    return [m.text for _, m in drawing.marks(Text) if m.kind == "arithmetic"]


def test_the_network_is_one_declared_option():
    o = options.BY_FIELD["network"]
    assert (o.link, o.cli, o.handout) == ("net", "--network", "Network")
    assert list(o.choices()) == list(NETWORKS) == ["vgg16", FPN]
    assert Settings().network == "vgg16"
    assert options.to_texts(Settings(network=FPN)) == {"net": FPN}
    assert options.from_texts({"net": FPN})[0].network == FPN
    assert options.from_texts({"net": "alexnet"})[1] == {"net": "is not one of vgg16, resnet50_fpn"}
    # VGG16's layer is offered on VGG16 only, and only its layers; the link's "level" stays the quiz's.
    assert options.BY_FIELD["layer"].applies((), "vgg16") and not options.BY_FIELD["layer"].applies((), FPN)
    assert list(options.BY_FIELD["layer"].choices()) == ["pool5", "conv5_3"]
    assert "level" not in options.BY_LINK
    # A channel is read against the pyramid's 256.
    assert options.from_texts({"net": FPN, "channel": "300"})[1] == {"channel": "is not between 0 and 255"}


@pytest.mark.parametrize("box", random_boxes(300))
def test_scene_reads_the_level_the_box_picks(box, maps):
    k = torchvision_level(box[2], box[3])
    s = Settings(network=FPN, method="align").at_box(box)
    assert (s.layer, s.stride, s.channels) == (f"P{k}", 2 ** k, 256)
    assert s.layer_label == f"ResNet-50-FPN level P{k} (stride {2 ** k})" == LAYERS[s.layer].label
    scene = build_scene(Image.new("RGB", (SIZE, SIZE)), maps, [box], 0, Settings(network=FPN), pretrained=False)
    assert scene.settings.layer == f"P{k}" and scene.pooled.stride == 2 ** k
    assert float(scene.features[0, 0, 0]) == k  # the level's own map
    assert Settings().at_box(box) == Settings()  # VGG16's settings stay as they are


@pytest.mark.parametrize("box", random_boxes(300, seed=11))
def test_the_level_steps_words_carry_its_figures_numbers(box, maps):
    x, y, w, h = box
    k = torchvision_level(w, h)
    scene = build_scene(Image.new("RGB", (SIZE, SIZE)), maps, [box], 0, Settings(network=FPN), pretrained=False)
    step = walkthrough.step("pool", "level")
    words = step.words(scene)
    drawing = step.describe(scene, width=560, text=13)
    lines = arithmetic(drawing)
    said = [line[2:] for line in words.splitlines() if line.startswith("- ")]
    # The same four lines, in the same order, word for word.
    assert " ".join(lines) == " ".join(said)
    assert NUMBER.findall(" ".join(lines)) == NUMBER.findall(" ".join(said))
    # And they are the rule's numbers, computed here independently.
    side = math.sqrt(w * h)
    assert said[0].startswith(f"√(w·h) = √({w} × {h}) ")
    assert abs(float(NUMBER.findall(said[0])[-1]) - side) <= 0.005 + 1e-4  # 2 decimals, of a float32 root
    written = NUMBER.findall(said[1])[-1]
    decimals = len(written.split(".")[1]) if "." in written else 0
    assert abs(float(written.replace("−", "-")) - math.log2(side / 224)) <= 0.5 * 10 ** -max(decimals, 2) + 1e-4
    floor = math.floor(4 + math.log2(side / 224) + 1e-6)
    if abs(4 + math.log2(side / 224) + 1e-6 - round(4 + math.log2(side / 224) + 1e-6)) > 1e-5:
        assert said[2].endswith(f"floor → {floor}".replace("-", "−"))  # far from a boundary: float64 agrees
    assert said[3].endswith(f"P{k}, stride {2 ** k} px")
    assert f"pooled from **P{k}, stride {2 ** k} px**" in words
    assert f"is pooled from P{k} (stride {2 ** k})" in drawing.alt and f"P{k}, stride {2 ** k} px" in drawing.alt


def test_the_plan_has_the_level_step_before_the_map_on_the_pyramid_only():
    for key, rec in METHODS.items():
        plain = rec.step_keys()
        on = rec.step_keys(FPN)
        assert "level" not in plain and plain == list(rec.plan)
        if "features" in plain:
            assert on.index("level") == on.index("features") - 1
            assert [s.key for s in walkthrough.steps(key, FPN)] == on

"""The untrained badge names the network whose features are random, in both languages.

On ResNet-50-FPN every walkthrough figure with a badge, and the comparison, said "UNTRAINED VGG16" (the only
network it knew). Each figure is described from a scene on each network, untrained, and its badge's words read.
"""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from PIL import Image

from roi_viz.figures.compare import describe_compare
from roi_viz.language import using
from roi_viz.methods import METHODS, build_scene, run_all
from roi_viz.picture.spec import Text
from roi_viz.state.settings import Settings
from roi_viz.walkthrough import steps

SIZE = 512
ARTICLE = (296, 192, 200, 145)
NAMES = {"vgg16": "VGG16", "resnet50_fpn": "ResNet-50-FPN"}


def scene_on(network: str):
    settings = Settings(network=network, method="align")
    if network == "vgg16":
        maps = np.random.default_rng(0).random((4, SIZE // 32, SIZE // 32)).astype(np.float32)
    else:
        maps = tuple(np.random.default_rng(s).random((4, SIZE // s, SIZE // s)).astype(np.float32)
                     for s in (4, 8, 16, 32))
    return build_scene(Image.new("RGB", (SIZE, SIZE)), maps, [ARTICLE], 0, settings, pretrained=False)


def badge(d) -> str:
    return " ".join(m.text for _p, m in d.marks(Text) if m.kind == "badge")


@pytest.mark.parametrize("network", list(NAMES))
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_untrained_badge_names_the_scene_s_network(network, lang):
    scene = scene_on(network)
    other = next(n for k, n in NAMES.items() if k != network)
    seen = 0
    with using(lang):
        drawings = [s.describe(scene) for s in steps("align", network)]
        traces = run_all(scene.features, scene.rois[scene.active], scene.settings)  # as the Compare view does
        drawings.append(describe_compare(scene, traces, METHODS))
        for d in drawings:
            words = badge(d)
            if not words:
                continue
            seen += 1
            assert NAMES[network] in words and other not in words, words
            assert ("UNTRAINED" in words) == (lang == "en"), words
            if lang == "zh":
                assert "未训练" in words, words
    assert seen >= 2, "no figure showed the badge"


def test_a_trained_scene_has_no_badge():
    scene = dataclasses.replace(scene_on("resnet50_fpn"), pretrained=True)
    assert not any(badge(s.describe(scene)) for s in steps("align", "resnet50_fpn"))

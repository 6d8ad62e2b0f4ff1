"""The second network on the page (AppTest): ResNet-50-FPN chosen in the sidebar or by a link, the walkthrough's
level step for the followed box (its heading, words and figure alternative, each with the level and stride the
library's rule gives), the link written back, and a bad ``net`` said plainly."""
from __future__ import annotations

import math

import pytest

from helpers import figures, notices, open_page, page_text, widget
from roi_viz.lesson.detector_words import level_of
from roi_viz.ops import fpn_level
from roi_viz.state.options import BY_FIELD

FPN = "resnet50_fpn"
ARTICLE = (296, 192, 200, 145)
STEP_TITLE = "Which level of the pyramid"


def expected(box) -> tuple[int, int]:
    """The level and stride the rule gives for ``box``, from torchvision's formula written out and the library."""
    _, _, w, h = box
    k = min(max(math.floor(4 + math.log2(math.sqrt(w * h) / 224) + 1e-6), 2), 5)
    assert k == fpn_level(w, h)
    return k, 2 ** k


def level_index(at) -> int:
    """Where the level step is in the step picker, counted from 0."""
    titles = [str(o) for o in widget(at, "radio", "Step").options]
    return next(i for i, t in enumerate(titles) if STEP_TITLE in t)


def go_to_level_step(at) -> None:
    widget(at, "radio", "Step").set_value(level_index(at)).run()
    assert not at.exception


def check_level_step(at, box) -> None:
    k, stride = expected(box)
    lv = level_of(box)
    text = page_text(at)
    n = level_index(at)
    assert n == 1  # just before the feature map
    assert f"### Step {n + 1}: {STEP_TITLE}" in text
    assert f"pooled from **P{k}, stride {stride} px**" in text
    assert f"√(w·h) = √({box[2]} × {box[3]})" in text
    assert f"floor → {lv.floor}" in text
    alts = [a for a in figures(at) if STEP_TITLE in a]
    assert alts, f"no figure of the level step among {figures(at)}"
    assert f"Step {n + 1}: {STEP_TITLE}." in alts[0]
    assert f"is pooled from P{k} (stride {stride})" in alts[0] and f"P{k}, stride {stride} px" in alts[0]


def test_choosing_the_pyramid_in_the_sidebar_shows_the_level_step():
    at = open_page()
    assert not any(STEP_TITLE in t for t in map(str, widget(at, "radio", "Step").options))  # VGG16: no such step
    widget(at, "radio", "Network").set_value(FPN).run()
    assert not at.exception
    assert "Feature layer" not in [s.label for s in at.selectbox]  # VGG16's layer is not the pyramid's
    go_to_level_step(at)
    check_level_step(at, ARTICLE)
    text = page_text(at)
    assert "P3, stride 8 px" in text and "√(w·h) = √(200 × 145) ≈ 170.29 px" in text
    assert "log2(170.29 / 224) ≈ −0.4" in text and "4 + (−0.4) + 0.000001 ≈ 3.6; floor → 3" in text
    assert "Untrained ResNet-50-FPN" in text  # no weights on a test machine: said plainly, as VGG16's


def test_a_link_opens_the_pyramid_and_the_level_step():
    at = open_page({"net": FPN, "step": "2"})
    assert widget(at, "radio", "Network").value == FPN
    check_level_step(at, ARTICLE)


@pytest.mark.parametrize("box,level", [((0, 0, 500, 500), 5), ((10, 20, 60, 40), 2), ((100, 100, 224, 224), 4)])
def test_the_box_size_picks_the_level(box, level):
    at = open_page({"net": FPN, "step": "2", "roi": "_".join(map(str, box))})
    assert expected(box)[0] == level
    check_level_step(at, box)
    widget(at, "radio", "Step").set_value(2).run()  # the feature map: read at the level's stride
    assert f"ResNet-50-FPN level P{level} (stride {2 ** level})" in page_text(at)


def test_the_link_carries_the_network_not_the_resolved_level():
    at = open_page({"net": FPN})
    assert at.query_params.get("net") in (FPN, [FPN])
    assert "layer" not in at.query_params  # the level is the box's, not a choice the link carries
    at2 = open_page(dict(at.query_params))
    assert widget(at2, "radio", "Network").value == FPN
    widget(at2, "radio", "Network").set_value("vgg16").run()
    assert "net" not in at2.query_params  # VGG16 is the default: the bare link


def test_a_bad_network_in_the_link_is_said_plainly_and_the_page_goes_on():
    at = open_page({"net": "<b>alexnet</b>"})
    said = " ".join(notices(at))
    assert "net=" in said and "is not one of vgg16, resnet50_fpn" in said and "<b>alexnet</b>" in said
    assert widget(at, "radio", "Network").value == "vgg16"
    assert "Step 1: Image and RoIs" in page_text(at)
    assert BY_FIELD["network"].link == "net"


def test_presenter_mode_shows_the_level_step():
    at = open_page({"net": FPN, "step": "2", "present": "1"})
    k, stride = expected(ARTICLE)
    text = page_text(at)
    assert f"Step 2: {STEP_TITLE}" in text and f"pooled from **P{k}, stride {stride} px**" in text
    assert any(f"is pooled from P{k} (stride {stride})" in a for a in figures(at))


def board_data(at) -> dict:
    """The data the page sends to the board (ui.board), as its script receives it."""
    import json

    from ui.board.wire import unpacked

    found = []

    def walk(node) -> None:
        if getattr(node, "type", None) == "bidi_component" and node.proto.component_name == "roi_viz.board":
            payload = unpacked(json.loads(node.proto.json))
            found.append(payload.get("data", payload))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at.main)
    assert len(found) == 1, f"{len(found)} boards on the page"
    return found[0]


def test_the_board_is_given_the_pyramid_on_the_pyramid_only():
    from ui.board import pyramid_of

    vgg = board_data(open_page())
    assert "pyramid" not in vgg and vgg["stride"] == 32
    data = board_data(open_page({"net": FPN}))
    assert data["pyramid"] == pyramid_of((512, 512))
    assert data["pyramid"]["strides"] == [4, 8, 16, 32] and "level the box's size picks" in data["legend"]


@pytest.mark.parametrize("view", ["walk", "compare", "slide", "quiz", "field", "head", "proposals", "train", "detect"])
def test_every_view_opens_on_the_pyramid_without_a_fault(view):
    at = open_page({"net": FPN, "view": view})
    text = page_text(at)
    assert "Something went wrong" not in text and not at.exception
    if view == "field":  # worked out through VGG16's layers only: said, not attempted
        assert "ResNet-50-FPN's field is not computed on this page" in " ".join(notices(at))


def test_the_quiz_asks_on_vgg16_whatever_the_network():
    """The quiz's questions are about one map's grid: on the pyramid its "beyond" level keeps VGG16, not a grid
    that names the pyramid over VGG16's 16 x 16 cells."""
    at = open_page({"net": FPN, "view": "quiz", "level": "beyond", "seed": "3"})
    text = page_text(at)
    assert "VGG16 up to pool5 (stride 32) gives a map of 16 rows × 16 columns" in text
    assert "level picked by the box's size (P2–P5, strides 4–32) gives a map" not in text


@pytest.mark.parametrize("preset,layer", [("↺ Article example", "VGG16 up to pool5 (stride 32)"),
                                          ("Fast R-CNN paper setting", "VGG16 up to conv5_3 + ReLU (stride 16)")])
def test_the_presets_go_back_to_vgg16(preset, layer):
    """Both presets are VGG16's (the article's pool5, Fast R-CNN's conv5_3): from the pyramid they switch back."""
    at = open_page({"net": FPN})
    next(b for b in at.button if b.label == preset).click().run()
    assert not at.exception
    assert widget(at, "radio", "Network").value == "vgg16"
    assert not any(STEP_TITLE in str(o) for o in widget(at, "radio", "Step").options)
    assert layer in page_text(at)


def test_switching_network_keeps_the_step_and_drops_a_channel_the_pyramid_lacks():
    at = open_page({"channel": "400", "step": "2"})  # VGG16's feature map, channel 400 of 512
    assert "### Step 2: Feature map and projection" in page_text(at)
    widget(at, "radio", "Network").set_value(FPN).run()
    assert not at.exception
    text = page_text(at)
    assert "### Step 3: Feature map and projection" in text  # the same step, after the level step
    assert "Something went wrong" not in text
    assert widget(at, "toggle", "Strongest channel inside the RoI").value  # 400 is not among the pyramid's 256
    widget(at, "radio", "Network").set_value("vgg16").run()
    assert "### Step 2: Feature map and projection" in page_text(at)

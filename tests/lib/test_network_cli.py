"""The second network on the command line and in the handout: ``--network resnet50_fpn`` runs ResNet-50-FPN
(the labelled untrained fallback on a test machine), prints the level step and reads the level the box's size
picks; the handout prints the network and that level; a bad value is one line from argparse."""
import json

import numpy as np
import pytest
from PIL import Image

from roi_viz import export
from roi_viz.cli import main
from roi_viz.methods import build_scene
from roi_viz.ops import fpn_level
from roi_viz.state.settings import Settings

FPN = "resnet50_fpn"


def test_explain_json_reads_the_level_of_the_articles_box(capsys):
    assert main(["explain", "--network", FPN, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    k = fpn_level(200, 145)
    assert k == 3
    assert data["network"] == FPN and data["layer"] == "P3" and data["stride"] == 8
    assert data["feature_map"] == [256, 64, 64] and data["output_shape"] == [3, 3, 256]
    assert data["projected"] == [296 / 8, 192 / 8, 200 / 8, 145 / 8]
    assert data["pretrained"] is False  # no COCO weights on a test machine


def test_explain_text_prints_the_level_step_for_a_big_box(capsys):
    assert main(["explain", "--network", FPN, "--roi", "0,0,500,500", "--method", "align"]) == 0
    out = capsys.readouterr().out
    assert "== Step 2: Which level of the pyramid ==" in out
    assert out.count("== Step") == 7  # RoIAlign's six steps and the level
    assert "pooled from P5, stride 32 px" in out and "√(w·h) = √(500 × 500) = 500 px" in out
    assert "ResNet-50-FPN level P5 (stride 32)" in out
    assert "untrained ResNet-50-FPN" in out


def test_a_bad_network_is_one_line(capsys):
    with pytest.raises(SystemExit):
        main(["explain", "--network", "alexnet"])
    err = capsys.readouterr().err
    assert "--network" in err and "alexnet" in err and "resnet50_fpn" in err and "Traceback" not in err


@pytest.mark.parametrize("box,level", [((296, 192, 200, 145), 3), ((0, 0, 500, 500), 5), ((8, 8, 40, 30), 2)])
def test_the_handout_prints_the_network_and_the_level(box, level):
    image = Image.new("RGB", (512, 512))
    maps = tuple(np.zeros((256, 512 // s, 512 // s), np.float32) for s in (4, 8, 16, 32))
    scene = build_scene(image, maps, [box], 0, Settings(network=FPN), pretrained=False)
    rows = dict(export.handout._settings_rows(scene, "photo.png"))
    assert rows["Network"].startswith("ResNet-50 with a feature pyramid")
    assert rows["Pyramid level"] == f"P{level}, picked by the box's size: ResNet-50-FPN level P{level} (stride {2 ** level})"
    assert rows["Stride"] == f"{2 ** level} pixels per cell" and "Layer" not in rows
    assert rows["Feature map"] == f"{512 // 2 ** level} rows × {512 // 2 ** level} columns of cells, 256 channels"
    vgg = dict(export.handout._settings_rows(build_scene(image, np.zeros((512, 16, 16), np.float32), [box], 0,
                                                         Settings()), "photo.png"))
    assert vgg["Network"].startswith("VGG16") and vgg["Layer"] == "VGG16 up to pool5 (stride 32)" and "Pyramid level" not in vgg


@pytest.mark.slow
def test_the_handout_and_the_gif_have_the_level_step():
    from test_export import gif_frames, pdf_page_texts

    from roi_viz import walkthrough

    image = Image.new("RGB", (512, 512))
    maps = tuple(np.random.default_rng(0).random((256, 512 // s, 512 // s), np.float32) for s in (4, 8, 16, 32))
    scene = build_scene(image, maps, [(296, 192, 200, 145)], 0, Settings(network=FPN, method="align"),
                        pretrained=False)
    steps = walkthrough.steps(scene.method, FPN)
    assert [s.key for s in steps][:3] == ["image", "level", "features"]
    pages = pdf_page_texts(export.handout_pdf(scene, title="Astronaut"))
    assert len(pages) == 1 + len(steps)
    assert "Step 2/7: Which level of the pyramid" in pages[2]
    assert "ResNet-50-FPNlevelP3(stride8)" in pages[0].replace(" ", "")
    assert gif_frames(export.walkthrough_gif(scene))[0] == len(steps)


@pytest.mark.slow
def test_proposals_on_the_pyramid_are_measured_each_at_its_own_level(capsys):
    import re

    assert main(["explain", "--network", FPN, "--proposals"]) == 0
    out = capsys.readouterr().out
    assert "Proposals: 2000; RoI pooling at P3" in out  # the followed box's level, as the walkthrough
    said = out.split("Each proposal at its own level of the pyramid:")[1]
    counts = {k: int(n.replace(",", "")) for k, n in re.findall(r"\| (P\d), stride \d+ \| ([\d,]+) \|", said)}
    assert set(counts) == {"P2", "P3", "P4", "P5"} and sum(counts.values()) == 2000
    assert "| pyramid, all | 2,000 |" in said and "| VGG16 pool5, stride 32 | 2,000 |" in said

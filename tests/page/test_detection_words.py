"""Sentences a detection teacher would correct, read where a student reads them: the glossary, the sidebar's
help, the Fast R-CNN preset's summary, the steps' words and After pooling's note."""

import pytest
from streamlit.testing.v1 import AppTest

from helpers import APP, page_text, widget



@pytest.fixture
def at():
    app = AppTest.from_file(APP, default_timeout=180)
    app.run()
    assert not app.exception
    return app


def glossary_lines(at) -> dict[str, str]:
    """The glossary expander's entries as the page shows them: ``{term: meaning}``."""
    lines = {}
    for md in at.markdown:
        for line in md.value.splitlines():
            if line.startswith("- **") and "**: " in line:
                term, meaning = line[4:].split("**: ", 1)
                lines[term] = meaning
    return lines


def help_of(at, kind: str, label: str) -> str:
    return widget(at, kind, label).help


def test_the_glossarys_empty_bin_names_both_rules_and_roiwarp_its_surrogate(at):
    g = glossary_lines(at)
    assert "under the article's rule" in g["empty bin"] and "under Fast R-CNN's rule only off the map" in g["empty bin"]
    assert "back-propagates" in g["RoIWarp"] and "rounding ignored" in g["RoIWarp"]
    assert "(here PrRoI has it too)" in g["aligned=True"]


def test_the_sampling_ratio_help_gives_each_librarys_real_default(at):
    widget(at, "radio", "How the RoI becomes").set_value("align").run()
    text = help_of(at, "number_input", "Sampling ratio")
    assert "torchvision's default is 2" not in text
    assert "sampling_ratio=-1" in text and "MultiScaleRoIAlign" in text and "detectron2 defaults to 0" in text


def test_the_aligned_help_says_which_library_uses_which_rule(at):
    widget(at, "radio", "How the RoI becomes").set_value("align").run()
    text = help_of(at, "toggle", "Aligned")
    assert "ROIAlignV2" in text and "torchvision's roi_align default" in text and "PrRoI is not in torchvision" in text


def test_the_fast_rcnn_preset_says_the_papers_scale(at):
    button = [b for b in at.button if b.label == "Fast R-CNN paper setting"][0]
    assert "shorter side 600" in button.help and "1,000" in button.help and "576" in button.help
    button.click().run()
    assert not at.exception
    text = page_text(at)
    assert "shorter side to 600 pixels (the longer at most 1,000)" in text and "576" in text
    assert "600" in help_of(at, "select_slider", "Model input size")


def page(**params):
    app = AppTest.from_file(APP, default_timeout=180)
    for k, v in params.items():
        app.query_params[k] = v
    app.run()
    assert not app.exception
    return app


def test_prroi_step_does_not_put_prroi_in_torchvision():
    text = page_text(page(method="prroi", step="3"))  # the exact integral, and why −0.5
    assert "Why −0.5?" in text
    assert "torchvision's switch" not in text
    assert "PrRoI is not in torchvision" in text


def test_the_fast_rcnn_rounding_says_where_its_plus_one_comes_from():
    at = page(method="pool", rule="fastrcnn", step="3")  # snap to whole cells
    assert "Snap to whole cells (Fast R-CNN's code)" in page_text(at)
    assert "the +1 of Caffe's code, whose pixel boxes count both ends" in page_text(at)
    assert "Caffe's pixel boxes count both ends" in help_of(at, "radio", "Rounding rule")


def test_after_pooling_says_a_proposal_is_not_a_detection():
    app = AppTest.from_file(APP, default_timeout=180)
    app.query_params["view"] = "head"
    app.run()
    text = page_text(app)
    assert "An RoI is not a bounding box" not in text
    assert "A proposal is not a detection" in text
    assert "regressor corrects" in text and "rejects" in text and "non-maximum suppression removes" in text

"""The page, driven by Streamlit's AppTest: defaults, RoI edits, settings, bad uploads."""
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from conftest import encode, photo

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def page_text(at) -> str:
    parts = [m.value for m in at.markdown] + [e.value for e in at.error] + [w.value for w in at.warning]
    parts += [i.value for i in at.info] + [c.value for c in at.caption]
    return "\n".join(parts)


@pytest.fixture
def at():
    app = AppTest.from_file(APP, default_timeout=180)
    app.run()
    assert not app.exception
    return app


def go_to_step(at, n: int):
    at.radio(key="step").set_value(n - 1).run()
    assert not at.exception


def test_defaults_teach_the_article_example(at):
    text = page_text(at)
    assert "Step 1: Image and RoIs" in text
    assert "x = 296, y = 192, size w = 200 × h = 145" in text
    assert "Untrained VGG16" in text  # no weights on a test machine: said plainly
    assert [at.number_input(key=k).value for k in ("in_x", "in_y", "in_w", "in_h")] == [296, 192, 200, 145]
    assert at.get("image"), "the step's figure is on the page"
    go_to_step(at, 2)
    assert "296 / 32 = **9.25**" in page_text(at)


def test_changing_the_roi_changes_the_numbers(at):
    go_to_step(at, 2)
    at.number_input(key="in_x").set_value(100.0).run()
    at.number_input(key="in_h").set_value(64.0).run()
    text = page_text(at)
    assert "100 / 32 = **3.125**" in text and "64 / 32 = **2**" in text
    go_to_step(at, 6)
    assert "Coverage." in page_text(at)


def test_scheme_and_output_size(at):
    go_to_step(at, 3)
    assert "rounds each of the four numbers down" in page_text(at)
    at.radio(key="scheme").set_value("fastrcnn").run()
    text = page_text(at)
    assert "Fast R-CNN's code" in text and "→ **16**" in text
    at.number_input(key="out_h").set_value(2).run()
    at.number_input(key="out_w").set_value(4).run()
    go_to_step(at, 4)
    assert "Split into 2 × 4 bins (Fast R-CNN's code)" in page_text(at)
    at.radio(key="scheme").set_value("article").run()
    at.number_input(key="out_h").set_value(7).run()
    assert "The split has no cells" in page_text(at)  # 4 rows cannot make 7 bins: said, not crashed


def test_roi_outside_the_image_is_clipped_or_refused(at):
    at.number_input(key="in_x").set_value(450.0).run()
    assert "was cut to (450, 192, 62, 145)" in page_text(at)
    at.number_input(key="in_y").set_value(900.0).run()
    assert "nothing of it is left" in page_text(at)
    assert at.number_input(key="in_y").value == 192  # the last good RoI is kept
    assert not at.exception


def test_add_delete_and_preset(at):
    at.button[[b.label for b in at.button].index("Add RoI")].click().run()
    assert at.selectbox(key="active").value == 1
    at.number_input(key="in_w").set_value(64.0).run()
    at.button[[b.label for b in at.button].index("Delete RoI")].click().run()
    assert len(at.session_state.rois) == 1
    at.radio(key="scheme").set_value("fastrcnn").run()
    at.button[[b.label for b in at.button].index("↺ Article example")].click().run()
    assert at.session_state.scheme == "article" and at.session_state.rois == [(296.0, 192.0, 200.0, 145.0)]


def test_upload_good_then_broken_file(at):
    at.radio(key="source").set_value("Upload my own").run()
    at.file_uploader(key="upload").set_value(("mine.png", encode(photo(640, 427), "PNG"), "image/png")).run()
    assert not at.exception
    assert "The original is 640 × 427" in page_text(at)
    at.file_uploader(key="upload").set_value(("fake.jpg", b"%PDF-1.4 not really a jpeg", "image/jpeg")).run()
    text = page_text(at)
    assert "fake.jpg" in text and "not an image we can read" in text
    assert "Step 1: Image and RoIs" in text and not at.exception  # the page goes on with the sample


def test_input_size_rescales_the_rois(at):
    at.select_slider(key="input_size").set_value(256).run()
    assert not at.exception
    assert at.session_state.rois == [(148.0, 96.0, 100.0, 72.5)]
    go_to_step(at, 2)
    assert "8 × 8 × 512" in page_text(at)


@pytest.mark.parametrize("scheme, layer, size, out", [("fastrcnn", "conv5_3", 512, 7), ("article", "pool5", 224, 14)])
def test_every_step_draws_under_unusual_settings(at, scheme, layer, size, out):
    at.radio(key="scheme").set_value(scheme).run()
    at.selectbox(key="layer").set_value(layer).run()
    at.select_slider(key="input_size").set_value(size).run()
    at.number_input(key="out_h").set_value(out).run()
    at.number_input(key="out_w").set_value(out).run()
    for n in range(1, 7):
        go_to_step(at, n)
        assert at.get("image") and not at.error, f"step {n}"
    assert f"{out} × {out} × 512" in page_text(at)

"""The page, driven by Streamlit's AppTest: defaults, RoI edits, settings, bad uploads."""

import pytest
from streamlit.testing.v1 import AppTest

from helpers import APP, encode, figures, page_state, page_text, photo, widget




@pytest.fixture
def at():
    app = AppTest.from_file(APP, default_timeout=180)
    app.run()
    assert not app.exception
    return app


def go_to_step(at, n: int):
    widget(at, "radio", "Step").set_value(n - 1).run()
    assert not at.exception


def test_defaults_teach_the_article_example(at):
    text = page_text(at)
    assert "Step 1: Image and RoIs" in text
    assert "x = 296, y = 192, size w = 200 × h = 145" in text
    assert "Untrained VGG16" in text  # no weights on a test machine: said plainly
    assert [widget(at, "number_input", k).value for k in "xywh"] == [296, 192, 200, 145]
    assert figures(at), "the step's figure is on the page"
    go_to_step(at, 2)
    assert "296 / 32 = **9.25**" in page_text(at)


def test_changing_the_roi_changes_the_numbers(at):
    go_to_step(at, 2)
    widget(at, "number_input", "x").set_value(100.0).run()
    widget(at, "number_input", "h").set_value(64.0).run()
    text = page_text(at)
    assert "100 / 32 = **3.125**" in text and "64 / 32 = **2**" in text
    go_to_step(at, 6)
    assert "Coverage." in page_text(at)


def test_scheme_and_output_size(at):
    go_to_step(at, 3)
    assert "rounds each of the four numbers down" in page_text(at)
    widget(at, "radio", "Rounding rule").set_value("fastrcnn").run()
    text = page_text(at)
    assert "Fast R-CNN's code" in text and "→ **16**" in text
    widget(at, "number_input", "Output rows").set_value(2).run()
    widget(at, "number_input", "Output columns").set_value(4).run()
    go_to_step(at, 4)
    assert "Split into 2 × 4 bins (Fast R-CNN's code)" in page_text(at)
    widget(at, "radio", "Rounding rule").set_value("article").run()
    widget(at, "number_input", "Output rows").set_value(7).run()
    assert "The split has no cells" in page_text(at)  # 4 rows cannot make 7 bins: said, not crashed


def test_roi_outside_the_image_is_clipped_or_refused(at):
    widget(at, "number_input", "x").set_value(450.0).run()
    assert "was cut to (450, 192, 62, 145)" in page_text(at)
    widget(at, "number_input", "y").set_value(900.0).run()
    assert "nothing of it is left" in page_text(at)
    assert widget(at, "number_input", "y").value == 192  # the last good RoI is kept
    assert not at.exception


def test_add_delete_and_preset(at):
    at.button[[b.label for b in at.button].index("Add RoI")].click().run()
    assert widget(at, "selectbox", "The walkthrough follows").value == 1
    widget(at, "number_input", "w").set_value(64.0).run()
    at.button[[b.label for b in at.button].index("Delete RoI")].click().run()
    assert len(page_state(at).store) == 1
    widget(at, "radio", "Rounding rule").set_value("fastrcnn").run()
    at.button[[b.label for b in at.button].index("↺ Article example")].click().run()
    assert page_state(at).settings.scheme == "article" and page_state(at).store.boxes(512) == [(296.0, 192.0, 200.0, 145.0)]


def test_upload_good_then_broken_file(at):
    widget(at, "radio", "Source").set_value("upload").run()
    at.file_uploader(key="upload").set_value(("mine.png", encode(photo(640, 427), "PNG"), "image/png")).run()
    assert not at.exception
    assert "The original is 640 × 427" in page_text(at)
    at.file_uploader(key="upload").set_value(("fake.jpg", b"%PDF-1.4 not really a jpeg", "image/jpeg")).run()
    text = page_text(at)
    assert "fake.jpg" in text and "not an image we can read" in text
    assert "Step 1: Image and RoIs" in text and not at.exception  # the page goes on with the sample


def test_input_size_rescales_the_rois(at):
    widget(at, "select_slider", "Model input size").set_value(256).run()
    assert not at.exception
    assert page_state(at).store.boxes(256) == [(148.0, 96.0, 100.0, 72.0)]  # whole pixels at another size
    assert [widget(at, "number_input", k).value for k in "xywh"] == [148, 96, 100, 72]
    go_to_step(at, 2)
    assert "512 channels, each a grid of 8 rows × 8 columns" in page_text(at)


@pytest.mark.parametrize("scheme, layer, size, out", [("fastrcnn", "conv5_3", 512, 7), ("article", "pool5", 224, 14)])
def test_every_step_draws_under_unusual_settings(at, scheme, layer, size, out):
    widget(at, "radio", "Rounding rule").set_value(scheme).run()
    widget(at, "selectbox", "Feature layer").set_value(layer).run()
    widget(at, "select_slider", "Model input size").set_value(size).run()
    widget(at, "number_input", "Output rows").set_value(out).run()
    widget(at, "number_input", "Output columns").set_value(out).run()
    for n in range(1, 7):
        go_to_step(at, n)
        assert figures(at) and not at.error, f"step {n}"
    assert f"{out} × {out} × 512" in page_text(at)


@pytest.mark.parametrize("method, n_steps, title", [
    ("align", 6, "Bins and sampling points"), ("warp", 7, "Quantization"), ("prroi", 4, "Integrate each bin"),
])
def test_method_switch_walks_every_step(at, method, n_steps, title):
    go_to_step(at, 6)  # on the output step of RoI pooling ...
    widget(at, "radio", "How the RoI becomes").set_value(method).run()
    assert widget(at, "radio", "Step").value == n_steps - 1  # ... the switch keeps the student on the output step
    assert len(widget(at, "radio", "Step").options) == n_steps
    for n in range(1, n_steps + 1):
        go_to_step(at, n)
        assert figures(at) and not at.error, f"{method} step {n}"
    go_to_step(at, 3)
    assert f"Step 3: {title}" in page_text(at)


def test_align_options_and_the_close_up(at):
    widget(at, "radio", "How the RoI becomes").set_value("align").run()
    go_to_step(at, 4)
    assert "Bilinear interpolation" in page_text(at)
    widget(at, "number_input", "Bin row").set_value(2).run()
    widget(at, "number_input", "Point (").set_value(4).run()
    assert "Point 4 of bin (2, 0)" in page_text(at)
    widget(at, "number_input", "Sampling ratio").set_value(0).run()  # adaptive: 2 x 3 points per bin
    go_to_step(at, 3)
    assert "*adaptive*" in page_text(at) and "2 × 3 points per bin" in page_text(at)
    widget(at, "toggle", "Aligned").set_value(False).run()
    assert "Legacy rule" in page_text(at)
    widget(at, "number_input", "Output rows").set_value(1).run()  # the chosen bin row 2 no longer exists: clamped
    assert not at.exception and page_state(at).place.focus[0] == 0


def test_compare_view_shows_every_method(at):
    widget(at, "radio", "View").set_value("compare").run()
    assert not at.exception and not at.error
    text = page_text(at)
    for name in ("RoI pooling (article rounding)", "RoIAlign (avg, ratio 2, aligned)", "RoIWarp (max, ratio 2)",
                 "Precise RoI Pooling (aligned)", "60.9 %", "100.0 %", "Every bin, side by side"):
        assert name in text, name
    assert len(figures(at)) == 1


def test_slide_view_and_its_controls(at):
    widget(at, "radio", "View").set_value("slide").run()
    text = page_text(at)
    assert "moved right in 60 equal moves of 1/60 cell (0.53 px), from 0 to 1 cell" in text
    widget(at, "radio", "Move the RoI").set_value("y").run()
    widget(at, "number_input", "Bin column").set_value(2).run()
    text = page_text(at)
    assert "moved down" in text and "bin (0, 2)" in text and not at.exception


def test_paper_preset_sets_layer_stride_output_and_scheme(at):
    at.button[[b.label for b in at.button].index("Fast R-CNN paper setting")].click().run()
    s = page_state(at).settings
    assert (s.layer, s.output_size, s.scheme, s.method) == ("conv5_3", (7, 7), "fastrcnn", "pool")
    go_to_step(at, 2)
    assert "each a grid of 32 rows × 32 columns" in page_text(at) and "296 / 16 = **18.5**" in page_text(at)
    at.button[[b.label for b in at.button].index("↺ Article example")].click().run()
    assert (page_state(at).settings.layer, page_state(at).settings.output_size) == ("pool5", (3, 3))

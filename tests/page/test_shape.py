"""The input as Fast R-CNN builds it: the photo's proportions kept, its shorter side S, a map that is not square."""
import pytest

from helpers import open_page, page_state, page_text, widget
from roi_viz.model import images, samples
from roi_viz.model.images import input_dims, prepare_input
from roi_viz.state.rois import RoIStore, clip_roi

@pytest.mark.parametrize("orig, size, want", [
    ((640, 427), 512, (767, 512)),  # landscape: the height becomes S
    ((300, 451), 224, (224, 337)),  # portrait: the width becomes S
    ((512, 512), 512, (512, 512)),  # a square stays a square
    ((8000, 1000), 512, (2048, 256)),  # a panorama: the long side is capped, the short side ends below S
])
def test_the_shorter_side_becomes_s_and_the_proportions_stay(orig, size, want):
    assert input_dims(orig, size, "aspect") == want
    assert input_dims(orig, size, "square") == (size, size)
    W, H = want
    assert abs(W / H - orig[0] / orig[1]) < 2 / min(W, H)  # proportions kept to the pixel


def test_prepare_input_keeps_the_proportions_and_maps_both_axes_alike():
    d = images.load_file(samples.get_sample("coffee").path)  # 600 x 400
    img, m = prepare_input(d, 512, "aspect")
    assert img.size == (768, 512) and m.input_dims == (768, 512)
    sx, sy = m.scale
    assert sx == pytest.approx(sy) == pytest.approx(512 / 400)
    box = (60.0, 40.0, 300.0, 200.0)
    assert m.to_original(m.to_input(box)) == pytest.approx(box)
    sq, ms = prepare_input(d, 512)
    assert sq.size == (512, 512) and ms.scale[0] != pytest.approx(ms.scale[1])  # the square squashes


def test_a_box_is_the_same_part_of_the_photo_in_either_shape():
    store = RoIStore([(296.0, 192.0, 200.0, 145.0)], 512)  # drawn on the 512 x 512 square
    x, y, w, h = store.boxes((768, 512))[0]
    assert (x, w) == (296 * 1.5, 200 * 1.5) and (y, h) == (192.0, 145.0)
    assert store.boxes(512)[0] == (296.0, 192.0, 200.0, 145.0)  # and back, exactly
    box, msg = clip_roi((700, 10, 100, 50), (768, 512))
    assert box == (700.0, 10.0, 68.0, 50.0) and "768 × 512" in msg
    assert clip_roi((600, 10, 100, 50), (768, 512)) == ((600.0, 10.0, 100.0, 50.0), "")  # inside the wider input


def test_the_page_shows_a_photo_with_its_proportions_and_a_map_that_is_not_square():
    at = open_page({"img": "chelsea", "shape": "aspect"})  # 451 x 300
    W, H = input_dims(samples.original_size("chelsea"), 512, "aspect")
    assert (W, H) == (770, 512)
    p = page_state(at)
    assert p.photo.dims == (W, H)
    # The article's box on the same part of the photo, in whole pixels (a proposal is whole pixels).
    assert p.store.boxes(p.photo.dims)[0] == (round(296 * W / 512), 192.0, round(200 * W / 512), 145.0)
    text = page_text(at)
    assert f"keeps its proportions, its shorter side resized to 512 pixels, as Fast R-CNN builds its input: {W} × {H}" in text
    assert f"pixels of the {W} × {H} model input, its proportions kept" in text
    assert f"({H // 32} rows × {W // 32} columns of cells in all)" in text  # 16 rows x 24 columns: not square
    widget(at, "radio", "Step").set_value(1).run()
    assert f"turns the {W} × {H}-pixel colour image into a feature map of 512 channels, each a grid of {H // 32} rows × {W // 32} columns" in page_text(at)
    # Back to the article's square: the box covers the same part of the photo.
    widget(at, "radio", "Input shape").set_value("square").run()
    p = page_state(at)
    assert p.photo.dims == (512, 512) and p.store.boxes(p.photo.dims)[0] == (296.0, 192.0, 200.0, 145.0)
    assert "shape" not in at.query_params and at.query_params["img"] == "chelsea"


def test_the_fast_rcnn_preset_keeps_the_proportions_and_the_article_preset_squares_again():
    at = open_page({"img": "rocket"})  # 640 x 427
    at.button[[b.label for b in at.button].index("Fast R-CNN paper setting")].click().run()
    p = page_state(at)
    assert p.settings.shape == "aspect" and p.photo.dims == input_dims((640, 427), 512, "aspect")
    assert at.query_params["shape"] == "aspect"
    at.button[[b.label for b in at.button].index("↺ Article example")].click().run()
    p = page_state(at)
    assert p.settings.shape == "square" and p.photo.dims == (512, 512)
    assert p.store.boxes(p.photo.dims) == [(296.0, 192.0, 200.0, 145.0)]


def test_switching_the_shape_keeps_the_part_of_the_photo_in_whole_pixels():
    at = open_page({"img": "rocket"})  # 640 x 427, square by default for a sample
    widget(at, "number_input", "x").set_value(101.0).run()
    widget(at, "radio", "Input shape").set_value("aspect").run()
    p = page_state(at)
    W, H = p.photo.dims
    assert (W, H) == (767, 512)
    assert p.store.boxes(p.photo.dims)[0] == (round(101 * W / 512), 192.0, round(200 * W / 512), 145.0)
    assert all(float(v).is_integer() for v in p.store.boxes(p.photo.dims)[0])
    widget(at, "radio", "Input shape").set_value("square").run()
    assert page_state(at).store.boxes(512)[0] == (101.0, 192.0, 200.0, 145.0)  # back, to the pixel

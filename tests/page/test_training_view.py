"""The "What the gradient reaches" view (``view=train``): its numbers against roi_viz.study.backward, its figures, its
link, its bad input, and its words as a detection teacher would read them."""

import numpy as np
import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from helpers import APP, ARTICLE_ROI, figures, notices, page_state, page_text, widget
from roi_viz.study import backward
from roi_viz import link
from roi_viz.figures.training import describe_box_slide, describe_gradient_map
from roi_viz.picture import mpl
from roi_viz.picture.files import to_png
from roi_viz.picture.spec import Point
from roi_viz.lesson.numbers import pct, value
from roi_viz.state.settings import Settings
from roi_viz.lesson.training import backward_pass, options, refine_box, refinement_words, training_words
from roi_viz.methods import METHODS, build_scene

METHOD_KEYS = [k for k, m in METHODS.items() if m.forward is not None]  # the methods with a backward pass here


def test_a_method_without_a_backward_pass_says_so_in_a_sentence():
    """Position-sensitive RoIAlign has no forward function for the backward pass: the view says so, as plain text."""
    from helpers import open_page

    none = [k for k, m in METHODS.items() if m.forward is None]
    assert none
    for key in none:
        at = open_page({"method": key, "view": "train"})
        assert (f"The backward pass cannot be shown for this choice: {METHODS[key].name} has no backward pass here"
                in " ".join(notices(at)))


@pytest.fixture
def at():
    app = AppTest.from_file(APP, default_timeout=180)
    app.query_params["view"] = "train"
    app.run()
    assert not app.exception
    return app


def random_scene(rng, method: str):
    fm = rng.standard_normal((6, 12, 14)).astype(np.float32)
    x, y = rng.uniform(0, 200), rng.uniform(0, 160)
    roi = (x, y, rng.uniform(40, 440 - x), rng.uniform(40, 380 - y))
    s = Settings(method=method, output_size=(int(rng.integers(1, 5)), int(rng.integers(1, 5))),
                 sampling_ratio=int(rng.integers(0, 4)), aligned=bool(rng.integers(2)),
                 scheme=str(rng.choice(["article", "fastrcnn"])))
    return build_scene(Image.new("RGB", (448, 384)), fm, [roi], 0, s), s


@pytest.mark.parametrize("seed", range(24))
@pytest.mark.slow
def test_the_backward_pass_agrees_with_the_library(seed):
    rng = np.random.default_rng(seed)
    method = METHOD_KEYS[seed % 4]
    scene, s = random_scene(rng, method)
    ph, pw = s.output_size
    b, c = (int(rng.integers(ph)), int(rng.integers(pw))), int(rng.integers(6))
    bp = backward_pass(scene, b, c, distance=0.5, steps=11)
    roi, opts = scene.rois[0], options(method, s)
    full = backward.feature_gradient(method, scene.features, roi, stride=s.stride, output_size=s.output_size,
                                     weights=backward.one_hot(6, s.output_size, c, b), **opts)
    np.testing.assert_allclose(bp.gradient, full[c], atol=1e-12)
    assert not np.abs(np.delete(full, c, axis=0)).any(), "one value's gradient stays in its channel"
    assert bp.reached == int((full[c] != 0).sum())
    assert bp.share_bin == pytest.approx(backward.share_reached(full, roi, stride=s.stride))
    box = backward.box_gradient(method, scene.features, roi, stride=s.stride, output_size=s.output_size,
                                weights=backward.one_hot(6, s.output_size, c, b), **opts)
    assert bp.box.left == pytest.approx(box.left) and bp.box.jump == pytest.approx(box.jump)
    if method in ("pool", "warp"):  # snapped: the exact derivative is 0 between jumps
        assert np.all(bp.slide.derivative[bp.slide.defined] == 0)
    words = training_words(bp, METHODS[method].name)
    if not bp.empty:
        assert f"{bp.reached} cell" in words and pct(bp.share_bin) in words and pct(bp.share_all) in words
    for name, v in zip(backward.CORNERS, bp.box.value):
        if method in ("align", "prroi"):
            assert f"{name} {'undefined' if v is None else value(v)}" in words
    for d in (describe_gradient_map(scene, bp, METHODS[method]), describe_box_slide(scene, bp, METHODS[method])):
        assert to_png(mpl.paint(d), 40)[:4] == b"\x89PNG"


def test_an_undefined_derivative_is_said_not_printed():
    # The article's RoI has y1 = 192 = 6 cells exactly: the article's rounding snaps it to row 5 a hair higher.
    fm = np.random.default_rng(12).standard_normal((4, 16, 16))
    scene = build_scene(Image.new("RGB", (512, 512)), fm, [ARTICLE_ROI], 0, Settings(channel=1))
    on_jump = [bp for bp in (backward_pass(scene, (i, j), 1, steps=5) for i in range(3) for j in range(3))
               if bp.box.value[1] is None]
    assert on_jump, "some bin's value steps when y1 crosses row 6"
    for bp in on_jump:
        assert bp.box.jump[1] != 0
        words = training_words(bp, "RoI pooling")
        assert "y1 undefined" in words and "x1 0," in words


def test_bad_bin_and_channel_are_sentences():
    scene, s = random_scene(np.random.default_rng(0), "align")
    with pytest.raises(ValueError, match="There is no bin"):
        backward_pass(scene, (9, 0), 0)
    with pytest.raises(ValueError, match="channel must be between"):
        backward_pass(scene, (0, 0), 6)


@pytest.mark.parametrize("method", METHOD_KEYS)
def test_the_view_opens_for_each_method_with_the_librarys_numbers(at, method, features_512):
    widget(at, "radio", "How the RoI becomes").set_value(method).run()
    assert not at.exception and not notices(at, "error")
    state = page_state(at)
    assert state.place.view == "train"
    assert "What the gradient reaches: one value followed backwards" in page_text(at)
    s = state.settings
    fm = features_512.values
    channel = s.channel if s.channel is not None else None
    i, j, _ = state.place.focus
    roi = ARTICLE_ROI
    if channel is None:  # the strongest channel inside the RoI, as the page picks it
        scene = build_scene(Image.new("RGB", (512, 512)), fm, [roi], 0, s)
        channel = scene.channel
    w = backward.one_hot(fm.shape[0], s.output_size, channel, (i, j))
    grad = backward.feature_gradient(method, fm, roi, stride=s.stride, output_size=s.output_size, weights=w,
                                     **options(method, s))
    text = page_text(at)
    n = int((grad[channel] != 0).sum())
    assert f"bin ({i}, {j}), channel {channel}" in text
    assert f"**{n} cell{'s' if n != 1 else ''}**" in text
    assert pct(backward.share_reached(grad, roi, stride=s.stride)) in text
    assert "Can the box move?" in text and "| RoIAlign | " in text and "| RoIWarp (MNC's surrogate) | " in text
    assert len(figures(at)) >= 2
    labels = [b.label for b in at.get("download_button")]
    assert "Download the gradient map (PNG)" in labels and "Download the box's derivative (PNG)" in labels


def test_picking_a_bin_and_a_channel(at):
    widget(at, "number_input", "Bin row").set_value(2).run()
    widget(at, "number_input", "Bin column").set_value(1).run()
    widget(at, "number_input", "Channel").set_value(7).run()
    assert not at.exception
    state = page_state(at)
    assert state.place.focus[:2] == (2, 1) and state.settings.channel == 7
    assert "bin (2, 1), channel 7" in page_text(at)
    assert widget(at, "number_input", "Channel").value == 7  # in the sidebar too
    widget(at, "radio", "How the RoI becomes").set_value("align").run()
    assert "bin (2, 1), channel 7" in page_text(at)


def test_the_link_carries_the_view():
    state = link.Link(**{**link.DEFAULT.__dict__, "view": "train"})
    params = link.to_params(state)
    assert params == {"view": "train"}
    back, problems = link.from_params({k: [v] for k, v in params.items()})
    assert problems == [] and back == state


def test_the_page_writes_the_view_into_its_link(at):
    assert at.query_params["view"] == ["train"] or at.query_params["view"] == "train"


@pytest.mark.parametrize("seed", range(6))
def test_gradient_steps_move_the_box_only_through_the_smooth_methods(seed):
    scene, s = random_scene(np.random.default_rng(100 + seed), "pool")
    ph, pw = s.output_size
    b = (ph // 2, pw // 2)
    runs = {m: refine_box(scene, m, b, 0, steps=6) for m in METHOD_KEYS}
    for m in ("pool", "warp"):  # snapped boxes: zero gradient, nothing moves (or a jump that is not a number)
        assert runs[m].moved == 0 and runs[m].values[0] == runs[m].values[-1]
    for m in ("align", "prroi"):
        r = runs[m]
        if r.moved > 0:  # every step goes uphill for a small enough step on a smooth function
            assert r.values[-1] > r.values[0]
        else:
            assert r.stopped
    assert runs["prroi"].moved > 0 or runs["prroi"].stopped
    words = refinement_words(list(runs.values()), {k: m.name for k, m in METHODS.items()})
    assert "RoI pooling and RoIWarp did not move the box" in words


# ---------------------------------------------------------------- the words a detection teacher would correct
def warp_page(at):
    widget(at, "radio", "How the RoI becomes").set_value("warp").run()
    assert not at.exception
    return page_text(at)


def test_the_view_is_named_for_what_it_shows_not_for_training(at):
    text = page_text(at)
    assert "What training sees" not in text
    assert "What the gradient reaches" in text
    labels = [o for r in at.radio if r.label == "View" for o in r.options]
    assert "What the gradient reaches" in labels and "What training sees" not in labels


def test_roiwarp_words_give_the_exact_derivative_and_mncs_surrogate(at, features_512):
    text = warp_page(at)
    state = page_state(at)
    s = state.settings
    i, j, _ = state.place.focus
    fm = features_512.values
    scene = build_scene(Image.new("RGB", (512, 512)), fm, [ARTICLE_ROI], 0, s)
    w = backward.one_hot(fm.shape[0], s.output_size, scene.channel, (i, j))
    surrogate = backward.warp_surrogate(fm, ARTICLE_ROI, stride=s.stride, output_size=s.output_size, weights=w,
                                        **options("warp", s))
    assert any(v != 0 for v in surrogate)
    assert "exact derivative of this pass by x is **0**" in text
    assert "MNC's surrogate" in text and "Dai et al., 2016" in text
    assert ", ".join(f"{c} {value(v)}" for c, v in zip(backward.CORNERS, surrogate)) in text
    assert "no gradient reaches the box through this pooling" not in text


@pytest.mark.parametrize("method", METHOD_KEYS)
def test_the_words_say_how_real_detectors_correct_boxes(at, method):
    widget(at, "radio", "How the RoI becomes").set_value(method).run()
    text = page_text(at)
    assert "For learning to refine a box" not in text
    assert "In Fast, Faster and Mask R-CNN no gradient reaches the RoI's coordinates" in text
    assert "regression head predicts offsets (tx, ty, tw, th)" in text
    assert "the operator's own mathematics" in text
    if method == "prroi":
        assert "IoU-Net" in text and "at *inference*, not in training" in text and "predicts" in text


def test_the_view_says_what_it_follows_and_what_the_corners_are(at):
    text = page_text(at)
    assert "stands in for a loss" in text
    assert "x1 = x, y1 = y (top left)" in text and "x2 = x + w, y2 = y + h (bottom right)" in text
    widget(at, "radio", "How the RoI becomes").set_value("pool").run()
    pool = page_text(at)
    assert "so they learn nothing from it" not in pool and "nothing on the map learns" not in pool
    assert "nothing from it passes through them to the weights that computed them" in pool


def test_the_gradient_steps_say_they_show_whether_a_box_can_move_not_that_it_improves(at):
    text = page_text(at)
    assert "Refining the box by gradient steps" not in text and "can learn through" not in text
    assert "one activation of one channel" in text and "whether a box *can* move" in text
    assert "not that it got better" in text


def markers_cut_by_their_panels(d) -> tuple[int, list[str]]:
    """How many markers the drawing has, and those that pass the edge of their panel, which cuts them: measured in
    the drawing's pixels, the marker's whole size and outline included."""
    count, cut = 0, []
    for panel, m in d.marks(Point):
        if m.kind != "marker" or not panel.clip:
            continue
        count += 1
        (x0, x1), (top, bottom) = panel.xlim, panel.ylim
        x = panel.x + (m.x - x0) / (x1 - x0) * panel.w
        y = panel.y + (m.y - top) / (bottom - top) * panel.h
        radius = m.size / 2 + (m.stroke.width / 2 if m.stroke else 0)
        if x - radius < panel.x - 0.5 or x + radius > panel.x + panel.w + 0.5 or \
                y - radius < panel.y - 0.5 or y + radius > panel.y + panel.h + 0.5:
            cut.append(f"{m.title or 'a marker'} at ({x:.0f}, {y:.0f}) px, radius {radius:.1f}, "
                       f"panel {panel.x:.0f}..{panel.x + panel.w:.0f} x {panel.y:.0f}..{panel.y + panel.h:.0f}")
    return count, cut


@pytest.mark.parametrize("presenter", [False, True], ids=["page", "projector"])
@pytest.mark.parametrize("method", METHOD_KEYS)
def test_the_slide_plots_markers_are_drawn_whole(method, presenter):
    from roi_viz.figures.training import TEXT

    fm = np.random.default_rng(4).standard_normal((3, 16, 16))
    scene = build_scene(Image.new("RGB", (512, 512)), fm, [ARTICLE_ROI], 0, Settings(method=method, channel=1))
    bp = backward_pass(scene, (1, 1), 1)
    assert bp.slide.offsets[-1] == 1.0  # a marker sits at each end of the slide, 0 and 1 cell
    d = describe_box_slide(scene, bp, METHODS[method], text=TEXT * (1.5 if presenter else 1.0))
    count, cut = markers_cut_by_their_panels(d)
    assert count >= 2 and cut == []

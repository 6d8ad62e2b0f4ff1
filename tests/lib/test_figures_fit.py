"""Every number a figure prints stays clear of its neighbours and inside the figure, on the page and on the
projector, with the widest values an activation prints; the numbers a student recomputes do recompute; and the
words read right. The walkthrough's steps are read on their descriptions (positions where both painters put
them, measured in the shipped font: :mod:`layout_checks`); the comparison and the sliding box on their
Matplotlib figures. That every step's texts are legible, apart and inside the figure at values of 1 is
``tests/lib/test_walkthrough_figures.py``'s."""
import dataclasses
import itertools
import re

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from PIL import Image

from layout_checks import PRESENTED_LEAST, overlap, problems
import painted
from roi_viz.lesson import sampling_words, words
from roi_viz.state.settings import ARTICLE, FAST_RCNN, Settings
from roi_viz.methods import METHODS, build_scene
from roi_viz.picture import place
from roi_viz.picture.files import SLIDE_DPI
from roi_viz.picture.spec import Line, Point, Rect, Text
from roi_viz import walkthrough
from ui.figure import PAGE_DPI, PAGE_MIN_PX, PRESENT_MIN_PX

IMAGE = Image.new("RGB", (512, 512), (90, 120, 150))
ROI = (296, 192, 200, 145)  # the article's
DIGIT = re.compile(r"\d")


def scene_for(preset, method, out, scale=1.0, seed=0, roi=ROI, focus=(0, 0, 0)):
    settings = Settings().with_(**preset).with_(method=method, output_size=(out, out), shape="square")
    side = 512 // settings.stride
    fm = (np.random.default_rng(seed).random((4, side, side)) * scale).astype(np.float32)
    return build_scene(IMAGE, fm, [roi], 0, settings, focus=focus)


def presented(step, scene):
    """The step described for presenter mode, and the width it is shown at there."""
    from ui.figure import PAGE_TEXT, PAGE_WIDTH, for_projector

    return for_projector(lambda f: step.describe(scene, width=PAGE_WIDTH, text=PAGE_TEXT * f))


@pytest.mark.parametrize("preset", [ARTICLE, FAST_RCNN], ids=["article", "fastrcnn"])
@pytest.mark.parametrize("method", list(METHODS))
def test_no_number_overlaps_another_or_leaves_the_figure_at_the_widest_values(preset, method):
    # Values of 6 characters (0.0565): the widest an activation prints (values of 5, 0.565, are the walkthrough
    # figures' test's).
    for out, scale in ((2, 0.1), (5, 0.1), (7, 0.1)):
        scene = scene_for(preset, method, out, scale)
        for step in walkthrough.steps(method):
            found = problems(step.describe(scene), 528)
            d, shown = presented(step, scene)
            found += [f"presented: {p}" for p in problems(d, shown, PRESENTED_LEAST)]
            assert not found, (method, out, step.key, found[:3])


def _printed(s: str) -> tuple[float, float]:
    """A printed number and half a unit of its last digit (what rounding may have moved it by)."""
    decimals = len(s.split(".")[1]) if "." in s else 0
    return float(s), 0.5 * 10.0 ** -decimals


def _significant(s: str) -> int:
    return len(s.replace("-", "").replace(".", "").lstrip("0"))


@pytest.mark.parametrize("seed", range(12))
def test_the_bilinear_table_recomputes_from_its_printed_numbers(seed):
    rng = np.random.default_rng(seed)
    roi = tuple(float(v) for v in (rng.integers(0, 300), rng.integers(0, 300), rng.integers(40, 200), rng.integers(40, 200)))
    method = ("align", "warp")[seed % 2]
    scene = scene_for(ARTICLE, method, 3, scale=10.0 ** rng.integers(-2, 2), seed=seed, roi=roi,
                      focus=(int(rng.integers(3)), int(rng.integers(3)), int(rng.integers(4))))
    text = sampling_words.step_bilinear(scene)
    rows = re.findall(r"^\| \((\d+), (\d+)\) \| ([^|]+) \| ([^|]+) \| ([^|]+) \|$", text, re.M)
    assert rows, text
    for _, _, v, w, p in rows:
        (a, da), (b, db), (c, dc) = _printed(v), _printed(w), _printed(p)
        # A weight keeps 3 significant figures unless it is exact (0.5, 1): 0.033 never reads 0.03.
        true = [wt for rr, cc, wt in scene.chosen.neighbours(*scene.focus)]
        assert _significant(w) >= 3 or any(abs(b - t) < 1e-9 for t in true), (w, true)
        assert abs(a * b - c) <= da * abs(b) + db * abs(a) + dc + 1e-12, f"{v} × {w} ≠ {p}"


@pytest.mark.parametrize("out", [2, 3, 5])
def test_prroi_shares_add_up_as_the_words_say(out):
    for seed, roi in enumerate([ROI, (100, 37, 171, 203), (13, 250, 299, 77)]):
        scene = scene_for(ARTICLE, "prroi", out, seed=seed, roi=roi, focus=(out - 1, out // 2, 0))
        step = [s for s in walkthrough.steps("prroi") if s.key == "integrate"][0]
        d = step.describe(scene)  # the page's figure, the one the words describe
        printed = [float(m.text.split()[0]) for _, m in d.marks(Text) if m.kind == "share value"]
        text = sampling_words.step_integrate(scene)
        if "exactly 100 %" in text and printed:
            total = round(sum(printed), 1)
            assert total == 100.0 or f"printed ones add up to {total:.1f} %" in text, (total, text)


def test_one_row_reads_as_one_row():
    # Input 224 at pool5: a 7 x 7 map; a box one cell tall has a single row for 3 bins.
    settings = Settings().with_(**ARTICLE).with_(input_size=224)
    fm = np.random.default_rng(0).random((4, 7, 7), dtype=np.float32)
    scene = build_scene(IMAGE.resize((224, 224)), fm, [(10, 40, 150, 40)], 0, settings)
    text = words.step_bins(scene)
    assert "only 1 row for 3 bins" in text and "1 rows" not in text, text


def test_roiwarp_names_its_paper_in_a_sentence_that_reads():
    scene = scene_for(ARTICLE, "warp", 2)
    text = sampling_words.step_combine(scene)
    assert "the paper RoIWarp comes from max-pools" not in text
    assert "Multi-task Network Cascades" in text and "max-pools the warped box" in text


@pytest.mark.parametrize("shape", [(4, 10, 20), (4, 20, 10), (4, 16, 16)])
def test_the_colour_bar_runs_under_the_map_between_its_two_ends(shape):
    """The feature map's colour scale: a strip under the map (wide, tall or square), within the figure, its
    lowest value named at its left end and its highest at its right, the channel's own."""
    settings = Settings().with_(**ARTICLE)
    fm = np.random.default_rng(0).random(shape, dtype=np.float32)
    H, W = shape[1:]
    scene = build_scene(Image.new("RGB", (W * 32, H * 32)), fm, [(40, 40, 150, 120)], 0, settings)
    step = [s for s in walkthrough.steps("pool") if s.key == "features"][0]
    for kw in ({}, dict(width=1000.0, text=20.0), dict(width=360.0, text=12.0)):
        d = step.describe(scene, **kw)
        (p_map,) = {p for p, m in d.marks(Rect) if m.kind == "cell"}
        strip = [place.rect(p, m) for p, m in d.marks(Rect) if m.kind == "scale"]
        labels = [(place.text_box(p, m), m.text) for p, m in d.marks(Text) if m.kind == "scale"]
        assert strip and len(labels) == 2
        x0, x1 = min(x for x, _, _, _ in strip), max(x + w for x, _, w, _ in strip)
        top, bottom = min(y for _, y, _, _ in strip), max(y + h for _, y, _, h in strip)
        assert top >= p_map.y + p_map.h, "the bar lies under the map"
        assert 0 <= x0 and x1 <= d.width and bottom <= d.height
        (lo_box, lo), (hi_box, hi) = sorted(labels)
        assert lo_box[0] + lo_box[2] <= x0 and x1 <= hi_box[0], "each end named beside it"
        chan = scene.features[scene.channel]
        assert lo == f"{words.value(float(chan.min()))} (lowest)" and hi == f"{words.value(float(chan.max()))} (highest)"
        assert x1 - x0 >= 0.3 * d.width, "a strip long enough to read a colour off"


# ---------------------------------------------------------------- type sizes on the page and the projector
def page_px(fig) -> float:
    """The smallest text's height in pixels on the page: PAGE_DPI, shrunk to the page's widest figure."""
    FigureCanvasAgg(fig).draw()
    shown = min(PAGE_DPI * fig.get_size_inches()[0], painted.PAGE_WIDTH_PX)
    return painted.smallest_text_px(fig, shown)


def presenter_px(fig) -> float:
    painted.for_projector(fig)
    FigureCanvasAgg(fig).draw()
    _, (w, h) = painted.projector_image(fig)
    return painted.smallest_text_px(fig, painted.present_width(w, h) * fig.get_size_inches()[0] * SLIDE_DPI / w)


@pytest.mark.parametrize("preset", [ARTICLE, FAST_RCNN], ids=["article", "fastrcnn"])
@pytest.mark.slow
def test_no_text_is_too_small_on_the_page_or_the_projector(preset):
    """The comparison and the sliding box (Matplotlib figures): the walkthrough's steps are described, and their
    sizes are the walkthrough figures' test's."""
    from roi_viz import methods
    from roi_viz.methods import run_all
    from painted import fig_compare, fig_slide
    from roi_viz.figures.compare import describe_compare_slide
    from roi_viz.ops.sliding import slide_roi
    from layout_checks import problems
    from ui.figure import PAGE_TEXT, PAGE_WIDTH, for_projector

    for out in (3, 7):
        for method in METHODS:
            scene = scene_for(preset, method, out)
        traces = run_all(scene.features, scene.rois[0], scene.settings)
        assert page_px(fig_compare(scene, traces, METHODS)) >= PAGE_MIN_PX, ("compare", out)
        # Presented as the page presents it: described for a slide (one row) with its text grown until the smallest
        # is 18 px where the slide shows it (five methods in two rows could not: their height outgrew the screen).
        drawing, shown = for_projector(
            lambda f: describe_compare_slide(scene, traces, METHODS, width=PAGE_WIDTH, text=PAGE_TEXT * f))
        assert problems(drawing, shown, PRESENT_MIN_PX) == [], ("compare", out)
        assert shown >= 400, ("compare", out, shown)  # a figure, not a strip down the middle of the slide
        slide = slide_roi(scene.features, scene.rois[0], methods.runners(scene.settings), stride=scene.settings.stride,
                          output_size=scene.settings.output_size, channel=scene.channel, bin=(0, 0), steps=21)
        for at in (None, 10):  # the page's figure, and a frame of the sliding-box animation
            assert page_px(fig_slide(scene, slide, METHODS, at=at)) >= PAGE_MIN_PX, ("slide", out, at)


# ---------------------------------------------------------------- the close-up of one point
def _crosses(segment, box, grow: float) -> bool:
    """Whether a line segment (drawing px) passes within ``grow`` px of ``box`` ``(x, y, w, h)``."""
    (x0, y0), (x1, y1) = segment
    bx, by, bw, bh = box
    for f in np.linspace(0, 1, 200):
        x, y = x0 + f * (x1 - x0), y0 + f * (y1 - y0)
        if bx - grow <= x <= bx + bw + grow and by - grow <= y <= by + bh + grow:
            return True
    return False


@pytest.mark.parametrize("method", ["align", "warp"])
@pytest.mark.parametrize("presenter", [False, True], ids=["page", "presenter"])
def test_the_bilinear_labels_clear_the_leader_lines_and_the_ring(method, presenter):
    """Every number of the close-up (a weight in its white box, a cell's value) stays clear of the leader lines
    from the point to the cells it reads (with their black outline) and of the point's ring."""
    rng = np.random.default_rng(1)
    step = [s for s in walkthrough.steps(method) if s.key == "bilinear"][0]
    checked = 0
    for _ in range(8):
        roi = tuple(float(v) for v in (rng.integers(0, 300), rng.integers(0, 300), rng.integers(40, 200), rng.integers(40, 200)))
        focus = (int(rng.integers(3)), int(rng.integers(3)), int(rng.integers(4)))
        scene = scene_for(ARTICLE, method, 3, roi=roi, focus=focus)
        d = presented(step, scene)[0] if presenter else step.describe(scene)
        frames = [(m.text, place.text_box(p, m)) for p, m in d.marks(Text) if DIGIT.search(m.text)
                  and m.kind in ("weight", "value")]
        frames += [("a weight's box", place.rect(p, m)) for p, m in d.marks(Rect) if m.kind == "weight box"]
        leaders = [(p, m) for p, m in d.marks(Line) if m.kind == "leader"]
        assert leaders, "a leader line to each cell the point reads"
        assert any(m.kind == "weight" for _, m in d.marks(Text)), "the weights are printed"
        for p, line in leaders:
            a, b = place.line(p, line)
            half = max(line.stroke.width, line.stroke.edge_width) / 2  # the line and its black outline
            for text, frame in frames:
                assert not _crosses((a, b), frame, half), (roi, focus, text)
        ((p, ring),) = [(p, m) for p, m in d.marks(Point) if m.kind == "focus"]
        cx, cy = p.to_px(ring.x, ring.y)
        radius = ring.size / 2 + ring.stroke.width / 2
        for text, (x, y, w, h) in frames:
            nearest = (min(max(cx, x), x + w), min(max(cy, y), y + h))
            assert np.hypot(nearest[0] - cx, nearest[1] - cy) > radius, (roi, focus, text)
        checked += len(frames)
    assert checked


def _badge_problems(d, name: str) -> list[str]:
    """Texts of a description that the red "untrained" label's box covers (its own words aside)."""
    badges = [place.rect(p, m) for p, m in d.marks(Rect) if m.kind == "badge"]
    assert len(badges) <= 1, name
    if not badges:  # the photo and the feature map: no activations to mistrust
        return []
    return [f"{name}: {m.text!r}" for p, m in d.marks(Text)
            if m.kind != "badge" and m.text.strip() and overlap(place.text_box(p, m), badges[0])]


@pytest.mark.parametrize("presenter", [False, True], ids=["page", "presenter"])
def test_the_untrained_badge_covers_no_other_text_of_a_step(presenter):
    """The red "untrained" label, on a row of its own, clear of every heading, title and label of every step."""
    found, seen = [], 0
    for preset, out in ((ARTICLE, 3), (FAST_RCNN, 7)):
        for method in METHODS:
            scene = dataclasses.replace(scene_for(preset, method, out), pretrained=False)  # the badge is drawn
            for step in walkthrough.steps(method):
                d = presented(step, scene)[0] if presenter else step.describe(scene)
                seen += any(m.kind == "badge" for _, m in d.marks(Rect))
                found += _badge_problems(d, f"{method} {out} {step.key}")
    assert seen and not found, found


@pytest.mark.parametrize("presenter", [False, True], ids=["page", "presenter"])
@pytest.mark.slow
def test_the_untrained_badge_covers_no_other_text(presenter):
    """The red "untrained" label sits in a corner of the comparison and the sliding box's figures (Matplotlib),
    clear of every heading, title and label."""
    from roi_viz import methods
    from roi_viz.ops.sliding import slide_roi
    from painted import fig_compare, fig_slide

    def covered(fig, name):
        if presenter:
            painted.for_projector(fig)
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
        r = canvas.get_renderer()
        badges = [t for t in fig.texts if t.get_text().startswith("UNTRAINED")]
        assert len(badges) <= 1, name
        if not badges:  # the photo and the feature map: no activations to mistrust
            return []
        # A described figure paints the badge's red box as a rectangle of its own, the text inside it.
        badge = (badges[0].get_bbox_patch() or badges[0]).get_window_extent(r)
        others = [t for t in fig.findobj(lambda a: hasattr(a, "get_text") and hasattr(a, "get_window_extent"))
                  if t is not badges[0] and t.get_visible() and str(t.get_text()).strip()]
        return [f"{name}: {t.get_text()!r}" for t in others if t.get_window_extent(r).overlaps(badge)]

    found = []
    for preset, out in ((ARTICLE, 3), (FAST_RCNN, 7)):
        scene = dataclasses.replace(scene_for(preset, "pool", out), pretrained=False)  # the badge is drawn
        traces = methods.run_all(scene.features, scene.rois[0], scene.settings)
        found += covered(fig_compare(scene, traces, METHODS), f"compare {out}")
        slide = slide_roi(scene.features, scene.rois[0], methods.runners(scene.settings), stride=scene.settings.stride,
                          output_size=scene.settings.output_size, channel=scene.channel, bin=(0, 0), steps=21)
        for at in ((None,) if presenter else (None, 10)):  # the page's figure; a GIF frame is page-sized
            found += covered(fig_slide(scene, slide, METHODS, at=at), f"slide {out} {at}")
    assert not found, found


# ---------------------------------------------------------------- the sliding box: every marker whole
@pytest.mark.parametrize("axis", ["x", "y"])
def test_the_slide_plot_shows_every_marker_whole_at_both_ends(axis):
    """The first and last positions (0 and the full distance) sit on the plot's ends: their markers, on the page's
    figure and on an animation frame marked there, lie inside their plot, none cut in half by the frame. Read on
    the description, where both painters put each marker (:func:`roi_viz.picture.place.point_box`)."""
    from roi_viz import methods
    from roi_viz.figures.compare import describe_slide
    from roi_viz.ops.sliding import slide_roi
    from roi_viz.picture import place
    from roi_viz.picture.spec import Point

    scene = scene_for(ARTICLE, "pool", 3)
    slide = slide_roi(scene.features, scene.rois[0], methods.runners(scene.settings), stride=scene.settings.stride,
                      output_size=scene.settings.output_size, channel=scene.channel, bin=(0, 0), steps=21, axis=axis)
    assert slide.offsets[-1] == pytest.approx(1.0)
    for at in (None, 0, len(slide.offsets) - 1):
        d = describe_slide(scene, slide, METHODS, at=at)
        ends = 0
        for p, m in d.marks(Point):
            if m.kind not in ("marker", "at"):
                continue
            x, y, w, h = place.point_box(p, m)
            ends += m.x in (slide.offsets[0], slide.offsets[-1])
            assert p.x <= x and x + w <= p.x + p.w and p.y <= y and y + h <= p.y + p.h, (at, m.title)
        assert ends >= 2 * len(METHODS), "markers at the ends were checked"


@pytest.mark.parametrize("preset", [ARTICLE, FAST_RCNN], ids=["article", "fastrcnn"])
@pytest.mark.slow
def test_every_text_fits_the_file_figure(preset):
    """A heading that names sizes in words ("4.53 rows × 3.12 columns") stays inside the figure, as painted for
    ``explain --figures`` and the handout (:data:`roi_viz.walkthrough.FILE` px wide, no tight box to grow the
    canvas there); so does every other text, none over another."""
    from roi_viz.walkthrough import FILE

    for method in METHODS:
        for out in (3, 7):
            scene = scene_for(preset, method, out, roi=(300, 190, 203, 147))
            for step in walkthrough.steps(method):
                d = step.describe(scene, **FILE)
                assert problems(d, d.width, FILE["text"]) == [], (method, out, step.key)
                fig = step.figure(scene)  # the file's figure: the same texts, none past its edges
                canvas = FigureCanvasAgg(fig)
                canvas.draw()
                r, page = canvas.get_renderer(), fig.bbox
                for t in fig.texts:
                    if t.get_text().strip():
                        e = t.get_window_extent(r)
                        assert page.x0 - 1 <= e.x0 and e.x1 <= page.x1 + 1, (method, out, step.key, t.get_text())

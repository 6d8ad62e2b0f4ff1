"""Every number a figure prints stays clear of its neighbours and inside its axes, on the page and on the
projector; the numbers a student recomputes do recompute; and the words read right. Measured on the drawn
figure (text extents from the renderer), over every method, both presets and output sizes up to 7 x 7."""
import dataclasses
import itertools
import re

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from PIL import Image

from roi_viz.draw import kit
from roi_viz.lesson import words
from roi_viz.lesson.settings import ARTICLE, FAST_RCNN, Settings
from roi_viz.methods import METHODS, build_scene

IMAGE = Image.new("RGB", (512, 512), (90, 120, 150))
ROI = (296, 192, 200, 145)  # the article's
DIGIT = re.compile(r"\d")


def scene_for(preset, method, out, scale=1.0, seed=0, roi=ROI, focus=(0, 0, 0)):
    settings = Settings().with_(**preset).with_(method=method, output_size=(out, out), shape="square")
    side = 512 // settings.stride
    fm = (np.random.default_rng(seed).random((4, side, side)) * scale).astype(np.float32)
    return build_scene(IMAGE, fm, [roi], 0, settings, focus=focus)


def number_problems(fig, presenter: bool) -> list[str]:
    """Numbers (texts with a digit) of the axes that overlap another or pass their axes' edge."""
    if presenter:
        kit.for_projector(fig)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    found, problems = [], []
    for ax in fig.axes:
        frame = ax.get_window_extent(renderer)
        for t in ax.texts:
            if not t.get_visible() or not DIGIT.search(t.get_text()):
                continue
            e = t.get_window_extent(renderer)
            found.append((t.get_text(), e))
            if e.x0 < frame.x0 - 1 or e.x1 > frame.x1 + 1 or e.y0 < frame.y0 - 1 or e.y1 > frame.y1 + 1:
                problems.append(f"{t.get_text()!r} passes its axes' edge")
    for (a, ea), (b, eb) in itertools.combinations(found, 2):
        if ea.overlaps(eb):
            problems.append(f"{a!r} overlaps {b!r}")
    return problems


@pytest.mark.parametrize("preset", [ARTICLE, FAST_RCNN], ids=["article", "fastrcnn"])
@pytest.mark.parametrize("method", list(METHODS))
def test_no_number_overlaps_another_or_leaves_its_axes(preset, method):
    # Values of 5 characters (0.565) and 6 (0.0565): the widest an activation prints.
    for out, scale in ((2, 1.0), (5, 0.1), (7, 1.0)):
        scene = scene_for(preset, method, out, scale)
        for step in METHODS[method].steps:
            for presenter in (False, True):
                problems = number_problems(step.figure(scene), presenter)
                assert not problems, (method, out, step.key, "presenter" if presenter else "page", problems[:3])


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
    text = words.step_bilinear(scene)
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
        step = [s for s in METHODS["prroi"].steps if s.key == "integrate"][0]
        fig = step.figure(scene)
        printed = [float(t.get_text().split()[0]) for t in fig.axes[0].texts if t.get_text().endswith("%")]
        text = words.step_integrate(scene)
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
    text = words.step_combine(scene)
    assert "the paper RoIWarp comes from max-pools" not in text
    assert "Multi-task Network Cascades" in text and "max-pools the warped box" in text


@pytest.mark.parametrize("shape", [(4, 10, 20), (4, 20, 10), (4, 16, 16)])
def test_the_colour_bar_is_as_tall_as_the_map(shape):
    settings = Settings().with_(**ARTICLE)
    fm = np.random.default_rng(0).random(shape, dtype=np.float32)
    H, W = shape[1:]
    scene = build_scene(Image.new("RGB", (W * 32, H * 32)), fm, [(40, 40, 150, 120)], 0, settings)
    fig = [s for s in METHODS["pool"].steps if s.key == "features"][0].figure(scene)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    r = canvas.get_renderer()
    ax, bar = fig.axes[0].get_window_extent(r), fig.axes[1].get_window_extent(r)
    assert abs(bar.height - ax.height) <= 1 and abs(bar.y0 - ax.y0) <= 1, (bar, ax)
    assert bar.x0 >= ax.x1, "the bar stands right of the map"


# ---------------------------------------------------------------- type sizes on the page and the projector
def page_px(fig) -> float:
    """The smallest text's height in pixels on the page: PAGE_DPI, shrunk to the page's widest figure."""
    FigureCanvasAgg(fig).draw()
    shown = min(kit.PAGE_DPI * fig.get_size_inches()[0], kit.PAGE_WIDTH_PX)
    return kit.smallest_text_px(fig, shown)


def presenter_px(fig) -> float:
    kit.for_projector(fig)
    FigureCanvasAgg(fig).draw()
    _, (w, h) = kit.projector_image(fig)
    return kit.smallest_text_px(fig, kit.present_width(w, h) * fig.get_size_inches()[0] * kit.SLIDE_DPI / w)


@pytest.mark.parametrize("preset", [ARTICLE, FAST_RCNN], ids=["article", "fastrcnn"])
def test_no_text_is_too_small_on_the_page_or_the_projector(preset):
    from roi_viz import methods
    from roi_viz.draw.compare import fig_compare, fig_slide
    from roi_viz.methods import run_all
    from roi_viz.ops.sliding import slide_roi

    for out in (3, 7):
        for method in METHODS:
            scene = scene_for(preset, method, out)
            for step in METHODS[method].steps:
                assert page_px(step.figure(scene)) >= kit.PAGE_MIN_PX, (method, out, step.key)
                assert presenter_px(step.figure(scene)) >= kit.PRESENT_MIN_PX, (method, out, step.key)
        traces = run_all(scene.features, scene.rois[0], scene.settings)
        assert page_px(fig_compare(scene, traces, METHODS)) >= kit.PAGE_MIN_PX, ("compare", out)
        assert presenter_px(fig_compare(scene, traces, METHODS)) >= kit.PRESENT_MIN_PX, ("compare", out)
        slide = slide_roi(scene.features, scene.rois[0], methods.runners(scene.settings), stride=scene.settings.stride,
                          output_size=scene.settings.output_size, channel=scene.channel, bin=(0, 0), steps=21)
        for at in (None, 10):  # the page's figure, and a frame of the sliding-box animation
            assert page_px(fig_slide(scene, slide, METHODS, at=at)) >= kit.PAGE_MIN_PX, ("slide", out, at)


# ---------------------------------------------------------------- the close-up of one point
def _crosses(segment, box, grow: float) -> bool:
    """Whether a line segment (display pixels) passes within ``grow`` pixels of ``box``."""
    (x0, y0), (x1, y1) = segment
    for f in np.linspace(0, 1, 200):
        x, y = x0 + f * (x1 - x0), y0 + f * (y1 - y0)
        if box.x0 - grow <= x <= box.x1 + grow and box.y0 - grow <= y <= box.y1 + grow:
            return True
    return False


@pytest.mark.parametrize("method", ["align", "warp"])
@pytest.mark.parametrize("presenter", [False, True], ids=["page", "presenter"])
def test_the_bilinear_labels_clear_the_leader_lines_and_the_ring(method, presenter):
    from roi_viz.draw.sampling import fig_bilinear

    rng = np.random.default_rng(1)
    for _ in range(8):
        roi = tuple(float(v) for v in (rng.integers(0, 300), rng.integers(0, 300), rng.integers(40, 200), rng.integers(40, 200)))
        focus = (int(rng.integers(3)), int(rng.integers(3)), int(rng.integers(4)))
        scene = scene_for(ARTICLE, method, 3, roi=roi, focus=focus)
        fig = fig_bilinear(scene)
        if presenter:
            kit.for_projector(fig)
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
        renderer = canvas.get_renderer()
        ax = fig.axes[0]
        labels = [t for t in ax.texts if DIGIT.search(t.get_text())]
        frames = [(t.get_text(), t.get_bbox_patch().get_window_extent(renderer) if t.get_bbox_patch()
                   else t.get_window_extent(renderer)) for t in labels]
        leaders = [line for line in ax.lines if len(line.get_xdata()) == 2]
        assert leaders, "a leader line to each cell the point reads"
        for line in leaders:
            segment = ax.transData.transform(np.column_stack([line.get_xdata(), line.get_ydata()]))
            half = (line.get_linewidth() + 5) / 2 * fig.dpi / 72  # the line and its black outline
            for text, frame in frames:
                assert not _crosses(segment, frame, half), (roi, focus, text)
        ring = [c for c in ax.collections if hasattr(c, "get_sizes") and len(c.get_sizes()) and c.get_sizes()[0] == 420][0]
        (cx, cy), = ax.transData.transform(ring.get_offsets())
        radius = (np.sqrt(420) / 2 + 2) * fig.dpi / 72  # the marker's radius and half its edge, in pixels
        for text, frame in frames:
            nearest = (min(max(cx, frame.x0), frame.x1), min(max(cy, frame.y0), frame.y1))
            assert np.hypot(nearest[0] - cx, nearest[1] - cy) > radius, (roi, focus, text)


@pytest.mark.parametrize("presenter", [False, True], ids=["page", "presenter"])
def test_the_untrained_badge_covers_no_other_text(presenter):
    """The red "untrained" label sits in a corner of every figure, clear of every heading, title and label."""
    from roi_viz import methods
    from roi_viz.draw.compare import fig_compare, fig_slide
    from roi_viz.ops.sliding import slide_roi

    def problems(fig, name):
        if presenter:
            kit.for_projector(fig)
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
        for method in METHODS:
            scene = dataclasses.replace(scene_for(preset, method, out), pretrained=False)  # the badge is drawn
            for step in METHODS[method].steps:
                found += problems(step.figure(scene), f"{method} {out} {step.key}")
        traces = methods.run_all(scene.features, scene.rois[0], scene.settings)
        found += problems(fig_compare(scene, traces, METHODS), f"compare {out}")
        slide = slide_roi(scene.features, scene.rois[0], methods.runners(scene.settings), stride=scene.settings.stride,
                          output_size=scene.settings.output_size, channel=scene.channel, bin=(0, 0), steps=21)
        for at in ((None,) if presenter else (None, 10)):  # the page's figure; a GIF frame is page-sized
            found += problems(fig_slide(scene, slide, METHODS, at=at), f"slide {out} {at}")
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
def test_every_title_fits_its_figure(preset):
    """A heading that names sizes in words ("4.53 rows × 3.12 columns") stays inside the figure, as drawn for the
    page and for ``explain --figures`` (no tight box to grow the canvas there)."""
    for method in METHODS:
        for out in (3, 7):
            scene = scene_for(preset, method, out, roi=(300, 190, 203, 147))
            for step in METHODS[method].steps:
                fig = step.figure(scene)
                canvas = FigureCanvasAgg(fig)
                canvas.draw()
                r = canvas.get_renderer()
                page = fig.bbox
                for ax in fig.axes:
                    if ax.get_title():
                        e = ax.title.get_window_extent(r)
                        assert page.x0 - 1 <= e.x0 and e.x1 <= page.x1 + 1, (method, out, step.key, ax.get_title())

"""Every word agrees with its figure: where a step's words and its figure show the same thing, both come
from one value, and these tests read that value back out of the figure's description (its texts, legend
swatches and rectangles, where both painters put them) and out of the words."""
import re

import numpy as np
import pytest
from PIL import Image

from layout_checks import overlap, problems
from roi_viz.figures import look
from roi_viz.figures import steps
from roi_viz.lesson import glossary, sampling_words, words
from roi_viz.lesson.numbers import cells, eq, exact, num, pct, rounded, value, weight
from roi_viz.state.settings import ARTICLE, FAST_RCNN, Settings
from roi_viz.lesson.shown import pool_values, split_loss
from roi_viz.methods import METHODS, build_scene
from roi_viz.picture import place
from roi_viz.picture.spec import Rect, Text
from roi_viz import walkthrough

IMAGE = Image.new("RGB", (512, 512), (90, 120, 150))
ROI = (296, 192, 200, 145)  # the article's
RNG = np.random.default_rng(0)
MAPS = {
    16: RNG.random((8, 16, 16), dtype=np.float32),  # pool5 of a 512 input
    32: RNG.random((8, 32, 32), dtype=np.float32),  # conv5_3 of a 512 input
    64: RNG.random((4, 64, 64), dtype=np.float32),  # conv5_3 of a 1024 input
}
ARTICLE_7 = dict(ARTICLE, output_size=(7, 7))  # the quantized box is 4 x 6 cells: no bin has a cell
PRESETS = {"article": ARTICLE, "fastrcnn": FAST_RCNN, "article7": ARTICLE_7}


def scene_for(preset=ARTICLE, roi=ROI, fm=None, **changes):
    settings = Settings().with_(**preset).with_(**changes)
    side = settings.input_size // settings.stride
    image = IMAGE if settings.input_size == 512 else IMAGE.resize((settings.input_size,) * 2)
    return build_scene(image, MAPS[side] if fm is None else fm, [roi], 0, settings)


def texts(d, kind=None) -> list:
    """``(panel, text mark)`` of a drawing, of one kind if given."""
    return [(p, m) for p, m in d.marks(Text) if m.text.strip() and (kind is None or m.kind == kind)]


def words_of(d, kind) -> list[str]:
    return [m.text for _, m in texts(d, kind)]


def heading(d) -> str:
    return " ".join(words_of(d, "title"))


def legend_labels(d) -> list[str]:
    return words_of(d, "legend")


# ====================================================================== 1. max pooling prints what it says
@pytest.mark.parametrize("case, mode", [
    (dict(), "all"),  # the article: a value in every cell of the 4 x 6 region
    # A view 10 cells across: the maxima only (Fast R-CNN's 3 x 3 of the article's box, 15 cells across, no longer
    # leaves every maximum room in the figure's own font, and prints none: see the "none" cases).
    (dict(roi=(100, 100, 250, 200)), "maxima"),
    (dict(preset=FAST_RCNN), "none"),  # 7 x 7 bins: neighbouring maxima a cell apart would overwrite each other
    (dict(preset=ARTICLE_7), "empty"),  # no bin has a cell
    (dict(preset=FAST_RCNN, roi=(0, 0, 640, 640), input_size=1024), "none"),  # 40 cells across: no numbers
])
def test_max_pooling_prints_what_its_words_promise(case, mode):
    case = dict(case)
    scene = scene_for(case.pop("preset", ARTICLE), case.pop("roi", ROI), **case)
    plan = pool_values(scene)
    assert plan.mode == mode
    d = steps.describe_pool(scene)  # the page's figure: the one the words describe
    chan = scene.features[scene.channel]
    printed = sorted(words_of(d, "value"))
    assert printed == sorted(value(chan[r, c]) for r, c in plan.cells)
    text = words.step_pool(scene)
    title = heading(d)
    t = scene.pooled
    outputs = {value(v) for v, e in zip(t.output[scene.channel].ravel(), t.empty_bins.ravel()) if not e}
    if mode == "all":
        assert len(printed) == t.region_area and outputs <= set(printed)
        assert "bold" in title and "every cell of the region" in text
        bold = {m.text for _, m in texts(d, "value") if m.weight == "bold"}
        assert bold == {value(chan[r, c]) for r, c in plan.winners}
    elif mode == "maxima":
        assert set(printed) == outputs  # every bin's maximum, and nothing else
        assert len(printed) == len(plan.winners) < len(plan.cells) + 1
        assert "bold" not in title and "and its value" in title
        assert "only each bin's maximum" in text and f"{plan.side} cells across" in text
        assert "values are printed" not in text
    elif mode == "none":
        assert printed == [] and "too crowded to print the values legibly" in text and "where each bin's max is" in title
        assert "too small" in " ".join(words_of(d, "note"))
    else:
        assert "every output is 0" in title and "outputs 0" in text


# ====================================================================== 2. an empty bin outputs 0, in both
def test_an_empty_bin_is_0_in_the_output_figure_and_in_the_words():
    scene = scene_for(ARTICLE_7)
    t = scene.pooled
    assert t.empty_bins.all() and not t.output.any()
    d = steps.describe_output(scene)
    assert words_of(d, "value") == ["0"] * 49  # printed as what it outputs, not as a word
    assert "empty bin: outputs 0" in legend_labels(d)
    hatched = [m for _, m in d.marks(Rect) if m.kind == "output" and (m.hatch, m.hatch_colour) == look.EMPTY[1:]]
    assert len(hatched) == 49
    swatch = [m for _, m in d.marks(Rect) if m.kind == "swatch" and m.hatch == look.EMPTY[1]]
    assert swatch and swatch[0].hatch_colour == look.EMPTY[2]  # the legend shows the hatch drawn
    out = words.step_output(scene)
    assert "Every bin is empty (hatched in the figure)" in out and "outputs **0**" in out
    assert "torchvision" in out and "Caffe" in out and "ReLU" in out  # what gives 0, and why 0 makes sense
    assert "all zeros" in words.step_bins(scene) and "outputs 0" in words.step_bins(scene)
    assert "empty" not in " ".join(words_of(d, "value"))


def test_a_bin_with_cells_prints_its_value_beside_empty_ones():
    scene = scene_for(FAST_RCNN, roi=(-40, 470, 100, 90), fm=MAPS[32])  # off the map: some bins are empty
    t = scene.pooled
    assert t.empty_bins.any() and not t.empty_bins.all()
    d = steps.describe_output(scene)
    expected = [value(v) for v in t.output[scene.channel].ravel()]
    assert words_of(d, "value") == expected
    assert "empty bin: outputs 0" in legend_labels(d)


# ====================================================================== 3. corner labels outside the box
@pytest.mark.parametrize("preset, roi, outside", [
    (ARTICLE, ROI, 2), (ARTICLE, (180, 40, 130, 130), 2),  # the article's, and a box on a face near the top
    (FAST_RCNN, ROI, 2), (FAST_RCNN, (180, 40, 130, 130), 2),
    (ARTICLE, (200, 0, 150, 100), 2),  # touching the top edge: the top-left label goes to the left
    # No room outside at one corner: that label goes inside, in its corner, clear of the edges.
    (ARTICLE, (40, 0, 150, 100), 1),  # 1.25 cells from the left edge, on the top edge
    (ARTICLE, (300, 380, 200, 120), 1),  # 0.375 cell from the map's bottom-right corner
])
def test_projection_labels_sit_outside_the_box_and_inside_the_axes(preset, roi, outside):
    scene = scene_for(preset, roi)
    d = steps.describe_features(scene)
    x, y, w, h = scene.pooled.projected
    labels = texts(d, "corner")
    # A corner is a point, (x, y); the axes say which is which: x counts columns, y rows.
    assert [m.text for _, m in labels] == [f"({exact(x)}, {exact(y)})", f"({exact(x + w)}, {exact(y + h)})"]
    names = words_of(d, "axis name")
    assert any(n.startswith("x: column") for n in names) and any(n.startswith("y: row") for n in names)
    (p, box), = [(q, m) for q, m in d.marks(Rect) if m.kind == "roi"]
    bx, by, bw, bh = place.rect(p, box)
    grow = look.ROI_STROKE.edge_width / 2  # half the outline with its black edge
    outline = (bx - grow, by - grow, bw + 2 * grow, bh + 2 * grow)
    within = (bx + grow, by + grow, bw - 2 * grow, bh - 2 * grow)
    frames = [(m.x, m.y, m.w, m.h) for _, m in d.marks(Rect) if m.kind == "corner frame"]
    assert len(frames) == 2
    for (q, t), frame in zip(labels, frames):  # clear of the box's edges; only where there is no room outside, in its corner
        fx, fy, fw, fh = frame
        tx, ty, tw, th = place.text_box(q, t)
        assert fx <= tx and tx + tw <= fx + fw and fy <= ty and ty + th <= fy + fh, "the words leave their frame"
        assert not overlap(frame, outline) or (within[0] <= fx and fx + fw <= within[0] + within[2] and
                                              within[1] <= fy and fy + fh <= within[1] + within[3]), "a label covers the box's edge"
        assert p.x - 1 <= fx and fx + fw <= p.x + p.w + 1 and p.y - 1 <= fy and fy + fh <= p.y + p.h + 1, "off the map"
    assert sum(not overlap(f, outline) for f in frames) >= outside
    assert not overlap(*frames)
    # The words list the same numbers as the labels.
    text = words.step_features(scene)
    for p in scene.pooled.projected:
        assert f"= **{exact(p)}**" in text


# ====================================================================== 4. PrRoI has no sampling points
@pytest.mark.parametrize("aligned", [True, False])
def test_precise_roi_pooling_words_never_mention_points_it_does_not_have(aligned):
    scene = scene_for(ARTICLE, method="prroi", aligned=aligned)
    for step in walkthrough.steps("prroi"):
        text = step.words(scene).lower()
        assert text.count("point") == text.count("no sampling points"), step.key
    integrate = sampling_words.step_integrate(scene)
    assert integrate.startswith("**No sampling points.**")
    assert "bins are therefore integrated exactly where the box was drawn" in integrate or not aligned
    # RoIAlign keeps its points.
    align = scene_for(ARTICLE, method="align")
    assert "The points therefore lie where the box was drawn" in sampling_words.step_sampling(align)


# ====================================================================== 5. 6 whole cells, 5.75 of the RoI
def test_the_split_loss_says_why_it_is_not_the_dropped_cells():
    scene = scene_for(ARTICLE)
    t = scene.pooled
    split = split_loss(t)
    assert (t.dropped_cells, split) == (6, 5.75)
    assert "**6 cells of the region are dropped**" in words.step_bins(scene)
    out = words.step_output(scene)
    assert f"lost to the split: {cells(split)} (step 4 counted {cells(t.dropped_cells)} of the region in no bin" in out
    assert f"the remaining {cells(t.dropped_cells - split)} were gained by quantization" in out
    assert f"lost: split: {cells(split)}" in legend_labels(steps.describe_output(scene))
    assert f"in no bin: {cells(t.dropped_cells)}" in legend_labels(steps.describe_bins(scene))
    # When the RoI covers the dropped cells whole, there is nothing to explain.
    even = scene_for(ARTICLE, roi=(288, 192, 192, 160))  # 6 x 5 cells exactly: rows 9 and 10 dropped, all the RoI's
    assert split_loss(even.pooled) == even.pooled.dropped_cells == 12
    assert "step 4 counted" not in words.step_output(even)


# ====================================================================== 6. the grid is the stride
@pytest.mark.parametrize("layer, stride, field", [("pool5", 32, 212), ("conv5_3", 16, 196)])
def test_step_one_calls_the_grid_the_stride_and_says_what_a_cell_sees(layer, stride, field):
    from roi_viz.study.receptive import receptive_field

    scene = scene_for(ARTICLE, layer=layer)
    text = words.step_image(scene)
    assert words.receptive_size(layer) == receptive_field(layer).size == field  # REFERENCE.md §7
    assert f"{stride} pixels is the **stride**" in text and f"about {field} × {field} pixels" in text
    assert "not** what its cell sees" in text and "stand for" not in text
    title = heading(steps.describe_image(scene))
    assert f"grid lines every {stride} px = the stride" in title and "one cell" not in title


# ====================================================================== 7. every shade has a legend entry
AREAS = ("lost", "gained", "dropped", "shared", "bin face")  # the shaded kinds of steps 3 and 4


def _key(m: Rect) -> tuple:
    """What a reader matches between an area and its legend swatch: fill, hatch and the hatch's colour."""
    return (m.fill, m.hatch, m.hatch_colour if m.hatch else None)


@pytest.mark.parametrize("preset", ["article", "fastrcnn", "article7"])
@pytest.mark.parametrize("figure", [steps.describe_quantize, steps.describe_bins])
def test_every_shade_and_hatch_of_steps_3_and_4_is_in_the_legend(preset, figure):
    scene = scene_for(PRESETS[preset])
    d = figure(scene)
    swatches = {_key(m) for _, m in d.marks(Rect) if m.kind == "swatch"}
    shaded = [m for _, m in d.marks(Rect) if m.kind in AREAS]
    assert shaded or figure is steps.describe_bins and "every bin is empty" in heading(d)
    for m in shaded:
        assert _key(m) in swatches, (figure.__name__, m.kind, _key(m), swatches)
    if any(m.kind == "cell" for _, m in d.marks(Rect)) and figure is steps.describe_quantize:  # the channel, in greys
        assert f"channel {scene.channel}: darker = larger" in legend_labels(d)
        assert f"channel {scene.channel}" in words.step_quantize(scene)


# ====================================================================== 8. one rule for numbers
def test_the_numbers_rule():
    assert [exact(v) for v in (9.25, 6.0, 6.25, 4.53125, 145 / 32, 100.5 / 32)] == ["9.25", "6", "6.25", "4.53125", "4.53125", "3.140625"]
    assert [num(v) for v in (28.3203125, 5.3203125, 10.530625, 2.782188, 5.75, 6.0, -0.001)] == ["28.32", "5.32", "10.53", "2.78", "5.75", "6", "0"]
    assert cells(5.3203125) == "5.32 cells" and cells(1) == "1 cell" and cells(1.001) == "1 cell"
    assert pct(17.25 / 28.3203125) == "60.9 %"
    assert [value(v) for v in (0.0123456, 4.5678, 123.4, 1234.5, 0.0)] == ["0.0123", "4.57", "123", "1234", "0"]
    assert [value(v) for v in (999.6, 999.4, -999.7, 5e-7)] == ["1000", "999", "-1000", "0.000000500"]
    # 3 significant figures are written, trailing zeros too: a weight of 0.64 reads 0.640, 1 reads 1.00.
    assert [value(v) for v in (0.64, 4.5, 12.0, 9.996, 99.96, 0.5)] == ["0.640", "4.50", "12.0", "10.0", "100", "0.500"]
    assert weight(1.0) == "1.00" and weight(0.64) == "0.640" and weight(0.0) == "0"
    assert rounded(4.53125) and not rounded(9.25) and eq(1.5) == "=" and eq(10 / 7) == "≈"


DECIMALS = re.compile(r"\d+\.(\d+)")


@pytest.mark.parametrize("preset, method", [("article", "pool"), ("fastrcnn", "pool"), ("article7", "pool"),
                                            ("article", "prroi")])
def test_no_word_or_figure_text_has_more_than_2_decimals_but_the_projection(preset, method):
    """With activations between 10 and 100 (3 significant figures: at most 1 decimal), every number
    with 3 or more decimals in the words or in any text of a figure must be the RoI's projection."""
    fm = np.floor(RNG.uniform(10, 100, MAPS[16 if PRESETS[preset]["layer"] == "pool5" else 32].shape)).astype(np.float32)
    scene = scene_for(PRESETS[preset], fm=fm, method=method)
    x, y, w, h = scene.pooled.projected
    allowed = {exact(v) for v in (x, y, w, h, x + w, y + h)}
    for step in walkthrough.steps(method):
        d = step.describe(scene)
        shown = [m.text for _, m in d.marks(Text)] + [m.title for _, m in d.marks() if getattr(m, "title", "")]
        shown += [d.alt, step.words(scene)]
        for text in shown:
            for m in DECIMALS.finditer(text):
                if len(m.group(1)) > 2:
                    assert m.group(0) in allowed, (step.key, m.group(0), text[:120])


def test_bilinear_weights_read_the_same_in_the_table_and_the_figure():
    from roi_viz.figures.sampling import describe_bilinear

    scene = build_scene(IMAGE, MAPS[16], [ROI], 0, Settings(method="align"), focus=(1, 1, 2))
    r = scene.chosen
    table = sampling_words.step_bilinear(scene)
    d = describe_bilinear(scene)
    marks = set(words_of(d, "weight"))
    weights = [w for _, _, w in r.neighbours(1, 1, 2) if w > 0]
    assert marks == {f"×{weight(w)}" for w in weights}
    for w in weights:
        assert f"| {weight(w)} |" in table
    read = value(r.sample_values[scene.channel, 1, 1, 2])
    assert f"reads {read}" in heading(d) and f"**{read}**" in table


def test_the_json_keeps_every_digit():
    from roi_viz import export

    data = export.numbers(scene_for(ARTICLE))
    assert data["projected"] == [9.25, 6.0, 6.25, 4.53125]
    assert data["areas"]["projected"] == 28.3203125 and data["areas"]["lost"] == 5.3203125


# ====================================================================== 9. Fast R-CNN's 7 x 7 bins, legible
@pytest.mark.parametrize("preset", ["article", "fastrcnn"])
def test_bin_numbers_are_clear_of_every_line(preset):
    scene = scene_for(PRESETS[preset])
    t = scene.pooled
    d = steps.describe_bins(scene)
    inside, outside = texts(d, "bin label"), texts(d, "bin number")
    ph, pw = t.output_size
    if preset == "article":  # big bins side by side: the number in the middle of each
        assert len(inside) == ph * pw and not outside
        edges = {(int(m.y), int(m.x)): (q, m) for q, m in d.marks(Rect) if m.kind == "bin"}
        for q, label in inside:
            i, j = (int(v) for v in label.text.split(","))
            r0, r1, c0, c1 = t.bins[i][j]
            eq_, edge = edges[r0, c0]
            x, y, w, h = place.rect(eq_, edge)
            pad = edge.stroke.width  # the bin's edge line, and as much again
            bx, by, bw, bh = place.text_box(q, label)
            assert x + pad < bx and bx + bw < x + w - pad and y + pad < by and by + bh < y + h - pad
    else:  # overlapping bins 1.4 x 1.9 cells: numbered on the chart's free sides, clear of the grid
        assert not inside and {m.text.split("–")[0] for _, m in outside} >= {"0"}
        firsts = {m.text.split("–")[0] for _, m in outside}
        assert str(ph - 1) in firsts or any("–" in m.text for _, m in outside)
        (plot,) = {q for q, m in d.marks(Rect) if m.kind == "bin face"}
        boxes = [place.text_box(q, m) for q, m in outside]
        for box in boxes:
            assert not overlap(box, (plot.x, plot.y, plot.w, plot.h)), "a bin number lies on the grid"
        for a, b in zip(boxes, boxes[1:]):
            assert not overlap(a, b)
    # Legible in the 528-px lesson column: every text at least 12 px high, none over another or over a line.
    assert problems(d, 528) == []


# ====================================================================== 10. words a student knows
def test_the_glossary_explains_every_term_in_one_line():
    needed = {"stride", "feature map", "cell", "bin", "quantize", "bilinear interpolation", "RoIAlign", "RoIWarp",
              "Precise RoI Pooling", "coverage", "receptive field", "aligned=True", "sampling ratio", "pool5",
              "conv5_3 + ReLU", "Mask R-CNN"}
    assert needed <= set(glossary.GLOSSARY)
    for term, line in glossary.GLOSSARY.items():
        assert "\n" not in line and 20 < len(line) < 200 and line.endswith("."), term
    assert set(glossary.INLINE) <= set(glossary.GLOSSARY)


WALKS = [  # (settings, the terms whose first mention must carry their explanation)
    (dict(ARTICLE, method="align"), ["pool5", "sampling ratio", "aligned=True"]),
    (dict(FAST_RCNN, method="align", align_mode="max"), ["conv5_3 + ReLU", "sampling ratio", "aligned=True", "Mask R-CNN"]),
    (dict(ARTICLE, method="prroi"), ["pool5", "aligned=True"]),
    (dict(ARTICLE, method="warp", sampling_ratio=0), ["pool5", "sampling ratio"]),
]


@pytest.mark.parametrize("walk", range(len(WALKS)))
def test_a_term_is_explained_where_it_first_appears(walk):
    changes, terms = WALKS[walk]
    scene = scene_for(changes)
    texts = [step.words(scene) for step in walkthrough.steps(scene.method)]
    for term in terms:
        first = next(k for k, text in enumerate(texts) if term in text)
        at = texts[first].index(term)
        assert glossary.INLINE[term] in texts[first][at:], (term, first)
    for text in texts:
        assert "tent" not in text and "allows this too" not in text


# ====================================================================== small and edge boxes
SMALL_BOXES = [(100, 100, 30, 30), (100, 100, 16, 16), (100, 100, 200, 30), (100, 100, 5, 5), (0, 0, 1, 1),
               (500, 500, 12, 12), (0, 480, 512, 32)]


@pytest.mark.parametrize("roi", SMALL_BOXES, ids=[str(b) for b in SMALL_BOXES])
@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_every_step_of_every_method_draws_and_explains_small_and_edge_boxes(preset, roi):
    """Bins of a region of a cell or two overlap or share a centre; empty splits; boxes on the border."""
    from roi_viz.methods import METHODS

    for method in METHODS:
        scene = scene_for(PRESETS[preset], roi=roi, method=method)
        for step in walkthrough.steps(method):
            d = step.describe(scene)
            assert problems(d, 528) == [], (method, step.key)
            assert d.alt.strip() and step.words(scene).strip(), (method, step.key)


def test_the_photo_step_colours_the_boxes_as_the_board_does():
    """Step 1's photo and the board mark the same box as followed, in the same colours (the board's come from Python)."""
    from roi_viz.lesson.shown import ROI_FOLLOWED, ROI_OTHER
    from ui.board import _settings

    colours = _settings(32, None, (3, 3), "pool", "article", 0, (512, 512))["colours"]
    assert (colours["active"], colours["box"]) == (ROI_FOLLOWED, ROI_OTHER)
    boxes = [(40, 40, 150, 120), ROI, (60, 330, 120, 140)]
    for active in range(3):
        scene = build_scene(IMAGE, MAPS[16], boxes, active, Settings().with_(**ARTICLE))
        d = steps.describe_image(scene)
        drawn = {(m.x, m.y, m.w, m.h): m for _, m in d.marks(Rect) if m.kind in ("roi", "followed roi")}
        for k, box in enumerate(boxes):
            m = drawn[tuple(float(v) for v in box)]
            assert m.stroke.colour == (ROI_FOLLOWED if k == active else ROI_OTHER), (active, k)
            assert m.stroke.edge == "#000000"  # outlined in black, as on the board, so it reads on any photo
            assert (m.kind == "followed roi") == (k == active)
        tags = {m.text: m for _, m in texts(d, "roi tag")}
        assert set(tags) == {f"RoI {k + 1}" for k in range(3)}
        fills = {m.fill for _, m in d.marks(Rect) if m.kind == "roi tag"}
        assert fills == {ROI_FOLLOWED, ROI_OTHER}

"""RoI pooling's walkthrough steps as described for the page, a projector and a phone.

Measured on the description itself (no model, no browser): over both presets (the article's pool5 3 x 3, Fast
R-CNN's conv5_3 7 x 7), output sizes 1 to 7, the model trained and untrained (the red label takes a row, and
values of 0.01 times the size have 6 characters), and boxes: the article's, a tiny one, two on the image's edge,
one reaching off the map, and random ones from a seeded generator. Every drawing must keep its texts legible
where it is shown, clear of each other and inside it (``layout_checks.problems``). What a student reads must be
the trace's numbers: the corners of the projected box, the values printed at their cells, the bins' names, the
output and where the RoI's area went; the titles and legend words are those the page showed before the figures
were described, written out word for word (:func:`old_titles`); and both painters must show the same texts.
"""
import io
import itertools
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PIL import Image

from layout_checks import problems
from roi_viz.figures import look
from roi_viz.figures.steps import (describe_bins, describe_features, describe_image, describe_output, describe_pool,
                                   describe_quantize, photo_jpeg)
from roi_viz.lesson.numbers import cells, exact, pct, rows_by_columns, value
from roi_viz.state.settings import ARTICLE, FAST_RCNN, Settings
from roi_viz.lesson.shown import pool_values, split_loss, window
from roi_viz.methods import build_scene
from roi_viz.ops import geometry as g
from roi_viz.picture import mpl, place, svg
from roi_viz.picture.spec import Line, Photo, Rect, Text

PRESETS = {"article": ARTICLE, "fastrcnn": FAST_RCNN}
OUTS = (1, 2, 3, 5, 7)
IMAGE = Image.fromarray((np.arange(512 * 512 * 3) % 251).astype(np.uint8).reshape(512, 512, 3))
ARTICLE_ROI = (296, 192, 200, 145)
_rng = np.random.default_rng(2026)
BOXES = {
    "article": ARTICLE_ROI,
    "tiny": (100, 100, 12, 10),
    "top right edge": (400, 0, 112, 90),
    "bottom left edge": (0, 400, 180, 112),
    "off the map": (-40, 470, 100, 90),
    **{f"random {k}": tuple(float(v) for v in (*_rng.integers(0, 440, 2), *_rng.integers(8, 320, 2)))
       for k in range(3)},
}
STEPS = {"image": describe_image, "features": describe_features, "quantize": describe_quantize, "bins": describe_bins,
         "pool": describe_pool, "output": describe_output}
SIZES = (  # (how it is described, shown px wide, least px a text may be there)
    (dict(), 528, 12),  # the page: 560 px in the 528-px lesson column
    (dict(width=1000.0, text=20.0), 900, 18),  # a projector
    (dict(width=360.0, text=12.0), 360, 12),  # a phone
)
NS = {"s": "http://www.w3.org/2000/svg"}


def scene_for(preset, out, roi=ARTICLE_ROI, pretrained=True, scale=1.0, rois=None, active=0, **changes):
    settings = Settings().with_(**preset).with_(output_size=(out, out), shape="square", **changes)
    side = 512 // settings.stride
    fm = (np.random.default_rng(out).random((4, side, side)) * scale).astype(np.float32)
    return build_scene(IMAGE, fm, rois or [roi], active, settings, pretrained=pretrained)


def texts(d, kind=None):
    return [(p, m) for p, m in d.marks(Text) if kind is None or m.kind == kind]


def words(d, kind) -> list[str]:
    return [m.text for _, m in texts(d, kind)]


def cell_of(p, m) -> tuple[int, int]:
    """The cell ``(row, column)`` under a text's centre."""
    x, y, w, h = place.text_box(p, m)
    (x0, _), (y0, _) = p.xlim, p.ylim
    sx, sy = p.scale()
    return int(np.floor(y0 + (y + h / 2 - p.y) / sy)), int(np.floor(x0 + (x + w / 2 - p.x) / sx))


def inside(a, b, slack=0.01) -> bool:
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    return ax >= bx - slack and ay >= by - slack and ax + aw <= bx + bw + slack and ay + ah <= by + bh + slack


def apart(a, b) -> bool:
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    return ax + aw <= bx or bx + bw <= ax or ay + ah <= by or by + bh <= ay


POOL_HEADINGS = {  # what max pooling's title says of what it prints, word for word as the page always said it
    "all": "max per bin (red box; its value in bold)",
    "maxima": "each bin's max (red box) and its value",
    "none": "where each bin's max is (red box)",
    "empty": "no bin has a cell, so every output is 0",
}


def old_titles(scene, step):
    """A step's titles and legend labels as the page showed them before the figures were described, word for word,
    computed from the scene's numbers: ``(titles, legend labels)``."""
    t = scene.pooled
    ph, pw = t.output_size
    if step == "image":
        (IW, IH), s = scene.input_dims, t.stride
        size = f"{IW}×{IH} px" + ("" if IW == IH else " (w×h)")
        return [f"Model input {size}; grid lines every {exact(s)} px = the stride"], []
    if step == "features":
        H, W = t.map_size
        C = scene.features.shape[0]
        what = f"mean over {C} channels" if scene.mean_view else f"channel {scene.channel} of {C}"
        return [f"Feature map, {H} rows × {W} columns: {what}"], []
    if step == "bins":
        full = any(s[1] > s[0] and s[3] > s[2] for row in t.bins for s in row)
        bh, bw = t.bin_size
        legend = ["a bin"] if full else []  # how the bins are named follows what fits: checked on its own
        legend += [f"in no bin: {cells(t.dropped_cells)}"] if t.dropped_cells else []
        legend += [f"read by 2+ bins: {cells(t.shared_cells)}"] if t.shared_cells else []
        return ([f"{ph}×{pw} bins of {rows_by_columns(bh, bw)}" + ("" if full else ": every bin is empty")],
                legend + ["RoI as projected", "quantized region"])
    if step == "output":
        parts = [(t.covered_area, "reaches the output"), (t.lost_area, "lost: quantization"), (split_loss(t), "lost: split")]
        legend = ["empty bin: outputs 0"] if np.asarray(t.empty_bins).any() else []
        return ([f"Output {ph}×{pw}×{t.channels}: channel {scene.channel}",
                 f"Where the RoI's {cells(t.projected_area)} went: coverage {pct(t.coverage)}"],
                legend + [f"{label}: {cells(part)}" for part, label in parts])
    raise KeyError(step)


# ------------------------------------------------------------------------------------------ layout
@pytest.mark.parametrize("out", OUTS)
@pytest.mark.parametrize("pname", PRESETS)
@pytest.mark.parametrize("step", STEPS)
@pytest.mark.slow
def test_every_text_is_legible_clear_of_the_others_and_inside_the_figure(step, pname, out):
    for (bname, box), (pretrained, scale) in itertools.product(BOXES.items(), ((True, 1.0), (False, 0.01))):
        scene = scene_for(PRESETS[pname], out, box, pretrained, scale)
        for kw, shown, least in SIZES:
            d = STEPS[step](scene, **kw)
            assert problems(d, shown, least) == [], (bname, pretrained, kw)
            assert d.alt and d.width == kw.get("width", 560.0)


def test_the_photo_with_many_boxes_keeps_every_text_clear_and_the_followed_number():
    rng = np.random.default_rng(7)
    for k in range(6):
        rois = [tuple(float(v) for v in (*rng.integers(0, 440, 2), *rng.integers(8, 300, 2))) for _ in range(6)]
        rois.append((rois[0][0] + 4, rois[0][1] + 4, 60, 50))  # two tags that would meet
        scene = scene_for(ARTICLE, 3, rois=rois, active=k)
        for kw, shown, least in SIZES:
            d = describe_image(scene, **kw)
            assert problems(d, shown, least) == [], kw
            assert f"RoI {k + 1}" in words(d, "roi tag")


def test_the_feature_map_in_the_mean_view_has_no_faults_and_says_what_it_shows():
    for pname, out in itertools.product(PRESETS, (3, 7)):
        scene = scene_for(PRESETS[pname], out, mean_view=True)
        for kw, shown, least in SIZES:
            d = describe_features(scene, **kw)
            assert problems(d, shown, least) == []
            assert "mean over 4 channels" in " ".join(words(d, "title"))


def wide_scene(preset, out, roi, W, H, mean=False):
    """A model input of ``W x H`` pixels (proportions kept): a map of ``H / stride`` rows and ``W / stride`` columns."""
    settings = Settings().with_(**preset).with_(output_size=(out, out), mean_view=mean)
    s = int(settings.stride)
    fm = np.random.default_rng(out).random((3, H // s, W // s)).astype(np.float32)
    return build_scene(Image.new("RGB", (W, H), (90, 120, 150)), fm, [roi], 0, settings)


@pytest.mark.parametrize("W, H", [(768, 512), (512, 768), (1024, 1024)])
@pytest.mark.slow
def test_inputs_of_other_shapes_and_sizes_have_no_faults_and_name_their_sizes_as_before(W, H):
    # A tall map's panel is narrowed to keep the drawing's height: its y axis's name moves with it, off the numbers.
    for preset, roi, out in itertools.product((ARTICLE, FAST_RCNN), (ARTICLE_ROI, (0, 0, W, H), (W - 50, H - 40, 50, 40)),
                                              (3, 7)):
        scene = wide_scene(preset, out, roi, W, H, mean=out == 7)
        for step, describe in STEPS.items():
            for kw, shown, least in SIZES:
                assert problems(describe(scene, **kw), shown, least) == [], (step, roi, out, kw)
    scene = wide_scene(FAST_RCNN, 7, ARTICLE_ROI, W, H)
    rows, cols = scene.pooled.map_size
    assert f"{rows} rows × {cols} columns" in " ".join(words(describe_features(scene), "title"))
    size = f"{W}×{H} px" + ("" if W == H else " (w×h)")
    assert f"Model input {size};" in " ".join(words(describe_image(scene), "title"))
    assert [" ".join(words(describe_image(scene), "title"))] == old_titles(scene, "image")[0]
    assert [" ".join(words(describe_features(scene), "title"))] == old_titles(scene, "features")[0]


# ------------------------------------------------------------------------------------------ step 1: the photo
@pytest.mark.parametrize("pname", PRESETS)
def test_the_photo_is_the_model_input_with_a_line_every_stride_and_every_roi_numbered(pname):
    rois = [(296, 192, 200, 145), (20, 30, 100, 80), (300, 20, 150, 120)]
    scene = scene_for(PRESETS[pname], 3, rois=rois, active=1)
    s = scene.pooled.stride
    d = describe_image(scene)
    assert old_titles(scene, "image")[0] == [" ".join(words(d, "title"))]  # the title, word for word
    assert words(d, "title") and " ".join(words(d, "title")) == f"Model input 512×512 px; grid lines every {exact(s)} px = the stride"
    assert words(d, "axis name") == ["y (pixels)", "x (pixels)"]
    ticks = [float(w) for w in words(d, "tick")]
    assert ticks and all(v % s == 0 for v in ticks) and 0.0 in ticks and 512.0 in ticks
    (p, photo), = d.marks(Photo)
    assert (photo.x, photo.y, photo.w, photo.h) == (0, 0, 512, 512) and p.xlim == (0, 512) and p.ylim == (0, 512)
    shown = np.asarray(Image.open(io.BytesIO(photo.data)).convert("RGB"), float)
    assert shown.shape == (512, 512, 3) and np.abs(shown - np.asarray(IMAGE, float)).mean() < 12  # JPEG, the photo
    xs = sorted(m.points[0][0] for _, m in d.marks(Line) if m.kind == "stride line" and m.points[0][0] == m.points[1][0])
    assert xs == [float(v) for v in np.arange(s, 512, s)]
    boxes = {(m.x, m.y, m.w, m.h): m for _, m in d.marks(Rect) if m.kind in ("roi", "followed roi")}
    assert set(boxes) == {tuple(float(v) for v in b) for b in rois}
    assert boxes[tuple(float(v) for v in rois[1])].stroke == look.FOLLOWED_STROKE
    assert all(boxes[tuple(float(v) for v in b)].stroke == look.OTHER_STROKE for k, b in enumerate(rois) if k != 1)
    tags = {m.text: m for _, m in texts(d, "roi tag")}
    assert set(tags) == {"RoI 1", "RoI 2", "RoI 3"}
    assert tags["RoI 2"].colour == "#ffffff" and tags["RoI 2"].size > tags["RoI 1"].size  # the followed one stands out
    # Each tag sits at its box's top-left corner, inside the photo.
    photo_px = place.rect(p, Rect(0, 0, 512, 512))
    for k, box in enumerate(rois):
        (pp, tag), = [(q, m) for q, m in texts(d, "roi tag") if m.text == f"RoI {k + 1}"]
        x, y, w, h = place.text_box(pp, tag)
        bx, by = p.to_px(box[0], box[1])
        assert inside((x, y, w, h), photo_px) and abs(x - bx) < 12 and abs(y - by) < 12
    assert "RoI 2, the one followed" in d.alt


def test_the_photo_is_encoded_once_per_image():
    scene = scene_for(ARTICLE, 3)
    a = next(m for _, m in describe_image(scene).marks(Photo)).data
    b = next(m for _, m in describe_image(scene, width=1000.0, text=20.0).marks(Photo)).data
    assert a is b and a is photo_jpeg(scene.image)  # the same bytes, not encoded again
    other = IMAGE.copy()
    assert photo_jpeg(other) is not a and photo_jpeg(other) == a  # a new image is encoded; the same pixels, same bytes


# ------------------------------------------------------------------------------------------ step 2: the feature map
CORNER_CASES = [
    (ARTICLE, ARTICLE_ROI), (ARTICLE, (180, 40, 130, 130)), (FAST_RCNN, ARTICLE_ROI), (FAST_RCNN, (180, 40, 130, 130)),
    (ARTICLE, (200, 0, 150, 100)),  # touching the top edge
    (ARTICLE, (40, 0, 150, 100)),  # 1.25 cells from the left edge, on the top edge
    (ARTICLE, (300, 380, 200, 120)),  # 0.375 cell from the map's bottom-right corner
    (ARTICLE, (0, 0, 512, 512)),  # the whole photo: no room outside
    (FAST_RCNN, (100, 100, 12, 10)),  # tiny
]


@pytest.mark.parametrize("preset, roi", CORNER_CASES)
def test_the_corners_are_written_as_points_outside_the_box_and_clear_of_each_other(preset, roi):
    scene = scene_for(preset, 3, roi)
    x, y, w, h = scene.pooled.projected
    for kw, _, _ in SIZES:
        d = describe_features(scene, **kw)
        assert words(d, "corner") == [f"({exact(x)}, {exact(y)})", f"({exact(x + w)}, {exact(y + h)})"]
        (p, roi_mark), = [(q, m) for q, m in d.marks(Rect) if m.kind == "roi"]
        assert (roi_mark.x, roi_mark.y, roi_mark.w, roi_mark.h) == pytest.approx((x, y, w, h))
        assert roi_mark.stroke.dash  # dashed
        bx, by, bw, bh = place.rect(p, roi_mark)
        grow = look.ROI_STROKE.edge_width / 2
        outline = (bx - grow, by - grow, bw + 2 * grow, bh + 2 * grow)
        within = (bx + grow, by + grow, bw - 2 * grow, bh - 2 * grow)
        frames = [m for _, m in d.marks(Rect) if m.kind == "corner frame"]
        assert len(frames) == 2 and apart(*[(f.x, f.y, f.w, f.h) for f in frames])
        for f, (q, t) in zip(frames, texts(d, "corner")):
            box = (f.x, f.y, f.w, f.h)
            assert inside(place.text_box(q, t), box)  # the words in their frame
            assert inside(box, (p.x, p.y, p.w, p.h))  # on the map
            assert apart(box, outline) or inside(box, within)  # never across the box's outline
        if w * h < 0.9 * np.prod(scene.pooled.map_size):  # room outside the box: both labels are outside it
            assert all(apart((f.x, f.y, f.w, f.h), outline) for f in frames), kw


@pytest.mark.parametrize("mean", [False, True])
def test_every_cell_of_the_map_answers_a_hover_with_its_value_and_the_title_is_the_old_one(mean):
    scene = scene_for(FAST_RCNN, 7, mean_view=mean)
    d = describe_features(scene)
    H, W = scene.pooled.map_size
    chan = scene.features.mean(axis=0) if mean else scene.features[scene.channel]
    cells_ = [m for _, m in d.marks(Rect) if m.kind == "cell"]
    assert len(cells_) == H * W
    name = "mean" if mean else f"channel {scene.channel}"
    for m in cells_:
        r, c = int(m.y), int(m.x)
        assert m.title == f"{name}, row {r}, column {c}: {value(float(chan[r, c]))}"
    assert old_titles(scene, "features")[0] == [" ".join(words(d, "title"))]
    assert words(d, "scale") == [f"{value(float(chan.min()))} (lowest)", f"{value(float(chan.max()))} (highest)"]


# ------------------------------------------------------------------------------------------ step 4: the bins
BIN_CASES = [(pname, out, bname) for pname in PRESETS for out in OUTS for bname in ("article", "tiny", "random 0")]


@pytest.mark.parametrize("pname, out, bname", BIN_CASES)
def test_the_bins_keep_the_old_title_and_legend_and_name_every_bin_where_it_is(pname, out, bname):
    scene = scene_for(PRESETS[pname], out, BOXES[bname])
    t = scene.pooled
    ph, pw = t.output_size
    titles, legend = old_titles(scene, "bins")
    for kw, _, _ in SIZES:
        d = describe_bins(scene, **kw)
        assert [" ".join(words(d, "title"))] == titles
        labels = words(d, "legend")
        # The legend's words are the old figure's, but for how the bins are named, which follows what fits here.
        assert [w for w in labels if not w.startswith("a bin")] == [w for w in legend if not w.startswith("a bin")]
        assert sum(w.startswith("a bin") for w in labels) == sum(w.startswith("a bin") for w in legend)
        assert f"in no bin: {cells(t.dropped_cells)}" in labels or not t.dropped_cells
        full = [(i, j) for i, row in enumerate(t.bins) for j, s in enumerate(row) if s[1] > s[0] and s[3] > s[2]]
        inner = texts(d, "bin label")
        numbers = texts(d, "bin number")
        if not full:
            assert not inner and not numbers and "every bin is empty" in titles[0]
        elif inner:
            assert "a bin (row, col)" in labels and not numbers
            assert sorted(m.text for _, m in inner) == sorted(f"{i},{j}" for i, j in full)
            faces = {m.title.split(":")[0]: (q, m) for q, m in d.marks(Rect) if m.kind == "bin face"}
            for q, m in inner:  # each name inside the bin it names
                fq, face = faces[f"bin {m.text}"]
                assert inside(place.text_box(q, m), place.rect(fq, face))
        else:
            assert "a bin: row on the right, column on top" in labels
            (p,) = [q for q, m in d.marks(Rect) if m.kind == "bin face"][:1]
            right = [(q, m) for q, m in numbers if place.text_box(q, m)[0] >= p.x + p.w]
            top = [(q, m) for q, m in numbers if place.text_box(q, m)[1] + place.text_box(q, m)[3] <= p.y]
            assert len(right) + len(top) == len(numbers) and right and top
            assert words(d, "axis name")[:3] == ["y: row (cells)", "bin row", "bin column"]
            # Each number level with the centre of the bins it names: of their whole cells (the article's rule) or of
            # the fractional bins the rule computes (Fast R-CNN's), in cells.
            if t.scheme == "article":
                row_c = [(t.bins[i][0][0] + t.bins[i][0][1]) / 2 for i in range(ph)]
                col_c = [(t.bins[0][j][2] + t.bins[0][j][3]) / 2 for j in range(pw)]
            else:
                rows, cols = _fractional(t)
                row_c = [(rows[i] + rows[i + 1]) / 2 for i in range(ph)]
                col_c = [(cols[j] + cols[j + 1]) / 2 for j in range(pw)]
            for q, m in right:
                _, ty, _, th = place.text_box(q, m)
                assert ty + th / 2 == pytest.approx(p.to_px(0, row_c[int(m.text.split("–")[0])])[1], abs=0.5), m.text
            for q, m in top:
                x, _, w, _ = place.text_box(q, m)
                assert x + w / 2 == pytest.approx(p.to_px(col_c[int(m.text.split("–")[0])], 0)[0], abs=0.5), m.text
            shown_cols = [int(m.text.split("–")[0]) for _, m in top]
            assert shown_cols == sorted(shown_cols) and shown_cols[0] == 0  # thinned: every k-th, from the first


def _fractional(t):
    xs, ys, _, _ = t.quantized
    ph, pw = t.output_size
    bh, bw = t.bin_size
    H, W = t.map_size
    return np.clip(ys + np.arange(ph + 1) * bh, 0, H), np.clip(xs + np.arange(pw + 1) * bw, 0, W)


def test_the_articles_bins_are_whole_cells_and_fast_rcnns_are_where_the_rule_puts_them():
    art = scene_for(ARTICLE, 3)
    d = describe_bins(art)
    edges = [m for _, m in d.marks(Rect) if m.kind == "bin"]
    assert sorted((m.x, m.y, m.w, m.h) for m in edges) == sorted(
        g.box_of_span(s) for row in art.pooled.bins for s in row if s[1] > s[0] and s[3] > s[2])
    dropped = sum(m.w * m.h for _, m in d.marks(Rect) if m.kind == "dropped")
    assert dropped == art.pooled.dropped_cells == 6
    assert all(m.hatch == look.DROPPED[1] for _, m in d.marks(Rect) if m.kind == "dropped")
    fast = scene_for(FAST_RCNN, 7)
    d = describe_bins(fast)
    rows, cols = _fractional(fast.pooled)
    lines = [m for _, m in d.marks(Line) if m.kind == "bin edge"]
    assert sorted({m.points[0][0] for m in lines if m.points[0][0] == m.points[1][0]}) == pytest.approx(sorted(set(cols)))
    assert sorted({m.points[0][1] for m in lines if m.points[0][1] == m.points[1][1]}) == pytest.approx(sorted(set(rows)))
    shared = sum(m.w * m.h for _, m in d.marks(Rect) if m.kind == "shared")
    assert shared == fast.pooled.shared_cells and f"read by 2+ bins: {cells(shared)}" in words(d, "legend")


# ------------------------------------------------------------------------------------------ step 5: max pooling
POOL_CASES = [(ARTICLE, ARTICLE_ROI, 3), (FAST_RCNN, ARTICLE_ROI, 3), (FAST_RCNN, ARTICLE_ROI, 7),
              (ARTICLE, ARTICLE_ROI, 7), (ARTICLE, (100, 100, 12, 10), 1), (FAST_RCNN, (0, 400, 180, 112), 2)]


@pytest.mark.parametrize("preset, roi, out", POOL_CASES)
def test_max_pooling_prints_the_channels_values_at_their_cells_the_maxima_in_bold(preset, roi, out):
    """The title says what is printed, in the page's words; what it says is what is printed (every value of the
    region with the maxima in bold, only the maxima, or none and a note); on the page it is what the step's words
    were told (:func:`pool_values` at the page's cell width), elsewhere what fits at the figure's own."""
    scene = scene_for(preset, out, roi)
    t = scene.pooled
    chan = scene.features[scene.channel]
    page = pool_values(scene)
    qr0, qr1, qc0, qc1 = t.region
    region = sorted((r, c) for r in range(qr0, qr1) for c in range(qc0, qc1))
    for kw, _, _ in SIZES:
        d = describe_pool(scene, **kw)
        title = " ".join(words(d, "title"))
        modes = [k for k, h in POOL_HEADINGS.items() if title == f"Channel {scene.channel}: {h}"]
        assert len(modes) == 1, title
        mode = modes[0]
        if not kw:
            assert mode == page.mode, (title, page.mode)  # the figure the words describe says what they say
        printed = texts(d, "value")
        if not kw:
            assert sorted(cell_of(q, m) for q, m in printed) == sorted(page.cells)
        if mode == "all":
            assert sorted(cell_of(q, m) for q, m in printed) == region
        elif mode == "maxima":
            assert sorted(cell_of(q, m) for q, m in printed) == sorted(page.winners)
        elif mode == "none":
            assert not printed and "too small" in " ".join(words(d, "note"))
        else:
            assert not page.winners and sorted(cell_of(q, m) for q, m in printed) in ([], region)
        for q, m in printed:
            r, c = cell_of(q, m)
            assert m.text == value(float(chan[r, c]))
            assert (m.weight == "bold") == ((r, c) in page.winners)
        argmax = sorted((int(m.y), int(m.x)) for _, m in d.marks(Rect) if m.kind == "argmax")
        want = sorted(t.argmax_cell(scene.channel, i, j) for i in range(t.output_size[0]) for j in range(t.output_size[1])
                      if t.argmax_cell(scene.channel, i, j))
        assert argmax == want
        r0, r1, c0, c1 = window(scene)
        assert len([m for _, m in d.marks(Rect) if m.kind == "cell"]) == (r1 - r0) * (c1 - c0)


def test_the_articles_max_pooling_prints_every_value_on_the_page_and_the_projector():
    scene = scene_for(ARTICLE, 3)
    assert pool_values(scene).mode == "all"
    for kw in ({}, dict(width=1000.0, text=20.0)):
        assert len(texts(describe_pool(scene, **kw), "value")) == scene.pooled.region_area == 24


# ------------------------------------------------------------------------------------------ step 6: the output
OUTPUT_CASES = [(ARTICLE, ARTICLE_ROI, 3), (ARTICLE, ARTICLE_ROI, 7), (FAST_RCNN, ARTICLE_ROI, 7),
                (FAST_RCNN, (-40, 470, 100, 90), 7), (FAST_RCNN, (100, 100, 12, 10), 2), (ARTICLE, (0, 400, 180, 112), 1)]


@pytest.mark.parametrize("preset, roi, out", OUTPUT_CASES)
def test_the_output_shows_the_traces_values_hatches_empty_bins_and_says_where_the_area_went(preset, roi, out):
    scene = scene_for(preset, out, roi)
    t = scene.pooled
    ph, pw = t.output_size
    outs = t.output[scene.channel]
    titles, legend = old_titles(scene, "output")
    for kw, _, _ in SIZES:
        d = describe_output(scene, **kw)
        assert " ".join(m.text for _, m in texts(d, "title")).startswith(titles[0])
        heading = " ".join(m.text for _, m in texts(d, "title"))
        assert heading == f"{titles[0]} {titles[1]}"  # the grid's title, then the bar's
        assert sorted(words(d, "legend")) == sorted(legend)  # the empty bin's entry, the coverage bar's three
        cells_ = {(int(m.y), int(m.x)): m for _, m in d.marks(Rect) if m.kind == "output"}
        assert len(cells_) == ph * pw
        for (i, j), m in cells_.items():
            note = " (an empty bin: it outputs 0)" if t.empty_bins[i, j] else ""
            assert m.title == f"row {i}, column {j}: {value(float(outs[i, j]))}{note}"
            assert (m.hatch, m.hatch_colour) == ((look.EMPTY[1], look.EMPTY[2]) if t.empty_bins[i, j] else ("", "#000000"))
        printed = texts(d, "value")
        if printed:
            assert len(printed) == ph * pw
            for q, m in printed:
                assert m.text == value(float(outs[cell_of(q, m)]))
        else:
            assert "too small" in " ".join(words(d, "note"))
        shares = [m for _, m in d.marks(Rect) if m.kind == "share"]
        parts = [t.covered_area, t.lost_area, split_loss(t)]
        assert [m.w for m in shares] == pytest.approx([v / t.projected_area for v in parts if v > 0])
        assert all(m.text in {pct(v / t.projected_area) for v in parts} for _, m in texts(d, "share value"))


def test_the_article_output_prints_its_nine_values_and_the_coverage():
    scene = scene_for(ARTICLE, 3)
    d = describe_output(scene)
    want = [value(float(v)) for v in scene.pooled.output[scene.channel].ravel()]
    assert words(d, "value") == want
    assert "60.9 %" in words(d, "share value") and "coverage 60.9 %" in " ".join(words(d, "title"))


def test_every_bin_empty_is_hatched_and_printed_as_0():
    scene = scene_for(ARTICLE, 7)  # the quantized box is 4 x 6 cells: no bin has a cell
    assert scene.pooled.empty_bins.all()
    d = describe_output(scene)
    assert words(d, "value") == ["0"] * 49
    assert "empty bin: outputs 0" in words(d, "legend")
    assert sum(1 for _, m in d.marks(Rect) if m.kind == "output" and m.hatch == look.EMPTY[1]) == 49
    assert "every bin is empty" in " ".join(words(describe_bins(scene), "title"))
    assert "every output is 0" in " ".join(words(describe_pool(scene), "title"))


# ------------------------------------------------------------------------------------------ both painters
@pytest.mark.parametrize("step", STEPS)
@pytest.mark.slow
def test_both_painters_show_every_text_at_the_same_place(step):
    for pname, out, pretrained in itertools.product(PRESETS, (3, 7), (True, False)):
        scene = scene_for(PRESETS[pname], out, pretrained=pretrained)
        d = STEPS[step](scene)
        specs = list(d.marks(Text))
        tree = ET.fromstring(svg.paint(d))
        assert [e.text or "" for e in tree.findall(".//s:text", NS)] == [m.text for _, m in specs]
        fig = mpl.paint(d)
        assert [t.get_text() for t in fig.texts] == [m.text for _, m in specs]
        for (p, m), t in zip(specs, fig.texts):
            x, y = fig.transFigure.transform(t.get_position())
            assert (x, fig.bbox.height - y) == pytest.approx(place.text(p, m), abs=0.01)
        if step == "image":
            (image,) = tree.findall(".//s:image", NS)
            assert image.get("href").startswith("data:image/jpeg;base64,")
        titled = [r for r in tree.findall(".//s:rect", NS) if r.find("s:title", NS) is not None]
        assert len(titled) == sum(1 for _, m in d.marks(Rect) if m.title)


def test_the_descriptions_import_no_painting_library():
    code = ("import sys, roi_viz.figures.steps; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('matplotlib', 'streamlit')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]", out

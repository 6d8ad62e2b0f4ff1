"""One order for two numbers, on every screen.

The convention (the glossary's "order of numbers"): a point is (x, y) and a box
(x, y, w, h); a cell or a bin is (row, column); the size of a block of cells or
bins is rows × columns, as the output size ``out=2x4`` is 2 rows of 4; a
picture's size in pixels is width × height. These tests read the words of every
step of every method, in both presets, for square and non-square maps, outputs
and snapped regions, and check each pair against the trace it comes from. They
also read the figures that were hard to read: Fast R-CNN's 7 × 7 bins, RoIAlign's
coverage legend and the weights table's significant figures.
"""
import re

import numpy as np
import pytest
from PIL import Image

from roi_viz.figures import sampling
from roi_viz.figures import steps
from roi_viz.lesson import glossary, sampling_words, words
from roi_viz.state import options
from roi_viz.state.settings import ARTICLE, FAST_RCNN, Settings
from roi_viz.methods import METHODS, build_scene
from roi_viz.picture.spec import Line, Rect, Text
from roi_viz import walkthrough

NUM = r"\d+(?:\.\d+)?"
PAIR = re.compile(rf"({NUM})\s(?:rows?\s)?×\s({NUM})(?:\scolumns?)?")
NOUNS = re.compile(r"^\W{0,3}\s*(?:=\s*\d+\s*)?(?:cells|bins|grid|region|points|values|map|tensor|rows|columns|of cells)")


def plain(markdown: str) -> str:
    return markdown.replace("**", "").replace("*", "")


def near(printed: str, expected: float) -> bool:
    """A number as the words print it (exact, or to 2 decimals) against the trace's."""
    return abs(float(printed) - float(expected)) <= 0.005 + 1e-9


def cases():
    """Scenes over both presets, square and non-square maps, outputs 3x3, 2x4, 4x2 and 7x7, and random boxes."""
    rng = np.random.default_rng(27)
    found = []
    setups = [
        (ARTICLE, (512, 512)),  # pool5: a 16 x 16 map
        (FAST_RCNN, (768, 512)),  # conv5_3, proportions kept: 32 rows x 48 columns
        (dict(ARTICLE, shape="aspect"), (512, 768)),  # pool5, a portrait photo: 24 rows x 16 columns
    ]
    for preset, (W, H) in setups:
        for out in ((3, 3), (2, 4), (4, 2), (7, 7)):
            for method in METHODS:
                for k in range(3):
                    settings = Settings().with_(**preset).with_(method=method, output_size=out)
                    s = settings.stride
                    fm = rng.random((3, H // s, W // s)).astype(np.float32)
                    w, h = float(rng.integers(40, 330)), float(rng.integers(40, 330))
                    roi = (float(rng.integers(0, W - w)), float(rng.integers(0, H - h)), w, h)
                    focus = (int(rng.integers(out[0])), int(rng.integers(out[1])), int(rng.integers(4)))
                    found.append(build_scene(Image.new("RGB", (W, H)), fm, [roi], 0, settings, focus=focus))
    return found


CASES = cases()


def title(d) -> str:
    """A described figure's headings, as read top to bottom."""
    return " ".join(m.text for _, m in d.marks(Text) if m.kind == "title")


def legend(d) -> list[str]:
    return [m.text for _, m in d.marks(Text) if m.kind == "legend"]


def fractional_bins(t) -> tuple[np.ndarray, np.ndarray]:
    """Fast R-CNN's bins as its rule computes them, in cells: from the snapped box's start, a fractional bin size
    apart, clipped to the map (``ph + 1`` row edges, ``pw + 1`` column edges)."""
    xs, ys, _, _ = t.quantized
    bh, bw = t.bin_size
    return (np.clip(ys + bh * np.arange(t.output_size[0] + 1), 0, t.map_size[0]),
            np.clip(xs + bw * np.arange(t.output_size[1] + 1), 0, t.map_size[1]))


def test_the_cases_have_non_square_maps_regions_and_outputs():
    assert any(sc.pooled.map_size[0] != sc.pooled.map_size[1] for sc in CASES)
    assert any((lambda r: r[1] - r[0] != r[3] - r[2])(sc.pooled.region) for sc in CASES)
    assert any(sc.pooled.output_size == (2, 4) for sc in CASES)


def size_checks(sc):
    """``(pattern, expected (a, b))``: every phrase that names the size of a block, and what it must say."""
    t, r = sc.pooled, sc.chosen
    H, W = t.map_size
    IW, IH = sc.input_dims
    r0, r1, c0, c1 = t.region
    ph, pw = t.output_size
    checks = [
        (rf"\(({NUM}) rows × ({NUM}) columns of cells in all\)", (H, W)),
        (rf"each a grid of ({NUM}) rows × ({NUM}) columns", (H, W)),
        (rf"\(({NUM}) × ({NUM}) cells in all\)", (H, W)),  # the map, however it is worded
        (rf"a ({NUM}) × ({NUM}) × {NUM} feature map", (H, W)),
        (rf"each a ({NUM}) × ({NUM}) grid", (H, W)),
        (rf"({NUM}) × ({NUM}) = {NUM} cells\.", (r1 - r0, c1 - c0)),  # the snapped region, step 3
        (rf"Split into ({NUM}) × ({NUM}) bins", (ph, pw)),
        (rf"needs exactly ({NUM}) × ({NUM}) values per channel", (ph, pw)),
        (rf"the ({NUM}) × ({NUM}) region", (r1 - r0, c1 - c0)),
        (rf"Every bin is ({NUM}) × ({NUM}) cells", t.bin_size),
        (rf"({NUM}) × ({NUM}) values per channel: a ({NUM}) × ({NUM}) × {NUM} tensor", (ph, pw, ph, pw)),
        (rf"resized to ({NUM}) × ({NUM}) pixels \(a square", (IW, IH)),  # a picture: width x height
        (rf"builds its input: ({NUM}) × ({NUM}) pixels \(width × height\)", (IW, IH)),
        (rf"({NUM}) × ({NUM})-pixel", (IW, IH)),
        (rf"about ({NUM}) × ({NUM}) pixels around its square", (words.receptive_size(sc.settings.layer),) * 2),
        # Position-sensitive RoIAlign: one channel group per bin of the output
        (rf"({NUM}) × ({NUM}) bins need {NUM} groups", (ph, pw)),
        (rf"A ({NUM}) × ({NUM}) output has {NUM} bins", (ph, pw)),
        (rf"The output is ({NUM}) × ({NUM}) × {NUM}: ({NUM}) × ({NUM}) values", (ph, pw, ph, pw)),
    ]
    if hasattr(r, "grid"):
        checks.append((rf"({NUM}) × ({NUM}) points", r.grid))
    if hasattr(r, "bin_size") and r is not t:
        checks.append((rf"into ({NUM}) × ({NUM}) bins of ({NUM}) × ({NUM}) cells", (ph, pw) + tuple(r.bin_size)))
        checks.append((rf"\(({NUM}) × ({NUM}) [=≈] {NUM} cells²\)", r.bin_size))
    if getattr(r, "region", None) and r is not t:  # RoIWarp's snapped box
        a0, a1, b0, b1 = r.region
        checks.append((rf"\(({NUM}) × ({NUM}) cells\), and from here", (a1 - a0, b1 - b0)))
    return checks


@pytest.mark.parametrize("k", range(0, len(CASES), 6))
def test_every_size_phrase_is_rows_by_columns_of_the_thing_it_names(k):
    for sc in CASES[k:k + 6]:
        for step in walkthrough.steps(sc.method):
            text = plain(step.words(sc))
            checked = []
            for pattern, expected in size_checks(sc):
                for m in re.finditer(pattern, text):
                    got = m.groups()
                    assert all(near(g, e) for g, e in zip(got, expected)), \
                        (sc.method, sc.settings.output_size, step.key, m.group(0), "expected", expected)
                    checked.append(m.span())
            # A size phrase the test cannot place (a new sentence) must be added above, not slip through.
            for m in PAIR.finditer(text):
                if any(a <= m.start() < b for a, b in checked):
                    continue
                assert not NOUNS.match(text[m.end():m.end() + 20]), (step.key, "unchecked size", text[m.start() - 30:m.end() + 30])


@pytest.mark.parametrize("k", range(0, len(CASES), 6))
def test_every_point_is_x_then_y_and_every_cell_row_then_column(k):
    for sc in CASES[k:k + 6]:
        t, r = sc.pooled, sc.chosen
        ph, pw = t.output_size
        fi, fj, fk = sc.focus
        for step in walkthrough.steps(sc.method):
            text = plain(step.words(sc))
            where = (sc.method, step.key, sc.settings.output_size)
            # Points, (x, y): the RoI's corner in pixels, its projection in cells, a sampling point.
            for m in re.finditer(rf"x = ({NUM}), y = ({NUM})", text):
                x, y = float(m.group(1)), float(m.group(2))
                candidates = [t.roi[:2]]
                if hasattr(r, "samples"):
                    py, px = r.samples[fi, fj, fk]
                    candidates.append((px, py))
                assert any(near(m.group(1), cx) and near(m.group(2), cy) for cx, cy in candidates), (where, x, y)
            for m in re.finditer(rf"^- (x|y|w|h): ({NUM}) / {NUM} = ({NUM})$", text, re.M):
                n = "xywh".index(m.group(1))
                assert near(m.group(2), t.roi[n]) and near(m.group(3), t.projected[n]), (where, m.group(0))
            for m in re.finditer(rf"^- (columns|rows): ({NUM}) → ", text, re.M):  # Fast R-CNN's corners: x is a column
                assert near(m.group(2), t.projected[0 if m.group(1) == "columns" else 1]), (where, m.group(0))
            for m in re.finditer(rf"columns ({NUM}) to ({NUM}), rows ({NUM}) to ({NUM}) on the map", text):
                x, y, w, h = r.box
                assert all(near(g, e) for g, e in zip(m.groups(), (x, x + w, y, y + h))), (where, m.group(0))
            # Cells and bins, (row, column).
            for m in re.finditer(r"bin \((\d+), (\d+)\)", text):
                assert (int(m.group(1)), int(m.group(2))) == (fi, fj), (where, m.group(0))
            for m in re.finditer(r"^\| \((\d+), (\d+)\) \| rows? (\d+)(?: to (\d+))?, cols? (\d+)(?: to (\d+))? \|", text, re.M):
                i, j = int(m.group(1)), int(m.group(2))
                assert i < ph and j < pw, (where, m.group(0))
                a0, a1, b0, b1 = t.bins[i][j]
                rows = (int(m.group(3)), int(m.group(4) or m.group(3)))
                cols = (int(m.group(5)), int(m.group(6) or m.group(5)))
                assert rows == (a0, a1 - 1) and cols == (b0, b1 - 1), (where, m.group(0), t.bins[i][j])
            if step.key == "bilinear" and r.valid[fi, fj, fk]:
                cells = [(int(a), int(b)) for a, b in re.findall(r"^\| \((\d+), (\d+)\) \|", text, re.M)]
                assert cells == [(rr, cc) for rr, cc, _ in r.neighbours(fi, fj, fk)], (where, cells)
            for m in re.finditer(r"\| bin (\(row, col\))? ?\|", text):
                assert m.group(1), (where, "a table of bins says their order")


def test_the_glossary_states_the_order_once_as_the_output_size_reads():
    line = glossary.GLOSSARY["order of numbers"]
    assert "(x, y)" in line and "(x, y, w, h)" in line and "(row, column)" in line and "rows × columns" in line
    assert "width × height" in line
    # out=2x4 is 2 rows of 4 columns, as the glossary says.
    rows, cols = options.BY_LINK["out"].parse("2x4")
    assert (rows, cols) == (2, 4) and Settings(output_size=(rows, cols)).output_size == (2, 4)
    assert "2 × 4: 2 rows of 4" in line


def test_the_figures_name_sizes_rows_by_columns():
    sc = next(sc for sc in CASES if sc.method == "pool" and sc.pooled.map_size == (32, 48))
    assert "32 rows × 48 columns" in title(steps.describe_features(sc))
    assert "768×512 px (w×h)" in title(steps.describe_image(sc))
    t = sc.pooled
    heading = title(steps.describe_bins(sc))
    bh, bw = t.bin_size
    assert f"{t.output_size[0]}×{t.output_size[1]} bins of {words.num(bh)} row" in heading and f"× {words.num(bw)} column" in heading


# ------------------------------------------------------------------ Fast R-CNN's 7 x 7 bins: every bin edge seen
def _fast_rcnn_scene(roi=(296, 192, 200, 145)):
    settings = Settings().with_(**FAST_RCNN)
    fm = np.random.default_rng(0).random((3, 32, 48)).astype(np.float32)
    return build_scene(Image.new("RGB", (768, 512), (90, 120, 150)), fm, [roi], 0, settings)


def _luminance(colour: str) -> float:
    """A ``#rrggbb`` colour's luma, 0 (black) to 255 (white)."""
    r, g, b = (int(colour[k:k + 2], 16) for k in (1, 3, 5))
    return 0.299 * r + 0.587 * g + 0.114 * b


@pytest.mark.parametrize("roi", [(296, 192, 200, 145), (100, 60, 300, 180)])
def test_fast_rcnn_bin_edges_are_drawn_dark_and_above_lighter_cell_lines(roi):
    """Every bin edge where the rule puts it, a dark line the whole length of the bins, painted above the light,
    thinner cell lines (both painters paint a panel's marks in order); the RoI's outline above all."""
    sc = _fast_rcnn_scene(roi)
    t = sc.pooled
    assert t.output_size == (7, 7) and t.shared_cells  # the case that was a dotted checkerboard
    d = steps.describe_bins(sc)
    rows, cols = fractional_bins(t)
    (panel,) = {p for p, m in d.marks(Line) if m.kind == "bin edge"}
    order = list(panel.marks)
    edges = [(k, m) for k, m in enumerate(order) if isinstance(m, Line) and m.kind == "bin edge"]
    grid = [(k, m) for k, m in enumerate(order) if isinstance(m, Line) and m.kind == "cell line"]
    assert edges and grid
    # One vertical line per column edge and one level line per row edge, each across every bin.
    upright = sorted((m.points[0][0], min(m.points[0][1], m.points[1][1]), max(m.points[0][1], m.points[1][1]))
                     for _, m in edges if m.points[0][0] == m.points[1][0])
    level = sorted((m.points[0][1], min(m.points[0][0], m.points[1][0]), max(m.points[0][0], m.points[1][0]))
                   for _, m in edges if m.points[0][1] == m.points[1][1])
    assert [x for x, _, _ in upright] == pytest.approx(sorted(cols))
    assert [y for y, _, _ in level] == pytest.approx(sorted(rows))
    assert all(a == pytest.approx(rows[0]) and b == pytest.approx(rows[-1]) for _, a, b in upright)
    assert all(a == pytest.approx(cols[0]) and b == pytest.approx(cols[-1]) for _, a, b in level)
    # Dark over light: a bin edge is black (on a white frame), at least twice as wide as a cell line, which is light.
    for _, m in edges:
        assert _luminance(m.stroke.colour) < 70 and m.stroke.width >= 2 * max(g.stroke.width for _, g in grid)
    assert all(_luminance(g.stroke.colour) > 110 for _, g in grid)
    assert min(k for k, _ in edges) > max(k for k, _ in grid), "a cell line is painted over a bin edge"
    # The shaded cells (dropped, shared) lie under both.
    shaded = [k for k, m in enumerate(order) if isinstance(m, Rect) and m.kind in ("dropped", "shared")]
    assert shaded and max(shaded) < min(k for k, _ in grid)
    # The RoI's dashed outline is painted above everything: where it runs along a bin edge, it is what shows.
    (roi_at,) = [k for k, m in enumerate(order) if isinstance(m, Rect) and m.kind == "roi"]
    assert roi_at > max(k for k, _ in edges)
    # Some cell line is no bin edge (it stays light inside a bin): the case tells them apart.
    assert [c for c in range(int(np.ceil(cols[0])), int(cols[-1]) + 1) if all(abs(c - e) > 0.2 for e in cols)]


# ------------------------------------------------------------------ RoIAlign's coverage: no legend entry for nothing
@pytest.mark.parametrize("aligned", [True, False])
def test_roialign_output_legend_names_only_what_is_there(aligned):
    settings = Settings().with_(**ARTICLE).with_(method="align", aligned=aligned)
    fm = np.random.default_rng(1).random((3, 16, 16)).astype(np.float32)
    sc = build_scene(Image.new("RGB", (512, 512)), fm, [(296, 192, 200, 145)], 0, settings)
    d = sampling.describe_output(sc)
    labels = legend(d)
    assert not any(re.search(r": 0 cells?$", label) for label in labels), labels
    text = sampling_words.output_between_cells(sc)
    if aligned:
        assert labels == [f"inside the bins: {words.cells(sc.chosen.projected_area)}"], labels
        assert "½-cell shift" not in " ".join(labels) and "Coverage: 100 %" in text
        assert "100 % inside the bins" in title(d)
    else:  # the legacy rule does leave part of the RoI outside the bins, and says how much
        assert any(label.startswith("outside the bins (½-cell shift): ") for label in labels), labels


# ------------------------------------------------------------------ 3 significant figures, as promised
@pytest.mark.parametrize("seed", range(6))
def test_the_weights_table_writes_three_significant_figures(seed):
    rng = np.random.default_rng(seed)
    settings = Settings().with_(**ARTICLE).with_(method="align", sampling_ratio=1)
    fm = (rng.random((3, 16, 16)) * 10.0 ** rng.integers(-2, 3)).astype(np.float32)
    # Bins of one cell starting 0.2 cell past a cell edge: each point lies 0.2 cell past a cell centre, so its
    # weights are 0.8 x 0.8 = 0.64, 0.16, 0.16 and 0.04, which 3 significant figures write 0.640, 0.160, 0.0400.
    c, r = (int(v) for v in rng.integers(1, 10, 2))
    roi = (32 * (c + 0.2), 32 * (r + 0.2), 96.0, 96.0)
    focus = (int(rng.integers(3)), int(rng.integers(3)), 0)
    sc = build_scene(Image.new("RGB", (512, 512)), fm, [roi], 0, settings, focus=focus)
    assert any(abs(w - 0.64) < 1e-6 for _, _, w in sc.chosen.neighbours(*focus))
    text = sampling_words.step_bilinear(sc)
    assert "3 significant figures" in text
    table = [line for line in text.splitlines() if line.startswith("| ") and not line.startswith("| cell")]
    numbers = [n for line in table for n in re.findall(r"-?\d+\.\d+|-?\d+(?![\d,)])", line.split("|", 2)[2])]
    assert numbers
    for n in numbers:
        digits = n.lstrip("-").replace(".", "").lstrip("0")
        assert n == "0" or len(digits) >= 3, (n, table)


# ------------------------------------------------------------------ the handout and the numbers table say it the same way
def test_the_handout_cover_gives_the_map_as_rows_by_columns():
    from roi_viz.export import handout

    sc = next(sc for sc in CASES if sc.method == "align" and sc.pooled.map_size == (32, 48))
    texts = [t.get_text() for t in handout._cover_page(sc, "photo.jpg").texts]
    C = sc.features.shape[0]
    assert f"32 rows × 48 columns of cells, {C} channels" in texts, texts
    assert not any("48 × 32 cells" in t for t in texts)


@pytest.mark.parametrize("layer", ["pool5", "conv5_3"])
def test_the_stride_is_said_once_where_the_layer_is_named(layer):
    """The layer's label names its stride ("VGG16 up to pool5 (stride 32)"); whoever prints the label adds none."""
    from roi_viz.lesson.alt import alt_text, key_numbers
    from roi_viz.model.layers import LAYERS

    label = LAYERS[layer].label
    assert f"(stride {LAYERS[layer].stride})" in label  # the sidebar's list of layers shows it
    sc = next(sc for sc in CASES if sc.settings.layer == layer)
    for name, text in key_numbers(sc):
        if label in text:
            assert text.count("stride") == 1, (name, text)
    assert any(label in text for _, text in key_numbers(sc))
    for step in walkthrough.steps(sc.method):
        for text in (step.words(sc), alt_text(sc, step.title)):
            for line in text.split(". "):
                assert line.count("stride") <= 1 or label not in line, line


def test_the_comparison_draws_fast_rcnn_bins_at_their_edges():
    """The comparison's RoI pooling panel under Fast R-CNN's rule: one line per bin edge, where the rule puts it
    (overlapping whole-cell outlines drawn over each other hid every bin). Read on the description both painters
    paint, and on the Matplotlib figure made from it."""
    from painted import fig_compare
    from roi_viz.figures.compare import describe_compare
    from roi_viz.methods import run_all

    sc = _fast_rcnn_scene()
    t = sc.pooled
    traces = run_all(sc.features, sc.rois[0], sc.settings)
    reads = describe_compare(sc, traces, METHODS).panels[0]  # what RoI pooling reads
    rows, cols = fractional_bins(t)
    xs = sorted({m.points[0][0] for m in reads.marks if isinstance(m, Line) and m.kind == "bin"
                 and m.points[0][0] == m.points[1][0]})
    assert all(any(abs(x - c) < 1e-6 for x in xs) for c in cols), (xs, cols)
    assert not [m for m in reads.marks if isinstance(m, Rect) and m.kind == "bin"], "whole-cell outlines drawn"
    fig = fig_compare(sc, traces, METHODS)
    painted = sorted({round(float(x), 6) for ln in fig.axes[0].lines if ln.get_gid() == "bin"
                      for x in set(ln.get_xdata()) if len(set(ln.get_xdata())) == 1})
    assert painted == pytest.approx(xs)

def test_what_a_cell_sees_counts_the_cells_read_as_rows_by_columns():
    import io

    from roi_viz.figures.receptive import describe_roi_field
    from roi_viz.study.receptive import receptive_field

    photo = io.BytesIO()
    Image.new("RGB", (512, 512)).save(photo, format="JPEG")
    # Rows 6 to 8 and columns 9 to 14 of pool5: 3 rows of 6 cells (the "6×3 cells" was columns first).
    d = describe_roi_field(photo.getvalue(), (512, 512), receptive_field("pool5"), (296, 192, 200, 145), (6, 9, 9, 15), 1)
    labels = [m.text for _, m in d.marks(Text) if m.kind == "legend"]
    assert "the 3 rows × 6 columns of cells its pooled output reads" in labels, labels

"""The steps of RoIAlign, RoIWarp and Precise RoI Pooling as described for the page, a projector and a phone.

Measured on the description itself (no model, no browser): over both presets (the article's pool5 3 x 3, Fast
R-CNN's conv5_3 7 x 7), output sizes 1 to 7, the model trained and untrained (the red label takes a row, and
values of 0.01 times the size have 6 characters), and boxes: the article's, a tiny one, one on the image's edge,
one reaching off the map (its points there read 0), and random ones from a seeded generator. Every drawing must
keep its texts legible where it is shown, clear of each other and inside it (``layout_checks.problems``); what a
student reads must be the trace's numbers: each sampling point's hover, the weights of the bilinear step, the
points' values, PrRoI's shares, the output and where the RoI's area went; and both painters must show the same
texts.
"""
import itertools
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from PIL import Image

from layout_checks import problems
from roi_viz.figures.sampling import (describe_bilinear, describe_combine, describe_integrate, describe_output,
                                      describe_sampling)
from roi_viz.lesson.numbers import cells, num, pct, rows_by_columns, value, weight
from roi_viz.state.settings import ARTICLE, FAST_RCNN, Settings
from roi_viz.lesson.shown import printed_shares, window
from roi_viz.methods import build_scene
from roi_viz.picture import mpl, place, svg
from roi_viz.picture.spec import Line, Point, Rect, Text

PRESETS = {"article": ARTICLE, "fastrcnn": FAST_RCNN}
OUTS = (1, 2, 3, 5, 7)
IMAGE = Image.new("RGB", (512, 512), (90, 120, 150))
ARTICLE_ROI = (296, 192, 200, 145)
_rng = np.random.default_rng(2024)
BOXES = {
    "article": ARTICLE_ROI,
    "tiny": (100, 100, 8, 8),
    "edge": (0, 0, 160, 120),
    "off the map": (-40, 470, 100, 90),
    **{f"random {k}": tuple(float(v) for v in (*_rng.integers(0, 420, 2), *_rng.integers(16, 300, 2)))
       for k in range(2)},
}
STEPS = {"align": (describe_sampling, describe_bilinear, describe_combine, describe_output),
         "warp": (describe_sampling, describe_bilinear, describe_combine, describe_output),
         "prroi": (describe_integrate, describe_output)}
SIZES = (  # (how it is described, shown px wide, least px a text may be there)
    (dict(), 528, 12),  # the page: 560 px in the 528-px lesson column
    (dict(width=1000.0, text=20.0), 900, 18),  # a projector
    (dict(width=360.0, text=12.0), 360, 12),  # a phone
)


def scene_for(preset, out, method, roi=ARTICLE_ROI, pretrained=True, scale=1.0, focus=None, **changes):
    settings = Settings().with_(**preset).with_(output_size=(out, out), shape="square", method=method, **changes)
    side = 512 // settings.stride
    fm = (np.random.default_rng(out).random((4, side, side)) * scale).astype(np.float32)
    return build_scene(IMAGE, fm, [roi], 0, settings, pretrained=pretrained,
                       focus=focus if focus is not None else (out - 1, out // 2, 3))


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


# ------------------------------------------------------------------------------------------ layout
@pytest.mark.parametrize("pname,out", list(itertools.product(PRESETS, OUTS)))
@pytest.mark.slow
def test_every_text_is_legible_clear_of_the_others_and_inside_the_figure(pname, out):
    found = []
    for (bname, roi), (pretrained, scale), method in itertools.product(BOXES.items(), ((True, 1.0), (False, 0.01)),
                                                                       STEPS):
        sc = scene_for(PRESETS[pname], out, method, roi, pretrained, scale)
        for describe, (size, shown, least) in itertools.product(STEPS[method], SIZES):
            d = describe(sc, **size)
            assert d.width == size.get("width", 560.0)
            found += [f"{describe.__name__} {method} {bname} {pretrained} {d.width:.0f}: {p}"
                      for p in problems(d, shown, least)]
            if not pretrained:
                assert "UNTRAINED VGG16: features are random" in words(d, "badge")
    assert not found, "\n".join(found[:30])


# ------------------------------------------------------------------------------------------ sampling
@pytest.mark.parametrize("method", ["align", "warp"])
@pytest.mark.parametrize("bname", list(BOXES))
def test_sampling_points_say_where_they_are_and_what_they_read(method, bname):
    for pname, out in itertools.product(PRESETS, (2, 7)):
        sc = scene_for(PRESETS[pname], out, method, BOXES[bname])
        r = sc.chosen
        d = describe_sampling(sc)
        title = " ".join(words(d, "title"))
        if not r.points_per_bin:
            assert title == "No cells to sample: the box snapped to nothing"
            continue
        (ph, pw), (bh, bw), (gh, gw) = r.output_size, r.bin_size, r.grid
        assert title == f"{ph}×{pw} bins of {rows_by_columns(bh, bw)}; {gh}×{gw} points in each"
        shown = [m for _, m in d.marks(Point) if m.kind == "sample"]
        want = {}
        for i, j, k in itertools.product(range(ph), range(pw), range(r.points_per_bin)):
            y, x = (float(v) for v in r.samples[i, j, k])
            reads = "off the map, it reads 0" if not r.valid[i, j, k] else \
                f"reads {value(float(r.sample_values[sc.channel, i, j, k]))}"
            want[(x, y)] = f"bin ({i},{j}), point {k + 1} at (x, y) = ({num(x)}, {num(y)}): {reads}"
        assert shown and all(want[(m.x, m.y)] == m.title for m in shown)
        inside = set(want)
        assert {(m.x, m.y) for m in shown} == inside, "every point is drawn, those off the map too"
        (panel,) = {p for p, m in d.marks(Point) if m.kind == "sample"}
        r0, r1, c0, c1 = window(sc)
        (x0, x1), (y0, y1) = panel.xlim, panel.ylim
        assert x0 <= c0 and y0 <= r0 and x1 >= c1 and y1 >= r1, "the lesson's window, grown round the points"
        H, W = r.map_size
        past = x0 < 0 or y0 < 0 or x1 > W or y1 > H
        assert ("off the map" in words(d, "legend")) == past
        assert any(m.kind == "off map area" for _, m in d.marks(Rect)) == past
        legend = words(d, "legend")
        assert {"RoI as projected", "sampling point", "point looked at in the next step"} <= set(legend)
        assert ("quantized region" in legend) == (method == "warp")
        assert ("off the map: reads 0" in legend) == (not r.valid.all())
        assert ("bins" in legend) if (method == "warp" or r.aligned) else ("bins (legacy: ½ cell off)" in legend)
        assert all(m.fill == "#ffffff" and m.shape == "circle" and m.stroke.colour == "#000000" for m in shown)
        i, j, k = sc.focus
        y, x = (float(v) for v in r.samples[i, j, k])
        rings = [m for _, m in d.marks(Point) if m.kind == "focus"]
        assert [(m.x, m.y) for m in rings] == ([(x, y)] if (x, y) in inside else [])
        crosses = [m for _, m in d.marks(Line) if m.kind == "off map"]
        assert len(crosses) == 2 * sum(1 for xy in inside if "reads 0" in want[xy] and "off the map" in want[xy])
        # The bins: one line per edge of each, at the trace's fractional edges.
        bins = [m for _, m in d.marks(Line) if m.kind == "bin"]
        assert sorted(m.points[0][0] for m in bins if m.points[0][0] == m.points[1][0]) == \
            sorted(float(v) for v in r.col_edges)


def test_the_legacy_rule_names_its_half_cell_and_the_off_map_points_are_crossed_in_the_legend():
    sc = scene_for(ARTICLE, 3, "align", BOXES["off the map"], aligned=False)
    assert not sc.chosen.valid.all()
    legend = words(describe_sampling(sc), "legend")
    assert "bins (legacy: ½ cell off)" in legend and "off the map: reads 0" in legend


# ------------------------------------------------------------------------------------------ bilinear
@pytest.mark.parametrize("method", ["align", "warp"])
def test_bilinear_weights_values_and_title_are_the_traces(method):
    rng = np.random.default_rng(5)
    for pname in PRESETS:
        for _ in range(6):
            roi = tuple(float(v) for v in (*rng.integers(0, 400, 2), *rng.integers(40, 200, 2)))
            focus = (int(rng.integers(3)), int(rng.integers(3)), int(rng.integers(4)))
            sc = scene_for(PRESETS[pname], 3, method, roi, focus=focus)
            r, (i, j, k) = sc.chosen, sc.focus
            for size, shown, least in SIZES:
                d = describe_bilinear(sc, **size)
                read = value(float(r.sample_values[sc.channel, i, j, k]))
                assert " ".join(words(d, "title")) == f"Bin ({i},{j}), point {k + 1}: reads {read} (channel {sc.channel})"
                weights = {(rr, cc): w for rr, cc, w in r.neighbours(i, j, k) if w > 0}
                printed = {cell_of(p, m): m.text for p, m in texts(d, "weight")}
                assert printed == {rc: f"×{weight(w)}" for rc, w in weights.items()}
                chan = sc.features[sc.channel]
                values = texts(d, "value")
                notes = " ".join(words(d, "note"))
                assert values or "a hover over a cell gives its value" in notes
                for p, m in values:
                    assert m.text == value(float(chan[cell_of(p, m)]))
                for _, m in d.marks(Rect):
                    if m.kind == "cell":
                        rr, cc = int(m.y), int(m.x)
                        assert m.title == f"channel {sc.channel}, row {rr}, column {cc}: {value(float(chan[rr, cc]))}"
                # A thicker line for a larger weight, one to each cell read.
                leaders = {m.points[1]: m.stroke.width for _, m in d.marks(Line) if m.kind == "leader"}
                assert set(leaders) == {(cc + 0.5, rr + 0.5) for rr, cc in weights}
                for (a, wa), (b, wb) in itertools.combinations(weights.items(), 2):
                    la, lb = leaders[a[1] + 0.5, a[0] + 0.5], leaders[b[1] + 0.5, b[0] + 0.5]
                    assert (la > lb) == (wa > wb + 1e-9) or abs(wa - wb) < 1e-6


def test_a_point_off_the_map_reads_0_in_the_bilinear_title():
    sc = scene_for(ARTICLE, 3, "align", (-100, -100, 150, 150), focus=(0, 0, 0))
    assert not sc.chosen.valid[0, 0, 0]
    d = describe_bilinear(sc)
    assert " ".join(words(d, "title")) == "Bin (0,0), point 1 is off the map: it reads 0"
    assert problems(d, 528) == [] and not texts(d, "weight")
    (panel,) = {p for p, m in d.marks(Point) if m.kind == "focus"}
    y, x = sc.chosen.samples[0, 0, 0]
    assert panel.xlim[0] < x < panel.xlim[1] and panel.ylim[0] < y < panel.ylim[1], "the view reaches the point"
    assert "off the map" in words(d, "legend") and any(m.kind == "off map area" for _, m in d.marks(Rect))


# ------------------------------------------------------------------------------------------ combine
@pytest.mark.parametrize("mode", ["avg", "max"])
@pytest.mark.parametrize("method", ["align", "warp"])
def test_combine_prints_each_points_value_and_rings_each_bins_maximum(method, mode):
    key = "align_mode" if method == "align" else "warp_mode"
    printed_some = False
    for pname, out in itertools.product(PRESETS, (1, 2, 3)):
        sc = scene_for(PRESETS[pname], out, method, **{key: mode})
        r = sc.chosen
        d = describe_combine(sc)
        how = "mean" if mode == "avg" else "max (red ring)"
        assert " ".join(words(d, "title")) == f"Channel {sc.channel}: the {how} of the {r.points_per_bin} points in each bin"
        vals = r.sample_values[sc.channel]
        at = {(float(x), float(y)): value(float(v)) for (y, x), v in zip(r.samples.reshape(-1, 2), vals.reshape(-1))}
        printed = texts(d, "value")
        if printed:
            printed_some = True
            assert len(printed) == vals.size
            for p, m in printed:  # each value just up and right of its point
                near = min(at, key=lambda xy: (xy[0] - m.x) ** 2 + (xy[1] - m.y) ** 2)
                assert m.text == at[near]
        else:
            assert "a hover over a point gives its value" in " ".join(words(d, "note"))
        rings = [(m.x, m.y) for _, m in d.marks(Point) if m.kind == "winner"]
        if mode == "max":
            best = vals.argmax(axis=-1)
            want = [tuple(float(v) for v in r.samples[i, j, best[i, j]][::-1]) for i, j in np.ndindex(best.shape)]
            assert rings == want and "the bin's maximum" in words(d, "legend")
            for i, j in np.ndindex(best.shape):  # the ringed point's value is the bin's output
                assert r.output[sc.channel, i, j] == pytest.approx(vals[i, j].max())
        else:
            assert not rings
    assert printed_some, "the article's 1 x 1 leaves room for its four values"


# ------------------------------------------------------------------------------------------ integrate
@pytest.mark.parametrize("aligned", [True, False])
def test_integrate_prints_the_shares_the_words_add_up(aligned):
    for pname, out in itertools.product(PRESETS, (1, 3, 7)):
        sc = scene_for(PRESETS[pname], out, "prroi", aligned=aligned)
        r, (i, j, _) = sc.chosen, sc.focus
        d = describe_integrate(sc)
        bh, bw = r.bin_size
        assert " ".join(words(d, "title")) == f"Bin ({i},{j}), {rows_by_columns(bh, bw)}: each cell's share"
        legend = words(d, "legend")
        assert f"bin ({i},{j})" in legend and ("bins" if aligned else "bins (authors' rule: ½ cell off)") in legend
        share = r.weight_map(i, j)
        printed = {cell_of(p, m): m.text for p, m in texts(d, "share value")}
        want = printed_shares(sc)
        if printed:
            assert set(printed) == set(want)
            for rc, text in printed.items():
                assert text in (pct(want[rc]), pct(want[rc])[:-2])
            percent_sign = next(iter(printed.values())).endswith("%")
            assert ("share of the bin's average" if percent_sign else "share of the bin's average (%)") in legend
        else:
            assert "a hover over a cell gives its share" in " ".join(words(d, "note"))
        for _, m in d.marks(Rect):
            if m.kind == "cell":
                rr, cc = int(m.y), int(m.x)
                assert m.title == f"row {rr}, column {cc}: {pct(float(share[rr, cc]))} of bin ({i},{j})'s average"
        picked = [m for _, m in d.marks(Rect) if m.kind == "picked bin"]
        assert [(m.x, m.y, m.x + m.w, m.y + m.h) for m in picked] == [pytest.approx(
            (r.col_edges[j], r.row_edges[i], r.col_edges[j + 1], r.row_edges[i + 1]))]


def test_the_articles_shares_are_printed():
    sc = scene_for(ARTICLE, 3, "prroi")
    assert printed_shares(sc), "the article's view prints shares"
    assert texts(describe_integrate(sc), "share value")


# ------------------------------------------------------------------------------------------ output
@pytest.mark.parametrize("method,aligned", [("align", True), ("align", False), ("warp", True), ("prroi", True),
                                            ("prroi", False)])
def test_output_values_and_where_the_area_went(method, aligned):
    for pname, out in itertools.product(PRESETS, OUTS):
        sc = scene_for(PRESETS[pname], out, method, aligned=aligned)
        r = sc.chosen
        d = describe_output(sc)
        ph, pw = r.output_size
        assert words(d, "title")[0] == f"Output {ph}×{pw}×{r.channels}: channel {sc.channel}"
        outp = r.output[sc.channel]
        cells_ = [m for _, m in d.marks(Rect) if m.kind == "output"]
        assert sorted(m.title for m in cells_) == sorted(f"row {i}, column {j}: {value(float(outp[i, j]))}"
                                                         for i, j in np.ndindex(outp.shape))
        printed = texts(d, "value")
        if printed:
            assert {(int(m.y), int(m.x)): m.text for _, m in printed} == \
                {(i, j): value(float(outp[i, j])) for i, j in np.ndindex(outp.shape)}
            for p, m in printed:  # each inside its own cell, clear of its edges
                cx, cy, cw, ch = place.rect(p, Rect(int(m.x), int(m.y), 1, 1))
                x, y, w, h = place.text_box(p, m)
                assert cx + 2 - 1e-6 <= x and x + w <= cx + cw - 2 + 1e-6 and cy <= y and y + h <= cy + ch, m.text
        else:
            assert "a hover over a cell gives its value" in " ".join(words(d, "note"))
        legend = words(d, "legend")
        area = r.projected_area
        assert legend[0] == f"inside the bins: {cells(r.covered_area)}"
        titles = " ".join(words(d, "title"))
        if method == "warp":
            assert legend[1] == f"lost: quantization: {cells(area - r.covered_area)}"
        elif aligned:  # the bins span the RoI: nothing outside, and no legend entry for nothing
            assert legend == [f"inside the bins: {cells(area)}"]
            assert f"The RoI's {cells(area)}: 100 % inside the bins" in titles
        else:
            assert legend[1].startswith("outside the bins (½-cell shift): ")
            assert f"The RoI's {cells(area)}: {pct(r.coverage)} inside the bins" in titles


# ------------------------------------------------------------------------------------------ painters
def test_both_painters_show_every_text_at_the_same_place_and_the_svg_parses():
    ns = {"s": "http://www.w3.org/2000/svg"}
    for method, steps in STEPS.items():
        for pname, describe in itertools.product(PRESETS, steps):
            sc = scene_for(PRESETS[pname], 3, method, pretrained=False)
            d = describe(sc)
            specs = list(d.marks(Text))
            tree = ET.fromstring(svg.paint(d))
            assert [t.text for t in tree.findall(".//s:text", ns)] == [m.text for _, m in specs]
            titles = [t.text for t in tree.findall(".//s:title", ns)]
            assert titles == [m.title for _, m in d.marks() if isinstance(m, (Rect, Point)) and m.title]
            fig = mpl.paint(d)
            FigureCanvasAgg(fig).draw()
            assert [t.get_text() for t in fig.texts] == [m.text for _, m in specs]
            for (p, m), t in zip(specs, fig.texts):
                x, y = fig.transFigure.transform(t.get_position())
                assert (x, fig.bbox.height - y) == pytest.approx(place.text(p, m), abs=0.01), (describe.__name__, m.text)


def test_the_descriptions_import_no_painting_library():
    code = ("import sys, roi_viz.figures.sampling; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('matplotlib', 'streamlit')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]", out


def test_every_text_is_at_least_the_size_asked():
    sc = scene_for(FAST_RCNN, 7, "align")
    for describe in STEPS["align"]:
        for text in (12.0, 13.0, 20.0):
            d = describe(sc, text=text)
            assert min(m.size for _, m in d.marks(Text)) >= text
            assert all(re.sub(r"\s", "", m.text) for _, m in d.marks(Text))

"""The proposals' figures as descriptions: laid out at the page's, the projector's and a phone's sizes, their
numbers the study's, and both painters drawing the same texts.

No model, no selective search, no browser: proposal sets are drawn from seeded random numbers (and a few chosen
boxes: a tiny one, one touching the photo's edge), measured by the lesson's own study at both settings.
"""
import io
import math
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PIL import Image

from layout_checks import problems
from roi_viz.figures import look
from roi_viz.figures.compare import SHAPES
from roi_viz.figures.proposals import (NAMED_MOST, POINTS_NAMED_MOST, describe_by_size, describe_distribution,
                                       describe_ends, describe_on_photo)
from roi_viz.lesson import proposals as proposal_words
from roi_viz.lesson.numbers import num, pct
from roi_viz.methods import METHODS
from roi_viz.picture import mpl, place, scale, svg
from roi_viz.picture.spec import Point, Rect, Text

NS = {"s": "http://www.w3.org/2000/svg"}
SIZE = (512, 384)  # (W, H) of the photo, px
SETTINGS = {"pool5": dict(map_size=(12, 16), stride=32, output_size=(3, 3)),
            "conv5_3": dict(map_size=(24, 32), stride=16, output_size=(7, 7))}
SIZES = [  # (width, text, shown width, least px there): the page in its 528-px column, a projector, a phone
    ("page", 560.0, 13.0, 528, 12.0), ("projector", 1000.0, 20.0, 900, 18.0), ("phone", 360.0, 12.0, 360, 12.0)]
MEASURED = next(m for m in METHODS.values() if m.snaps_to_cells and m.whole_cell_bins)


def boxes_of(name: str) -> np.ndarray:
    """``K x 4`` ``(x, y, w, h)`` px on a 512 x 384 photo."""
    W, H = SIZE
    if name == "chosen":  # the article's box, a tiny one, one touching the bottom-right corner, one as the photo
        return np.array([(296, 192, 200, 145), (10, 10, 3, 2), (400, 300, 112, 84), (0, 0, W, H)], float)
    k = {"few": 7, "many": 2000, "crowd": 400}[name]
    rng = np.random.default_rng({"few": 1, "many": 2, "crowd": 3}[name])
    xy = rng.uniform(0, [W - 2, H - 2], (k, 2))
    wh = np.exp(rng.uniform(np.log(2), np.log(400), (k, 2)))
    return np.column_stack([xy, np.minimum(wh, np.array(SIZE) - xy)])


def study(name: str, layer: str, scheme: str) -> proposal_words.Study:
    return proposal_words.study(boxes_of(name), scheme=scheme, layer=layer, **SETTINGS[layer])


STUDIES = [(n, layer, scheme) for n in ("chosen", "few", "many") for layer in SETTINGS for scheme in ("article", "fastrcnn")]


def photo() -> tuple[bytes, str, tuple[int, int]]:
    buf = io.BytesIO()
    Image.new("RGB", SIZE, (90, 120, 60)).save(buf, format="PNG")
    return buf.getvalue(), "PNG", SIZE


def drawings(st: proposal_words.Study, width: float, text: float):
    """Every figure of the view for ``st``, ``width`` px wide, its smallest text ``text`` px."""
    data, fmt, size = photo()
    for order, drawn in (("rank", 5), ("largest", NAMED_MOST), ("smallest", st.count)):
        yield order, describe_on_photo(data, fmt, size, st.boxes, st.geo.coverage, proposal_words.shown(st, drawn, order),
                                       title=proposal_words.photo_title(st, drawn, order), alt=proposal_words.photo_alt(st, drawn, order),
                                       width=width, text=text)
    worst, best = proposal_words.ends(st, 40)
    yield "ends", describe_ends(data, fmt, size, st.boxes, st.geo.coverage, worst, best, width=width,
                                text=text / 13.0, title=proposal_words.photo_title(st, 40, "ends"), alt=proposal_words.photo_alt(st, 40, "ends"))
    yield "distribution", describe_distribution(st.coverage, alt="the distribution", width=width, text=text)
    yield "size", describe_by_size(st.short_side, st.geo.coverage, st.geo.all_empty, min(st.geo.output_size),
                                   layer=st.layer, style=MEASURED.style, alt="by size", width=width, text=text)


# ------------------------------------------------------------------------------------------ layout
@pytest.mark.parametrize("name, layer, scheme", STUDIES)
@pytest.mark.parametrize("where, width, text, shown, least", SIZES)
def test_every_figure_is_laid_out_clear_at_every_size(name, layer, scheme, where, width, text, shown, least):
    """No text under the least size where it is shown, none overlapping another, nothing outside the drawing."""
    st = study(name, layer, scheme)
    for fig, d in drawings(st, width, text):
        assert d.width == width
        assert problems(d, shown, least) == [], f"{fig} at {where}"
        assert all(m.size >= text - 1e-9 for _, m in d.marks(Text)), fig


# ------------------------------------------------------------------------------------------ the photo
@pytest.mark.parametrize("drawn", [1, 40, NAMED_MOST, NAMED_MOST + 1, 2000])
def test_the_photo_draws_each_box_in_the_colour_of_its_share_the_worst_on_top(drawn):
    st = study("many", "pool5", "article")
    data, fmt, size = photo()
    shown = proposal_words.shown(st, drawn, "rank")
    d = describe_on_photo(data, fmt, size, st.boxes, st.geo.coverage, shown, title=proposal_words.photo_title(st, drawn, "rank"),
                          alt="a")
    cov = st.geo.coverage
    rects = [m for _, m in d.marks(Rect) if m.kind == "proposal"]
    assert len(rects) == drawn
    by_box = {(b[0], b[1], b[2], b[3]): k for k, b in enumerate(map(tuple, st.boxes.tolist()))}
    ks = [by_box[(r.x, r.y, r.w, r.h)] for r in rects]
    assert sorted(ks) == sorted(int(k) for k in shown)
    assert all(np.diff(cov[ks]) <= 0), "painted from the best to the worst: the worst on top"
    for r, k in zip(rects, ks):
        assert r.stroke.colour == scale.colour(look.COVERAGE_SCALE, float(cov[k]), 0.0, 1.0)
    # A hover names each box while they are few; past that the figure says how many it draws, unnamed.
    notes = " ".join(m.text for _, m in d.marks(Text) if m.kind == "note")
    assert notes.startswith(f"{drawn:,} box{'' if drawn == 1 else 'es'} drawn")
    titled = [r for r in rects if r.title]
    if drawn <= NAMED_MOST:
        assert len(titled) == drawn and "hover over a box names it" in notes
        for r, k in zip(rects, ks):
            assert r.title == (f"Proposal {k + 1}: ({num(r.x, 10)}, {num(r.y, 10)}, {num(r.w, 10)}, "
                               f"{num(r.h, 10)}) px, keeps {pct(float(cov[k]))}")
    else:
        assert not titled and "too many to name each on a hover" in notes
    title = " ".join(m.text for _, m in d.marks(Text) if m.kind == "title")
    assert title == proposal_words.photo_title(st, drawn, "rank")
    scale_words = [m.text for _, m in d.marks(Text) if m.kind == "scale"]
    assert scale_words == ["0 %", "25 %", "50 %", "75 %", "100 %"]


def test_many_boxes_keep_the_pages_svg_small():
    """Outlines without titles past NAMED_MOST: 2,000 boxes weigh less than 150 bytes each in the SVG."""
    st = study("many", "pool5", "article")
    data, fmt, size = photo()
    d = describe_on_photo(data, fmt, size, st.boxes, st.geo.coverage, np.arange(st.count), title="t", alt="a")
    text = svg.paint(d)
    assert "<title>" not in text
    assert len(text) - len(data) * 4 / 3 < 150 * st.count


# ------------------------------------------------------------------------------------------ the distribution
@pytest.mark.parametrize("name, layer, scheme", STUDIES)
def test_the_histograms_count_every_proposal_in_its_bin_under_the_median(name, layer, scheme):
    st = study(name, layer, scheme)
    d = describe_distribution(st.coverage, alt="a")
    titles = [m.text for _, m in d.marks(Text) if m.kind == "title"]
    assert titles == [f"{label}: median {pct(float(np.median(c)))}" for label, c in st.coverage.items()]
    panels = [p for p in d.panels if any(m.kind == "bar" for m in p.marks)]
    assert len(panels) == len(st.coverage) or any(len(c) == 0 for c in st.coverage.values())
    for label, cov in st.coverage.items():
        shares = 100 * np.asarray(cov, float)
        bars = [(p, m) for p, m in d.marks(Rect) if m.kind == "bar" and m.title.startswith(label + ": ")]
        assert sum(m.h for _, m in bars) == len(cov)
        for p, m in bars:
            lo, hi = m.x, m.x + m.w
            inside = int(((shares >= lo) & ((shares < hi) | ((hi == 100) & (shares <= 100)))).sum())
            assert m.h == inside
            assert m.title == f"{label}: {num(lo)} % to {num(hi)} %: {inside:,} box{'' if inside == 1 else 'es'}"
        panel = bars[0][0]
        medians = [m for m in panel.marks if getattr(m, "kind", "") == "median"]
        assert [ln.points[0][0] for ln in medians] == [pytest.approx(float(np.median(shares)))]
    # The shared x axis is numbered once, under the last panel, its numbers where its values are.
    ticks = [(p, m) for p, m in d.marks(Text) if m.kind == "tick" and m.anchor == "middle"]
    assert [m.text for _, m in ticks][0] == "0" and [m.text for _, m in ticks][-1] == "100"
    for p, m in ticks:
        assert place.text(p, m)[0] == pytest.approx(panels[-1].to_px(float(m.text), 0.0)[0])
    names = " ".join(m.text for _, m in d.marks(Text) if m.kind == "axis name")
    assert "share of the box that can reach the output (%); dashed: median" in names


# ------------------------------------------------------------------------------------------ against size
@pytest.mark.parametrize("name, layer, scheme", STUDIES)
def test_the_scatter_puts_each_proposal_at_its_side_and_share(name, layer, scheme):
    st = study(name, layer, scheme)
    p = min(st.geo.output_size)
    d = describe_by_size(st.short_side, st.geo.coverage, st.geo.all_empty, p, layer=st.layer, style=MEASURED.style,
                         alt="a")
    shape = SHAPES[MEASURED.style[2]]
    points = [m for _, m in d.marks(Point) if m.kind in ("proposal", "all empty")]
    assert len(points) == st.count
    for m in points:
        k = int(re.match(r"Proposal (\d+):", m.title).group(1)) - 1
        side = max(float(st.short_side[k]), 1e-3)
        assert (m.x, m.y) == pytest.approx((math.log10(side), 100 * st.geo.coverage[k]))
        assert m.kind == ("all empty" if st.geo.all_empty[k] else "proposal")
        assert m.title.startswith(f"Proposal {k + 1}: shorter side {num(side)} cells, keeps {pct(st.geo.coverage[k])}")
        # The method's open marker for an output with values; a filled black one of another shape for all zeros.
        assert (m.shape == shape and m.fill is None) if m.kind == "proposal" else (m.shape != shape and m.fill)
    legend = [m.text for _, m in d.marks(Text) if m.kind == "legend"]
    assert legend == ["output has values"] + (["all bins empty: output all 0"] if st.geo.all_empty.any() else [])
    words = [m.text for _, m in d.marks(Text)]
    assert f"{p} cells" in words and "Coverage against size: the small ones lose most" in words
    assert f"shorter side of the box, in cells of {st.layer} (log scale)" in " ".join(words)
    # The log axis's numbers sit where their sides are.
    panel = next(pn for pn in d.panels if any(isinstance(m, Point) for m in pn.marks))
    xt = [(pn, m) for pn, m in d.marks(Text) if m.kind == "tick" and m.anchor == "middle"]
    assert len(xt) >= 2
    for pn, m in xt:
        assert place.text(pn, m)[0] == pytest.approx(panel.to_px(math.log10(float(m.text)), 0.0)[0])
    assert [ln for ln in panel.marks if getattr(ln, "kind", "") == "output side"][0].points[0][0] == \
        pytest.approx(math.log10(p))


def test_past_many_points_none_is_named_and_the_figure_says_so():
    k = POINTS_NAMED_MOST + 1
    rng = np.random.default_rng(5)
    d = describe_by_size(rng.uniform(0.1, 20, k), rng.uniform(0, 1, k), rng.uniform(size=k) < 0.3, 3, layer="pool5",
                         style=MEASURED.style, alt="a")
    assert not any(m.title for _, m in d.marks(Point) if m.kind in ("proposal", "all empty"))
    assert any(f"{k:,} boxes: too many to name each on a hover" in m.text for _, m in d.marks(Text))
    assert problems(d, 528) == []


# ------------------------------------------------------------------------------------------ both painters
@pytest.mark.parametrize("name, layer, scheme", [("chosen", "pool5", "article"), ("few", "conv5_3", "fastrcnn"),
                                                 ("crowd", "pool5", "article")])
def test_both_painters_draw_the_same_texts_at_the_same_places(name, layer, scheme):
    st = study(name, layer, scheme)
    for fig, d in drawings(st, 560.0, 13.0):
        tree = ET.fromstring(svg.paint(d))
        specs = list(d.marks(Text))
        assert [t.text for t in tree.findall(".//s:text", NS)] == [m.text for _, m in specs], fig
        # Every hover of the description is a <title> in the SVG.
        titled = [m.title for _, m in d.marks() if isinstance(m, (Rect, Point)) and m.title]
        assert [t.text for t in tree.findall(".//s:title", NS)] == titled, fig
        painted = mpl.paint(d)
        assert [t.get_text() for t in painted.texts] == [m.text for _, m in specs], fig
        for (p, m), t in zip(specs, painted.texts):
            x, y = painted.transFigure.transform(t.get_position())
            assert (x, painted.bbox.height - y) == pytest.approx(place.text(p, m), abs=0.01), (fig, m.text)


def test_the_descriptions_import_no_painting_library():
    code = ("import sys, roi_viz.figures.proposals; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('matplotlib', 'streamlit')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]", out

"""The head's chart (after pooling) and the quiz's picture, described once and painted as SVG on the page.

Measured on the descriptions themselves (:mod:`roi_viz.picture.place`, in the font both painters use): every text
at least 12 px in the 528-px lesson column, 18 px on a projector, 12 px on a phone's 360-px drawing, none
overlapping another or leaving the drawing; over both presets' rounding rules, bins counts 1 to 7 x 7, a trained
and an untrained head, and boxes of the article, tiny ones, ones on the photo's edge and random ones. The words
are the Matplotlib figures' words (the same headings, classes, percentages and notes); the quiz's picture prints
only what a student is given, never an answer. Both painters agree, and each view shows its figure as inline SVG
whose text alternative carries the numbers.
"""
import itertools
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from helpers import APP
from layout_checks import problems
from roi_viz.study.head import CLASSES
from roi_viz.lesson.numbers import exact
from roi_viz import quiz
from roi_viz.state.settings import ARTICLE, FAST_RCNN, Settings
from roi_viz.ops.roipool import roi_pool
from roi_viz.picture import mpl, place, svg
from roi_viz.picture.spec import Line, Photo, Rect, Text

NS = {"s": "http://www.w3.org/2000/svg"}
PRESETS = {"article": ARTICLE, "fastrcnn": FAST_RCNN}
OUTS = (1, 2, 3, 5, 7)
SIZES = {"page": (dict(), 528, 12.0), "projector": (dict(width=1000.0, text=20.0), 900, 18.0),
         "phone": (dict(width=360.0, text=12.0), 360, 12.0)}
# The article's box, a tiny one, one on the photo's right and bottom edges, one along its top edge, random ones.
BOXES = [(296, 192, 200, 145), (100, 100, 3, 2), (400, 470, 112, 42), (0, 0, 512, 20)]
BOXES += [tuple(int(v) for v in (x, y, w, h)) for x, y, w, h in zip(*(np.random.default_rng(28).integers(lo, hi, 4)
                                                                      for lo, hi in ((0, 400), (0, 400), (1, 112),
                                                                                     (1, 112))))]


def paint_both(d):
    """The SVG parsed, and Matplotlib's figure drawn (its texts laid out)."""
    fig = mpl.paint(d)
    FigureCanvasAgg(fig).draw()
    return ET.fromstring(svg.paint(d)), fig


def assert_painters_agree(d) -> None:
    """One ``<text>`` per Text mark and one Matplotlib text per Text mark, the same strings at the same pixel."""
    tree, fig = paint_both(d)
    specs = list(d.marks(Text))
    assert [t.text for t in tree.findall(".//s:text", NS)] == [m.text for _, m in specs] == \
        [t.get_text() for t in fig.texts]
    for (p, m), s_el, m_el in zip(specs, tree.findall(".//s:text", NS), fig.texts):
        x, base = place.text(p, m)
        assert (float(s_el.get("x")), float(s_el.get("y"))) == pytest.approx((x, base), abs=0.01)
        mx, my = fig.transFigure.transform(m_el.get_position())
        assert (mx, fig.bbox.height - my) == pytest.approx((x, base), abs=0.01)
    assert tree.get("role") == "img" and tree.get("aria-label") == d.alt


# ============================================================ after pooling: the head's chart
def head_results(preset: str, out: int, boxes, pretrained: bool, seed: int = 0):
    """What ``roi_viz.study.head.classify_rois`` gives (box, top-5 classes, the pooling's trace), without the model: each
    box pooled from a random conv5_3-like map (stride 16) with the preset's rule to ``out x out``, and five classes
    (the longest ImageNet name among them) with a trained head's peaked or an untrained head's flat probabilities."""
    rng = np.random.default_rng(seed)
    fm = rng.random((4, 32, 32)).astype(np.float32)
    out_results = []
    for k, roi in enumerate(boxes):
        trace = roi_pool(fm, roi, stride=16, output_size=(out, out), scheme=PRESETS[preset]["scheme"])
        probs = rng.dirichlet(np.full(1000, 0.05 if pretrained else 200.0))
        order = np.argsort(-probs)[:5]
        names = [CLASSES[i] for i in order]
        if k == 0:
            names[2] = max(CLASSES, key=len)
        out_results.append(SimpleNamespace(roi=roi, trace=trace, top=[(n, float(probs[i])) for n, i in zip(names, order)]))
    return out_results


HEAD_CASES = [(preset, out, pretrained, n) for preset, out, pretrained in itertools.product(PRESETS, OUTS, (True, False))
              for n in (1, len(BOXES))]


@pytest.mark.parametrize("preset,out,pretrained,n", HEAD_CASES)
def test_the_heads_chart_fits_the_page_the_projector_and_a_phone(preset, out, pretrained, n):
    from roi_viz.figures.head import describe_head

    results = head_results(preset, out, BOXES[:n] if n == 1 else BOXES, pretrained, seed=out)
    for name, (size, shown, least) in SIZES.items():
        d = describe_head(results, pretrained, **size)
        assert problems(d, shown, least) == [], name


def old_percent(p: float) -> str:
    """A probability as the Matplotlib chart printed it: an untrained head's are all near 0.1 %, so small ones keep
    two significant figures."""
    v = 100 * p
    if v == 0:
        return "0 %"
    return f"{v:.0f} %" if v >= 10 else f"{v:.2g} %" if v >= 0.1 else f"{v:.2f} %"


def old_words(results, pretrained) -> set[str]:
    """Every word the Matplotlib chart (the one before this description) printed, but the probability axis's
    numbers, by its rules: per RoI its heading, its empty-bin note, its classes (cut to 24 characters) and their
    percentages; the axis's name under the last RoI, or a line when there is none; the red badge when untrained."""
    words = set()
    for k, r in enumerate(results, 1):
        x, y, w, h = r.roi
        words.add(f"RoI {k}: ({exact(x)}, {exact(y)}), {exact(w)}×{exact(h)} px")
        empty, total = int(r.trace.empty_bins.sum()), int(r.trace.empty_bins.size)
        if empty:
            words.add(f"all {total} bins empty: the head saw zeros" if empty == total
                      else f"{empty} of {total} bins empty (zeros)")
        words |= {c if len(c) <= 24 else c[:23] + "…" for c, _ in r.top} | {old_percent(p) for _, p in r.top}
    words.add("probability (one scale for every RoI)" if results else "No RoI to classify.")
    if not pretrained:
        words.add("UNTRAINED: these scores mean nothing")
    return words


@pytest.mark.parametrize("preset,out", [("article", 7), ("fastrcnn", 7), ("article", 3), ("fastrcnn", 1)])
@pytest.mark.parametrize("pretrained", [True, False])
def test_the_heads_chart_says_what_the_matplotlib_figure_said(preset, out, pretrained):
    from roi_viz.figures.head import describe_head, percent

    results = head_results(preset, out, BOXES, pretrained, seed=3)
    d = describe_head(results, pretrained)
    texts = [m for _, m in d.marks(Text)]
    assert {m.text for m in texts if m.kind != "tick"} == old_words(results, pretrained)
    # Each RoI's heading, its printed percentages in rank order, its note: from its own box, classes and trace.
    values = [m.text for m in texts if m.kind == "value"]
    assert values == [percent(p) for r in results for _, p in r.top]
    for k, r in enumerate(results, 1):
        x, y, w, h = r.roi
        assert f"RoI {k}: ({exact(x)}, {exact(y)}), {exact(w)}×{exact(h)} px" in {m.text for m in texts}
        empty, total = int(r.trace.empty_bins.sum()), out * out
        notes = [m.text for m in texts if m.kind == "note" and m.text.endswith(("zeros", "(zeros)"))]
        said = f"all {total} bins empty: the head saw zeros" if empty == total else f"{empty} of {total} bins empty (zeros)"
        assert (said in notes) == (empty > 0)
    assert ("UNTRAINED: these scores mean nothing" in {m.text for m in texts}) is not pretrained
    # Each bar as long as its probability, on one scale, and it answers a hover with its class and percentage.
    bars = [m for _, m in d.marks(Rect) if m.kind == "bar"]
    assert [(b.w, b.title) for b in bars] == [(p, f"RoI {k}, {c}: {percent(p)}") for k, r in enumerate(results, 1)
                                             for c, p in r.top]
    assert_painters_agree(d)


def test_the_heads_chart_without_a_roi_says_so():
    from roi_viz.figures.head import describe_head

    for pretrained in (True, False):
        d = describe_head([], pretrained)
        assert "No RoI to classify." in [m.text for _, m in d.marks(Text)] and problems(d, 528) == []


def test_the_descriptions_load_neither_matplotlib_nor_streamlit():
    code = ("import sys, roi_viz.figures.head, roi_viz.figures.quiz; "
            "print(sorted({'matplotlib', 'streamlit'} & {m.split('.')[0] for m in sys.modules}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(APP).parent).stdout
    assert out.strip() == "[]"


def svg_of(at, key: str) -> dict:
    """What a ``ui.figure.show_drawing`` component keyed ``key`` sends to the page (its ``svg`` and ``narrow``)."""
    import json

    from ui.board.wire import unpacked

    found = []

    def walk(node) -> None:
        if getattr(node, "type", None) == "bidi_component" and node.proto.component_name == "roi_viz.figure" \
                and getattr(node, "key", None) == key:
            found.append(unpacked(json.loads(node.proto.json)))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at.main)
    assert len(found) == 1, f"{len(found)} figures keyed {key}"
    return found[0]


def no_picture(at) -> bool:
    """No figure shown as an ``<img>`` (a Matplotlib picture) on the page."""
    found = []

    def walk(node) -> None:
        if getattr(node, "type", None) == "html" and 'class="roi-figure"' in node.proto.body:
            found.append(node)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at.main)
    return not found


def test_after_pooling_shows_its_chart_as_svg_whose_words_carry_the_scores():
    from streamlit.testing.v1 import AppTest

    from helpers import figures
    from ui import cache

    at = AppTest.from_file(APP, default_timeout=300)
    at.query_params["view"] = "head"
    at.query_params["roi"] = ["296_192_200_145", "10_230_330_60"]
    at.run()
    assert not at.exception, at.exception
    (alt,) = figures(at)
    data = svg_of(at, "head-figure")
    tree, narrow = ET.fromstring(data["svg"]), ET.fromstring(data["narrow"])
    assert tree.get("aria-label") == alt and narrow.get("aria-label") == alt and no_picture(at)
    assert float(tree.get("width")) == 560 and float(narrow.get("width")) == 360
    words = [t.text for t in tree.findall(".//s:text", NS)]
    assert "RoI 1: (296, 192), 200×145 px" in words and "RoI 2: (10, 230), 330×60 px" in words
    assert ("UNTRAINED: these scores mean nothing" in words) is not cache.the_head().pretrained
    titles = [t.text for t in tree.findall(".//s:title", NS)]
    for k in (1, 2):
        bars = [w[len(f"RoI {k}, "):].rsplit(": ", 1) for w in titles if w.startswith(f"RoI {k}, ")]
        assert len(bars) == 5
        said = alt.split(f"RoI {k}: ", 1)[1].split(".", 1)[0]
        for name, shown in bars:  # each class printed with its percentage, and in the text alternative with it
            assert shown in words
            number = float(shown.rstrip(" %"))
            assert re.search(re.escape(name) + rf" {round(number):d}%", said), (name, shown, said)


# ============================================================ the quiz's picture
def jpeg(side: int = 64) -> bytes:
    from helpers import encode, photo

    return encode(photo(side, side), "JPEG", quality=88)


QUIZ_SETTINGS = {"article": Settings(**ARTICLE), "fastrcnn": Settings(input_size=512, **FAST_RCNN),
                 "fastrcnn 576": Settings(input_size=576, **FAST_RCNN)}


def question_for(name: str, out: int, roi):
    """A question of the preset's setting about ``roi`` (its asks, where the setting can ask them about it)."""
    settings = QUIZ_SETTINGS[name].with_(output_size=(out, out))
    try:
        asks = quiz.asks_for(roi, settings)
    except ValueError:
        asks = ()
    return quiz.Question(0, "fastrcnn" if name.startswith("fastrcnn") else "starter", settings, tuple(roi), asks)


def made_questions():
    """Questions as the page makes them: every level, a few seeds, the article's and Fast R-CNN's settings."""
    for level, seed in itertools.product(quiz.LEVELS, range(6)):
        for settings in (Settings(), Settings(input_size=576, **FAST_RCNN)):
            yield quiz.make_question(seed, level, settings)


QUIZ_CASES = [(name, out, roi) for name, out in itertools.product(QUIZ_SETTINGS, OUTS) for roi in BOXES]


@pytest.mark.parametrize("name,out,roi", QUIZ_CASES)
def test_the_quizs_picture_fits_the_page_the_projector_and_a_phone(name, out, roi):
    from roi_viz.figures.quiz import describe_question

    q = question_for(name, out, roi)
    for size_name, (size, shown, least) in SIZES.items():
        d = describe_question(q, jpeg(), **size)
        assert problems(d, shown, least) == [], size_name
        # The tag names the box without hiding it: inside a box that holds it, else beside it, on the photo.
        (p, photo), = d.marks(Photo)
        x0, y0, pw, phh = place.rect(p, Rect(photo.x, photo.y, photo.w, photo.h))
        (tp, tag), = [(pp, m) for pp, m in d.marks(Rect) if m.kind == "tag"]
        (bp, box), = [(pp, m) for pp, m in d.marks(Rect) if m.kind == "roi"]
        tx, ty, tw, th = place.rect(tp, tag)
        bx, by, bw, bh = place.rect(bp, box)
        assert x0 <= tx and tx + tw <= x0 + pw + 0.01 and y0 <= ty and ty + th <= y0 + phh + 0.01
        inside = bx < tx and tx + tw < bx + bw and by < ty and ty + th < by + bh
        apart = tx + tw <= bx or bx + bw <= tx or ty + th <= by or by + bh <= ty
        assert inside or apart, (size_name, (tx, ty, tw, th), (bx, by, bw, bh))


def given_numbers(q, d) -> set[str]:
    """The numbers a student is given: the RoI, the input, the stride, the map's and the output's sizes, and the
    grid's numbers on the axes."""
    S, s = q.input_size, q.stride
    ticks = {m.text for _, m in d.marks(Text) if m.kind == "tick"}
    assert all(int(v) % s == 0 and 0 <= int(v) <= S for v in ticks), ticks  # the axes number grid lines only
    return {str(v) for v in (*q.roi, S, s, *q.map_size, *q.output_size)} | ticks


@pytest.mark.parametrize("q", list(made_questions()), ids=lambda q: f"{q.level}-{q.seed}-{q.input_size}")
def test_the_quizs_picture_gives_what_is_given_and_no_answer(q):
    """Every number in a text or a hover of the SVG is one the student is given; no answer, no word of one."""
    from roi_viz.figures.quiz import describe_question

    for size in SIZES.values():
        d = describe_question(q, jpeg(), **size[0])
        tree = ET.fromstring(svg.paint(d))
        said = [t.text for t in tree.findall(".//s:text", NS)] + [t.text for t in tree.findall(".//s:title", NS)]
        said.append(tree.get("aria-label"))
        given = given_numbers(q, d)
        for words in said:
            for number in re.findall(r"\d+(?:\.\d+)?", words):
                assert number in given, (number, words)
            assert not re.search(r"lost|gained|quantiz|snap|project|bin|cover|dropped", words, re.I), words
        answers = {f.answer_text for ask in q.asks for f in ask.fields} - given
        assert not [a for a in answers if any(re.search(rf"(?<![\d.]){re.escape(a)}(?![\d.])", w) for w in said)]


@pytest.mark.parametrize("name,out,roi", [("article", 3, BOXES[0]), ("fastrcnn", 7, BOXES[2]), ("fastrcnn 576", 5, BOXES[4])])
def test_the_quizs_picture_says_what_the_matplotlib_figure_said(name, out, roi):
    from roi_viz.figures.quiz import describe_question

    q = question_for(name, out, roi)
    S, s = q.input_size, q.stride
    (H, W), (ph, pw), (x, y, w, h) = q.map_size, q.output_size, q.roi
    # What the Matplotlib picture (the one before this description) printed: the RoI's numbers above, the input,
    # stride, map and output in its title, the tag in the box, the axes' names, and a tick every few strides.
    old = {f"RoI: x = {x}, y = {y}, w = {w}, h = {h} pixels", f"Input {S}×{S} px; one square = stride {s} px",
           f"map {H}×{W} cells, output {ph}×{pw} (rows×columns)", "RoI", "x (pixels)", "y (pixels)"}
    d = describe_question(q, jpeg(S // 8))
    texts = [m for _, m in d.marks(Text)]
    assert {m.text for m in texts if m.kind != "tick"} == old
    ticks = [int(m.text) for m in texts if m.kind == "tick"]
    every = list(range(0, S + 1, s * max(1, (S // s) // 8)))
    assert ticks == every + every
    # The photo once, as JPEG, filling the S x S square; the grid on every stride; the box where the RoI is.
    (p, photo), = d.marks(Photo)
    assert (photo.fmt, photo.x, photo.y, photo.w, photo.h) == ("JPEG", 0, 0, S, S) and p.xlim == p.ylim == (0, S)
    grid = [m for _, m in d.marks(Line) if m.kind == "grid"]
    assert sorted({m.points[0][0] for m in grid if m.points[0][0] == m.points[1][0]}) == list(range(0, S + 1, q.stride))
    (box,) = [m for _, m in d.marks(Rect) if m.kind == "roi"]
    assert (box.x, box.y, box.w, box.h) == tuple(roi) and box.title == "RoI: x = {}, y = {}, w = {}, h = {} pixels".format(*roi)
    assert_painters_agree(d)
    tree = ET.fromstring(svg.paint(d))
    (image,) = tree.findall(".//s:image", NS)
    assert image.get("href").startswith("data:image/jpeg;base64,")


def test_the_quiz_shows_its_picture_as_svg_with_the_questions_numbers():
    from streamlit.testing.v1 import AppTest

    from helpers import figures

    at = AppTest.from_file(APP, default_timeout=300)
    for k, v in {"view": "quiz", "level": "starter", "seed": "7"}.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, at.exception
    q = quiz.make_question(7, "starter", Settings())
    (alt,) = figures(at)
    assert alt == f"The photo at 512 × 512 with the question's RoI ({', '.join(str(v) for v in q.roi)}) and the stride grid."
    data = svg_of(at, "quiz-figure")
    tree, narrow = ET.fromstring(data["svg"]), ET.fromstring(data["narrow"])
    assert tree.get("aria-label") == alt and narrow.get("aria-label") == alt and no_picture(at)
    assert float(tree.get("width")) == 560 and float(narrow.get("width")) == 360
    x, y, w, h = q.roi
    for t in (tree, narrow):  # the phone's drawing wraps its headings at its width
        words = " ".join(e.text for e in t.findall(".//s:text", NS))
        assert f"RoI: x = {x}, y = {y}, w = {w}, h = {h} pixels" in words
        assert "Input 512×512 px; one square = stride 32 px" in words
        (image,) = t.findall(".//s:image", NS)
        assert image.get("href").startswith("data:image/jpeg;base64,")

"""Proposals on the pyramid: each box's FPN level and RoI pooling's loss at its level's stride, beside VGG16's cuts.

The levels are checked against torchvision's own ``LevelMapper`` and the loss against the per-box trace of
``roi_viz.ops.roi_pool`` (not the vectorized geometry the study uses), on seeded random box sets and on the real
selective-search boxes of a sample photo. The figure is laid out at the page's, the projector's and a phone's
sizes, prints the study's numbers, and the words and the text alternative say the same numbers.
"""
import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest
import torch
from torchvision.ops.poolers import LevelMapper

from layout_checks import problems
from roi_viz.figures import look
from roi_viz.figures.proposals import describe_pyramid
from roi_viz.lesson import proposals as words
from roi_viz.lesson.glossary import GLOSSARY
from roi_viz.lesson.numbers import pct
from roi_viz.model import images, samples
from roi_viz.ops import roi_pool
from roi_viz.picture import mpl, place, svg
from roi_viz.picture.spec import Rect, Text
from roi_viz.study import proposals

NS = {"s": "http://www.w3.org/2000/svg"}
SIZES = [  # (width, text, shown width, least px there): the page in its 528-px column, a projector, a phone
    ("page", 560.0, 13.0, 528, 12.0), ("projector", 1000.0, 20.0, 900, 18.0), ("phone", 360.0, 12.0, 360, 12.0)]
SETTINGS = {"article": ((3, 3), "article"), "fastrcnn": ((7, 7), "fastrcnn"), "wide": ((2, 5), "article")}


def random_boxes(seed: int, n: int, image_size=(512, 384)) -> np.ndarray:
    """``n`` boxes ``(x, y, w, h)`` inside a ``(W, H)`` image, sides log-uniform from 1 to the image's."""
    W, H = image_size
    rng = np.random.default_rng(seed)
    wh = np.exp(rng.uniform(0.0, np.log([W, H]), (n, 2)))
    xy = rng.uniform(0, 1, (n, 2)) * (np.array([W, H]) - wh)
    return np.column_stack([xy, wh])


@pytest.fixture(scope="module")
def photo_boxes():
    """The sample photo the page opens on, as the page feeds it (512 x 512), and its 2,000 proposals."""
    img = images.prepare_input(images.load_file(samples.get_sample("astronaut").path), 512)[0]
    return img.size, proposals.selective_search(img)


def torchvision_levels(boxes: np.ndarray) -> np.ndarray:
    """Each box's level by torchvision's ``LevelMapper`` (P2..P5, 224 px at P4), on its corners in float32."""
    if len(boxes) == 0:
        return np.zeros(0, np.int64)
    b = torch.tensor(boxes, dtype=torch.float32)
    corners = torch.cat([b[:, :2], b[:, :2] + b[:, 2:]], dim=1)
    return LevelMapper(k_min=2, k_max=5)([corners]).numpy().astype(np.int64) + 2


def traced(boxes: np.ndarray, image_size, stride: int, output_size, scheme: str) -> dict[str, np.ndarray]:
    """Per box, from ``roi_pool``'s own trace on a map of this stride: shares kept, lost and dropped, all empty."""
    W, H = image_size
    fm = np.zeros((1, H // stride, W // stride), np.float32)
    out = {k: [] for k in ("kept", "lost", "dropped", "gained", "all_empty")}
    for box in boxes:
        t = roi_pool(fm, box, stride=stride, output_size=output_size, scheme=scheme)
        out["kept"].append(t.coverage)
        out["lost"].append(t.lost_area / t.projected_area)
        out["dropped"].append((t.overlap_area - t.covered_area) / t.projected_area)
        out["gained"].append(t.gained_area / t.projected_area)
        out["all_empty"].append(bool(t.empty_bins.all()))
    return {k: np.array(v, dtype=float) for k, v in out.items()}


def assert_loss(loss: proposals.Loss, boxes: np.ndarray, image_size, stride: int, output_size, scheme: str):
    """``loss`` is the mean of the per-box trace's shares over ``boxes``, all at ``stride``."""
    assert loss.count == len(boxes)
    if not len(boxes):
        assert (loss.kept, loss.lost, loss.dropped, loss.gained, loss.all_empty, loss.under_cell) == (0,) * 6
        return
    t = traced(boxes, image_size, stride, output_size, scheme)
    assert loss.kept == pytest.approx(t["kept"].mean(), abs=1e-12), loss.name
    assert loss.lost == pytest.approx(t["lost"].mean(), abs=1e-12), loss.name
    assert loss.dropped == pytest.approx(t["dropped"].mean(), abs=1e-12), loss.name
    assert loss.gained == pytest.approx(t["gained"].mean(), rel=1e-12, abs=1e-12), loss.name
    assert loss.all_empty == t["all_empty"].mean(), loss.name
    assert loss.under_cell == (np.minimum(boxes[:, 2], boxes[:, 3]) < stride).mean(), loss.name
    assert loss.kept + loss.lost + loss.dropped == pytest.approx(1.0)


# ------------------------------------------------------------------------------------------ the study
@pytest.mark.parametrize("seed", [0, 1, 2, 3])
@pytest.mark.parametrize("setting", list(SETTINGS))
def test_levels_are_torchvisions_and_each_levels_loss_is_the_trace_at_its_stride(seed, setting):
    output_size, scheme = SETTINGS[setting]
    image_size = (512, 384) if seed % 2 else (640, 480)
    boxes = random_boxes(seed, 150, image_size)
    pl = proposals.pyramid_loss(boxes, image_size=image_size, output_size=output_size, scheme=scheme)
    expected = torchvision_levels(boxes)
    np.testing.assert_array_equal(pl.levels, expected)
    assert [lv.name for lv in pl.by_level] == ["P2", "P3", "P4", "P5"]
    assert [lv.stride for lv in pl.by_level] == [4, 8, 16, 32]
    assert [lv.count for lv in pl.by_level] == [int((expected == k).sum()) for k in (2, 3, 4, 5)]
    for lv, k in zip(pl.by_level, (2, 3, 4, 5)):
        assert_loss(lv, boxes[expected == k], image_size, 2 ** k, output_size, scheme)
    # VGG16's two cuts: every box at one stride.
    assert [(c.name, c.stride, c.count) for c in pl.cuts] == [("pool5", 32, 150), ("conv5_3", 16, 150)]
    for cut in pl.cuts:
        assert_loss(cut, boxes, image_size, cut.stride, output_size, scheme)
    # The whole pyramid: the levels' rows weighed by their boxes.
    n = np.array([lv.count for lv in pl.by_level])
    for field in ("kept", "lost", "dropped", "gained", "all_empty", "under_cell"):
        per = np.array([getattr(lv, field) for lv in pl.by_level])
        assert getattr(pl.pyramid, field) == pytest.approx((per * n).sum() / n.sum(), abs=1e-12), field
    assert (pl.pyramid.name, pl.pyramid.stride, pl.pyramid.count) == ("pyramid", None, 150)


def test_the_photos_proposals_levels_and_loss(photo_boxes):
    """The page's photo: torchvision's levels, the geometry at each level's stride, every 7th box traced."""
    image_size, boxes = photo_boxes
    pl = proposals.pyramid_loss(boxes, image_size=image_size, output_size=(3, 3), scheme="article")
    levels = torchvision_levels(boxes)
    np.testing.assert_array_equal(pl.levels, levels)
    assert sum(lv.count for lv in pl.by_level) == len(boxes) == 2000
    for lv, k in zip(pl.by_level, (2, 3, 4, 5)):
        sel = boxes[levels == k]
        geo = proposals.geometry(sel, map_size=proposals.map_size(image_size, 2 ** k), stride=2 ** k,
                                 output_size=(3, 3), scheme="article")
        assert lv.count == geo.count
        if geo.count:
            assert lv.kept == pytest.approx(geo.coverage.mean(), abs=1e-12)
            assert lv.all_empty == geo.all_empty.mean()
    for cut in pl.cuts:
        geo = proposals.geometry(boxes, map_size=proposals.map_size(image_size, cut.stride), stride=cut.stride,
                                 output_size=(3, 3), scheme="article")
        assert cut.kept == pytest.approx(geo.coverage.mean(), abs=1e-12)
        assert cut.all_empty == geo.all_empty.mean()
    # Every 7th box against the per-box trace at its own level's stride.
    some = np.arange(0, len(boxes), 7)
    for k in (2, 3, 4, 5):
        sub = some[levels[some] == k]
        sub_pl = proposals.pyramid_loss(boxes[sub], image_size=image_size, output_size=(3, 3), scheme="article")
        assert_loss(sub_pl.by_level[k - 2], boxes[sub], image_size, 2 ** k, (3, 3), "article")
    # The view's problem and the pyramid's answer on this photo: at pool5 most boxes give all zeros (the contrast
    # table's 87.2 %), on the pyramid far fewer, and far fewer are under one cell of their stride.
    pool5 = pl.cuts[0]
    article, _ = words.contrast(boxes, image_size)
    assert pool5.all_empty == article.summary["share_all_empty"] and pct(pool5.all_empty) == "87.2 %"
    assert pl.pyramid.all_empty < pool5.all_empty / 4 and pl.pyramid.under_cell < pool5.under_cell / 10


def test_no_box_gives_zero_rows_and_no_words():
    pl = proposals.pyramid_loss(np.zeros((0, 4)), image_size=(512, 512))
    assert pl.count == 0 and all(r.count == 0 for r in words.pyramid_rows(pl))
    assert words.pyramid_words(pl) == ""
    d = describe_pyramid(pl, alt=words.pyramid_alt(pl))
    assert problems(d, 528) == []
    assert table(d) == [(words.row_label(r), ["0", "no box", "no box", "no box"]) for r in words.pyramid_rows(pl)]


def test_bad_boxes_get_a_sentence():
    with pytest.raises(ValueError, match="positive width and height"):
        proposals.pyramid_loss([(0, 0, 0, 5)], image_size=(512, 512))
    with pytest.raises(ValueError, match="article"):
        proposals.pyramid_loss([(0, 0, 5, 5)], image_size=(512, 512), scheme="nearest")


# ------------------------------------------------------------------------------------------ the figure
def box_sets():
    yield "chosen", np.array([(296, 192, 200, 145), (10, 10, 3, 2), (400, 300, 112, 84), (0, 0, 512, 384)], float)
    yield "one", np.array([(5.0, 5.0, 2.0, 2.0)])  # a single speck: P2 only, the other levels empty
    for seed in (5, 6):
        yield f"random {seed}", random_boxes(seed, 300)


CASES = [(name, b, setting) for name, b in box_sets() for setting in SETTINGS]


@pytest.mark.parametrize("name, boxes, setting", CASES, ids=[f"{n}-{s}" for n, _, s in CASES])
@pytest.mark.parametrize("where, width, text, shown, least", SIZES)
def test_the_figure_is_laid_out_clear_at_every_size(name, boxes, setting, where, width, text, shown, least):
    output_size, scheme = SETTINGS[setting]
    pl = proposals.pyramid_loss(boxes, image_size=(512, 384), output_size=output_size, scheme=scheme)
    d = describe_pyramid(pl, alt=words.pyramid_alt(pl), width=width, text=text)
    assert d.width == width
    assert problems(d, shown, least) == [], where
    assert all(m.size >= text - 1e-9 for _, m in d.marks(Text))


def table(d) -> list[tuple[str, list[str]]]:
    """The figure's rows as a person reads them: the row's name (its wrapped lines joined), then its printed values
    left to right."""
    out = []
    for _, m in d.marks(Text):
        if m.kind == "row label":
            if out and out[-1][1]:
                out.append((m.text, []))
            elif out:
                out[-1] = (f"{out[-1][0]} {m.text}", [])
            else:
                out.append((m.text, []))
        elif m.kind == "share value":
            out[-1][1].append(m.text)
    return out


@pytest.mark.parametrize("setting", list(SETTINGS))
@pytest.mark.parametrize("seed", [7, 8, "specks"])
def test_the_figure_prints_the_studys_numbers_and_the_words_say_the_same(setting, seed):
    output_size, scheme = SETTINGS[setting]
    if seed == "specks":  # boxes of 1 to 6 px: at pool5 under the article's rule none reaches the output
        boxes = random_boxes(11, 60, (6, 6)) + [100, 100, 0, 0]
    else:
        boxes = random_boxes(seed, 400)
    pl = proposals.pyramid_loss(boxes, image_size=(512, 384), output_size=output_size, scheme=scheme)
    d = describe_pyramid(pl, alt=words.pyramid_alt(pl))
    rows = words.pyramid_rows(pl)
    labels = [words.row_label(r) for r in rows]
    assert labels == ["P2, stride 4", "P3, stride 8", "P4, stride 16", "P5, stride 32", "pyramid, all",
                      "VGG16 pool5, stride 32", "VGG16 conv5_3, stride 16"]
    columns = [" ".join(m.text for _, m in d.marks(Text) if m.kind == "column name" and
                        m.x == pytest.approx(x)) for x in sorted({m.x for _, m in d.marks(Text) if m.kind == "column name"})]
    assert columns == list(words.COLUMNS)
    counts = [int((pl.levels == k).sum()) for k in (2, 3, 4, 5)]
    assert [lv.count for lv in pl.by_level] == counts
    assert table(d) == [(lab, [f"{r.count:,}", pct(r.kept), pct(r.all_empty), pct(r.under_cell)] if r.count else
                         ["0", "no box", "no box", "no box"]) for lab, r in zip(labels, rows)]
    # Each bar fills its frame as far as its number, and its hover says the number.
    frames = [m for _, m in d.marks(Rect) if m.kind == "frame"]
    bars = [m for _, m in d.marks(Rect) if m.kind == "bar"]
    assert len(frames) == 4 * len(rows)
    for m in bars:
        frame = next(f for f in frames if (f.x, f.y) == (m.x, m.y))
        assert frame.title == m.title
        r = next(r for r in rows if m.title.startswith(words.row_label(r) + ":") or
                 m.title.startswith(words.row_label(r) + ", "))
        share = m.w / frame.w
        if "reaches the output" in m.title:
            assert m.title == words.kept_title(r) and m.fill == look.COVERED[0]
            assert share == pytest.approx(r.kept)
        elif "give all zeros" in m.title:
            assert share == pytest.approx(r.all_empty) and m.fill == look.ALL_EMPTY
        elif "under one cell" in m.title:
            assert share == pytest.approx(r.under_cell)
        else:
            assert share == pytest.approx(r.count / pl.count) and m.title.endswith(f" of {pl.count:,}")
    # The words: the same counts and shares, row by row in the table, and the pool5 / pyramid sentence.
    text = words.pyramid_words(pl)
    for lab, r in zip(labels, rows):
        row = (f"| {lab} | {r.count:,} | **{pct(r.kept)}** | **{pct(r.all_empty)}** | {pct(r.under_cell)} |"
               if r.count else f"| {lab} | 0 | – | – | – |")
        assert row in text, lab
        row = f"| {lab} | {pct(r.lost)} | {pct(r.dropped)} | {pct(r.gained)} |" if r.count else f"| {lab} | – | – | – |"
        assert row in text, lab
    assert f"Of these {pl.count:,} boxes, {counts[0]:,} at P2, {counts[1]:,} at P3, {counts[2]:,} at P4 and " \
           f"{counts[3]:,} at P5." in text
    # Every number the words write is one the figure writes (a printed value, a label, or a bar's hover), and
    # every value the figure prints is in the words.
    figure_words = " ".join([m.text for _, m in d.marks(Text)] + [m.title for m in frames + bars])
    numbers = re.compile(r"\d[\d,]*(?:\.\d+)?(?: %)?")
    shares_in_words = {v for v in numbers.findall(text) if v.endswith("%")}
    shares_in_figure = {v for v in numbers.findall(figure_words) if v.endswith("%")}
    assert shares_in_words == shares_in_figure
    printed = {m.text for _, m in d.marks(Text) if m.kind == "share value" and m.text != "no box"}
    assert printed <= set(numbers.findall(text))
    # The alternative says every printed value, row by row, named by its column.
    alt = words.pyramid_alt(pl)
    for lab, values in table(d):
        if values[1] == "no box":
            assert f"{lab}: no box" in alt
            continue
        n = int(values[0].replace(",", ""))
        said = f"{lab}: {n:,} box{'' if n == 1 else 'es'}, " + ", ".join(
            f"{v} {c}" for v, c in zip(values[1:], words.COLUMNS[1:]))
        assert said in alt


def test_the_words_name_the_glossarys_terms():
    pl = proposals.pyramid_loss(random_boxes(9, 50), image_size=(512, 384))
    text = words.pyramid_words(pl)
    assert "**pyramid**" in text and "**level**" in text
    assert "| | Boxes | Reaches the output (mean) | Output all zeros | Shorter side under one cell |" in text
    assert "| | Lost to snapping | In no bin | Gained by snapping |" in text
    help_text = words.pyramid_glossary()
    assert f"**pyramid**: {GLOSSARY['pyramid']}" in help_text and f"**level**: {GLOSSARY['level']}" in help_text


def test_both_painters_draw_the_same_texts_at_the_same_places():
    pl = proposals.pyramid_loss(random_boxes(10, 200), image_size=(512, 384))
    d = describe_pyramid(pl, alt=words.pyramid_alt(pl))
    tree = ET.fromstring(svg.paint(d))
    specs = list(d.marks(Text))
    assert [t.text for t in tree.findall(".//s:text", NS)] == [m.text for _, m in specs]
    titled = [m.title for _, m in d.marks() if isinstance(m, Rect) and m.title]
    assert [t.text for t in tree.findall(".//s:title", NS)] == titled
    painted = mpl.paint(d)
    assert [t.get_text() for t in painted.texts] == [m.text for _, m in specs]
    for (p, m), t in zip(specs, painted.texts):
        x, y = painted.transFigure.transform(t.get_position())
        assert (x, painted.bbox.height - y) == pytest.approx(place.text(p, m), abs=0.01), m.text

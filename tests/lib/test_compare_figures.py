"""The comparison and the sliding-box plot as described for the page: every text at least 12 px in the 528-px
lesson column of a 1366 x 768 laptop, none overlapping another, none outside the drawing, every printed value
clear of its cell's edges (or none printed, and the figure saying so), every output cell answering a hover with
its row, column and value, and every marker of the plot whole inside its plot.

Measured on the description itself (:mod:`roi_viz.picture.place`: where both painters put each mark, in the font
both use), over both presets (the article's pool5 3 x 3, Fast R-CNN's conv5_3 7 x 7), output sizes 1 to 7, the
page's figure and an animation frame, with the model trained and untrained (the red label takes a row)."""
import dataclasses
import itertools
import re

import numpy as np
import pytest
from PIL import Image

from roi_viz import methods
from roi_viz.figures.compare import describe_compare, describe_slide
from roi_viz.lesson.numbers import value as activation
from roi_viz.state.settings import ARTICLE, FAST_RCNN, Settings
from roi_viz.methods import METHODS, build_scene, run_all
from roi_viz.ops.sliding import slide_roi
from roi_viz.picture import place
from roi_viz.picture.spec import Point, Rect, Text

COLUMN_PX = 528  # the lesson column of a 1366 x 768 laptop
PRESENTED = dict(width=1000.0, text=20.0)  # a drawing for a projector: wider, larger type, shown near its size
GIF = dict(width=720.0, text=14.0)  # the files' size (roi_viz.export.animations.FILE_WIDTH, FILE_TEXT): the GIF's frames at their own size
PRESETS = {"article": ARTICLE, "fastrcnn": FAST_RCNN}
IMAGE = Image.new("RGB", (512, 512), (90, 120, 150))


def scene_for(preset, out, roi=(296, 192, 200, 145), pretrained=True, scale=1.0):
    settings = Settings().with_(**preset).with_(output_size=(out, out), shape="square")
    side = 512 // settings.stride
    fm = (np.random.default_rng(out).random((4, side, side)) * scale).astype(np.float32)
    scene = build_scene(IMAGE, fm, [roi], 0, settings)
    return dataclasses.replace(scene, pretrained=pretrained)


def drawings(outs=(1, 2, 3, 5, 7), presets=PRESETS):
    """``(name, drawing)`` of the comparison and the slide (the page's and a GIF frame) as the page describes them."""
    for (pname, preset), out in itertools.product(presets.items(), outs):
        for pretrained, scale in ((True, 1.0), (False, 0.01)):  # values of 4 characters (0.565) and 6 (0.00565)
            sc = scene_for(preset, out, pretrained=pretrained, scale=scale)
            traces = run_all(sc.features, sc.rois[0], sc.settings)
            yield f"compare {pname} {out} {pretrained}", describe_compare(sc, traces, METHODS)
            yield f"compare presented {pname} {out} {pretrained}", describe_compare(sc, traces, METHODS, **PRESENTED)
            slide = slide_roi(sc.features, sc.rois[0], methods.runners(sc.settings), stride=sc.settings.stride,
                              output_size=sc.settings.output_size, channel=sc.channel, bin=(out - 1, 0), steps=21,
                              axis="x" if pretrained else "y", distance=1.5)
            yield f"slide {pname} {out} {pretrained}", describe_slide(sc, slide, METHODS)
            yield f"slide presented {pname} {out} {pretrained}", describe_slide(sc, slide, METHODS, **PRESENTED)
            yield f"slide frame {pname} {out} {pretrained}", describe_slide(sc, slide, METHODS, at=7, **GIF)


def overlap(a, b, slack=0.0) -> bool:
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    return ax < bx + bw - slack and bx < ax + aw - slack and ay < by + bh - slack and by < ay + ah - slack


CASES = list(drawings())


@pytest.mark.parametrize("name,d", CASES, ids=[n for n, _ in CASES])
def test_every_text_is_legible_clear_of_the_others_and_inside_the_figure(name, d):
    # The page's drawing shrunk into the 528-px column; a presented one read from the back of the room (18 px,
    # shown at least 90 % of its size); a file at its own size.
    shown, least = (COLUMN_PX / d.width, 12) if d.width <= 560 else (0.9, 18) if d.width >= 1000 else (1.0, 12)
    boxes = [(m.text, place.text_box(p, m)) for p, m in d.marks(Text)]
    assert boxes, name
    for (p, m), (text, (x, y, w, h)) in zip(d.marks(Text), boxes):
        assert m.size * shown >= least, f"{text!r} is {m.size * shown:.1f} px ({name})"
        assert 0 <= x and x + w <= d.width and 0 <= y and y + h <= d.height, f"{text!r} leaves the figure"
    for (a, ba), (b, bb) in itertools.combinations(boxes, 2):
        assert not overlap(ba, bb), f"{a!r} overlaps {b!r}"


@pytest.mark.parametrize("name,d", [c for c in CASES if c[0].startswith("compare")],
                         ids=[n for n, _ in CASES if n.startswith("compare")])
def test_output_cells_say_their_value_and_printed_values_stay_in_their_cells(name, d):
    cells = [(p, m) for p, m in d.marks(Rect) if m.kind == "output"]
    values = [(p, m) for p, m in d.marks(Text) if m.kind == "value"]
    assert cells
    for p, m in cells:
        i, j = int(m.y), int(m.x)
        found = re.fullmatch(r"row (\d+), column (\d+): (\S+)( \(an empty bin: it outputs 0\))?", m.title)
        assert found and (int(found[1]), int(found[2])) == (i, j), m.title
    # Each column's values are those its cells title.
    titles = {(id(p), int(m.y), int(m.x)): m.title.split(": ", 1)[1].split(" ")[0] for p, m in cells}
    if values:
        assert len(values) == len(cells)
        for p, m in values:
            i, j = int(m.y), int(m.x)
            assert titles[(id(p), i, j)] == m.text
            cx, cy, cw, ch = place.rect(p, Rect(j, i, 1, 1))
            x, y, w, h = place.text_box(p, m)
            assert cx + 2 - 1e-6 <= x and x + w <= cx + cw - 2 + 1e-6 and cy + 1 <= y and y + h <= cy + ch - 1, (name, m.text)
    else:  # not one value printed: the figure says where they are
        notes = " ".join(m.text for _, m in d.marks(Text) if m.kind == "note")
        assert "too small to print their values" in notes and "table below" in notes, notes
        assert "table below" in d.alt


def test_the_article_setting_prints_its_values_where_they_fit():
    """At the article's 3 x 3 the cells are wide enough: the values are printed, each one of the outputs."""
    sc = scene_for(ARTICLE, 3)
    traces = run_all(sc.features, sc.rois[0], sc.settings)
    want = [activation(float(v)) for t in traces.values() for v in t.output[sc.channel].ravel()]
    for size in ({}, PRESENTED):
        d = describe_compare(sc, traces, METHODS, **size)
        assert [m.text for _, m in d.marks(Text) if m.kind == "value"] == want, size


@pytest.mark.parametrize("name,d", [c for c in CASES if c[0].startswith("slide")],
                         ids=[n for n, _ in CASES if n.startswith("slide")])
def test_every_marker_of_the_plot_is_whole_inside_it(name, d):
    points = [(p, m) for p, m in d.marks(Point) if m.kind in ("marker", "at")]
    assert points
    ends = 0
    for p, m in points:
        x, y, w, h = place.point_box(p, m)
        assert p.x <= x and x + w <= p.x + p.w and p.y <= y and y + h <= p.y + p.h, (name, m.title)
        ends += m.x in (p.xlim[0], p.xlim[1]) or abs(m.x) < 1e-12 or abs(m.x - 1.5) < 1e-9
    assert ends, "the markers at both ends were checked"


@pytest.mark.parametrize("pname", list(PRESETS))
def test_the_jump_named_is_the_biggest_of_a_whole_cell_method_and_drawn_where_it_happens(pname):
    """The note names the whole-cell method whose value jumps the most (not merely the first one, whose jump may
    be a ten-thousandth of the scale), and the dotted line stands at the position after that jump."""
    from roi_viz.picture.spec import Line

    for out in (3, 7):
        sc = scene_for(PRESETS[pname], out)
        slide = slide_roi(sc.features, sc.rois[0], methods.runners(sc.settings), stride=sc.settings.stride,
                          output_size=sc.settings.output_size, channel=sc.channel, bin=(0, 0), steps=21)
        d = describe_slide(sc, slide, METHODS)
        steps = {m: np.abs(np.diff(slide.values[m])) for m in slide.values if METHODS[m].snaps_to_cells}
        biggest = max(steps, key=lambda m: steps[m].max())
        notes = " ".join(m.text for _, m in d.marks(Text) if m.kind == "note")
        lines = {m.points[0][0] for _, m in d.marks(Line) if m.kind == "jump"}
        if steps[biggest].max() > 1e-4 * max(np.abs(v).max() for v in slide.values.values()):
            assert notes.startswith(f"{METHODS[biggest].short} jumps"), notes
            assert lines == {float(slide.offsets[int(steps[biggest].argmax()) + 1])}
        else:
            assert not notes and not lines


def test_the_descriptions_import_no_painting_library():
    """Described once, painted twice: the description loads neither Matplotlib nor Streamlit."""
    import subprocess
    import sys

    code = ("import sys, roi_viz.figures.compare, roi_viz.picture.svg; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('matplotlib', 'streamlit')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]", out

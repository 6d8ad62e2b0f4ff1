"""The figures of "What a cell sees" and "What the gradient reaches", described once (roi_viz.figures.receptive,
roi_viz.figures.training) and painted as inline SVG on the page.

On the description itself, over both presets (the article's pool5 3 x 3, Fast R-CNN's conv5_3 7 x 7), output sizes
1 to 7, the model trained and untrained and a few boxes (the article's, a tiny one, one touching the image's edge,
random ones): every text at least 12 px in the 528-px lesson column, 18 px on a projector and 12 px on a phone,
none overlapping another or leaving the figure (tests/layout_checks.py). Then what a student reads: the legends'
and titles' numbers against the field, the backward pass and the slide they come from, the hover titles, the
printed gradients at their cells; both painters agree; and the pages show the drawings as SVG with their text
alternatives.
"""
import dataclasses
import itertools
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PIL import Image

from helpers import APP
from layout_checks import problems
from roi_viz.study import receptive
from roi_viz.figures import receptive as fr
from roi_viz.figures import training as ft
from roi_viz.lesson.numbers import exact, num, pct, value as activation
from roi_viz.lesson.training import backward_pass
from roi_viz.state.settings import ARTICLE, FAST_RCNN, Settings
from roi_viz.methods import METHODS, build_scene
from roi_viz.picture import mpl, place, scale, svg
from roi_viz.picture.spec import Line, Photo, Point, Rect, Text

PRESETS = {"article": ARTICLE, "fastrcnn": FAST_RCNN}
OUTS = (1, 2, 3, 5, 7)
SIZE = 512
NS = {"s": "http://www.w3.org/2000/svg"}
_rng = np.random.default_rng(2024)
BOXES = {"article": (296.0, 192.0, 200.0, 145.0), "tiny": (250.0, 250.0, 6.0, 5.0),
         "edge": (0.0, 400.0, 180.0, 112.0),
         **{f"random{k}": (float(x), float(y), float(w), float(h)) for k, (x, y, w, h) in enumerate(
             (_rng.uniform(0, 300), _rng.uniform(0, 300), _rng.uniform(20, 200), _rng.uniform(20, 200))
             for _ in range(2))}}
SIZES = {"page": (dict(), 528, 12), "projector": (dict(width=1000.0, text=20.0), 900, 18),
         "phone": (dict(width=360.0, text=12.0), 360, 12), "phone13": (dict(width=360.0, text=13.0), 360, 12)}


def photo_image() -> Image.Image:
    """A photo with detail (a gradient and stripes), so that the JPEG and the faded grey are not one colour."""
    yy, xx = np.mgrid[0:SIZE, 0:SIZE]
    rgb = np.stack([xx * 255 // SIZE, yy * 255 // SIZE, ((xx // 16 + yy // 16) % 2) * 200 + 30], -1)
    return Image.fromarray(rgb.astype(np.uint8), "RGB")


IMAGE = photo_image()
PHOTO = fr.photo_jpeg(IMAGE)


def scene_for(preset, out, roi, pretrained=True, method="pool"):
    settings = Settings().with_(**preset).with_(output_size=(out, out), shape="square", method=method)
    side = SIZE // settings.stride
    fm = np.random.default_rng(out).standard_normal((4, side, side)).astype(np.float32)
    scene = build_scene(IMAGE, fm, [roi], 0, settings)
    return dataclasses.replace(scene, pretrained=pretrained)


def cells_read(scene):
    """The block of cells the method reads, as the view asks for it."""
    result = scene.chosen
    return receptive.cells_read(result.cells_read() if hasattr(result, "cells_read") else result.bin_use)


def fake_erf(field, cell) -> np.ndarray:
    """A peaked gradient inside the cell's field (zero outside it, as the network's is)."""
    x0, y0, x1, y1 = receptive.clip(field.span(*cell), SIZE, SIZE)
    erf = np.zeros((SIZE, SIZE))
    yy, xx = np.mgrid[y0:y1, x0:x1]
    cy, cx = (field.span(*cell)[1] + field.span(*cell)[3]) / 2, (field.span(*cell)[0] + field.span(*cell)[2]) / 2
    erf[y0:y1, x0:x1] = np.exp(-((yy - cy) ** 2 + (xx - cx) ** 2) / (2 * (field.size / 6) ** 2))
    return erf


def field_case(preset, out, box, method="pool"):
    sc = scene_for(PRESETS[preset], out, BOXES[box], method=method)
    field = receptive.receptive_field(sc.settings.layer)
    H, W = sc.features.shape[1:]
    cell = receptive.pick_cell(field, (H, W), BOXES[box])
    erf = fake_erf(field, cell)
    heat = fr.heat_photo(IMAGE, erf, field, cell)
    shares = receptive.field_shares(erf, field, cell)
    return sc, field, cell, cells_read(sc), erf, heat, shares


def field_drawings(case, **size):
    sc, field, cell, read, erf, heat, shares = case
    return {"cell": fr.describe_cell_field(PHOTO, IMAGE.size, field, cell, **size),
            "roi": fr.describe_roi_field(PHOTO, IMAGE.size, field, sc.rois[0], read, 1, **size),
            "effective": fr.describe_effective(heat, IMAGE.size, field, cell, shares.in_patch, **size)}


FIELD_CASES = [(p, o, b, m) for p, o, b in itertools.product(PRESETS, OUTS, BOXES) for m in ("pool", "align")
               if m == "pool" or b == "article"]


def joined(d, kind: str) -> str:
    """The texts of one kind, in order, joined by spaces: a label wrapped on two rows reads as one again."""
    return " ".join(m.text for _, m in d.marks(Text) if m.kind == kind)


# ------------------------------------------------------------------------------------------ what a cell sees
@pytest.mark.parametrize("preset,out,box,method", FIELD_CASES, ids=["-".join(map(str, c)) for c in FIELD_CASES])
def test_what_a_cell_sees_fits_the_page_the_projector_and_a_phone(preset, out, box, method):
    case = field_case(preset, out, box, method)
    for name, (size, shown, least) in SIZES.items():
        for which, d in field_drawings(case, **size).items():
            assert problems(d, shown, least) == [], (name, which)


@pytest.mark.parametrize("preset", list(PRESETS))
def test_the_cells_figure_says_its_patch_its_field_and_what_lies_outside_the_image(preset):
    field = receptive.receptive_field(scene_for(PRESETS[preset], 3, BOXES["article"]).settings.layer)
    for cell in ((0, 0), (3, 5), (SIZE // field.stride - 1, SIZE // field.stride - 1)):
        for size in ({}, dict(width=360.0, text=12.0)):
            d = fr.describe_cell_field(PHOTO, IMAGE.size, field, cell, **size)
            r, c = cell
            s = field.stride
            assert joined(d, "title") == f"{field.layer}, cell (row {r}, col {c}): {s} px patch, {field.size} px field"
            legend = joined(d, "legend")
            assert f"the cell's patch on the grid: {s}×{s} px (the stride)" in legend
            assert f"what the cell depends on: its {field.size}×{field.size} px field" in legend
            span, patch = field.span(*cell), field.patch(*cell)
            left, top, right, bottom = receptive.outside(span, SIZE, SIZE)
            sides = [f"{v} px {w}" for v, w in ((left, "left"), (top, "top"), (right, "right"), (bottom, "bottom")) if v]
            if sides:
                assert f"outside the image ({', '.join(sides)}): the network sees zeros" in legend
                assert any(m.kind == "padding" and m.hatch for _, m in d.marks(Rect))
            else:
                assert "outside the image" not in legend
            rects = {m.kind: m for _, m in d.marks(Rect)}
            assert (rects["field"].x, rects["field"].y, rects["field"].w, rects["field"].h) == \
                (span[0], span[1], field.size, field.size)
            assert rects["field"].title == f"its field: columns [{span[0]}, {span[2]}), rows [{span[1]}, {span[3]})"
            assert (rects["patch"].x, rects["patch"].y, rects["patch"].w) == (patch[0], patch[1], s)
    if preset == "article":  # pool5's cell (0, 0): its 212-px field starts 90 px left of and above the image
        d = fr.describe_cell_field(PHOTO, IMAGE.size, field, (0, 0))
        assert field.offset == -90 and "outside the image (90 px left, 90 px top)" in joined(d, "legend")


def test_the_rois_figure_names_the_cells_read_and_how_far_their_fields_reach():
    sc = scene_for(ARTICLE, 3, BOXES["article"])
    field = receptive.receptive_field("pool5")
    read = cells_read(sc)
    r0, r1, c0, c1 = read
    union = field.block_span(read)
    x, y, w, h = sc.rois[0]
    d = fr.describe_roi_field(PHOTO, IMAGE.size, field, sc.rois[0], read, 1)
    legend = joined(d, "legend")
    assert joined(d, "title") == "RoI 1: what its pooled output really sees"
    assert f"RoI 1 ({exact(x)}, {exact(y)}), {exact(w)}×{exact(h)} px" in legend
    assert f"the {r1 - r0} rows × {c1 - c0} columns of cells its pooled output reads" in legend
    reach = [f"{exact(v)} px {side}" for side, v in (("left", x - union[0]), ("up", y - union[1]),
                                                     ("right", union[2] - x - w), ("down", union[3] - y - h)) if v > 0]
    assert (f"what they see: {union[2] - union[0]}×{union[3] - union[1]} px, reaching past the RoI by "
            f"{', '.join(reach)}") in legend
    # The article's case, as the old picture said it: rows 6 to 8 and columns 9 to 14 of pool5.
    assert read == (6, 9, 9, 15) and "3 rows × 6 columns" in legend and "98 px left, 90 px up, 74 px right, 41 px down" in legend
    assert "outside the image: zeros" in legend  # the union passes the right edge: 566 > 512
    rects = {m.kind: m for _, m in d.marks(Rect)}
    assert rects["roi"].title in legend and (rects["roi"].x, rects["roi"].y) == (x, y)
    assert rects["read"].title == f"the cells read: rows {r0} to {r1 - 1}, columns {c0} to {c1 - 1}"
    assert (rects["read"].x, rects["read"].y, rects["read"].w, rects["read"].h) == (32 * c0, 32 * r0, 32 * (c1 - c0), 32 * (r1 - r0))
    empty = fr.describe_roi_field(PHOTO, IMAGE.size, field, (296, 192, 20, 14), None)
    assert joined(empty, "title") == "The RoI: its pooled output reads no cell at all"
    assert "union" not in {m.kind for _, m in empty.marks(Rect)}


def test_the_effective_field_prints_its_share_and_paints_the_gradient_over_the_faded_photo():
    field = receptive.receptive_field("pool5")
    cell = (0, 0)
    erf = np.zeros((SIZE, SIZE))
    erf[0:122, 0:122] = 1.0
    erf[0:32, 0:32] = 5.0
    shares = receptive.field_shares(erf, field, cell)
    assert shares.in_patch == pytest.approx(32 * 32 * 5 / (122 * 122 + 32 * 32 * 4))
    heat = fr.heat_photo(IMAGE, erf, field, cell)
    d = fr.describe_effective(heat, IMAGE.size, field, cell, shares.in_patch)
    assert joined(d, "title") == "What pool5 cell (0, 0) really uses"
    legend = joined(d, "legend")
    assert f"its 32×32 px patch: {pct(shares.in_patch)} of the gradient" in legend
    assert "its 212×212 px field: all of it (zero outside)" in legend
    assert [m.text for _, m in d.marks(Text) if m.kind == "scale"] == ["0", "¼ max", "max"]
    assert "|gradient| (square-root scale):" in joined(d, "scale name")
    # The photo: the part of the image the zoomed chart shows, at its place; the peak in the scale's top colour,
    # a pixel the gradient does not reach in the faded grey of the photo.
    (photo,) = [m for _, m in d.marks(Photo)]
    x0, y0, x1, y1 = heat.box
    assert (photo.x, photo.y, photo.w, photo.h) == (x0, y0, x1 - x0, y1 - y0) and x0 == 0 and y0 == 0
    assert heat.peak == 5.0
    px = np.asarray(Image.open(__import__("io").BytesIO(heat.data)).convert("RGB"), dtype=float)
    assert px.shape[:2] == (y1 - y0, x1 - x0)
    assert np.abs(px[10, 10] - scale.rgb(scale.SCALES["inferno"][-1])).max() < 12
    grey = 255 - 0.45 * (255 - float(np.asarray(IMAGE.convert("L"))[140, 140]))
    assert np.abs(px[140, 140] - grey).max() < 12
    flat = fr.heat_photo(IMAGE, np.zeros((SIZE, SIZE)), field, cell)
    d0 = fr.describe_effective(flat, IMAGE.size, field, cell, 0.0)
    assert [m.text for _, m in d0.marks(Text) if m.kind == "scale"] == ["0"]


# ------------------------------------------------------------------------------------------ what the gradient reaches
METHOD_KEYS = [k for k, m in METHODS.items() if m.forward is not None]  # those with a backward pass here
TRAIN_CASES = [(p, o, t, b, METHOD_KEYS[n % 4]) for n, (p, o, t, b) in
               enumerate(itertools.product(PRESETS, OUTS, (True, False), BOXES))]


def train_case(preset, out, pretrained, box, method, bin=None):
    sc = scene_for(PRESETS[preset], out, BOXES[box], pretrained, method)
    bp = backward_pass(sc, bin or (out - 1, out // 2), sc.channel)
    return sc, bp


def train_drawings(sc, bp, **size):
    rec = METHODS[sc.method]
    return {"map": ft.describe_gradient_map(sc, bp, rec, **size), "slide": ft.describe_box_slide(sc, bp, rec, **size)}


@pytest.mark.parametrize("preset,out,pretrained,box,method", TRAIN_CASES,
                         ids=["-".join(map(str, c)) for c in TRAIN_CASES])
@pytest.mark.slow
def test_what_the_gradient_reaches_fits_the_page_the_projector_and_a_phone(preset, out, pretrained, box, method):
    sc, bp = train_case(preset, out, pretrained, box, method)
    for name, (size, shown, least) in SIZES.items():
        for which, d in train_drawings(sc, bp, **size).items():
            assert problems(d, shown, least) == [], (name, which)
            assert ("UNTRAINED VGG16: features are random" in joined(d, "badge")) == (not pretrained)


def check_map(sc, bp, d) -> bool:
    """The map's words and marks against the backward pass; returns whether the gradients were printed."""
    rec = METHODS[sc.method]
    i, j = bp.bin
    grad = bp.gradient
    n = int((grad != 0).sum())
    assert n == bp.reached
    assert joined(d, "title") == (f"{rec.short}: bin ({i},{j}), channel {bp.channel} reaches {n} cell{'s' if n != 1 else ''} "
                                  f"the RoI's {bp.touched} cells reached: {pct(bp.share_bin)}; by all bins: {pct(bp.share_all)}")
    (panel,) = [p for p in d.panels if any(m.kind == "cell" for m in p.marks)]
    r0, r1 = int(panel.ylim[0]), int(panel.ylim[1])
    c0, c1 = int(panel.xlim[0]), int(panel.xlim[1])
    inside = {(r, c) for r, c in zip(*np.nonzero(grad)) if r0 <= r < r1 and c0 <= c < c1}
    cells = [m for m in panel.marks if isinstance(m, Rect) and m.kind == "gradient"]
    assert {(int(m.y), int(m.x)) for m in cells} == inside
    for m in cells:  # each painted cell answers a hover with its own gradient
        assert m.title == f"row {int(m.y)}, column {int(m.x)}: gradient {activation(grad[int(m.y), int(m.x)])}"
    chan = sc.features[bp.channel]
    for m in [m for m in panel.marks if isinstance(m, Rect) and m.kind == "cell"][:5]:
        assert m.title == f"channel {bp.channel}, row {int(m.y)}, column {int(m.x)}: {activation(chan[int(m.y), int(m.x)])}"
    values = [m for m in panel.marks if isinstance(m, Text) and m.kind == "value"]
    if values:  # all or none, each in its own cell with its own number
        assert sorted((int(np.floor(m.y)), int(np.floor(m.x))) for m in values) == sorted(inside)
        for m in values:
            g = grad[int(np.floor(m.y)), int(np.floor(m.x))]
            assert m.text == (num(g) if g >= 0.005 else "<0.01")
    elif inside:
        assert "too small to print every gradient" in joined(d, "note")
    bins = [m for m in panel.marks if isinstance(m, Rect) and m.kind == "bin"]
    trace = sc.chosen
    if hasattr(trace, "bins"):
        span = trace.bins[i][j]
        if span[1] > span[0] and span[3] > span[2]:
            assert [(b.x, b.y, b.w, b.h) for b in bins] == [(span[2], span[0], span[3] - span[2], span[1] - span[0])]
    else:
        assert [(b.x, b.y) for b in bins] == [(trace.col_edges[j], trace.row_edges[i])]
    legend = joined(d, "legend")
    assert f"bin ({i},{j})" in legend and "receives gradient" in legend and "RoI as projected" in legend
    points = [m for m in panel.marks if isinstance(m, Point) and m.kind == "sample"]
    if hasattr(trace, "samples") and trace.points_per_bin:
        assert sorted((p.y, p.x) for p in points) == sorted(map(tuple, trace.samples[i, j].tolist()))
        assert "its sampling points" in legend
    else:
        assert not points and "its sampling points" not in legend
    return bool(values)


def test_the_gradient_map_says_the_backward_passs_numbers_where_a_student_reads_them():
    printed = {True: 0, False: 0}
    for preset, out, pretrained, box, method in TRAIN_CASES[::3]:
        sc, bp = train_case(preset, out, pretrained, box, method)
        for size in ({}, dict(width=360.0, text=12.0)):
            printed[check_map(sc, bp, ft.describe_gradient_map(sc, bp, METHODS[method], **size))] += 1
    assert printed[True] and printed[False], printed  # both cases were met: values printed, and the note instead


@pytest.mark.parametrize("method", METHOD_KEYS)
def test_the_article_case_prints_each_gradient_on_its_cell(method):
    """The article's 3 x 3 on pool5, the followed bin (1, 1): the cells are wide enough, every gradient printed."""
    sc, bp = train_case("article", 3, True, "article", method, bin=(1, 1))
    d = ft.describe_gradient_map(sc, bp, METHODS[method])
    assert check_map(sc, bp, d)


def on_curve(pt, curves) -> bool:
    """Whether ``pt`` lies on one of the polylines (a step's level, a slope between two positions)."""
    x, y = pt
    if not np.isfinite(y):
        return False
    for pts in curves:
        for (xa, ya), (xb, yb) in zip(pts, pts[1:]):
            if min(xa, xb) - 1e-12 <= x <= max(xa, xb) + 1e-12 and min(ya, yb) - 1e-12 <= y <= max(ya, yb) + 1e-12 \
                    and abs((xb - xa) * (y - ya) - (yb - ya) * (x - xa)) <= 1e-9 * (1 + abs(yb - ya) + abs(xb - xa)):
                return True
    return False


def check_slide(sc, bp, d) -> None:
    rec = METHODS[sc.method]
    sl = bp.slide
    i, j = bp.bin
    assert joined(d, "title") == f"{rec.short}: bin ({i},{j}), channel {bp.channel}, while the RoI moves right"
    assert f"RoI moved right by (cells; 1 cell = {sl.stride:g} px)" in joined(d, "axis")
    top, bottom = d.panels[0], d.panels[1]
    legend = joined(d, "legend")
    assert legend.startswith(rec.short)
    assert ("jump: derivative undefined" in legend) == bool(len(sl.jumps))
    assert ("kink: a point crosses a cell centre" in legend) == bool(len(sl.kinks))
    for panel, ys, what in ((top, sl.values, ""), (bottom, sl.derivative, "d value / d x ")):
        curves = [m.points for m in panel.marks if isinstance(m, Line) and m.kind == "curve"]
        for x, y in zip(sl.offsets, ys):  # every position's number lies on its curve, an undefined one on none
            assert on_curve((float(x), float(y)), curves) == bool(np.isfinite(y)), (x, y)
        for m in (m for m in panel.marks if isinstance(m, Point) and m.kind == "marker"):
            k = int(np.argmin(np.abs(sl.offsets - m.x)))
            assert m.y == ys[k] and m.title == f"{rec.short}, moved {num(float(sl.offsets[k]), 3)} cells: {what}{activation(ys[k])}"
        assert {m.points[0][0] for m in panel.marks if isinstance(m, Line) and m.kind == "jump"} == {float(a) for a, _ in sl.jumps}
        assert {m.points[0][0] for m in panel.marks if isinstance(m, Line) and m.kind == "kink"} == {float(a) for a in sl.kinks}
    holes = [m for m in bottom.marks if isinstance(m, Point) and m.kind == "undefined"]
    assert sorted(m.x for m in holes) == sorted(float(a) for a, _ in sl.jumps) and all(m.y == 0 for m in holes)
    colour, _, _ = rec.style
    assert {m.stroke.colour for p in (top, bottom) for m in p.marks if isinstance(m, Line) and m.kind == "curve"} == {colour}


def test_the_slide_draws_the_value_and_its_derivative_as_the_slide_computed_them():
    seen = set()
    for preset, out, pretrained, box, method in TRAIN_CASES[1::3]:
        sc, bp = train_case(preset, out, pretrained, box, method)
        check_slide(sc, bp, ft.describe_box_slide(sc, bp, METHODS[method]))
        seen |= {"jump"} if len(bp.slide.jumps) else set()
        seen |= {"kink"} if len(bp.slide.kinks) else set()
    for method in METHOD_KEYS:  # the article's case: RoI pooling jumps, RoIAlign has kinks
        sc, bp = train_case("article", 3, True, "article", method, bin=(1, 1))
        check_slide(sc, bp, ft.describe_box_slide(sc, bp, METHODS[method]))
        seen |= {"jump"} if len(bp.slide.jumps) else set()
        seen |= {"kink"} if len(bp.slide.kinks) else set()
    assert seen == {"jump", "kink"}


@pytest.mark.parametrize("method", METHOD_KEYS)
def test_both_painters_agree_on_what_the_gradient_reaches(method):
    sc, bp = train_case("article", 3, False, "article", method, bin=(1, 1))
    for d in train_drawings(sc, bp).values():
        painters_agree(d)


# ------------------------------------------------------------------------------------------ both painters
def painters_agree(d) -> None:
    """Every text of the drawing at the same pixel in the SVG and in Matplotlib, the SVG parsing with one <text>
    per text mark, its title and alternative text, and the photos embedded."""
    tree = ET.fromstring(svg.paint(d))
    specs = list(d.marks(Text))
    assert [t.text for t in tree.findall(".//s:text", NS)] == [m.text for _, m in specs]
    assert tree.get("aria-label") == d.alt and tree.get("role") == "img"
    fig = mpl.paint(d)
    assert [t.get_text() for t in fig.texts] == [m.text for _, m in specs]
    for (p, m), t in zip(specs, fig.texts):
        x, y = fig.transFigure.transform(t.get_position())
        assert (x, fig.bbox.height - y) == pytest.approx(place.text(p, m), abs=0.01)
    photos = [m for _, m in d.marks(Photo)]
    assert len(tree.findall(".//s:image", NS)) == len(photos)
    assert all(i.get("href").startswith("data:image/jpeg;base64,") for i in tree.findall(".//s:image", NS))
    titled = [m for _, m in d.marks() if isinstance(m, (Rect, Point)) and m.title]
    assert sorted(t.text for t in tree.findall(".//s:title", NS)) == sorted(m.title for m in titled)


@pytest.mark.parametrize("box", ["article", "edge"])
def test_both_painters_agree_on_what_a_cell_sees(box):
    case = field_case("article", 3, box)
    for d in field_drawings(case).values():
        painters_agree(d)


def test_the_descriptions_import_no_painting_library():
    code = ("import sys, roi_viz.figures.receptive, roi_viz.figures.training; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('matplotlib', 'streamlit')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]", out


# ------------------------------------------------------------------------------------------ the pages


def svg_figures(at) -> list[str]:
    """The inline SVG of every described figure the AppTest page shows, in order."""
    import json

    found = []

    def walk(node) -> None:
        if getattr(node, "type", None) == "bidi_component" and node.proto.component_name == "roi_viz.figure":
            found.append(json.loads(node.proto.json)["svg"])
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at.main)
    return found


def test_the_field_view_shows_its_figures_as_svg_with_their_numbers():
    from streamlit.testing.v1 import AppTest

    from helpers import figures, page_state, widget

    at = AppTest.from_file(APP, default_timeout=300)
    at.query_params["view"] = "field"
    at.run()
    assert not at.exception
    r, c = page_state(at).place.cell
    field = receptive.receptive_field("pool5")
    x0, y0, x1, y1 = field.span(r, c)
    alts = figures(at)
    assert len(alts) == 2 and not [f for f in svg_figures(at) if "<img" in f]
    assert f"columns [{x0}, {x1}), rows [{y0}, {y1})" in alts[0] and "212 × 212 receptive field" in alts[0]
    assert alts[1].startswith("The RoI (296, 192, 200, 145) and the union")
    shown = [ET.fromstring(s) for s in svg_figures(at)]
    words = [[t.text for t in tree.findall(".//s:text", NS)] for tree in shown]
    assert f"pool5, cell (row {r}, col {c}): 32 px patch, 212 px field" in words[0]
    assert "what its pooled output really sees" in " ".join(words[1])
    widget(at, "button", "Compute the effective field").click().run()
    assert not at.exception
    alts = figures(at)
    assert len(alts) == 3 and alts[2].startswith(f"Heat map of the effective receptive field of cell ({r}, {c}): ")
    share = re.search(r": (\d+\.\d %) of the gradient", alts[2])[1]
    third = " ".join(t.text for t in ET.fromstring(svg_figures(at)[2]).findall(".//s:text", NS))
    assert f"its 32×32 px patch: {share} of the gradient" in third


def test_the_training_view_shows_both_figures_as_svg_with_their_numbers():
    from streamlit.testing.v1 import AppTest

    from helpers import figures, page_state, page_text

    at = AppTest.from_file(APP, default_timeout=300)
    at.query_params["view"] = "train"
    at.query_params["method"] = "align"
    at.run()
    assert not at.exception
    state = page_state(at)
    i, j, _ = state.place.focus
    alts = figures(at)
    assert len(alts) == 2 and len(svg_figures(at)) == 2
    assert alts[0].startswith(f"Where the gradient of bin ({i}, {j}), channel ")
    assert alts[1].startswith(f"The output of bin ({i}, {j}) and its derivative by the box's x")
    reached = re.search(r"\*\*(\d+) cells?\*\*", page_text(at))[1]  # the words' number, in the figure's title
    words = " ".join(t.text for t in ET.fromstring(svg_figures(at)[0]).findall(".//s:text", NS))
    assert f"RoIAlign: bin ({i},{j}), channel " in words and f"reaches {reached} cell" in words
    words = " ".join(t.text for t in ET.fromstring(svg_figures(at)[1]).findall(".//s:text", NS))
    assert "while the RoI moves right" in words and "d value / d x (per pixel)" in words
    labels = [b.label for b in at.get("download_button")]
    assert "Download the gradient map (PNG)" in labels and "Download the box's derivative (PNG)" in labels

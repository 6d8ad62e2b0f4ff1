"""One description, two painters: the page's SVG and the files' Matplotlib put every mark at the same place.

A drawing with every kind of mark (and the real proposals figure) is painted both ways;
each text, rectangle and line is found in the SVG (parsed as XML) and among Matplotlib's
artists (in display pixels), and must sit at the same drawing pixel. The font's measured
width is what Matplotlib draws; hostile text stays text in the SVG.
"""
import io
import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from PIL import Image

from roi_viz.picture import fonts, mpl, place, svg
from roi_viz.picture.spec import Drawing, Line, Panel, Photo, Rect, Stroke, Text

NS = {"s": "http://www.w3.org/2000/svg"}


def png(w=40, h=30) -> bytes:
    buf = io.BytesIO()
    Image.fromarray((np.arange(w * h * 3) % 251).astype(np.uint8).reshape(h, w, 3)).save(buf, format="PNG")
    return buf.getvalue()


def sample_drawing(seed: int = 0) -> Drawing:
    """Panels with cells-like data limits, a photo panel and a pixel panel, every mark kind, random places."""
    rng = np.random.default_rng(seed)
    cells = Panel(20, 40, 300, 200, (2.0, 14.0), (1.0, 9.0), tuple(
        [Rect(float(x), float(y), float(w), float(h), fill="#dddddd", stroke=Stroke("#111111", 1.5, (4.0, 2.0)),
              title=f"cell ({int(y)}, {int(x)}): 0.{i}", kind="cell")
         for i, (x, y, w, h) in enumerate(rng.uniform([2, 1, 0.5, 0.5], [12, 8, 2, 2], (6, 4)))]
        + [Line(tuple(map(tuple, rng.uniform([2, 1], [14, 9], (4, 2)))), Stroke("#d62728", 2.0), kind="path"),
           Text(float(rng.uniform(3, 12)), float(rng.uniform(2, 8)), "9.25 → 9", 13.0, anchor="middle",
                baseline="middle", halo="#ffffff", kind="value"),
           Text(3.0, 2.0, "x = 296 px ÷ 32", 12.0, weight="bold", anchor="start", baseline="top", kind="label"),
           Text(13.5, 8.5, "<b>not bold</b> & “plain”", 11.0, anchor="end", baseline="bottom", kind="hostile")]))
    photo = Panel(340, 40, 160, 120, (0.0, 40.0), (0.0, 30.0),
                  (Photo(png(), "PNG", 0, 0, 40, 30), Rect(5, 5, 10, 8, stroke=Stroke("#E69F00", 2.6, (), "#000", 4.6))))
    heading = Panel.pixels(0, 0, 520, 36, [Text(8, 6, "A title in the figures' font", 16.0, weight="bold")])
    return Drawing(520, 260, (heading, cells, photo), "A test drawing: <every> mark & its text")


def svg_tree(d: Drawing):
    return ET.fromstring(svg.paint(d))


def mpl_figure(d: Drawing):
    fig = mpl.paint(d)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return fig, canvas.get_renderer()


def to_drawing_px(fig, x, y):
    """Matplotlib display pixels (y up, at 100 dpi) -> drawing pixels (y down)."""
    return x, fig.bbox.height - y


@pytest.mark.parametrize("seed", range(5))
def test_both_painters_put_every_text_at_the_same_place(seed):
    d = sample_drawing(seed)
    tree = svg_tree(d)
    fig, renderer = mpl_figure(d)
    svg_texts = tree.findall(".//s:text", NS)
    mpl_texts = [t for t in fig.texts]
    specs = [(p, m) for p, m in d.marks(Text)]
    assert [t.text for t in svg_texts] == [m.text for _, m in specs] == [t.get_text() for t in mpl_texts]
    for (p, m), s_el, m_el in zip(specs, svg_texts, mpl_texts):
        x, base = place.text(p, m)
        assert float(s_el.get("x")) == pytest.approx(x, abs=0.01) and float(s_el.get("y")) == pytest.approx(base, abs=0.01)
        mx, my = to_drawing_px(fig, *fig.transFigure.transform(m_el.get_position()))
        assert (mx, my) == pytest.approx((x, base), abs=0.01)
        # What was measured is what is drawn: Matplotlib's own extent of the text, in the same font.
        # Agg hints and rounds glyphs to whole pixels: a few per cent, not a different font.
        box = m_el.get_window_extent(renderer)
        left, _, width, _ = place.text_box(p, m)
        slack = max(1.5, 0.03 * width)
        assert box.width == pytest.approx(width, abs=slack), m.text
        assert box.x0 == pytest.approx(left, abs=slack), m.text
        assert float(s_el.get("font-size")) == m.size and m_el.get_fontsize() == pytest.approx(m.size * 72 / 100)


@pytest.mark.parametrize("seed", range(5))
def test_both_painters_put_every_rectangle_and_line_at_the_same_place(seed):
    d = sample_drawing(seed)
    tree = svg_tree(d)
    fig, _ = mpl_figure(d)
    # Rectangles with a kind (the edge under an outlined one is drawn as its own plain <rect> in SVG).
    svg_rects = [r for r in tree.findall(".//s:rect", NS) if r.get("data-kind")]
    mpl_rects = [pch for ax in fig.axes for pch in ax.patches if pch.get_gid()]
    specs = [(p, m) for p, m in d.marks(Rect) if m.kind]
    assert len(svg_rects) == len(mpl_rects) == len(specs)
    for (p, m), s_el, m_el in zip(specs, svg_rects, mpl_rects):
        want = place.rect(p, m)
        got_svg = tuple(float(s_el.get(a)) for a in ("x", "y", "width", "height"))
        assert got_svg == pytest.approx(want, abs=0.01)
        (x0, y0), (x1, y1) = (to_drawing_px(fig, *pt) for pt in m_el.get_data_transform().transform(
            [(m_el.get_x(), m_el.get_y()), (m_el.get_x() + m_el.get_width(), m_el.get_y() + m_el.get_height())]))
        assert (min(x0, x1), min(y0, y1), abs(x1 - x0), abs(y1 - y0)) == pytest.approx(want, abs=0.01)
        title = s_el.find("s:title", NS)
        assert (title.text if title is not None else "") == m.title  # a hover says what the rectangle is
        stroke = m.stroke
        assert s_el.get("stroke") == stroke.colour and float(s_el.get("stroke-width")) == stroke.width
        assert m_el.get_linewidth() == pytest.approx(stroke.width * 72 / 100)
    lines = [(p, m) for p, m in d.marks(Line)]
    svg_lines = [ln for ln in tree.findall(".//s:polyline", NS) if ln.get("data-kind")]
    mpl_lines = [ln for ax in fig.axes for ln in ax.lines if ln.get_gid()]
    for (p, m), s_el, m_el in zip(lines, svg_lines, mpl_lines, strict=True):
        want = np.array(place.line(p, m))
        got = np.array([[float(v) for v in pt.split(",")] for pt in s_el.get("points").split()])
        np.testing.assert_allclose(got, want, atol=0.01)
        disp = m_el.get_transform().transform(np.column_stack(m_el.get_data()))
        np.testing.assert_allclose(np.column_stack([disp[:, 0], fig.bbox.height - disp[:, 1]]), want, atol=0.01)


def test_a_photo_fills_its_rectangle_in_both():
    d = sample_drawing()
    tree = svg_tree(d)
    image = tree.find(".//s:image", NS)
    p, ph = next(d.marks(Photo))
    want = place.rect(p, Rect(ph.x, ph.y, ph.w, ph.h))
    assert tuple(float(image.get(a)) for a in ("x", "y", "width", "height")) == pytest.approx(want, abs=0.01)
    assert image.get("href").startswith("data:image/png;base64,")
    fig, _ = mpl_figure(d)
    (im,) = [im for ax in fig.axes for im in ax.images]
    x0, x1, y1, y0 = im.get_extent()
    assert (x0, y0, x1 - x0, y1 - y0) == (ph.x, ph.y, ph.w, ph.h)


def test_the_svg_is_an_image_with_its_text_alternative_and_text_stays_text():
    d = sample_drawing()
    text = svg.paint(d)
    tree = ET.fromstring(text)  # well-formed: a hostile string could not open an element
    assert tree.get("role") == "img" and tree.get("aria-label") == d.alt
    assert "<b>" not in text and "&lt;b&gt;not bold&lt;/b&gt;" in text
    assert not tree.findall(".//s:script", NS) and not tree.findall(".//s:b", NS)
    assert "DejaVu Sans" in tree.get("font-family")


def test_the_font_measured_is_the_font_shipped_and_matplotlibs():
    from matplotlib import font_manager

    for weight, path in fonts.FILES.items():
        assert path.is_file(), path
        mpl_font = font_manager.findfont(font_manager.FontProperties(family=fonts.FAMILY, weight=weight))
        assert "DejaVuSans" in mpl_font
    # Wider text is wider, bold is wider than regular, and size scales linearly.
    assert fonts.width("RoI 296", 13) < fonts.width("RoI 2960", 13) < fonts.width("RoI 2960", 13, "bold")
    assert fonts.width("9.28125", 26) == pytest.approx(2 * fonts.width("9.28125", 13))
    assert all(fonts.width(line, 13) <= 200 for line in fonts.wrap("the share of the box that reaches the output "
                                                                    "after the split into bins", 13, 200))


# ---------------------------------------------------------------- markers: one shape, one place, in both painters
def marker_drawing() -> Drawing:
    """Every marker shape in a panel of cells (y downwards) and in a plot panel (y upwards, as values are)."""
    from roi_viz.picture.spec import SHAPES, Point

    cells = Panel(10, 10, 240, 180, (2.0, 14.0), (1.0, 9.0), tuple(
        Point(3.0 + 3 * k, 2.0 + 2 * k, shape, 8.0 + 3 * k, "#1f77b4", Stroke("#000000", 1.0), title=f"{shape} {k}",
              kind=shape) for k, shape in enumerate(SHAPES)))
    plot = Panel(270, 10, 240, 180, (0.0, 1.0), (0.9, 0.1), tuple(  # ylim (top, bottom): the larger value on top
        Point(0.2 * (k + 1), 0.2 * (k + 1), shape, 14.0, "#d62728", None, kind=shape) for k, shape in enumerate(SHAPES)))
    return Drawing(520, 200, (cells, plot), "Markers")


def test_both_painters_put_every_marker_at_the_same_place_and_size():
    from matplotlib.patches import Circle, Polygon

    from roi_viz.picture.spec import Point

    d = marker_drawing()
    tree = svg_tree(d)
    fig, _ = mpl_figure(d)
    specs = list(d.marks(Point))
    svg_marks = [e for e in tree.iter() if e.tag.split("}")[1] in ("circle", "polygon")]
    mpl_marks = [pch for ax in fig.axes for pch in ax.patches if isinstance(pch, (Circle, Polygon))]
    assert len(svg_marks) == len(mpl_marks) == len(specs) == 8
    for (p, m), s_el, m_el in zip(specs, svg_marks, mpl_marks):
        assert s_el.get("data-kind") == m.kind == m_el.get_gid()
        shape = place.outline(p, m)
        if m.shape == "circle":
            (cx, cy), (r, _) = shape
            assert s_el.tag.endswith("circle") and isinstance(m_el, Circle)
            assert (float(s_el.get("cx")), float(s_el.get("cy")), float(s_el.get("r"))) == pytest.approx((cx, cy, r), abs=0.01)
            # A circle's path is the unit circle; its transform carries the centre and the radius to the display.
            centre, edge = m_el.get_transform().transform([(0.0, 0.0), (1.0, 0.0)])
            assert to_drawing_px(fig, *centre) == pytest.approx((cx, cy), abs=0.01)
            assert edge[0] - centre[0] == pytest.approx(r, abs=0.01)
        else:
            got = np.array([[float(v) for v in pt.split(",")] for pt in s_el.get("points").split()])
            np.testing.assert_allclose(got, np.array(shape), atol=0.01)
            disp = m_el.get_transform().transform(m_el.get_xy()[:len(shape)])
            np.testing.assert_allclose(np.column_stack([disp[:, 0], fig.bbox.height - disp[:, 1]]), shape, atol=0.01)
        # The box a test measures holds the whole marker, its outline too.
        x, y, w, h = place.point_box(p, m)
        xs, ys = (zip(*shape) if m.shape != "circle" else ((cx - r, cx + r), (cy - r, cy + r)))
        assert x <= min(xs) and max(xs) <= x + w and y <= min(ys) and max(ys) <= y + h
        title = s_el.find("s:title", NS)
        assert (title.text if title is not None else "") == m.title
    # A marker keeps its shape whatever the panel's scale: a square is as tall as it is wide in both panels.
    for p, m in specs:
        if m.shape == "square":
            xs, ys = zip(*place.outline(p, m))
            assert max(xs) - min(xs) == pytest.approx(max(ys) - min(ys))


@pytest.mark.slow
def test_the_comparison_and_the_slide_agree_in_both_painters():
    """The real figures: every text of the description at the same pixel in the SVG and in Matplotlib, every
    output cell a rectangle with its hover title in the SVG."""
    import sys

    sys.path.insert(0, str(__import__("pathlib").Path(__file__).parent))
    from test_compare_figures import drawings

    for name, d in drawings(outs=(3,)):
        tree = svg_tree(d)
        fig, _ = mpl_figure(d)
        specs = list(d.marks(Text))
        assert [t.text for t in tree.findall(".//s:text", NS)] == [m.text for _, m in specs] == \
            [t.get_text() for t in fig.texts], name
        for (p, m), t in zip(specs, fig.texts):
            assert to_drawing_px(fig, *fig.transFigure.transform(t.get_position())) == pytest.approx(place.text(p, m), abs=0.01)
        cells = [r for r in tree.findall(".//s:rect", NS) if r.get("data-kind") == "output"]
        assert len(cells) == sum(1 for _, m in d.marks(Rect) if m.kind == "output")
        assert all(re.fullmatch(r"row \d+, column \d+: \S+( \(an empty bin: it outputs 0\))?", c.find("s:title", NS).text)
                   for c in cells), name

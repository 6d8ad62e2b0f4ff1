"""Colour is never the only carrier of meaning: the walkthrough's figures keep lost, gained, dropped and
empty cells (and the followed box and the others) apart in greyscale and for the three common
colour-vision deficiencies.

The figures are described for real (a VGG16 map of the sample photo, the article's RoI, and settings with
dropped cells and empty bins), and the colour of each kind of region is read from the description both
painters paint (:mod:`roi_viz.picture.svg` on the page, :mod:`roi_viz.picture.mpl` for files): its
rectangles' fill, hatch and hatch colour, the kinds being those of :mod:`roi_viz.figures.look`. A hatched
region reads from a distance as its fill and its lines mixed in the share of the area the lines cover (as the
page's SVG paints them). Those colours go through a simulation of protanopia, deuteranopia and tritanopia
(Machado, Oliveira and Fernandes 2009, severity 1, applied in linear RGB) and through greyscale, and the
contrast between regions that must differ is measured.

Why the WCAG contrast ratio rather than a colour difference such as CIE ΔE: WCAG 2.1 success criterion
1.4.11 (non-text contrast, level AA) asks 3 : 1 of the parts of a graphic needed to understand it, and
the ratio reads relative luminance only, which is what is left on a greyscale projector and what every
deficiency keeps. A ΔE can be large from hue alone, the very thing a deficiency takes away; asking for
luminance contrast on top of the simulation is the stricter test. Where two kinds are told apart by
pattern (a hatch, a line style) rather than by colour, the pattern is what is tested.
"""
import numpy as np
import pytest
from matplotlib.colors import to_rgb

from roi_viz.figures import look
from roi_viz.figures import sampling
from roi_viz.figures import steps
from roi_viz.figures.frame import SWATCH_GAP
from roi_viz.state.settings import ARTICLE, FAST_RCNN, Settings
from roi_viz.methods import build_scene
from roi_viz.ops import geometry as g
from roi_viz.picture import fonts, svg
from roi_viz.picture.spec import Rect, Text

from helpers import ARTICLE_ROI

WCAG_NON_TEXT = 3.0  # WCAG 2.1 SC 1.4.11: graphical objects needed to understand the content

# Machado et al. 2009, Table 1 at severity 1.0: linear RGB in, linear RGB out.
MACHADO = {
    "protanopia": np.array([[0.152286, 1.052583, -0.204868],
                            [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968],
                              [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
    "tritanopia": np.array([[1.255528, -0.076749, -0.178779],
                            [-0.078411, 0.930809, 0.147602],
                            [0.004733, 0.691367, 0.303900]]),
}
VISIONS = ("normal", "greyscale", *MACHADO)
LUMA = np.array([0.2126, 0.7152, 0.0722])  # Rec. 709 / sRGB weights, as WCAG's relative luminance


# ------------------------------------------------------------------ colour science
def linear(srgb: np.ndarray) -> np.ndarray:
    """sRGB in [0, 1] to linear light (IEC 61966-2-1)."""
    srgb = np.asarray(srgb, float)
    return np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)


def seen(rgb: np.ndarray, vision: str) -> np.ndarray:
    """An sRGB colour (``(..., 3)`` in [0, 1]) as ``vision`` sees it, in linear RGB."""
    lin = linear(rgb)
    if vision == "normal":
        return lin
    if vision == "greyscale":
        return np.repeat((lin @ LUMA)[..., None], 3, axis=-1)
    return np.clip(lin @ MACHADO[vision].T, 0.0, 1.0)


def contrast(a: np.ndarray, b: np.ndarray, vision: str) -> float:
    """WCAG 2.1 contrast ratio of two sRGB colours after ``vision``: from 1 (same luminance) to 21."""
    la, lb = sorted((float(seen(a, vision) @ LUMA), float(seen(b, vision) @ LUMA)))
    return (lb + 0.05) / (la + 0.05)


def worst(a: np.ndarray, b: np.ndarray) -> tuple[float, str]:
    return min((contrast(a, b, v), v) for v in VISIONS)


# ------------------------------------------------------------------ reading the description
HATCH_LINE = 1.5  # px: the width of a hatch's lines as the page's SVG paints them, HATCH_STEP px apart
DOT_RADIUS = 1.1  # px: a dot of the "." hatch


def hatch_share(hatch: str) -> float:
    """The share of an area a hatch's lines cover as painted (0: none): diagonal lines HATCH_STEP px apart along
    an edge lie HATCH_STEP / sqrt 2 apart across; "x" is two such sets, crossing."""
    step = svg.HATCH_STEP
    one = {"/": HATCH_LINE * np.sqrt(2) / step, "\\": HATCH_LINE * np.sqrt(2) / step, "-": HATCH_LINE / step,
           ".": np.pi * DOT_RADIUS ** 2 / step ** 2, "": 0.0}
    if hatch == "x":
        return 1 - (1 - one["/"]) ** 2
    return one[hatch]


def rgb(colour: str) -> np.ndarray:
    return np.array(to_rgb(colour))


def region_colour(marks, under: str = "#ffffff") -> np.ndarray:
    """The colour a region reads as from a distance: the mean over its rectangles (weighted by area) of each one's
    fill (or what lies under it, where it has none) mixed with its hatch's lines in the share they cover."""
    assert marks, "no rectangle of this kind: the figure changed"
    total, area = np.zeros(3), 0.0
    for m in marks:
        base = rgb(m.fill or under)
        c = hatch_share(m.hatch)
        seen_ = (1 - c) * base + c * rgb(m.hatch_colour) if m.hatch else base
        total += seen_ * m.w * m.h
        area += m.w * m.h
    return total / area


def of_kind(d, kind: str) -> list[Rect]:
    return [m for _, m in d.marks(Rect) if m.kind == kind]


def legend_swatch(d, label: str) -> Rect:
    """The swatch drawn beside a legend label (its right edge SWATCH_GAP px left of the words, level with them)."""
    (t,) = [m for _, m in d.marks(Text) if m.kind == "legend" and m.text == label]
    found = [m for _, m in d.marks(Rect) if m.kind == "swatch" and abs(m.x + m.w + SWATCH_GAP - t.x) < 0.5
             and t.y <= m.y + m.h / 2 <= t.y + fonts.height(t.size)]
    assert found, label
    return found[-1]


# ------------------------------------------------------------------ scenes
@pytest.fixture(scope="module")
def conv5_3(backbone, astronaut_input):
    from roi_viz.model import features

    return features.extract(backbone, astronaut_input, "conv5_3")


def scene(fm, preset, roi=ARTICLE_ROI, rois=None, **changes):
    from roi_viz.model import samples, images

    settings = Settings().with_(**preset).with_(**changes)
    photo = images.prepare_input(images.load_file(samples.get_sample("astronaut").path), settings.input_size)[0]
    rois = rois or [roi]
    return build_scene(photo, fm.values, rois, rois.index(roi), settings, pretrained=False)


ARTICLE_7 = dict(ARTICLE, output_size=(7, 7))  # the article's RoI in 7 x 7 bins: every bin empty, every cell dropped
SMALL_7 = dict(FAST_RCNN, shape="square")  # Fast R-CNN's rule and 7 x 7, for a small RoI


@pytest.fixture(scope="module")
def scenes(features_512, conv5_3):
    return {
        "article": scene(features_512, ARTICLE),
        "article7": scene(features_512, ARTICLE_7),
        "fastrcnn": scene(conv5_3, SMALL_7, roi=(106.0, 100.0, 70.0, 50.0)),
        "align": scene(features_512, ARTICLE, method="align"),
        "warp": scene(features_512, ARTICLE, method="warp"),
    }


# ------------------------------------------------------------------ the measurements
def quantize_colours(s):
    """Lost, gained and plain (neither) cells of the quantization step, as read from its description."""
    d = steps.describe_quantize(s)
    t = s.pooled
    px, py, pw, ph = t.projected
    rx, ry, rw, rh = g.box_of_span(t.region)
    x0, y0, x1, y1 = max(px, rx), max(py, ry), min(px + pw, rx + rw), min(py + ph, ry + rh)
    plain = [m for m in of_kind(d, "cell") if m.x >= x0 and m.y >= y0 and m.x + m.w <= x1 and m.y + m.h <= y1]
    return d, {"lost": region_colour(of_kind(d, "lost")), "gained": region_colour(of_kind(d, "gained")),
               "plain": region_colour(plain)}


def bins_colours(s):
    d = steps.describe_bins(s)
    faces: dict = {}
    for m in of_kind(d, "bin face"):
        faces.setdefault(m.fill, []).append(m)
    found = {f"bin {k}": region_colour(marks) for k, marks in enumerate(faces.values())}
    found["dropped"] = region_colour(of_kind(d, "dropped"))
    return d, found


def bar_segments(d) -> dict:
    """The coverage bar's segments wide enough to read, by their label: ``label -> (colour, rect)``."""
    return {m.title.rsplit(": ", 1)[0]: (region_colour([m]), m) for m in of_kind(d, "share") if m.w > 0.02}


def pairs(colours: dict) -> list[tuple[str, str]]:
    keys = list(colours)
    return [(a, b) for i, a in enumerate(keys) for b in keys[i + 1:]]


def table(colours: dict) -> dict:
    return {f"{a} / {b}": worst(colours[a], colours[b]) for a, b in pairs(colours)}


# ------------------------------------------------------------------ tests
def lines_apart(a: Rect, b: Rect, where: str):
    """Two hatched kinds told apart by pattern: different shapes, and lines whose colours contrast 3 : 1."""
    assert a.hatch and b.hatch and set(a.hatch) != set(b.hatch)
    ratio, vision = worst(rgb(a.hatch_colour), rgb(b.hatch_colour))
    assert ratio >= WCAG_NON_TEXT, f"{where}: the hatch lines are {ratio:.2f} : 1 apart for {vision}"


@pytest.mark.parametrize("name", ["article", "fastrcnn", "warp"])
def test_lost_and_gained_cells_stand_out_from_the_plain_ones(scenes, name):
    s = scenes[name]
    assert s.pooled.lost_area > 0 and s.pooled.gained_area > 0, "the case must show both lost and gained cells"
    d, colours = quantize_colours(s)
    for kind in ("lost", "gained"):
        ratio, vision = worst(colours[kind], colours["plain"])
        assert ratio >= WCAG_NON_TEXT, f"{name}: {kind} / plain is {ratio:.2f} : 1 for {vision}"
    # Both are dark against the light cells, so their tones are close: the hatch tells them apart.
    lines_apart(of_kind(d, "lost")[0], of_kind(d, "gained")[0], name)


@pytest.mark.parametrize("name", ["article", "article7"])
def test_dropped_cells_differ_from_every_bin(scenes, name):
    s = scenes[name]
    assert s.pooled.dropped_cells > 0
    _, colours = bins_colours(s)
    for a, b in pairs(colours):
        if "dropped" not in (a, b):
            continue  # the two bin shades only tell neighbours apart; their black edges do that too
        ratio, vision = worst(colours[a], colours[b])
        assert ratio >= WCAG_NON_TEXT, f"{name}: {a} / {b} is {ratio:.2f} : 1 for {vision}"


@pytest.mark.parametrize("name, describe", [("article", steps.describe_output), ("article7", steps.describe_output),
                                            ("warp", sampling.describe_output)])
def test_coverage_bar_segments_differ_for_every_vision(scenes, name, describe):
    segments = bar_segments(describe(scenes[name]))
    assert len(segments) >= 2
    for a, b in pairs(segments):
        (ca, pa), (cb, pb) = segments[a], segments[b]
        if pa.hatch and pb.hatch:  # the two lost shares: both dark, so their patterns must differ
            lines_apart(pa, pb, name)
        else:  # the plain share beside a hatched one: tone must carry it
            ratio, vision = worst(ca, cb)
            assert ratio >= WCAG_NON_TEXT, f"{name}: {a} / {b} is {ratio:.2f} : 1 for {vision}"


def test_every_kind_of_cell_has_its_own_pattern():
    """Hatches carry the meaning where colours are alike: each kind has one, and no two kinds share it."""
    kinds = {"lost": look.LOST, "gained": look.GAINED, "dropped": look.DROPPED, "shared": look.SHARED,
             "empty": look.EMPTY}
    assert all(k[1].strip() for k in kinds.values())
    # The empty bins' lines are the lost area's shape, but they never share a figure (an output grid has no lost
    # area, and its bar's lost share is told by its legend): every other two kinds differ in shape.
    shapes = {k: "".join(sorted(set(v[1]))) for k, v in kinds.items() if k != "empty"}
    assert len(set(shapes.values())) == len(shapes), shapes
    # The empty bins' white lines stand out on any value's colour but the lightest: at least on viridis' dark half.
    from roi_viz.picture import scale

    for v in np.linspace(0.0, 0.5, 6):
        ratio, vision = worst(rgb(look.EMPTY[2]), rgb(scale.colour("viridis", v, 0.0, 1.0)))
        assert ratio >= WCAG_NON_TEXT, f"white lines on viridis({v:.1f}): {ratio:.2f} : 1 for {vision}"


def test_empty_bins_are_hatched_and_full_ones_are_not(scenes):
    s = scenes["article7"]
    assert s.pooled.empty_bins.all()
    d = steps.describe_output(s)
    marks = [m for m in of_kind(d, "output") if (m.hatch, m.hatch_colour) == look.EMPTY[1:]]
    assert len(marks) == s.pooled.empty_bins.sum()
    swatch = legend_swatch(d, "empty bin: outputs 0")
    assert (swatch.hatch, swatch.hatch_colour) == look.EMPTY[1:]
    full = scene_output_with_a_value(scenes["article"])
    assert not [m for m in of_kind(full, "output") if m.hatch]
    assert "empty bin: outputs 0" not in [m.text for _, m in full.marks(Text) if m.kind == "legend"]


def scene_output_with_a_value(s):
    assert not s.pooled.empty_bins.any()
    return steps.describe_output(s)


def test_the_followed_box_differs_from_the_others_by_line_as_well_as_colour(features_512):
    other = (40.0, 60.0, 120.0, 100.0)
    s = scene(features_512, ARTICLE, rois=[other, ARTICLE_ROI, (200.0, 20.0, 90.0, 90.0)])
    d = steps.describe_image(s)
    (followed,) = of_kind(d, "followed roi")
    others = of_kind(d, "roi")
    assert len(others) == 2 and (followed.x, followed.y, followed.w, followed.h) == ARTICLE_ROI
    for b in others:
        assert b.stroke.dash != followed.stroke.dash and not followed.stroke.dash  # dashed against solid
        assert followed.stroke.width > b.stroke.width
        ratio, vision = worst(rgb(followed.stroke.colour), rgb(b.stroke.colour))
        assert ratio > 1.0, vision  # the colours differ too, but the line is what greyscale keeps
    # As on the board: a white line inside the followed box alone, which reads as a double line in grey.
    (inner,) = of_kind(d, "inner line")
    assert inner.stroke.colour == "#ffffff"
    assert inner.x > followed.x and inner.y > followed.y and inner.w < followed.w and inner.h < followed.h


def test_legend_entries_show_the_colours_and_hatches_drawn(scenes):
    """A student matches the legend to the figure: the legend's swatch must carry the drawn fill and hatch."""
    s = scenes["article"]
    t = s.pooled
    from roi_viz.lesson.numbers import cells

    d = steps.describe_quantize(s)
    for kind, label in (("lost", f"lost: {cells(t.lost_area)}"), ("gained", f"gained: {cells(t.gained_area)}")):
        drawn, swatch = of_kind(d, kind)[0], legend_swatch(d, label)
        assert (swatch.fill, swatch.hatch, swatch.hatch_colour) == (drawn.fill, drawn.hatch, drawn.hatch_colour)
    d = steps.describe_output(s)
    shares = of_kind(d, "share")
    assert shares
    for m in shares:
        label = m.title.rsplit(": ", 1)[0]
        (entry,) = [e.text for _, e in d.marks(Text) if e.kind == "legend" and e.text.startswith(label + ": ")]
        swatch = legend_swatch(d, entry)
        assert (swatch.fill, swatch.hatch, swatch.hatch_colour) == (m.fill, m.hatch, m.hatch_colour)


def test_the_simulation_is_the_published_one():
    """Anchors of the simulation: white and black are kept, and each deficiency confuses its textbook pair."""
    for vision in VISIONS:
        assert np.allclose(seen(np.ones(3), vision), 1.0, atol=2e-3)
        assert np.allclose(seen(np.zeros(3), vision), 0.0)
    red, green = np.array(to_rgb("#d62728")), np.array(to_rgb("#2ca02c"))
    far = np.linalg.norm(seen(red, "normal") - seen(green, "normal"))
    assert np.linalg.norm(seen(red, "deuteranopia") - seen(green, "deuteranopia")) < 0.5 * far
    assert contrast(np.ones(3), np.zeros(3), "normal") == pytest.approx(21.0)

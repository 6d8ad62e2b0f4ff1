"""Colour is never the only carrier of meaning: the walkthrough's figures keep lost, gained, dropped and
empty cells (and the followed box and the others) apart in greyscale and for the three common
colour-vision deficiencies.

The figures are drawn for real (a VGG16 map of the sample photo, the article's RoI, and settings with
dropped cells and empty bins), rendered to pixels, and the colour of each kind of region is read from
the picture where its Matplotlib patches lie. Those colours go through a simulation of protanopia,
deuteranopia and tritanopia (Machado, Oliveira and Fernandes 2009, severity 1, applied in linear RGB)
and through greyscale, and the contrast between regions that must differ is measured.

Why the WCAG contrast ratio rather than a colour difference such as CIE ΔE: WCAG 2.1 success criterion
1.4.11 (non-text contrast, level AA) asks 3 : 1 of the parts of a graphic needed to understand it, and
the ratio reads relative luminance only, which is what is left on a greyscale projector and what every
deficiency keeps. A ΔE can be large from hue alone, the very thing a deficiency takes away; asking for
luminance contrast on top of the simulation is the stricter test. Where two kinds are told apart by
pattern (a hatch, a line style) rather than by colour, the pattern is what is tested.
"""
import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgb
from matplotlib.transforms import Bbox

from roi_viz.draw import kit, sampling
from roi_viz.draw import steps as fp
from roi_viz.lesson.settings import ARTICLE, FAST_RCNN, Settings
from roi_viz.methods import build_scene

from conftest import ARTICLE_ROI

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


# ------------------------------------------------------------------ reading the picture
def render(fig) -> np.ndarray:
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba())[..., :3].astype(float) / 255


def pixels(img: np.ndarray, extents, inset: float = 3.0) -> np.ndarray:
    """Every pixel inside the display extents (``Bbox``es, origin bottom left), ``inset`` pixels clear of their edges."""
    h = img.shape[0]
    found = []
    for bb in extents:
        x0, x1 = int(np.ceil(bb.x0 + inset)), int(np.floor(bb.x1 - inset))
        r0, r1 = int(np.ceil(h - bb.y1 + inset)), int(np.floor(h - bb.y0 - inset))
        if x1 > x0 and r1 > r0:
            found.append(img[r0:r1, x0:x1].reshape(-1, 3))
    assert found, "no pixel inside these regions: the figure changed shape"
    return np.concatenate(found)


def region_colour(img, extents) -> np.ndarray:
    """The colour a region reads as from a distance: the mean of its pixels, hatch lines included."""
    return pixels(img, extents).mean(axis=0)


def data_extent(ax, box):
    """A box ``(x, y, w, h)`` in data coordinates as a display ``Bbox``."""
    x, y, w, h = box
    (ax0, ay0), (ax1, ay1) = ax.transData.transform([(x, y), (x + w, y + h)])
    return Bbox.from_extents(min(ax0, ax1), min(ay0, ay1), max(ax0, ax1), max(ay0, ay1))  # rows grow downwards


def hatched(ax, hatch: str) -> list:
    return [p for p in ax.patches if p.get_hatch() == hatch]


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
    """Lost, gained and plain (neither) cells of the quantization step, as read from its picture."""
    fig = fp.fig_quantize(s)
    img = render(fig)
    ax = fig.axes[0]
    t = s.trace
    lost, gained = hatched(ax, kit.HATCH_LOST), hatched(ax, kit.HATCH_GAINED)
    px, py, pw, ph = t.projected
    rx, ry, rw, rh = kit.g.box_of_span(t.region)
    x0, y0, x1, y1 = max(px, rx), max(py, ry), min(px + pw, rx + rw), min(py + ph, ry + rh)
    return fig, {
        "lost": region_colour(img, [p.get_window_extent() for p in lost]),
        "gained": region_colour(img, [p.get_window_extent() for p in gained]),
        "plain": region_colour(img, [data_extent(ax, (x0, y0, x1 - x0, y1 - y0))]),
    }


def bins_colours(s):
    fig = fp.fig_bins(s)
    img = render(fig)
    ax = fig.axes[0]
    faces = {}
    for p in ax.patches:
        if not p.get_hatch() and p.get_fill():
            faces.setdefault(tuple(np.round(p.get_facecolor()[:3], 3)), []).append(p.get_window_extent())
    found = {f"bin {k}": region_colour(img, boxes) for k, boxes in enumerate(faces.values())}
    found["dropped"] = region_colour(img, [p.get_window_extent() for p in hatched(ax, kit.HATCH_DROPPED)])
    return fig, found


def bar_segments(fig) -> dict:
    """The coverage bar's segments wide enough to read, by their legend label: ``label -> (colour, patch)``."""
    img = render(fig)
    bar = fig.axes[-1]
    labels = [t.get_text().rsplit(": ", 1)[0] for t in fig.legends[-1].get_texts()]  # "lost: split: 6 cells"
    return {label: (region_colour(img, [p.get_window_extent()]), p)
            for label, p in zip(labels, bar.patches) if p.get_width() > 0.02}  # a sliver has no pixels to read


def pairs(colours: dict) -> list[tuple[str, str]]:
    keys = list(colours)
    return [(a, b) for i, a in enumerate(keys) for b in keys[i + 1:]]


def table(colours: dict) -> dict:
    return {f"{a} / {b}": worst(colours[a], colours[b]) for a, b in pairs(colours)}


# ------------------------------------------------------------------ tests
def lines_apart(fig, ax_patches, a_hatch: str, b_hatch: str, where: str):
    """Two hatched kinds told apart by pattern: different shapes, and lines whose colours contrast 3 : 1."""
    a = [p for p in ax_patches if p.get_hatch() == a_hatch]
    b = [p for p in ax_patches if p.get_hatch() == b_hatch]
    assert a and b and set(a_hatch) != set(b_hatch)
    ratio, vision = worst(np.array(a[0].get_hatchcolor()[:3]), np.array(b[0].get_hatchcolor()[:3]))
    assert ratio >= WCAG_NON_TEXT, f"{where}: the hatch lines are {ratio:.2f} : 1 apart for {vision}"


@pytest.mark.parametrize("name", ["article", "fastrcnn", "warp"])
def test_lost_and_gained_cells_stand_out_from_the_plain_ones(scenes, name):
    s = scenes[name]
    assert s.trace.lost_area > 0 and s.trace.gained_area > 0, "the case must show both lost and gained cells"
    fig, colours = quantize_colours(s)
    for kind in ("lost", "gained"):
        ratio, vision = worst(colours[kind], colours["plain"])
        assert ratio >= WCAG_NON_TEXT, f"{name}: {kind} / plain is {ratio:.2f} : 1 for {vision}"
    # Both are dark against the light cells, so their tones are close: the hatch tells them apart.
    lines_apart(fig, fig.axes[0].patches, kit.HATCH_LOST, kit.HATCH_GAINED, name)


@pytest.mark.parametrize("name", ["article", "article7"])
def test_dropped_cells_differ_from_every_bin(scenes, name):
    s = scenes[name]
    assert s.trace.dropped_cells > 0
    _, colours = bins_colours(s)
    for a, b in pairs(colours):
        if "dropped" not in (a, b):
            continue  # the two bin shades only tell neighbours apart; their black edges do that too
        ratio, vision = worst(colours[a], colours[b])
        assert ratio >= WCAG_NON_TEXT, f"{name}: {a} / {b} is {ratio:.2f} : 1 for {vision}"


@pytest.mark.parametrize("name, draw", [("article", fp.fig_output), ("article7", fp.fig_output),
                                        ("warp", sampling.fig_output)])
def test_coverage_bar_segments_differ_for_every_vision(scenes, name, draw):
    fig = draw(scenes[name])
    segments = bar_segments(fig)
    assert len(segments) >= 2
    for a, b in pairs(segments):
        (ca, pa), (cb, pb) = segments[a], segments[b]
        if pa.get_hatch() and pb.get_hatch():  # the two lost shares: both dark, so their patterns must differ
            lines_apart(fig, [pa, pb], pa.get_hatch(), pb.get_hatch(), name)
        else:  # the plain share beside a hatched one: tone must carry it
            ratio, vision = worst(ca, cb)
            assert ratio >= WCAG_NON_TEXT, f"{name}: {a} / {b} is {ratio:.2f} : 1 for {vision}"


def test_every_kind_of_cell_has_its_own_pattern():
    """Hatches carry the meaning where colours are alike: each kind has one, and no two kinds share it."""
    kinds = {"lost": kit.HATCH_LOST, "gained": kit.HATCH_GAINED, "dropped": kit.HATCH_DROPPED,
             "shared": kit.HATCH_SHARED, "empty": kit.HATCH_EMPTY}
    assert all(h.strip() for h in kinds.values())
    # "//" and "///" are one pattern at two densities: too alike to name two meanings unless they never meet.
    shapes = {k: "".join(sorted(set(h))) for k, h in kinds.items() if k != "empty"}
    assert len(set(shapes.values())) == len(shapes), shapes


def test_empty_bins_are_hatched_and_full_ones_are_not(scenes):
    s = scenes["article7"]
    assert s.trace.empty_bins.all()
    fig = fp.fig_output(s)
    ax = fig.axes[0]
    marks = hatched(ax, kit.HATCH_EMPTY)
    assert len(marks) == s.trace.empty_bins.sum()
    legend = ax.get_legend()
    assert [p.get_hatch() for p in legend.legend_handles] == [kit.HATCH_EMPTY]
    full = scene_output_with_a_value(scenes["article"])
    assert not hatched(full.axes[0], kit.HATCH_EMPTY) and full.axes[0].get_legend() is None


def scene_output_with_a_value(s):
    assert not s.trace.empty_bins.any()
    return fp.fig_output(s)


def test_the_followed_box_differs_from_the_others_by_line_as_well_as_colour(features_512):
    other = (40.0, 60.0, 120.0, 100.0)
    s = scene(features_512, ARTICLE, rois=[other, ARTICLE_ROI, (200.0, 20.0, 90.0, 90.0)])
    fig = fp.fig_image(s)
    ax = fig.axes[0]
    white = (1.0, 1.0, 1.0, 1.0)
    boxes = [p for p in ax.patches if not p.get_fill() and tuple(p.get_edgecolor()) != white]
    inner = [p for p in ax.patches if not p.get_fill() and tuple(p.get_edgecolor()) == white]
    assert len(boxes) == 3
    followed = boxes[s.active]
    others = [b for k, b in enumerate(boxes) if k != s.active]
    for b in others:
        assert b.get_linestyle() != followed.get_linestyle()  # dashed against solid
        assert followed.get_linewidth() > b.get_linewidth()
    # As on the board: a white line inside the followed box alone, which reads as a double line in grey.
    assert len(inner) == 1
    (x, y), (fx, fy) = inner[0].get_xy(), followed.get_xy()
    assert x > fx and y > fy and inner[0].get_width() < followed.get_width()


def test_legend_entries_show_the_colours_and_hatches_drawn(scenes):
    """A student matches the legend to the figure: the legend's swatch must carry the drawn fill and hatch."""
    s = scenes["article"]
    fig = fp.fig_quantize(s)
    ax = fig.axes[0]
    legend = {h.get_hatch(): h for h in fig.legends[0].legend_handles if hasattr(h, "get_hatch") and h.get_hatch()}
    for hatch in (kit.HATCH_LOST, kit.HATCH_GAINED):
        drawn = hatched(ax, hatch)[0]
        assert np.allclose(legend[hatch].get_facecolor()[:3], drawn.get_facecolor()[:3])
    fig = fp.fig_output(s)
    bar, handles = fig.axes[-1], fig.legends[-1].legend_handles
    for p, h in zip(bar.patches, handles):
        assert np.allclose(p.get_facecolor()[:3], h.get_facecolor()[:3]) and p.get_hatch() == h.get_hatch()


def test_the_simulation_is_the_published_one():
    """Anchors of the simulation: white and black are kept, and each deficiency confuses its textbook pair."""
    for vision in VISIONS:
        assert np.allclose(seen(np.ones(3), vision), 1.0, atol=2e-3)
        assert np.allclose(seen(np.zeros(3), vision), 0.0)
    red, green = np.array(to_rgb("#d62728")), np.array(to_rgb("#2ca02c"))
    far = np.linalg.norm(seen(red, "normal") - seen(green, "normal"))
    assert np.linalg.norm(seen(red, "deuteranopia") - seen(green, "deuteranopia")) < 0.5 * far
    assert contrast(np.ones(3), np.zeros(3), "normal") == pytest.approx(21.0)

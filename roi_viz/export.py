"""Exports for slides and handouts: one scene in, the bytes of a file out.

Every function takes a :class:`~roi_viz.lesson.scene.Scene` (built by
:func:`roi_viz.methods.build_scene`) and returns bytes that the page offers as
a download and the CLI writes to disk (``python -m roi_viz explain --pdf ...``).
Nothing here imports Streamlit or pyplot; figures are ``matplotlib.figure.Figure``.

What each file contains:

- :func:`figure_png`: one step's figure, as on the page, at slide resolution
  (150 dpi by default; the dpi is recorded in the PNG so slide software sizes
  it right).
- :func:`handout_pdf`: an A4 landscape PDF. Page 1: the settings that matter
  for the method (image, input size, layer and stride, method and its options,
  output size, every RoI, channel) and the key numbers (projected and quantized
  box, areas lost and gained, coverage of RoI pooling and of the method, the
  output for the channel), all taken from :func:`numbers`. Then one page per
  step of the method: its title, its figure and its words.
- :func:`walkthrough_gif`: an animated GIF, one frame per step of the method,
  each frame the step's figure under a band that says "Step k/n: title".
- :func:`slide_gif`: the sliding box as an animated GIF. Left: the chosen
  channel around the RoI, the box as projected and the cells RoI pooling
  snaps it to; right: the followed output value (bin ``scene.focus[:2]``,
  channel ``scene.channel``) of every method up to the current offset, with
  the current values and coverages printed. The numbers come from
  :func:`~roi_viz.ops.sliding.slide_roi`, as in the page's slide view.
- :func:`numbers`: the JSON of ``explain --json`` as a dict.

Functions that draw several frames or pages take ``progress(done, total)``,
called after each one (the page drives a progress bar with it).

Limits: every GIF is under 5 MB (:data:`MAX_GIF_BYTES`) and made in under
5 s on a 2-core CPU with the defaults, for the article's scene (512 input,
pool5, 3 x 3), Fast R-CNN's setting (conv5_3, 7 x 7, its rounding) and
RoIAlign. Measured: the walkthrough (60 dpi) 0.6-1.0 s and 0.2-0.35 MB, the
sliding box (16 frames of 12 x 6 inches at 64 dpi) 1.5-1.8 s and 0.11 MB,
the handout 1.1-1.4 s and 0.9-1.2 MB. ``tests/test_export.py`` checks the
sizes and the frame and page counts; the times are measured, not tested.
"""
from __future__ import annotations

import functools
import io
import re
import textwrap
from dataclasses import fields
from typing import Callable, Iterator

import numpy as np
from matplotlib import patheffects
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, findfont
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.textpath import text_to_path
from PIL import Image, ImageDraw, ImageFont

from . import methods, walkthrough
from .draw.kit import (
    ARGMAX, FONT, REGION, ROI, SLIDE_DPI, SMALL, cell_axes, grid, new_figure, rect, untrained_badge, window,
)
from .lesson.numbers import cells as cells_words
from .lesson.numbers import exact, num, pct, span_words
from .lesson.scene import Scene
from .lesson.words import plain
from .ops import geometry as g
from .ops.sliding import AXES, slide_roi

Progress = Callable[[int, int], None] | None

MAX_GIF_BYTES = 5 * 2**20  # every GIF stays under this (tests/test_export.py)
PAGE = (11.69, 8.27)  # A4 landscape, inches
MAX_SLIDE_FRAMES = 120
MAX_LISTED_ROIS = 8  # on the handout's first page
MAX_SLIDE_CELLS = 16.0
SLIDE_GIF_DPI = 64
SLIDE_FRAME_MS = 250  # 16 frames: four seconds of sliding ...
SLIDE_HOLD_MS = 2000  # ... then the last frame stays a while before the loop starts again

# The words of a page of the handout, in points: tried from the largest down until they fit.
WORD_SIZES = (13.0, 12.0, 11.0, 10.0, 9.0, 8.0, 7.0, 6.0)
MIN_TABLE_SIZE = 7.0
LINE = 1.32  # line pitch, in font sizes


# ====================================================================== the JSON
def numbers(scene: Scene, *, forward_ms=None, device=None, roi_clip_message: str = "", figures=()) -> dict:
    """Everything ``explain --json`` prints: the settings, every RoI and the numbers of the active one.

    ``forward_ms`` and ``device`` describe the VGG16 forward pass (``None`` when
    unknown); ``figures`` lists the files written beside it. Every value is
    JSON-able (lists, numbers, strings, booleans, ``None``).
    """
    t = scene.trace
    return {
        "roi": list(t.roi),
        "roi_clip_message": roi_clip_message,
        "input_size": scene.input_size,
        "input_shape": scene.settings.shape,
        "input_dims": list(scene.input_dims),
        "layer": scene.settings.layer,
        "stride": t.stride,
        "feature_map": list(scene.features.shape),
        "pretrained": scene.pretrained,
        "scheme": t.scheme,
        "projected": list(t.projected),
        "quantized": list(t.quantized),
        "region": {"rows": list(t.region[:2]), "cols": list(t.region[2:])},
        "areas": {
            "projected": t.projected_area,
            "quantized": t.region_area,
            "overlap": t.overlap_area,
            "lost": t.lost_area,
            "gained": t.gained_area,
            "covered": t.covered_area,
        },
        "bin_size": list(t.bin_size),
        "bins": [[list(b) for b in row] for row in t.bins],
        "dropped_cells": t.dropped_cells,
        "shared_cells": t.shared_cells,
        "coverage": t.coverage,
        "output_shape": [*t.output_size, t.channels],
        "channel": scene.channel,
        "output_channel": t.output[scene.channel].tolist(),
        "argmax_channel": t.argmax[scene.channel].tolist(),
        "method": scene.method,
        "method_output_channel": scene.result.output[scene.channel].tolist(),
        "method_coverage": scene.result.coverage,
        **_method_details(scene),
        "forward_ms": forward_ms,
        "device": device,
        "figures": [str(f) for f in figures],
        "settings": _settings_json(scene.settings),
        "rois": [list(r) for r in scene.rois],
    }


def _method_details(scene: Scene) -> dict:
    """The numbers only RoIAlign, RoIWarp or PrRoI have."""
    r = scene.result
    if hasattr(r, "samples"):  # RoIAlign and RoIWarp read points
        return {"sampling": {"ratio": r.sampling_ratio, "grid": list(r.grid), "aligned": r.aligned, "mode": r.mode,
                             "box": list(r.box), "row_edges": r.row_edges.tolist(), "col_edges": r.col_edges.tolist(),
                             "points_bin_0_0": r.samples[0, 0].tolist()}}
    if hasattr(r, "weight_map"):  # Precise RoI Pooling integrates
        return {"prroi": {"aligned": r.aligned, "box": list(r.box), "bin_area": r.bin_area,
                          "row_edges": r.row_edges.tolist(), "col_edges": r.col_edges.tolist()}}
    return {}


def _settings_json(settings) -> dict:
    out = {f.name: getattr(settings, f.name) for f in fields(settings)}
    out["output_size"] = list(settings.output_size)
    return out


# ====================================================================== one figure
def figure_png(scene: Scene, step: int, dpi: float = SLIDE_DPI) -> bytes:
    """Step ``step`` (0-based, in ``walkthrough.steps(scene.method)``) as a PNG for a slide.

    At ``dpi`` (default 150, :data:`~roi_viz.draw.kit.SLIDE_DPI`) a figure ``w``
    inches wide is ``w * dpi`` pixels wide; the dpi is written into the file.
    """
    steps = walkthrough.steps(scene.method)
    if not 0 <= step < len(steps):
        raise ValueError(f"{scene.method_name} has steps 0 to {len(steps) - 1}; got {step}.")
    if not dpi > 0:
        raise ValueError(f"The dpi must be positive; got {dpi}.")
    buf = io.BytesIO()
    _render(steps[step].figure(scene), dpi).save(buf, format="PNG", dpi=(dpi, dpi))
    return buf.getvalue()


def _render(fig: Figure, dpi: float) -> Image.Image:
    """The figure drawn by Agg at ``dpi``, as an RGB image."""
    fig.set_dpi(dpi)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return Image.fromarray(np.asarray(canvas.buffer_rgba())[..., :3].copy())


def _tick(progress: Progress, done: int, total: int) -> None:
    if progress is not None:
        progress(done, total)


# ====================================================================== the handout
def handout_pdf(scene: Scene, *, title: str = "", progress: Progress = None) -> bytes:
    """A PDF handout: one page of settings and numbers, then one page per step.

    Pages are A4 landscape; there are ``1 + len(walkthrough.steps(scene.method))``
    of them. ``title`` names the image (a sample's title or a file name). A
    step's figure is embedded as an image at 150 dpi at its printed size; its
    words are real text (searchable, copyable), wrapped to the page and set as
    large as fits (13 pt down to 6 pt; tables in a monospaced font).
    """
    rec = methods.METHODS[scene.method]
    total = 1 + len(rec.plan)
    buf = io.BytesIO()
    metadata = {
        "Title": f"{rec.label(scene.result)}, step by step" + (f": {title}" if title else ""),
        "Subject": "RoI pooling handout: the settings, the key numbers and every step",
        "Creator": "roi-viz",
    }
    with PdfPages(buf, metadata=metadata) as pdf:
        for done, page in enumerate(_handout_pages(scene, title), 1):
            pdf.savefig(page)
            _tick(progress, done, total)
    return buf.getvalue()


def _handout_pages(scene: Scene, title: str = "") -> Iterator[Figure]:
    """The pages of :func:`handout_pdf` as figures, one at a time (also drawn to PNG when checking the layout)."""
    yield _cover_page(scene, title)
    steps = walkthrough.steps(scene.method)
    for k, step in enumerate(steps, 1):
        yield _step_page(scene, k, len(steps), step, title)


class _Column:
    """Lines of text set top-down in a box of a page, positions in inches from the page's bottom left."""

    def __init__(self, fig: Figure, x: float, top: float, width: float):
        self.fig, self.x, self.y, self.width = fig, x, top, width

    def text(self, s: str, size: float, dx: float = 0.0, advance: bool = True, **kw):
        self.fig.text(self.x + dx, self.y, s, fontsize=size, va="top", ha="left",
                      transform=self.fig.dpi_scale_trans, **kw)
        if advance:
            self.space(size * LINE)

    def space(self, points: float):
        self.y -= points / 72

    def rows(self, rows: list[tuple[str, str]], size: float, label_width: float, **kw):
        """``label: value`` rows; a long value wraps under itself."""
        for label, value in rows:
            self.text(label, size, advance=False, weight="bold", **kw)
            for line in _wrap(value, size, (self.width - label_width) * 72):
                self.text(line, size, dx=label_width, **kw)


def _page(title_text: str, scene: Scene, title: str, page: int, pages: int) -> Figure:
    """An empty A4 landscape page with its heading and a footer."""
    fig = Figure(figsize=PAGE, dpi=72)
    W, H = PAGE
    fig.text(0.45 / W, 1 - 0.4 / H, title_text, fontsize=20, weight="bold", va="top", ha="left")
    foot = f"roi-viz · {scene.method_name}" + (f" · {title}" if title else "") + f" · page {page} of {pages}"
    fig.text(1 - 0.45 / W, 0.25 / H, foot, fontsize=9, color="#555555", ha="right", va="bottom")
    return fig


def _cover_page(scene: Scene, title: str) -> Figure:
    rec = methods.METHODS[scene.method]
    pages = 1 + len(rec.plan)
    fig = _page(f"{rec.label(scene.result)}, step by step", scene, title, 1, pages)
    W, H = PAGE
    size = 12.0
    left = _Column(fig, 0.45, H - 1.05, 5.2)
    left.text("Settings", 15, weight="bold")
    left.space(3)
    left.rows(_settings_rows(scene, title), size, 1.6)
    right = _Column(fig, 6.05, H - 1.05, 5.2)
    right.text("Key numbers", 15, weight="bold")
    right.space(3)
    data = numbers(scene)
    right.rows(_number_rows(scene, data), size, 2.0)
    out = np.asarray(data["method_output_channel"])
    ph, pw = out.shape
    right.space(6)
    right.text(f"Output of {scene.method_name}, channel {scene.channel} ({ph} × {pw})", size, weight="bold")
    if ph <= 7 and pw <= 7:
        rows = ["  ".join(f"{v:>8.4g}" for v in row) for row in out]
        mono = min(10.5, int(2 * 10.0 * right.width * 72 / max(_width(r, 10.0, mono=True) for r in rows)) / 2)
        for row in rows:
            right.text(row, mono, family="monospace")
    else:
        right.text("(too many bins to print: see the last page, or explain --json)", size)
    foot = _Column(fig, 0.45, 1.05, W - 0.9)
    foot.text("The numbers are those of python -m roi_viz explain --json. One page per step follows.", 10,
              color="#333333")
    if not scene.pretrained:
        foot.text("UNTRAINED VGG16 (no ImageNet weights): the arithmetic is exact, the activations are random.",
                  10, color="#b00020", weight="bold")
    return fig


def _settings_rows(scene: Scene, title: str) -> list[tuple[str, str]]:
    """The settings that matter for this method, in words."""
    s, t, r = scene.settings, scene.trace, scene.result
    C, H, W = scene.features.shape
    IW, IH = scene.input_dims
    rows = [("Image", title or "(not named)"),
            ("Input", f"{IW} × {IH} pixels" + ("" if scene.settings.shape == "square" else " (proportions kept)")), ("Layer", scene.layer_label),
            ("Stride", f"{num(t.stride)} pixels per cell"), ("Feature map", f"{W} × {H} cells × {C} channels"),
            ("Method", scene.method_name)]
    options = methods.METHODS[scene.method].options
    if "scheme" in options:
        rows.append(("Rounding", "the article's: every number rounded down" if s.scheme == "article"
                     else "Fast R-CNN's code (torchvision.ops.roi_pool)"))
    if "sampling_ratio" in options:
        gh, gw = r.grid
        ratio = "adaptive" if s.sampling_ratio <= 0 else str(s.sampling_ratio)
        rows.append(("Sampling", f"ratio {ratio}: {gh} × {gw} points per bin"))
    if "aligned" in options:
        rows.append(("Half-cell shift", "aligned (−0.5 cell)" if s.aligned else "legacy (no shift)"))
    for key in ("align_mode", "warp_mode"):
        if key in options:
            avg = getattr(s, key) == "avg"
            rows.append(("Per bin", "mean of the points (avg)" if avg else "maximum of the points (max)"))
    ph, pw = s.output_size
    rows.append(("Output", f"{ph} × {pw} bins per channel"))
    channel = f"{scene.channel} (the strongest inside the RoI)" if scene.channel_auto else f"{scene.channel} (chosen)"
    rows.append(("Channel", channel + ("; step 2 shows the mean of all channels" if scene.mean_view else "")))
    i, j, k = scene.focus
    picks = {st.picks for st in walkthrough.steps(scene.method)}
    if picks - {""}:
        rows.append(("Close-up", f"bin ({i}, {j})" + (f", point {k + 1}" if "point" in picks else "")))
    shown = sorted(set(range(min(len(scene.rois), MAX_LISTED_ROIS))) | {scene.active})  # the followed one always
    for n in shown:
        x, y, w, h = scene.rois[n]
        label = "RoI" if len(scene.rois) == 1 else f"RoI {n + 1}"
        mark = " (followed)" if len(scene.rois) > 1 and n == scene.active else ""
        rows.append((label, f"x {num(x)}, y {num(y)}, w {num(w)}, h {num(h)} px{mark}"))
    if len(scene.rois) > len(shown):
        rows.append(("", f"and {len(scene.rois) - len(shown)} more RoIs"))
    rows.append(("Weights", "ImageNet (pretrained)" if scene.pretrained else "UNTRAINED: random activations"))
    return rows


def _number_rows(scene: Scene, data: dict) -> list[tuple[str, str]]:
    """The key numbers, from :func:`numbers` so that they read as in the JSON."""
    def box(b):
        return ", ".join(f"{n} {exact(v)}" for n, v in zip("xywh", b)) + " cells"  # the projection: exact

    areas = data["areas"]
    (r0, r1), (c0, c1) = data["region"]["rows"], data["region"]["cols"]
    bh, bw = data["bin_size"]
    pool_only = scene.method in ("pool", "warp")
    rows = [
        ("Projected box", box(data["projected"])),
        ("Quantized box", box(data["quantized"]) + ("" if pool_only else " (RoI pooling's)")),
        ("Region", f"{span_words(r0, r1, 'row')}, {span_words(c0, c1, 'column')} ({areas['quantized']} cells)"),
        ("Bins", f"{num(bh)} × {num(bw)} cells each; {data['dropped_cells']} cells dropped, "
                 f"{data['shared_cells']} shared"),
        ("RoI area", cells_words(areas["projected"])),
        ("Lost", f"{cells_words(areas['lost'])} of the RoI outside the region"),
        ("Gained", f"{cells_words(areas['gained'])} of the region outside the RoI"),
        ("Coverage", f"{pct(data['coverage'])} (RoI pooling)"),
    ]
    if scene.method != "pool":
        rows.append((f"{methods.METHODS[scene.method].short} coverage", pct(data["method_coverage"])))
    return rows


def _step_page(scene: Scene, k: int, n: int, step, title: str) -> Figure:
    """Step ``k`` of ``n``: the figure on the left at 150 dpi, the words on the right."""
    fig = _page(f"Step {k}/{n}: {step.title}", scene, title, k + 1, n + 1)
    W, H = PAGE
    # The figure, scaled into a 5.9 x 6.95 inch box and drawn at 150 dpi at that size.
    box_w, box_h, top = 5.9, 6.95, H - 1.0
    picture = step.figure(scene)
    fw, fh = picture.get_size_inches()
    scale = min(box_w / fw, box_h / fh)
    image = _render(picture, SLIDE_DPI * scale)
    w, h = fw * scale, fh * scale
    ax = fig.add_axes((0.4 / W, (top - h) / H, w / W, h / H))
    ax.imshow(np.asarray(image), interpolation="none")  # "none": embedded as drawn, not resampled
    ax.set_axis_off()
    # The words, as large as they fit beside it.
    x0 = 0.4 + box_w + 0.35
    _words(fig, plain(step.words(scene)), x0, top, W - 0.45 - x0, top - 0.55)
    return fig


def _words(fig: Figure, text: str, x: float, top: float, width: float, height: float):
    """Set ``text`` in the box at the largest size of :data:`WORD_SIZES` that fits.

    Tables are set in a monospaced font, smaller than the prose where that
    keeps each row on one line (down to :data:`MIN_TABLE_SIZE`).
    """
    points = width * 72
    blocks = _blocks(text)
    rows = [line for kind, body in blocks if kind == "table" for line in _table_lines(body)]
    widest = max((_width(line, 10.0, mono=True) for line in rows), default=1.0)
    for size in WORD_SIZES:
        mono = max(min(size, int(2 * 10.0 * points / widest) / 2), MIN_TABLE_SIZE)
        lines = _lay_out(blocks, size, mono, points)
        used = sum((mono if is_mono else size) * LINE if line else size * 0.6 for line, is_mono in lines)
        if used <= height * 72:
            break  # else the smallest size, which fits every step's words on this page
    col = _Column(fig, x, top, width)
    for line, is_mono in lines:
        if not line:
            col.space(size * 0.6)
        elif is_mono:
            col.text(line, mono, family="monospace")
        else:
            col.text(line, size)


def _blocks(text: str) -> list[tuple[str, object]]:
    """The words of a step as blocks: ``("gap", None)``, ``("prose", str)``, ``("bullet", str)``, ``("table", rows)``.

    An empty line is a gap between paragraphs; a Markdown table becomes its
    rows of cells (the ``|---|`` line dropped); code and emphasis marks go.
    """
    text = re.sub(r"`([^`]*)`", r"\1", text)
    text = re.sub(r"(?<![\w*])\*([^*\n]+)\*(?![\w*])", r"\1", text)
    blocks: list[tuple[str, object]] = []
    for para in re.split(r"\n\s*\n", text.strip()):
        if blocks:
            blocks.append(("gap", None))
        table: list[list[str]] = []
        for raw in para.splitlines() + [""]:
            line = raw.strip()
            if line.startswith("|"):
                row = [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line.strip("|"))]
                if not all(re.fullmatch(r":?-+:?", c) for c in row if c):
                    table.append(row)
                continue
            if table:
                blocks.append(("table", table))
                table = []
            if line.startswith("- "):
                blocks.append(("bullet", line[2:]))
            elif line:
                blocks.append(("prose", line))
    return blocks


def _lay_out(blocks: list, size: float, mono: float, width: float) -> list[tuple[str, bool]]:
    """The blocks as ``(line, monospaced)`` lines ``width`` points wide; ``""`` is a gap.

    A table row too wide even at :data:`MIN_TABLE_SIZE` wraps under its second column.
    """
    out: list[tuple[str, bool]] = []
    for kind, body in blocks:
        if kind == "gap":
            out.append(("", False))
        elif kind == "prose":
            out += [(line, False) for line in _wrap(body, size, width)]
        elif kind == "bullet":
            out += [(line, False) for line in _wrap(body, size, width, first="• ", rest="   ")]
        else:
            first = max(len(row[0]) for row in body) + 2
            for line in _table_lines(body):
                if line.startswith("─"):  # the rule under the heading: cut to the box, never wrapped
                    out.append((line[: int(width / (mono * 0.61))], True))
                    continue
                out += [(w, True) for w in _wrap(line, mono, width, mono=True, rest=" " * first, keep_spaces=True)]
    return out


def _table_lines(rows: list[list[str]]) -> list[str]:
    """Table rows as aligned columns, a rule under the heading."""
    n = max(len(r) for r in rows)
    rows = [r + [""] * (n - len(r)) for r in rows]
    widths = [max(len(r[c]) for r in rows) for c in range(n)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in rows]
    return lines[:1] + ["─" * len(lines[0])] + lines[1:]


def _wrap(text: str, size: float, width: float, *, mono: bool = False, first: str = "", rest: str = "",
          keep_spaces: bool = False) -> list[str]:
    """``text`` wrapped so that every line is at most ``width`` points wide in DejaVu Sans (Mono) at ``size``."""
    chars = max(int(width / (size * (0.6 if mono else 0.5))), 8)
    while True:
        lines = [line.rstrip() for line in textwrap.wrap(text, chars, initial_indent=first, subsequent_indent=rest,
                                                          drop_whitespace=not keep_spaces)] or [""]
        if chars <= 8 or all(_width(line, size, mono) <= width for line in lines):
            return lines
        chars -= 1


def _width(text: str, size: float, mono: bool = False) -> float:
    """Width of ``text`` in points, from the font's own metrics (what the PDF uses: no pixel rounding)."""
    prop = FontProperties(family="monospace" if mono else "sans-serif", size=size)
    return text_to_path.get_text_width_height_descent(text, prop, ismath=False)[0]


# ====================================================================== the GIFs
def walkthrough_gif(scene: Scene, *, dpi: float = 60, seconds_per_frame: float = 2.0,
                    progress: Progress = None) -> bytes:
    """The walkthrough as an animated GIF: one frame per step, looping forever.

    Each frame is the step's figure at ``dpi`` under a white band that says
    "Step k/n: title"; figures of different sizes are centred on one white
    canvas. Every frame has its own 256-colour palette (the photograph needs
    its own). Under 5 MB and 5 s for every method at the default 60 dpi.
    """
    if not dpi > 0 or not seconds_per_frame > 0:
        raise ValueError("The dpi and the seconds per frame must be positive.")
    steps = walkthrough.steps(scene.method)
    font = _font(max(int(round(20 * dpi / 72)), 10))
    band = int(font.size * 2)
    pictures = []
    for k, step in enumerate(steps, 1):
        pictures.append(_render(step.figure(scene), dpi))
        _tick(progress, k, len(steps))
    width = max(p.width for p in pictures)
    height = max(p.height for p in pictures) + band
    frames = []
    for k, (step, pic) in enumerate(zip(steps, pictures), 1):
        frame = Image.new("RGB", (width, height), "white")
        frame.paste(pic, ((width - pic.width) // 2, band))
        ImageDraw.Draw(frame).text((band // 3, band // 2), f"Step {k}/{len(steps)}: {step.title}", fill="black",
                                   font=font, anchor="lm")
        frames.append(frame.quantize(256))
    return _gif(frames, [int(seconds_per_frame * 1000)] * len(frames))


@functools.lru_cache(maxsize=8)
def _font(px: int) -> ImageFont.FreeTypeFont:
    """Matplotlib's own DejaVu Sans Bold, so the band reads like the figures."""
    return ImageFont.truetype(findfont(FontProperties(family="DejaVu Sans", weight="bold")), px)


def _gif(frames: list[Image.Image], durations: list[int]) -> bytes:
    buf = io.BytesIO()
    frames[0].save(buf, format="GIF", save_all=True, append_images=frames[1:], duration=durations, loop=0)
    return buf.getvalue()


def slide_gif(scene: Scene, *, axis: str = "x", cells: float = 1.0, frames: int = 16,
              progress: Progress = None) -> bytes:
    """The sliding box as an animated GIF: ``frames`` positions from 0 to ``cells`` cells along ``axis``.

    Left, the chosen channel around the RoI: the box as projected (orange,
    dashed; where it started, dotted), the region RoI pooling snaps it to
    (black), its followed bin (red hatching) and that bin's maximum cell (red).
    Right, the followed value of every method (bin ``scene.focus[:2]``,
    channel ``scene.channel``) from the start to the current offset, with the
    current values and coverages printed. The numbers are those of
    :func:`~roi_viz.ops.sliding.slide_roi`, as in the page's slide view.

    The static parts are drawn once and the moving ones updated, at 64 dpi and
    one shared palette: under 5 MB and 5 s with the defaults (16 frames, each
    a quarter of a second; the last one stays two seconds).
    """
    if axis not in AXES:
        raise ValueError(f"The box slides along 'x' or 'y'; got {axis!r}.")
    if not 2 <= frames <= MAX_SLIDE_FRAMES:
        raise ValueError(f"A slide has 2 to {MAX_SLIDE_FRAMES} frames; got {frames}.")
    if not 0 < abs(cells) <= MAX_SLIDE_CELLS:
        raise ValueError(f"The box slides by up to {MAX_SLIDE_CELLS:g} cells, and not by 0; got {cells}.")
    s = scene.settings
    i, j = scene.focus[:2]
    slide = slide_roi(scene.features, scene.rois[scene.active], methods.runners(s), stride=s.stride,
                      output_size=s.output_size, channel=scene.channel, bin=(i, j), axis=axis, distance=cells,
                      steps=frames)
    one = scene.features[scene.channel : scene.channel + 1]
    start = g.check_roi(scene.rois[scene.active])
    fig, update = _slide_figure(scene, slide)
    images = []
    for k, off in enumerate(slide.offsets):
        dx, dy = (off * slide.stride, 0.0) if axis == "x" else (0.0, off * slide.stride)
        moved = (start[0] + dx, start[1] + dy, start[2], start[3])
        update(k, methods.METHODS["pool"].run(one, moved, s))  # the same box slide_roi ran, for the cells it snaps to
        images.append(_render(fig, SLIDE_GIF_DPI))
        _tick(progress, k + 1, frames)
    palette = images[-1].quantize(256)  # the last frame holds every curve: one palette, no flicker
    quantized = [im.quantize(palette=palette, dither=Image.Dither.NONE) for im in images]
    return _gif(quantized, [SLIDE_FRAME_MS] * (frames - 1) + [SLIDE_HOLD_MS])


def _slide_figure(scene: Scene, slide) -> tuple[Figure, Callable]:
    """The slide's figure with its static parts drawn, and ``update(k, pool_trace)`` for frame ``k``."""
    recs = methods.METHODS
    t = scene.trace
    H, W = t.map_size
    fig = new_figure(12.0, 6.0)
    # Left: the map around every position of the box.
    r0, r1, c0, c1 = window(scene)
    reach = int(np.ceil(abs(slide.offsets[-1]))) + 1
    if slide.axis == "x":
        c0, c1 = (c0, min(c1 + reach, W)) if slide.offsets[-1] > 0 else (max(c0 - reach, 0), c1)
    else:
        r0, r1 = (r0, min(r1 + reach, H)) if slide.offsets[-1] > 0 else (max(r0 - reach, 0), r1)
    win = (r0, r1, c0, c1)
    left = fig.add_axes((0.06, 0.22, 0.38, 0.66))
    left.imshow(scene.features[scene.channel], extent=(0, W, H, 0), cmap="Greys", alpha=0.55,
                interpolation="nearest")
    grid(left, c0, c1, r0, r1, color="#666666", alpha=0.5)
    cell_axes(left, win)
    left.tick_params(labelsize=SMALL - 2)
    left.set_xlabel("column (cells)", fontsize=SMALL - 1)
    left.set_ylabel("row (cells)", fontsize=SMALL - 1)
    rect(left, t.projected, fill=False, edgecolor=ROI, linewidth=1.8, linestyle=(0, (1, 2)), zorder=5)
    region = rect(left, (0, 0, 0, 0), fill=False, edgecolor=REGION, linewidth=3, zorder=7)
    focus_bin = rect(left, (0, 0, 0, 0), facecolor="none", edgecolor=ARGMAX, hatch="//", linewidth=1.5, zorder=6)
    best = rect(left, (0, 0, 1, 1), fill=False, edgecolor=ARGMAX, linewidth=3, zorder=8)
    box = rect(left, t.projected, fill=False, edgecolor=ROI, linewidth=3.2, linestyle=(0, (5, 3)), zorder=9)
    box.set_path_effects([patheffects.withStroke(linewidth=4.5, foreground="black")])
    i, j = slide.bin
    fig.legend(handles=[
        Line2D([], [], color=ROI, linewidth=3, linestyle=(0, (5, 3)), label="RoI as projected (dotted: start)"),
        Line2D([], [], color=REGION, linewidth=3, label="cells RoI pooling snaps to"),
        Rectangle((0, 0), 1, 1, facecolor="none", edgecolor=ARGMAX, hatch="//",
                  label=f"RoI pooling's bin ({i},{j}) and its max cell"),
    ], loc="lower left", bbox_to_anchor=(0.03, 0.0), ncol=1, fontsize=SMALL - 2, frameon=False, handlelength=2.0)
    # Right: the followed value of every method, and its number now.
    right = fig.add_axes((0.55, 0.44, 0.42, 0.42))
    values = np.concatenate([v for v in slide.values.values()])
    lo, hi = float(values.min()), float(values.max())
    pad = 0.08 * (hi - lo) if hi > lo else 1.0
    right.set_xlim(min(0.0, slide.offsets[-1]), max(0.0, slide.offsets[-1]))
    right.set_ylim(lo - pad, hi + pad)
    right.grid(True, color="#bbbbbb", linewidth=0.8)
    right.tick_params(labelsize=SMALL - 2)
    word = "right" if slide.axis == "x" else "down"
    right.set_xlabel(f"moved {word} by (cells; 1 cell = {slide.stride:g} px)", fontsize=SMALL - 1)
    right.set_ylabel("output value", fontsize=SMALL - 1)
    now = right.axvline(0, color="#555555", linestyle=(0, (2, 2)), linewidth=1.4)
    curves, dots, labels = {}, {}, {}
    for n, m in enumerate(slide.values):
        color, style, marker = recs[m].style
        curves[m] = right.plot([], [], color=color, linestyle=style, linewidth=2.6, label=recs[m].short,
                               drawstyle="steps-post" if recs[m].snaps_to_cells else "default")[0]
        dots[m] = right.plot([], [], color=color, marker=marker, markersize=9, markeredgecolor="black",
                             linestyle="none")[0]
        labels[m] = fig.text(0.55, 0.25 - 0.19 * n / max(len(slide.values) - 1, 1), "", color=color,
                             fontsize=SMALL - 1, weight="bold",
                             family="monospace", va="center")
    right.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=4, fontsize=SMALL - 2, frameon=False,
                 handlelength=2.4)
    heading = fig.text(0.01, 0.975, "", fontsize=FONT, ha="left", va="top")
    untrained_badge(fig, scene)

    def update(k: int, pool) -> None:
        off = slide.offsets[k]
        heading.set_text(f"Channel {slide.channel}, bin ({i},{j}): the RoI moved {word} by {num(off, 3)} "
                         f"cell{'' if off == 1 else 's'} ({num(off * slide.stride, 2)} px)")
        dx, dy = (off, 0.0) if slide.axis == "x" else (0.0, off)
        box.set_xy((t.projected[0] + dx, t.projected[1] + dy))
        empty = pool.region_area == 0
        region.set_visible(not empty)
        if not empty:
            region.set_bounds(*g.box_of_span(pool.region))
        span = pool.bins[i][j]
        full = span[1] > span[0] and span[3] > span[2]
        focus_bin.set_visible(full)
        if full:
            focus_bin.set_bounds(*g.box_of_span(span))
        cell = pool.argmax_cell(0, i, j)
        best.set_visible(cell is not None)
        if cell is not None:
            best.set_xy((cell[1], cell[0]))
        now.set_xdata([off, off])
        for m in slide.values:
            curves[m].set_data(slide.offsets[: k + 1], slide.values[m][: k + 1])
            dots[m].set_data([off], [slide.values[m][k]])
            value, share = slide.values[m][k], pct(slide.coverage[m][k])
            labels[m].set_text(f"{recs[m].short:<11} {value:>9.4g}   coverage {share:>7}")

    return fig, update



"""The PDF handout: a page of settings and key numbers, then a page per step (figure and words).

The words are real text, typeset here: wrapped by measuring them, set as large
as fits (13 pt down to 6 pt), tables in a monospaced font.
"""
from __future__ import annotations

import io
import re
import textwrap
from typing import Iterator

import numpy as np
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import text_to_path

from .. import methods, walkthrough
from ..picture.files import SLIDE_DPI
from ..state.options import OPTIONS
from ..lesson.numbers import cells as cells_words
from ..lesson.numbers import exact, num, pct, span_words
from ..lesson.numbers import value as activation
from ..state.scene import Scene
from ..lesson.words import plain
from . import render
from .numbers_json import numbers
from .render import Progress, _tick

PAGE = (11.69, 8.27)  # A4 landscape, inches
MAX_LISTED_ROIS = 8  # on the handout's first page
# The words of a page of the handout, in points: tried from the largest down until they fit.
WORD_SIZES = (13.0, 12.0, 11.0, 10.0, 9.0, 8.0, 7.0, 6.0)
MIN_TABLE_SIZE = 7.0
LINE = 1.32  # line pitch, in font sizes


def handout_pdf(scene: Scene, *, title: str = "", progress: Progress = None) -> bytes:
    """A PDF handout: one page of settings and numbers, then one page per step.

    Pages are A4 landscape; there are ``1 + len(walkthrough.steps(scene.method, scene.settings.network))``
    of them. ``title`` names the image (a sample's title or a file name). A
    step's figure is embedded as an image at 150 dpi at its printed size; its
    words are real text (searchable, copyable), wrapped to the page and set as
    large as fits (13 pt down to 6 pt; tables in a monospaced font).
    """
    rec = methods.METHODS[scene.method]
    total = 1 + len(rec.step_keys(scene.settings.network))
    buf = io.BytesIO()
    metadata = {
        "Title": f"{rec.label(scene.chosen)}, step by step" + (f": {title}" if title else ""),
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
    steps = walkthrough.steps(scene.method, scene.settings.network)
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
    pages = 1 + len(rec.step_keys(scene.settings.network))
    fig = _page(f"{rec.label(scene.chosen)}, step by step", scene, title, 1, pages)
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
        rows = ["  ".join(f"{activation(float(v)):>8}" for v in row) for row in out]  # the lesson's rule: 3 figures
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
    s, t, r = scene.settings, scene.pooled, scene.chosen
    C, H, W = scene.features.shape
    IW, IH = scene.input_dims
    rows = [("Image", title or "(not named)")]
    reads = methods.METHODS[scene.method].options
    for o in OPTIONS:  # every setting that matters for this method, as its declaration words it
        if not o.applies(reads, s.network):
            continue
        value = getattr(s, o.field)
        words = o.words(value)
        if o.field == "input_size":
            words = f"{IW} × {IH} pixels"
        elif o.field == "channel":
            words = f"{scene.channel} " + ("(the strongest inside the RoI)" if scene.channel_auto else "(chosen)")
        elif o.field == "sampling_ratio":
            words += ": {} × {} points per bin".format(*r.grid)
        elif o.field == "output_size":
            words += " bins per channel"
        rows.append((o.handout, words))
        if o.field == "network" and s.pyramid:  # the level the box's size picked stands where VGG16's layer would
            rows.append(("Level", f"P{s.layer[1:]}, picked by the box's size: {s.layer_label}"))
        if o.field == "layer" or (o.field == "network" and s.pyramid):
            rows += [("Stride", f"{num(t.stride)} pixels per cell"), ("Feature map", f"{H} rows × {W} columns of cells, {C} channels")]
    i, j, k = scene.focus
    picks = {st.picks for st in walkthrough.steps(scene.method, scene.settings.network)}
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
    pool_only = methods.method(scene.method).snaps_to_cells  # its own box is the quantized one
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
    if scene.chosen is not scene.pooled:  # a method other than RoI pooling itself
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
    image = render._render(picture, SLIDE_DPI * scale)
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

"""The PDF handout: a page of settings and key numbers, then a page per step (figure and words).

The words are real text, typeset here: wrapped by measuring them, set as large
as fits (13 pt down to 6 pt), tables in a monospaced font. Every word is in the
language in force (:func:`roi_viz.language.current`), the numbers as in English:
Chinese is set in the project's CJK font (:mod:`roi_viz.picture.fonts`), the one
each character DejaVu lacks falls back to, embedded whole-glyph as TrueType
(``pdf.fonttype`` 42), so the Chinese text is searchable and copyable.
"""
from __future__ import annotations

import functools
import io
import logging
import re
import textwrap
from typing import Iterator

import matplotlib
import numpy as np
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import text_to_path

from .. import methods, walkthrough
from ..language import _, ngettext
from ..picture import fonts
from ..picture.files import SLIDE_DPI
from ..picture.mpl import FAMILIES  # importing it makes the CJK font known to Matplotlib
from ..state.options import OPTIONS
from ..lesson.numbers import exact, num, pct
from ..lesson.numbers import value as activation
from ..state.scene import Scene
from ..lesson.words import plain
from . import render
from .numbers_json import numbers
from .render import Progress, _tick, speaking

PAGE = (11.69, 8.27)  # A4 landscape, inches
MAX_LISTED_ROIS = 8  # on the handout's first page
# The words of a page of the handout, in points: tried from the largest down until they fit.
WORD_SIZES = (13.0, 12.0, 11.0, 10.0, 9.0, 8.0, 7.0, 6.0)
MIN_TABLE_SIZE = 7.0
LINE = 1.32  # line pitch, in font sizes
MONO = ["DejaVu Sans Mono", fonts.CJK_FAMILY]  # the tables; Chinese falls back to the CJK font
# TrueType embedded as such (42), not converted to Type 3 outlines: Chinese stays text a reader can search and copy.
PDF_FONTS = {"pdf.fonttype": 42}


def _not_the_one_weight(record: logging.LogRecord) -> bool:
    # The CJK font has one weight: for bold text Matplotlib falls back to it (what we want) and logs that it did,
    # once per size. The command line would print that line among its own.
    return not (fonts.CJK_FAMILY in record.getMessage() and "Failed to find font weight" in record.getMessage())


logging.getLogger("matplotlib.font_manager").addFilter(_not_the_one_weight)


@speaking
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
    method = rec.label(scene.chosen)
    metadata = {
        "Title": (_("{method}, step by step: {title}") if title else _("{method}, step by step")).format(
            method=method, title=title),
        "Subject": _("RoI pooling handout: the settings, the key numbers and every step"),
        "Creator": "roi-viz",
    }
    with matplotlib.rc_context(PDF_FONTS):  # the fonts are written when the file closes: inside, too
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
        kw.setdefault("family", FAMILIES)
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
    size = 20.0  # a long heading (a method's label with its settings) is set smaller, on its one line
    while size > 12 and _width(title_text, size, bold=True) > (W - 0.9) * 72:
        size -= 1
    fig.text(0.45 / W, 1 - 0.4 / H, title_text, fontsize=size, weight="bold", va="top", ha="left", family=FAMILIES)
    foot = (_("roi-viz · {method} · {title} · page {page} of {pages}") if title else
            _("roi-viz · {method} · page {page} of {pages}")).format(method=_(scene.method_name), title=title, page=page,
                                                                     pages=pages)
    fig.text(1 - 0.45 / W, 0.25 / H, foot, fontsize=9, color="#555555", ha="right", va="bottom", family=FAMILIES)
    return fig


def _cover_page(scene: Scene, title: str) -> Figure:
    rec = methods.METHODS[scene.method]
    pages = 1 + len(rec.step_keys(scene.settings.network))
    fig = _page(_("{method}, step by step").format(method=rec.label(scene.chosen)), scene, title, 1, pages)
    W, H = PAGE
    size = 12.0
    left = _Column(fig, 0.45, H - 1.05, 5.2)
    left.text(_("Settings"), 15, weight="bold")
    left.space(3)
    left.rows(_settings_rows(scene, title), size, 1.6)
    right = _Column(fig, 6.05, H - 1.05, 5.2)
    right.text(_("Key numbers"), 15, weight="bold")
    right.space(3)
    data = numbers(scene)
    right.rows(_number_rows(scene, data), size, 2.0)
    out = np.asarray(data["method_output_channel"])
    ph, pw = out.shape
    right.space(6)
    heading = _("Output of {method}, channel {channel} ({rows} × {cols})").format(
        method=_(scene.method_name), channel=scene.channel, rows=ph, cols=pw)
    for line in _wrap(heading, size, right.width * 72 * 0.9):  # measured in the regular weight: bold is wider
        right.text(line, size, weight="bold")
    if ph <= 7 and pw <= 7:
        rows = ["  ".join(f"{activation(float(v)):>8}" for v in row) for row in out]  # the lesson's rule: 3 figures
        mono = min(10.5, int(2 * 10.0 * right.width * 72 / max(_width(r, 10.0, mono=True) for r in rows)) / 2)
        for row in rows:
            right.text(row, mono, family=MONO)
    else:
        right.text(_("(too many bins to print: see the last page, or explain --json)"), size)
    foot = _Column(fig, 0.45, 1.05, W - 0.9)
    foot.text(_("The numbers are those of python -m roi_viz explain --json. One page per step follows."), 10,
              color="#333333")
    if not scene.pretrained:
        foot.text(_("UNTRAINED ResNet-50-FPN (no COCO weights): the arithmetic is exact, the activations are random.")
                  if scene.settings.pyramid else
                  _("UNTRAINED VGG16 (no ImageNet weights): the arithmetic is exact, the activations are random."),
                  10, color="#b00020", weight="bold")
    return fig


def _option_words(o, value) -> str:
    """An option's value as the handout says it, in the language in force (the declaration's English words,
    looked up where they are marked; the sidebar shows the same)."""
    if o.kind == "flag":
        return _("on") if value else _("off")
    if o.kind == "channel" and value is None:
        return _("the strongest inside the RoI")
    if o.kind == "whole" and o.field == "sampling_ratio" and value <= 0:
        return _("adaptive")
    return _(o.words(value)) if o.kind == "choice" else o.words(value)


def _cells(v: float) -> str:
    """An area in cells, its number as :func:`~roi_viz.lesson.numbers.num` writes it: "5.32 cells", "1 cell"."""
    text = num(v)
    return ngettext("{n} cell", "{n} cells", 1 if text == "1" else 2).format(n=text)


def _rows_words(a: int, b: int) -> str:
    """Half-open rows ``[a, b)`` in words."""
    if b <= a:
        return _("no rows")
    return _("row {a}").format(a=a) if b - a == 1 else _("rows {a} to {b}").format(a=a, b=b - 1)


def _columns_words(a: int, b: int) -> str:
    """Half-open columns ``[a, b)`` in words."""
    if b <= a:
        return _("no columns")
    return _("column {a}").format(a=a) if b - a == 1 else _("columns {a} to {b}").format(a=a, b=b - 1)


def _settings_rows(scene: Scene, title: str) -> list[tuple[str, str]]:
    """The settings that matter for this method, in words."""
    s, t, r = scene.settings, scene.pooled, scene.chosen
    C, H, W = scene.features.shape
    IW, IH = scene.input_dims
    rows = [(_("Image"), title or _("(not named)"))]
    reads = methods.METHODS[scene.method].options
    for o in OPTIONS:  # every setting that matters for this method, as its declaration words it
        if not o.applies(reads, s.network):
            continue
        value = getattr(s, o.field)
        words = _option_words(o, value)
        if o.field == "input_size":
            words = _("{w} × {h} pixels").format(w=IW, h=IH)
        elif o.field == "channel":
            words = (_("{channel} (the strongest inside the RoI)") if scene.channel_auto else
                     _("{channel} (chosen)")).format(channel=scene.channel)
        elif o.field == "sampling_ratio":
            words = _("{ratio}: {rows} × {cols} points per bin").format(ratio=words, rows=r.grid[0], cols=r.grid[1])
        elif o.field == "output_size":
            words = _("{size} bins per channel").format(size=words)
        rows.append((_(o.handout), words))
        if o.field == "network" and s.pyramid:  # the level the box's size picked stands where VGG16's layer would
            rows.append((_("Pyramid level"), _("P{level}, picked by the box's size: {layer}").format(
                level=s.layer[1:], layer=s.layer_label)))
        if o.field == "layer" or (o.field == "network" and s.pyramid):
            rows += [(_("Stride"), _("{stride} pixels per cell").format(stride=num(t.stride))),
                     (_("Feature map"), _("{rows} rows × {cols} columns of cells, {channels} channels").format(
                         rows=H, cols=W, channels=C))]
    i, j, k = scene.focus
    picks = {st.picks for st in walkthrough.steps(scene.method, scene.settings.network)}
    if picks - {""}:
        rows.append((_("Close-up"), (_("bin ({i}, {j}), point {k}") if "point" in picks else
                                     _("bin ({i}, {j})")).format(i=i, j=j, k=k + 1)))
    shown = sorted(set(range(min(len(scene.rois), MAX_LISTED_ROIS))) | {scene.active})  # the followed one always
    for n in shown:
        x, y, w, h = scene.rois[n]
        label = "RoI" if len(scene.rois) == 1 else _("RoI {n}").format(n=n + 1)
        followed = len(scene.rois) > 1 and n == scene.active
        rows.append((label, (_("x {x}, y {y}, w {w}, h {h} px (followed)") if followed else
                             _("x {x}, y {y}, w {w}, h {h} px")).format(x=num(x), y=num(y), w=num(w), h=num(h))))
    if len(scene.rois) > len(shown):
        more = len(scene.rois) - len(shown)
        rows.append(("", ngettext("and {n} more RoI", "and {n} more RoIs", more).format(n=more)))
    rows.append((_("Weights"), _("ImageNet (pretrained)") if scene.pretrained else _("UNTRAINED: random activations")))
    return rows


def _number_rows(scene: Scene, data: dict) -> list[tuple[str, str]]:
    """The key numbers, from :func:`numbers` so that they read as in the JSON."""
    def box(b):  # the projection: exact
        return _("x {x}, y {y}, w {w}, h {h} cells").format(**{n: exact(v) for n, v in zip("xywh", b)})

    areas = data["areas"]
    (r0, r1), (c0, c1) = data["region"]["rows"], data["region"]["cols"]
    bh, bw = data["bin_size"]
    pool_only = methods.method(scene.method).snaps_to_cells  # its own box is the quantized one
    quantized = box(data["quantized"])
    rows = [
        (_("Projected box"), box(data["projected"])),
        (_("Quantized box"), quantized if pool_only else _("{box} (RoI pooling's)").format(box=quantized)),
        (_("Region"), _("{rows}, {columns} ({n} cells)").format(
            rows=_rows_words(r0, r1), columns=_columns_words(c0, c1), n=areas["quantized"])),
        (_("Bins"), _("{h} × {w} cells each; {dropped} cells dropped, {shared} shared").format(
            h=num(bh), w=num(bw), dropped=data["dropped_cells"], shared=data["shared_cells"])),
        (_("RoI area"), _cells(areas["projected"])),
        (_("Lost"), _("{cells} of the RoI outside the region").format(cells=_cells(areas["lost"]))),
        (_("Gained"), _("{cells} of the region outside the RoI").format(cells=_cells(areas["gained"]))),
        (_("Coverage"), _("{share} (RoI pooling)").format(share=pct(data["coverage"]))),
    ]
    if scene.chosen is not scene.pooled:  # a method other than RoI pooling itself
        rows.append((_("{method} coverage").format(method=_(methods.METHODS[scene.method].short)),
                     pct(data["method_coverage"])))
    return rows


def _step_page(scene: Scene, k: int, n: int, step, title: str) -> Figure:
    """Step ``k`` of ``n``: the figure on the left at 150 dpi, the words on the right."""
    fig = _page(_("Step {k}/{n}: {title}").format(k=k, n=n, title=step.title), scene, title, k + 1, n + 1)
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
            col.text(line, mono, family=MONO)
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
            first = max(_columns(row[0]) for row in body) + 2
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
    widths = [max(_columns(r[c]) for r in rows) for c in range(n)]
    lines = ["  ".join(c + " " * (w - _columns(c)) for c, w in zip(row, widths)).rstrip() for row in rows]
    return lines[:1] + ["─" * _columns(lines[0])] + lines[1:]


@functools.lru_cache(maxsize=4096)
def _columns(text: str) -> int:
    """How many columns of the monospaced font ``text`` takes, measured: a Chinese character is drawn in the CJK
    font, an em wide, where a column is 0.6 em (so a table's padding makes up for it, to the nearest column)."""
    if text.isascii():
        return len(text)
    return round(_width(text, 10.0, mono=True) / _width("0", 10.0, mono=True))


def _wrap(text: str, size: float, width: float, *, mono: bool = False, first: str = "", rest: str = "",
          keep_spaces: bool = False) -> list[str]:
    """``text`` wrapped so that every line is at most ``width`` points wide in DejaVu Sans (Mono) at ``size``
    (Chinese, which has no spaces, between any two characters as :func:`roi_viz.picture.fonts.wrap` breaks it)."""
    if not mono and not text.isascii():
        lines = fonts.wrap(text, size, width - max(_width(first, size), _width(rest, size)))
        return [(first if i == 0 else rest) + line for i, line in enumerate(lines)]
    chars = max(int(width / (size * (0.6 if mono else 0.5))), 8)
    while True:
        lines = [line.rstrip() for line in textwrap.wrap(text, chars, initial_indent=first, subsequent_indent=rest,
                                                          drop_whitespace=not keep_spaces)] or [""]
        if chars <= 8 or all(_width(line, size, mono) <= width for line in lines):
            return lines
        chars -= 1


def _width(text: str, size: float, mono: bool = False, bold: bool = False) -> float:
    """Width of ``text`` in points, from the font's own metrics (what the PDF uses: no pixel rounding)."""
    prop = FontProperties(family=MONO if mono else FAMILIES, size=size, weight="bold" if bold else "normal")
    return text_to_path.get_text_width_height_descent(text, prop, ismath=False)[0]

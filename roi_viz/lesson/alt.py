"""The words a figure stands for: its text alternative and its numbers as a table.

A student who cannot see a figure (a screen reader, a figure that did not
load, a projector washed out by the sun) reads the same numbers here: the RoI
in pixels, its projection onto the grid, what the chosen method does with it
(snaps it to whole cells or not, what that loses and gains), the share that
reaches the output, and the output itself. Pure: a scene in, words and rows
out, with numbers written by :mod:`roi_viz.lesson.numbers`.

Every number here is the chosen method's own (``scene.chosen``), and where the
area of the RoI goes is worked out once, by :func:`reach`: the last step's
words (:mod:`roi_viz.lesson.words`) read the same :class:`Reach`, so the text
alternative and the words cannot tell two stories.

The words are in the language in force (:mod:`roi_viz.language`): each sentence, clause and table label is
marked and translated whole, its numbers as named placeholders.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..language import _, ngettext
from ..methods import method
from ..ops import geometry as g
from .numbers import exact, num, pct, value
from ..state.scene import Scene

# A share of the RoI's area below this counts as nothing: RoIAlign computes its box in float32 (as torchvision
# does), which leaves up to ~1e-5 of the area outside bins that span it exactly. Anything real is far larger:
# the legacy half-cell shift moves a whole half cell.
NOISE = 1e-4


@dataclass(frozen=True)
class Reach:
    """Where the area of the projected RoI goes on its way to the chosen method's output.

    Areas are in cells (of the feature map); boxes are ``(x, y, w, h)`` in cell coordinates.
    """

    area: float  # the projected RoI
    covered: float  # the part of it inside some bin: what can reach the output
    coverage: float  # covered / area, in [0, 1]
    snapped: tuple[int, int, int, int] | None  # the whole-cell box it is rounded to first; None: nothing is rounded
    lost: float  # the RoI outside the snapped cells (0 when nothing is rounded)
    gained: float  # the snapped cells outside the RoI
    dropped: int  # whole snapped cells that no bin reads (only where bins are blocks of whole cells)
    split: float  # the RoI's part of those dropped cells
    shifted: float  # the RoI outside bins that sit half a cell off it (a legacy rule; 0 when nothing is rounded)

    @property
    def whole(self) -> bool:
        """Every part of the RoI lies in some bin."""
        return self.area > 0 and self.area - self.covered <= NOISE * self.area

    @property
    def share(self) -> str:
        """The coverage as every text prints it: "100 %" when nothing is left out, else to 0.1 %."""
        return "100 %" if self.whole else pct(self.coverage)


def reach(scene: Scene) -> Reach:
    """Where the RoI's area goes through ``scene.chosen``: snapped, dropped by the split, shifted, covered.

    Asks the trace (``snapped``, ``region``, the areas) and the method's record
    (``whole_cell_bins``), never the method's name, so a new method is told right.
    """
    r = scene.chosen
    area, covered = float(r.projected_area), float(r.covered_area)
    if not r.snapped:
        out = area - covered
        return Reach(area, covered, 1.0 if area > 0 and out <= NOISE * area else float(r.coverage), None,
                     0.0, 0.0, 0, 0.0, out if out > NOISE * area else 0.0)
    region = g.box_of_span(r.region)  # the snapped cells, cut at the map's edge
    inside = g.intersection_area(r.projected, region)
    whole_cells = method(scene.method).whole_cell_bins
    # A method that snaps rounds as RoI pooling does (its rule is the setting ``scheme``): the same box, before the
    # map's edge cuts it, as step 3 shows.
    return Reach(area, covered, float(r.coverage), tuple(int(v) for v in scene.pooled.quantized),
                 area - inside, g.box_area(region) - inside, int(r.dropped_cells) if whole_cells else 0,
                 max(inside - covered, 0.0), 0.0)


# Where a sentence in the language in force ends with one of these, the next follows without a space (Chinese).
FULL_STOPS = "。！？；：，）"


def joined(*sentences: str) -> str:
    """Whole sentences, each translated on its own, one after another: a space between them in English, none
    after a full-width stop (Chinese). Empty ones are skipped."""
    out = ""
    for s in sentences:
        s = (s or "").strip()
        if s:
            out += ("" if not out or out.endswith(tuple(FULL_STOPS)) else " ") + s
    return out


def cell_count(v: float) -> str:
    """An area or length in cells in the language in force: "5.32 cells", "1 cell" (English exactly as
    :func:`~roi_viz.lesson.numbers.cells` writes it)."""
    text = num(v)
    return ngettext("{n} cell", "{n} cells", 1 if text == "1" else 2).format(n=text)


def _box(b) -> str:
    return "(" + ", ".join(exact(v) for v in b) + ")"


def key_numbers(scene: Scene) -> list[tuple[str, str]]:
    """``(quantity, value)`` rows: the numbers every step's figure is drawn from, in the lesson's order.

    The snapping rows appear only for a method that snaps; the split's row only where bins are whole cells.
    """
    r = scene.chosen
    k = reach(scene)
    ph, pw = r.output_size
    rows = [
        (_("RoI (x, y, w, h), input pixels"), _box(r.roi)),
        (_("Model input (W × H)"), "{} × {}".format(*scene.input_dims)),
        (_("Layer"), _(scene.layer_label)),  # the label names its stride
        (_("Feature map (rows × columns)"), "{} × {}".format(*r.map_size)),
        (_("Projected box (x, y, w, h), cells"), _box(r.projected)),
    ]
    if k.snapped is not None:
        rows += [
            (_("Snapped box (x, y, w, h), whole cells"), _box(k.snapped)),
            (_("Cells lost by snapping"), cell_count(k.lost)),
            (_("Cells gained by snapping"), cell_count(k.gained)),
        ]
        if method(scene.method).whole_cell_bins:
            rows.append((_("Cells no bin reads (dropped by the split)"), str(k.dropped)))
    else:
        rows.append((_("Snapped to whole cells"), _("no: nothing is rounded")))
        if k.shifted:
            rows.append((_("Cells outside the bins (half-cell shift)"), cell_count(k.shifted)))
    rows += [
        (_("Share of the RoI that reaches the output ({method})").format(method=_(scene.method_name)), k.share),
        (_("Output size (rows × columns)"),
         _("{ph} × {pw} per channel, {n} channels").format(ph=ph, pw=pw, n=r.channels)),
        (_("Method"), _(scene.method_name)),
        (_("Channel shown"), str(scene.channel)),
    ]
    return rows


def output_rows(scene: Scene) -> list[list[str]]:
    """The method's output for the channel shown: one row of strings per output row."""
    out = scene.chosen.output[scene.channel]
    return [[value(float(v)) for v in row] for row in out]


def _what_happens(scene: Scene, k: Reach) -> str:
    """The chosen method between the projection and the output, in one list of clauses (its own numbers), each
    clause translated whole; the second begins with its own separator ("; ", Chinese "；")."""
    rec = method(scene.method)
    r = scene.chosen
    ph, pw = r.output_size
    if k.snapped is not None:
        if rec.whole_cell_bins:
            text = _("snapped to whole cells {box}; {lost} lost and {gained} gained by snapping, {dropped} dropped by "
                     "the split")
        else:
            text = _("snapped to whole cells {box}; {lost} lost and {gained} gained by snapping, and the split into "
                     "bins with fractional edges drops nothing more")
        text = text.format(box=_box(k.snapped), lost=cell_count(k.lost), gained=cell_count(k.gained),
                           dropped=cell_count(k.dropped))
    elif k.shifted:
        text = _("nothing is snapped to whole cells, but with aligned off the bins sit half a cell off the box, leaving "
                 "{shifted} of the RoI outside them").format(shifted=cell_count(k.shifted))
    else:
        text = _("nothing is snapped to whole cells")
    if rec.samples_points:
        n = getattr(r, "points_per_bin", 0)
        text += ngettext("; each of the {ph} × {pw} bins is read at {n} sampling point",
                         "; each of the {ph} × {pw} bins is read at {n} sampling points", n).format(ph=ph, pw=pw, n=n)
    elif rec.integrates:
        text += _("; each of the {ph} × {pw} bins is the exact average of the bilinear surface over it").format(
            ph=ph, pw=pw)
    return text


def alt_text(scene: Scene, title: str) -> str:
    """One paragraph for a step's figure: what it shows and the chosen method's key numbers, the output included."""
    r = scene.chosen
    k = reach(scene)
    out = "; ".join(", ".join(row) for row in output_rows(scene))
    output = _("Output of channel {c}, row by row: {out}.")
    c = None
    if hasattr(r, "follows"):  # position-sensitive: a map channel is followed through its group's output channel
        c = r.follows(scene.channel)
        output = (_("Output of output channel {group} (map channel {c}'s group), row by row: {out}.") if c is not None
                  else _("Output of channel {c} (no bin reads it: 0), row by row: {out}."))
    W, H = scene.input_dims
    return joined(
        _("{title}. {method} on RoI {roi} pixels of a {W} × {H} input, stride {s}: projected to {projected} cells, "
          "{what}; {share} of the RoI reaches the output.").format(
            title=title, method=_(scene.method_name), roi=_box(r.roi), W=W, H=H, s=exact(r.stride),
            projected=_box(r.projected), what=_what_happens(scene, k), share=k.share),
        output.format(group=c, c=scene.channel, out=out))

"""The board: the photo, the stride grid and every RoI, edited in the browser with live geometry.

A Streamlit custom component (``st.components.v2``, no iframe, plain HTML/CSS/JS in this
folder, nothing built at install time). While the mouse moves, the browser redraws the
geometry of the chosen method at every animation frame (``geometry.js``, the same
arithmetic as :mod:`roi_viz.ops`, proven equal by the tests); the server hears nothing
until the release, when the boxes come back once, as a state value.

Coordinate conventions (those of :mod:`roi_viz.ops`):

- the photo is the *model input*, ``W x H`` pixels (``image_size``);
- a box is ``(x, y, w, h)``: top-left corner and size in **whole** pixels of that input,
  ``w, h >= 1``, inside the image (the board cuts what it draws to the photo);
- the feature map has ``map_size = (H_map, W_map)`` cells of ``stride x stride`` pixels;
  cell ``(r, c)`` covers pixels ``[c*s, (c+1)*s) x [r*s, (r+1)*s)``.

The exchange::

    value = board(photo_png, boxes=[(296, 192, 200, 145)], active=0, revision=rev,
                  stride=32, output_size=(3, 3), method=POOL, scheme="article")
    if value is not None and value.seq != last_seq:   # the student changed the boxes
        boxes, active, last_seq = value.boxes, value.active, value.seq

- Python passes the boxes it wants shown, the followed one (``active``) and a
  ``revision`` number. The board adopts ``boxes``/``active`` only when ``revision``
  differs from the one it holds, so to replace its content (a typed box, a preset, a
  link) bump the revision; passing back what the board sent, with the same revision,
  leaves the board alone (it may already be ahead of Python).
- The board's value carries the revision it was made on. :func:`board` returns it as a
  :class:`BoardValue` only when that revision is the current one: a value made on content
  Python has since replaced is stale and gives ``None``, as does a board that has sent
  nothing yet. ``seq`` grows by one with every value a mounted board sends.

Keys (the board is focusable with Tab): arrows move the followed box by 1 px (Shift: by
one stride); Alt+arrows resize it from its bottom-right corner; ``N`` / Shift+``N`` follow
the next / previous box; ``A`` adds a box in the middle of the photo; Delete (or
Backspace) removes the followed box, never the last one: on the last one it says why, in the
board's status line (``role="status"``, polite). Touch and pen drag as the mouse does
(pointer events; the canvas has ``touch-action: none``, so a finger draws instead of scrolling the
page): one finger at a time, the first (a second finger neither restarts nor bends its drag), and a
finger finds a handle within 14 screen pixels (a mouse within 7), less on a small box (a quarter
of its shorter side, never under 7), so a small box still moves by its middle.

Read-only (``read_only="a sentence"``, the quiz): the board shows the photo, the stride grid
and the boxes, and the sentence in place of the keys' help; it takes no pointer (a finger on it
scrolls the page) and no key (it is not in the Tab order), draws no geometry, writes no readout
and sends no value. Its ``data-live`` then holds only ``{"box", "stride", "active", "count", "read_only": true}``:
nothing computed from the box, so nothing a question asks.

Test contract: the board's root element carries ``data-testid="roi-board"`` and a
``data-live`` attribute, JSON rewritten on every frame of a drag, move or resize and after
every key: ``{"box": [x, y, w, h], "stride": s, "projected": [x, y, w, h], "method": m,
"active": i, "count": n, ...}``; for a method with whole-cell bins (RoI pooling) also ``"quantized"``,
``"lost"``, ``"gained"`` (cells), ``"coverage"`` (share of the projected box that reaches a bin) and
``"dropped"`` (cells); for the others ``"row_edges"``, ``"col_edges"`` (cells), with sampling points
``"points"``, and for one that snaps first (RoIWarp) ``"quantized"``.

On a feature pyramid (``pyramid=pyramid_of((W, H))``) the grid, the projection and the bins are those of the
level the followed box's size picks, live while it is dragged, by the rule of :func:`roi_viz.ops.fpn_level`
(``geometry.js`` computes it in float32 as torchvision does; the tests compare them on every float32 size near the
boundaries). ``data-live`` then says ``"level"`` (``k``), ``"level_name"`` (``"P3"``), ``"stride"`` (the level's),
``"map_size"`` (its ``[H, W]`` cells) and ``"side"`` (``sqrt(w h)`` in float32), and the readout starts with the
level and why: ``Level P3, stride 8 px: √(w·h) = 150 px, and 4 + log2(150 / 224) + 0.000001 = 3.42 rounds down
to 3.`` Shift+arrows then move the box by one cell of its level.

The data sent to the script carries the method's key (``"method"``, written back in ``data-live``), its
record's traits (``"traits"``, see :data:`TRAITS`) and its legend (``"legend"``): the script draws by the
traits and never asks which method it has.
"""
from __future__ import annotations

import base64
import inspect
import io
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import streamlit as st

from roi_viz.figures.look import for_board
from roi_viz.language import N_, _, ngettext
from roi_viz.lesson.detector_words import level_map_size
from roi_viz.ops import pyramid as fpn
from roi_viz.lesson.shown import ROI_FOLLOWED, ROI_OTHER
from roi_viz.methods import METHODS as RECORDS, POOL

from .wire import UNPACK_JS, packed

HERE = Path(__file__).resolve().parent
SCHEMES = ("article", "fastrcnn")
# What the board's script draws is decided by these traits of the method's record, sent in its data: whole-cell
# bins (the snapped cells, lost, gained and dropped), sampling points (on the snapped cells if it snaps), or the
# bins' exact edges (an integral). The script names no method.
TRAITS = ("snaps_to_cells", "whole_cell_bins", "samples_points", "integrates")


def drawable(rec) -> bool:
    """Whether the board can draw the geometry of the method ``rec`` (a :class:`roi_viz.methods.Method`)."""
    return rec.whole_cell_bins or rec.samples_points or rec.integrates


class _Drawable:
    """The keys of the methods the board draws, read from the records when asked (a method registered later
    is in it): ``key in METHODS``, ``list(METHODS)``."""

    def __contains__(self, key) -> bool:
        return key in RECORDS and drawable(RECORDS[key])

    def __iter__(self):
        return iter([k for k, m in RECORDS.items() if drawable(m)])

    def __len__(self) -> int:
        return len(list(iter(self)))

    def __repr__(self) -> str:
        return f"METHODS{tuple(self)!r}"


METHODS = _Drawable()


def traits(rec) -> dict:
    """The record's traits the board's script draws by, as its data carries them."""
    return {t: bool(getattr(rec, t)) for t in TRAITS}


# The colours' words of the look's areas (roi_viz.figures.look.WORDS), marked here as the legend shows them; the
# board's test checks each is translated.
AREA_WORDS = (N_("dark blue with rising lines"), N_("green with falling lines"), N_("blue with crossed lines"))


def legend(rec, scheme: str) -> str:
    """The board's legend for the method ``rec`` under the rounding rule ``scheme``: what each colour and mark is,
    in the words of the look's areas (:func:`roi_viz.figures.look.for_board`), in the language shown."""
    areas = for_board()

    def said(kind: str) -> str:
        words = _(areas[kind]["words"])
        return words[:1].upper() + words[1:]

    marks = {"lost": said("lost"), "gained": said("gained"), "dropped": said("dropped")}
    box = _("Magenta: the RoI; on the grid its edges fall at fractional cells.")
    if rec.whole_cell_bins and scheme == "fastrcnn":
        rest = _("Cyan: the cells it snaps to (rounded). {lost}: lost. {gained}: gained. Orange, dashed: the split "
                 "into bins, each then widened to whole cells.")
    elif rec.whole_cell_bins:
        rest = _("Cyan: the cells it snaps to. {lost}: lost. {gained}: gained. Orange: bins. "
                 "{dropped}: cells the split drops.")
    elif rec.samples_points and rec.snaps_to_cells:
        rest = _("Cyan: the cells it snaps to. Orange: bins. Dots: sampling points.")
    elif rec.samples_points:
        rest = _("Orange: bins (fractional edges). Dots: sampling points.")
    else:
        rest = _("Orange: bins (fractional edges), each averaged exactly.")
    return f"{box} {rest.format(**marks)}"


def words() -> dict:
    """Every sentence the board's script shows or announces, in the language shown: templates whose named
    placeholders (``{n}``, ``{lost}``) the script fills with the numbers it computes (written as
    :mod:`roi_viz.lesson.numbers` writes them). ``{formulas}`` is the box's division by the stride, written by the
    script in numbers and symbols only (``x 296 px ÷ 32 = 9.25 → 9; y …``)."""
    return {
        "keys_help": _("Drag on the photo to draw an RoI; drag a box to move it, its handles to resize it. "
                       "Keys: arrows move the followed RoI by 1 px (Shift: one stride), Alt+arrows resize it, "
                       "N / Shift+N follow the next / previous RoI, A adds one, Delete removes it "
                       "(never the last one)."),
        # Said when Delete meets the only box: the lesson always follows one.
        "last_box": _("The last RoI stays: the lesson needs one box to follow. "
                      "Add another (A) before deleting this one."),
        "role": _("RoI board"),
        "read_only_label": _("The photo with the quiz's RoI, ({box}) px, on the stride grid."),
        # An area or length in cells: the form for 1, then for any other number.
        "cells": [ngettext("{n} cell", "{n} cells", 1), ngettext("{n} cell", "{n} cells", 2)],
        "head": _("RoI {n}: ({box}) px."),
        "article": _("{formulas}. Lost {lost}, gained {gained}; {rows} × {cols} bins, each {bin_h} high and "
                     "{bin_w} wide; the split drops {dropped}. Coverage {coverage}."),
        "article_empty": _("{formulas}. Lost {lost}, gained {gained}; fewer cells than bins ({rows} × {cols}): "
                           "every bin is empty. Coverage {coverage}."),
        "fastrcnn": _("x {x} px ÷ {s} = {px} → {qx}; x+w {x1} px ÷ {s} = {px1} → {qx1} (included); "
                      "y {y} px ÷ {s} = {py} → {qy}; y+h {y1} px ÷ {s} = {py1} → {qy1} (included). "
                      "Lost {lost}, gained {gained}; bins {bin_h} cells high and {bin_w} wide, widened to whole "
                      "cells. Coverage {coverage}."),
        "exact_aligned": _("{formulas}, nothing rounded, aligned: the bins sit exactly on the box; "
                           "bins {bin_h} cells high and {bin_w} wide, each averaged exactly over its area."),
        "exact_legacy": _("{formulas}, nothing rounded, not aligned: the bins sit half a cell right of and below "
                          "the box (the legacy rule); bins {bin_h} cells high and {bin_w} wide, each averaged "
                          "exactly over its area."),
        "sampled_aligned": _("{formulas}, nothing rounded, aligned: the bins sit exactly on the box; "
                             "bins {bin_h} cells high and {bin_w} wide, {grid_h} × {grid_w} sampling points per bin."),
        "sampled_legacy": _("{formulas}, nothing rounded, not aligned: the bins sit half a cell right of and below "
                            "the box (the legacy rule); bins {bin_h} cells high and {bin_w} wide, "
                            "{grid_h} × {grid_w} sampling points per bin."),
        "snapped_sampled": _("{formulas}; snapped to columns {c0}–{c1}, rows {r0}–{r1}; bins {bin_h} cells high "
                             "and {bin_w} wide, {grid_h} × {grid_w} sampling points per bin."),
        "level": _("Level {name}, stride {stride} px: √(w·h) = {side} px, and {k0} + log2({side} / {size}) + {eps} "
                   "= {raw} rounds down to {floor}."),
        "level_clamped": _("Level {name}, stride {stride} px: √(w·h) = {side} px, and {k0} + log2({side} / {size}) "
                           "+ {eps} = {raw} rounds down to {floor}, outside the pyramid's {first}..{last}, "
                           "so {name}."),
    }


def pyramid_of(input_size: tuple[int, int], *, map_sizes: Sequence[Sequence[int]] | None = None) -> dict:
    """The feature pyramid the board picks a level from, for a ``(W, H)``-px model input: the ``pyramid`` of
    :func:`board`.

    Every number is :mod:`roi_viz.ops.pyramid`'s own: the rule's defaults in :func:`~roi_viz.ops.pyramid.fpn_level`
    (``canonical_size`` 224, ``canonical_level`` 4, ``k_min`` 2, ``k_max`` 5) and its ``EPS``; the levels
    ``k_min..k_max`` with names ``P2..P5`` and strides ``2**k`` (4, 8, 16, 32, finest first). ``map_sizes``:
    ``(H, W)`` cells per level, finest first; default ``ceil(H / s) x ceil(W / s)``, ResNet-50-FPN's maps of
    the input (:func:`roi_viz.lesson.detector_words.level_map_size`).

    Returns a plain dict (JSON for the board's script): ``levels``, ``names``, ``strides``, ``map_sizes``,
    ``canonical_size``, ``canonical_level``, ``k_min``, ``k_max``, ``eps`` and ``boundaries`` (the sides,
    ``sqrt(w h)`` px, where the level steps up: 112, 224, 448).
    """
    rule = {k: p.default for k, p in inspect.signature(fpn.fpn_level).parameters.items()
            if p.kind is p.KEYWORD_ONLY}
    levels = list(range(int(rule["k_min"]), int(rule["k_max"]) + 1))
    strides = list(fpn.level_strides(levels))
    W, H = (int(v) for v in input_size)
    if map_sizes is None:
        map_sizes = [level_map_size((W, H), s) for s in strides]
    size, k0 = float(rule["canonical_size"]), int(rule["canonical_level"])
    return {"levels": levels, "names": [f"P{k}" for k in levels], "strides": strides,
            "map_sizes": [[int(m[0]), int(m[1])] for m in map_sizes],
            "canonical_size": size, "canonical_level": k0, "k_min": levels[0], "k_max": levels[-1],
            "eps": float(fpn.EPS), "boundaries": [size * 2.0 ** (k - k0) for k in levels[1:]]}


def _check_pyramid(pyramid) -> dict:
    """``pyramid`` as :func:`pyramid_of` makes it, checked: its strides double, one name and map size per level."""
    try:
        strides = [int(s) for s in pyramid["strides"]]
        levels = fpn.levels_of(strides)
        names, sizes = [str(n) for n in pyramid["names"]], [[int(v) for v in m] for m in pyramid["map_sizes"]]
        numbers = {k: float(pyramid[k]) for k in ("canonical_size", "canonical_level", "k_min", "k_max", "eps")}
    except (KeyError, TypeError, ValueError):
        raise ValueError("The board's pyramid must be made by ui.board.pyramid_of (strides that double, "
                         "one name and one map size per level).") from None
    if (len(names) != len(levels) or len(sizes) != len(levels) or any(len(m) != 2 or min(m) < 1 for m in sizes)
            or list(pyramid.get("levels", levels)) != levels
            or (numbers["k_min"], numbers["k_max"]) != (levels[0], levels[-1])):
        raise ValueError(f"The board's pyramid must have one name and one map size per level {levels}, "
                         f"and k_min, k_max its first and last level; got {pyramid!r}.")
    edges = [numbers["canonical_size"] * 2.0 ** (k - numbers["canonical_level"]) for k in levels[1:]]
    return {"levels": levels, "strides": strides, "names": names, "map_sizes": sizes, **numbers,
            "k_min": levels[0], "k_max": levels[-1], "canonical_level": int(numbers["canonical_level"]),
            "boundaries": edges}


def pyramid_legend(pyramid: dict) -> str:
    """What the grid is when the board follows a pyramid: the level the box's size picks, and where it steps."""
    names, strides, edges = pyramid["names"], pyramid["strides"], pyramid["boundaries"]
    steps = [_("{name} (stride {stride} px) below {edge} px").format(name=names[0], stride=strides[0],
                                                                     edge=f"{edges[0]:g}")]
    steps += [_("{name} ({stride} px) from {edge}").format(name=n, stride=s, edge=f"{e:g}")
              for n, s, e in zip(names[1:], strides[1:], edges)]
    # TRANSLATORS: between the items of a list (here the pyramid's levels).
    between = _(", ")
    return _("Grid: the pyramid level the box's size picks, by √(w·h): {levels}. "
             "Grow or shrink the box to watch it change level.").format(levels=between.join(steps))


@dataclass(frozen=True)
class BoardValue:
    """What the student left on the board: whole-pixel boxes, the followed one, and counters."""

    boxes: tuple[tuple[int, int, int, int], ...]  # (x, y, w, h), input pixels, inside the image
    active: int  # index into boxes
    seq: int  # grows with every value the mounted board sends
    revision: int  # the revision of Python's content the student edited


@lru_cache(maxsize=1)
def _component():
    """Register the component once per process (the JS module is geometry.js then board.js)."""
    js = UNPACK_JS + (HERE / "geometry.js").read_text() + "\n" + (HERE / "board.js").read_text()
    return st.components.v2.component("roi_viz.board", css=(HERE / "board.css").read_text(), js=js)


def image_data_url(image) -> tuple[str, tuple[int, int]]:
    """``(data URL, (W, H))`` of a photo given as PNG/JPEG bytes, a data URL or a PIL image."""
    from PIL import Image

    if isinstance(image, str):
        if not image.startswith("data:image/") or "," not in image:
            raise ValueError("The board's photo must be image bytes, a PIL image or a data:image/... URL.")
        raw = base64.b64decode(image.split(",", 1)[1])
        url = image
    elif isinstance(image, (bytes, bytearray)):
        raw = bytes(image)
        url = None
    elif isinstance(image, Image.Image):
        buf = io.BytesIO()
        image.convert("RGB").save(buf, format="PNG")
        raw = buf.getvalue()
        url = None
    else:
        raise ValueError(f"The board's photo must be image bytes, a PIL image or a data URL; got {type(image).__name__}.")
    try:
        with Image.open(io.BytesIO(raw)) as im:
            size, fmt = im.size, (im.format or "PNG").lower()
    except Exception:
        raise ValueError("The board's photo could not be read as an image.") from None
    if url is None:
        url = f"data:image/{fmt};base64," + base64.b64encode(raw).decode("ascii")
    return url, size


def _check_boxes(boxes, size: tuple[int, int]) -> list[list[int]]:
    W, H = size
    out = []
    for n, b in enumerate(boxes, 1):
        try:
            x, y, w, h = (float(v) for v in b)
        except (TypeError, ValueError):
            raise ValueError(f"RoI {n} must be four numbers (x, y, w, h); got {b!r}.") from None
        if not all(math.isfinite(v) and v == int(v) for v in (x, y, w, h)):
            raise ValueError(f"RoI {n} must be whole pixels on the board; got {b!r}.")
        if w < 1 or h < 1 or x < 0 or y < 0 or x + w > W or y + h > H:
            raise ValueError(f"RoI {n} ({x:g}, {y:g}, {w:g}, {h:g}) must lie inside the {W} × {H} photo, at least 1 pixel wide and high.")
        out.append([int(x), int(y), int(w), int(h)])
    if not out:
        raise ValueError("The board needs at least one RoI to show.")
    return out


def _settings(stride, map_size, output_size, method, scheme, sampling_ratio, size) -> dict:
    if method not in METHODS:
        raise ValueError(f"Unknown method {method!r}: use one of {', '.join(METHODS)}.")
    rec = RECORDS[method]
    if scheme not in SCHEMES:
        raise ValueError(f"Unknown rounding rule {scheme!r}: use 'article' or 'fastrcnn'.")
    if isinstance(stride, bool) or not isinstance(stride, int) or stride < 1 or stride & (stride - 1):
        raise ValueError(f"The stride must be a power of two (16, 32, ...); got {stride!r}.")
    if isinstance(output_size, int):
        output_size = (output_size, output_size)
    if len(output_size) != 2 or not all(isinstance(v, int) and 1 <= v <= 64 for v in output_size):
        raise ValueError(f"The output size must be one or two whole numbers from 1 to 64; got {output_size!r}.")
    if not isinstance(sampling_ratio, int) or not -1 <= sampling_ratio <= 64:
        raise ValueError(f"The sampling ratio must be a whole number from 0 (adaptive) to 64; got {sampling_ratio!r}.")
    if map_size is None:  # VGG16 floors at every pool, which is the floor of the whole division
        map_size = (size[1] // stride, size[0] // stride)
    return {"stride": stride, "map_size": [int(map_size[0]), int(map_size[1])], "output_size": list(output_size),
            "method": method, "scheme": scheme, "sampling_ratio": sampling_ratio,
            "traits": traits(rec), "legend": legend(rec, scheme), "words": words(),
            # The boxes as the walkthrough's step 1 draws them; lost, gained and dropped as every figure does.
            "colours": {"active": ROI_FOLLOWED, "box": ROI_OTHER, **for_board()}}


def _value(raw, revision: int, size: tuple[int, int]) -> BoardValue | None:
    """The board's state value if it is for this revision and well formed, else ``None``."""
    if not isinstance(raw, dict) or raw.get("revision") != revision:
        return None
    try:
        boxes = tuple(tuple(int(v) for v in b) for b in raw["boxes"])
        _check_boxes(boxes, size)
        active, seq = int(raw["active"]), int(raw["seq"])
    except (KeyError, TypeError, ValueError):
        return None
    if not 0 <= active < len(boxes):
        return None
    return BoardValue(boxes=boxes, active=active, seq=seq, revision=revision)


def board(
    image,
    *,
    boxes: Sequence[Sequence[int]],
    active: int = 0,
    revision: int = 0,
    stride: int = 32,
    map_size: tuple[int, int] | None = None,
    output_size: int | tuple[int, int] = (3, 3),
    method: str = POOL,
    scheme: str = "article",
    sampling_ratio: int = 2,
    aligned: bool = False,
    read_only: str = "",
    pyramid: dict | None = None,
    page_css: str = "",
    key: str = "roi_board",
) -> BoardValue | None:
    """Show the board and return what the student left on it (see the module docstring).

    Args:
        image: the model input as PNG/JPEG bytes, a ``data:image/...`` URL or a PIL image;
            its size ``(W, H)`` is the board's coordinate system.
        boxes: ``N x 4`` whole-pixel ``(x, y, w, h)`` boxes inside the image, ``N >= 1``.
        active: index of the followed box (highlighted; its geometry is drawn).
        revision: bump it to make the board adopt ``boxes`` and ``active``.
        stride: input pixels per feature cell, a power of two.
        map_size: ``(H_map, W_map)`` cells; default ``(H // stride, W // stride)``.
        output_size: ``(ph, pw)`` bins, or one int.
        method: a key of :data:`METHODS`: a method whose record the board can draw (every built-in one).
        scheme: RoI pooling's (and RoIWarp's) rounding rule, ``"article"`` or ``"fastrcnn"``.
        sampling_ratio: points per bin and axis for RoIAlign / RoIWarp; ``0``: adaptive.
        aligned: RoIAlign's / PrRoI's half-cell shift.
        read_only: ``""``: the student edits the boxes; a sentence: the boxes are only shown, with
            this sentence saying why, and no geometry (see the module docstring).
        pyramid: ``None``: one map at ``stride``. A feature pyramid (:func:`pyramid_of`): the board picks the
            followed box's level live, as :func:`roi_viz.ops.fpn_level` does, and draws that level's grid and
            the method's geometry at its stride (``stride`` and ``map_size`` are then unused); its legend
            says where the levels step.
        page_css: CSS rules for the whole page that the board puts in the document before it first draws (the
            page's own, :func:`ui.style.page_css`): a style element of the page came later than the board on a
            slow first load, and the board moved 72 px up under a student's drag when it came.
        key: the Streamlit key; one board per key.

    Returns:
        A :class:`BoardValue` made on this ``revision``, or ``None``.

    Raises:
        ValueError: a sentence naming the bad argument.
    """
    url, size = image_data_url(image)
    shown = _check_boxes(boxes, size)
    if isinstance(active, bool) or not isinstance(active, int) or not 0 <= active < len(shown):
        raise ValueError(f"The followed RoI must be a number from 0 to {len(shown) - 1}; got {active!r}.")
    if isinstance(revision, bool) or not isinstance(revision, int):
        raise ValueError(f"The board's revision must be a whole number; got {revision!r}.")
    if not isinstance(read_only, str):
        raise ValueError(f"The board's read-only note must be a sentence (or empty); got {read_only!r}.")
    data = {"key": key, "image": url, "image_size": list(size), "boxes": shown, "active": active, "revision": revision,
            "aligned": bool(aligned), "read_only": read_only, "page_css": str(page_css),
            **_settings(stride, map_size, output_size, method, scheme, sampling_ratio, size)}
    if pyramid is not None:
        data["pyramid"] = _check_pyramid(pyramid)
        data["legend"] += " " + pyramid_legend(data["pyramid"])
    result = _component()(key=key, data=packed(data), on_board_change=lambda: None)
    if read_only:  # the board sends nothing then; a value left from before is not the student's edit
        return None
    return _value(result.get("board"), revision, size)

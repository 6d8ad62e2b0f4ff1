"""The words a figure stands for: its text alternative and its numbers as a table.

A student who cannot see a figure (a screen reader, a figure that did not
load, a projector washed out by the sun) reads the same numbers here: the RoI
in pixels, its projection onto the grid, what the snapping loses and gains,
the share that reaches the output, and the output itself. Pure: a scene in,
words and rows out, with numbers written by :mod:`roi_viz.lesson.numbers`.
"""
from __future__ import annotations

from .numbers import cells, exact, pct, value
from .scene import Scene


def _box(b) -> str:
    return "(" + ", ".join(exact(v) for v in b) + ")"


def key_numbers(scene: Scene) -> list[tuple[str, str]]:
    """``(quantity, value)`` rows: the numbers every step's figure is drawn from, in the lesson's order."""
    t = scene.trace  # RoI pooling's projection: every method's page starts from it
    ph, pw = t.output_size
    rows = [
        ("RoI (x, y, w, h), input pixels", _box(t.roi)),
        ("Model input (W × H)", "{} × {}".format(*scene.input_dims)),
        ("Layer and stride", f"{scene.layer_label}, stride {exact(t.stride)}"),
        ("Feature map (rows × columns)", "{} × {}".format(*t.map_size)),
        ("Projected box (x, y, w, h), cells", _box(t.projected)),
        ("RoI pooling's snapped box (x, y, w, h), cells", _box(t.quantized)),
        ("Cells lost by snapping", cells(t.lost_area)),
        ("Cells gained by snapping", cells(t.gained_area)),
        ("Cells no bin reads (dropped by the split)", str(t.dropped_cells)),
        ("Share of the RoI that reaches the output (RoI pooling)", pct(t.coverage)),
        ("Output size", f"{ph} × {pw} per channel, {t.channels} channels"),
        ("Method", scene.method_name),
        ("Channel shown", str(scene.channel)),
    ]
    return rows


def output_rows(scene: Scene) -> list[list[str]]:
    """The method's output for the channel shown: one row of strings per output row."""
    out = scene.result.output[scene.channel]
    return [[value(float(v)) for v in row] for row in out]


def alt_text(scene: Scene, title: str) -> str:
    """One paragraph for a step's figure: what it shows and its key numbers, the output included."""
    t = scene.trace
    out = "; ".join(", ".join(r) for r in output_rows(scene))
    return (f"{title}. {scene.method_name} on RoI {_box(t.roi)} pixels of a "
            "{} × {} input, stride {}: ".format(*scene.input_dims, exact(t.stride))
            + f"projected to {_box(t.projected)} cells, snapped to {_box(t.quantized)}; "
            f"{cells(t.lost_area)} lost and {cells(t.gained_area)} gained by snapping, "
            f"{t.dropped_cells} cells dropped by the split; {pct(t.coverage)} of the RoI reaches the output. "
            f"Output of channel {scene.channel}, row by row: {out}.")

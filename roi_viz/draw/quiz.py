"""The quiz's picture: the model input with the stride grid and the RoI, and nothing that is asked.

What a student is given to predict from: the input size, the stride (one grid
square is one cell of the map), the map and output sizes, and the RoI in
pixels. No projected box, no snapped box, no cell counted: those are the
answers. Axes are in pixels of the ``S x S`` model input, ``y`` down, as in the
walkthrough's first step.
"""
from __future__ import annotations

import numpy as np
from matplotlib import patheffects
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from PIL import Image

from ..quiz import Question
from .kit import FONT, ROI_FOLLOWED, SMALL, new_figure, rect, title

ROI_COLOR = ROI_FOLLOWED  # the followed RoI's colour on the board and in the walkthrough
# A white line on a dark halo: the grid must read over sky as well as over shadow, the halo
# is what shows on white, the line what shows on black.
GRID_HALO = [patheffects.withStroke(linewidth=2.4, foreground="black", alpha=0.45)]
ROI_STROKE = [patheffects.withStroke(linewidth=8, foreground="black")]
AXES = (0.11, 0.07, 0.85, 0.78)


def question_figure(image: Image.Image, question: Question) -> Figure:
    """The model input with the stride grid and the question's RoI.

    Args:
        image: the model input, ``S x S`` RGB (``prepare_input(decoded, question.input_size)``);
            another size is stretched to ``S x S``, as the network's input is.
        question: from :func:`roi_viz.quiz.make_question`.
    """
    S, s = question.input_size, question.stride
    H, W = question.map_size
    ph, pw = question.output_size
    x, y, w, h = question.roi
    fig = new_figure(7.5, 8.3)
    ax = fig.add_axes(AXES)
    ax.imshow(np.asarray(image.convert("RGB")), extent=(0, S, S, 0), interpolation="nearest")
    stride_grid(ax, S, s)
    patch = rect(ax, (x, y, w, h), fill=False, edgecolor=ROI_COLOR, linewidth=4, zorder=5)
    patch.set_path_effects(ROI_STROKE)
    patch.set_clip_on(False)  # a box on the image's edge keeps its whole stroke, over the frame
    # The tag sits inside the box's top-left corner, so it never leaves the picture.
    ax.text(x + 4, y + 4, "RoI", va="top", ha="left", fontsize=FONT, weight="bold", color="white", zorder=6,
            bbox=dict(boxstyle="square,pad=0.2", facecolor=ROI_COLOR, edgecolor="black"))
    ax.set_xlim(0, S)
    ax.set_ylim(S, 0)
    ticks = np.arange(0, S + 1, s * max(1, (S // s) // 8))
    ax.set_xticks(ticks)
    ax.set_yticks(ticks)
    ax.tick_params(labelsize=SMALL)
    ax.set_xlabel("x (pixels)", fontsize=SMALL)
    ax.set_ylabel("y (pixels)", fontsize=SMALL)
    fig.text(AXES[0] + AXES[2] / 2, 0.975, f"RoI: x = {x}, y = {y}, w = {w}, h = {h} pixels", ha="center", va="top",
             fontsize=FONT, weight="bold")
    title(ax, f"Input {S}×{S} px; one square = stride {s} px\nmap {H}×{W} cells, output {ph}×{pw} (rows×columns)")
    return fig


def stride_grid(ax, S: int, s: int):
    """A line on every cell edge, ``s`` pixels apart: one square of it is one cell of the map."""
    edges = np.arange(0, S + 1, s)
    segs = [((v, 0), (v, S)) for v in edges] + [((0, v), (S, v)) for v in edges]
    lines = LineCollection(segs, colors="white", linewidths=0.9, alpha=0.85, zorder=2)
    lines.set_path_effects(GRID_HALO)
    ax.add_collection(lines)
    return lines

"""Every proposal at once: the boxes on the photo, and what RoI pooling keeps of them.

Plain data in, a Figure out, as the other figure modules. Shares are drawn
with the viridis colour map, whose lightness rises steadily from 0 % (dark)
to 100 % (light), so the colouring reads in greyscale too; the histograms
and the scatter carry their meaning by position and marker shape, not colour.
Boxes are ``(x, y, w, h)`` in pixels of the model input; sizes in cells are
pixels divided by the stride.
"""
from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np
from matplotlib import colormaps
from matplotlib.collections import PatchCollection
from matplotlib.colors import Normalize
from matplotlib.patches import Rectangle
from matplotlib.ticker import FuncFormatter

from ..lesson.numbers import num, pct
from .kit import FONT, SMALL, new_figure

CMAP = colormaps["viridis"]
BAR = "#7a7a7a"
MEDIAN = "#111111"


def fig_on_photo(image, boxes: np.ndarray, coverage: np.ndarray, shown: Sequence[int], *, title: str) -> "Figure":
    """The photo with the boxes ``shown`` (indices into ``boxes``), thin, coloured by ``coverage`` (K shares)."""
    img = np.asarray(image)
    H, W = img.shape[:2]
    fig = new_figure(7.6, 7.6 * H / W + 1.1)
    ax = fig.add_axes((0.02, 0.16, 0.96, 0.76))
    ax.imshow(img)
    idx = np.asarray(shown, dtype=np.int64)
    idx = idx[np.argsort(-coverage[idx], kind="stable")]  # the worst drawn last, on top: they are the lesson
    norm = Normalize(0.0, 1.0)
    rects = [Rectangle((x, y), w, h) for x, y, w, h in boxes[idx]]
    col = PatchCollection(rects, facecolor="none", edgecolor=CMAP(norm(coverage[idx])), linewidth=1.1)
    ax.add_collection(col)
    ax.set_xlim(0, W)
    ax.set_ylim(H, 0)
    ax.set_axis_off()
    ax.set_title(title, fontsize=FONT, loc="left")
    cax = fig.add_axes((0.1, 0.07, 0.8, 0.03))
    bar = fig.colorbar(_mappable(norm), cax=cax, orientation="horizontal")
    bar.set_label("share of the box that reaches the output", fontsize=SMALL)
    bar.set_ticks([0, 0.25, 0.5, 0.75, 1.0], labels=["0 %", "25 %", "50 %", "75 %", "100 %"])
    bar.ax.tick_params(labelsize=SMALL)
    return fig


def encoded(image) -> tuple[bytes, str, tuple[int, int]]:
    """``(PNG bytes, "PNG", (W, H))`` of a photo given as an ``H x W x 3`` array or a PIL image."""
    import io

    from PIL import Image

    img = image if isinstance(image, Image.Image) else Image.fromarray(np.asarray(image))
    buf = io.BytesIO()
    img.convert("RGB").save(buf, format="PNG", compress_level=1)
    return buf.getvalue(), "PNG", img.size


def fig_ends(image, boxes: np.ndarray, coverage: np.ndarray, worst: Sequence[int], best: Sequence[int], *,
             title: str, alt: str = "") -> "Figure":
    """The photo with the proposals that keep the least (``worst``) and the most (``best``), indices into ``boxes``.

    Painted by Matplotlib from the one description the page paints as SVG
    (:func:`roi_viz.figures.proposals.describe_ends`), so the file and the page show the same marks.
    """
    from ..figures.proposals import describe_ends
    from ..picture import mpl

    data, fmt, size = encoded(image)
    return mpl.paint(describe_ends(data, fmt, size, boxes, coverage, worst, best, title=title, alt=alt or title))


def _mappable(norm):
    from matplotlib.cm import ScalarMappable

    return ScalarMappable(norm=norm, cmap=CMAP)


def fig_distribution(coverage: Mapping[str, np.ndarray]) -> "Figure":
    """One histogram per method (panels stacked, same axes): how many proposals keep what share of their area."""
    n = len(coverage)
    fig = new_figure(7.6, 1.75 * n + 0.9)
    axes = fig.subplots(n, 1, sharex=True, sharey=True, gridspec_kw={"hspace": 0.55})
    axes = np.atleast_1d(axes)
    edges = np.linspace(0, 100, 21)
    for ax, (label, cov) in zip(axes, coverage.items()):
        cov = np.asarray(cov) * 100
        ax.hist(cov, bins=edges, color=BAR, edgecolor="white", linewidth=0.6)
        if len(cov):
            med = float(np.median(cov))
            ax.axvline(med, color=MEDIAN, linestyle="--", linewidth=2)
            ax.set_title(f"{label}: median {pct(med / 100)}", fontsize=FONT, loc="left")
        ax.tick_params(labelsize=SMALL)
        ax.set_ylabel("boxes", fontsize=SMALL)
        ax.axvline(50, color=MEDIAN, linewidth=0.8, alpha=0.4)
    axes[-1].set_xlabel("share of the box that can reach the output (%); dashed: median", fontsize=SMALL)
    axes[-1].set_xlim(0, 100)
    fig.subplots_adjust(left=0.11, right=0.97, top=0.93, bottom=0.9 / (1.75 * n + 0.9))
    return fig


def fig_by_size(short_side: np.ndarray, coverage: np.ndarray, all_empty: np.ndarray, output_side: int, *,
                layer: str) -> "Figure":
    """Coverage of each box against its shorter side in cells (log axis); all-empty outputs marked ×."""
    fig = new_figure(7.6, 4.6)
    ax = fig.add_axes((0.12, 0.2, 0.84, 0.68))
    side = np.maximum(np.asarray(short_side, dtype=float), 1e-3)
    cov = np.asarray(coverage) * 100
    empty = np.asarray(all_empty, dtype=bool)
    ax.scatter(side[~empty], cov[~empty], s=14, facecolors="none", edgecolors="#333333", linewidths=0.7,
               alpha=0.6, label="output has values")
    if empty.any():
        ax.scatter(side[empty], cov[empty], s=26, marker="x", color="#000000", linewidths=1.2,
                   label="all bins empty: output all 0")
    ax.axvline(output_side, color="#000000", linestyle="--", linewidth=1.5)
    ax.text(output_side, 103, f" {output_side} cells", fontsize=SMALL, va="bottom")
    ax.set_xscale("log")
    # Plain numbers on the log axis: a student reads 0.1 and 10 cells, not powers of ten.
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: num(v)))
    ax.set_ylim(-3, 110)
    ax.set_xlabel(f"shorter side of the box, in cells of {layer} (log scale)", fontsize=SMALL)
    ax.set_ylabel("reaches the output (%)", fontsize=SMALL)
    ax.tick_params(labelsize=SMALL)
    ax.set_title("Coverage against size: the small ones lose most", fontsize=FONT, loc="left", pad=18)
    ax.legend(fontsize=SMALL, loc="upper left", framealpha=0.9)
    return fig

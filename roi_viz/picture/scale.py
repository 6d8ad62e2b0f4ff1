"""Colour scales computed when a figure is described: a value becomes a ``#rrggbb`` fill.

The painters only paint fills; which colour a number gets is decided here, once, so the
page's SVG and the files' Matplotlib show the same colour for the same cell. The scales
are Matplotlib's (viridis for outputs, Greys for a channel under a figure, Oranges for
PrRoI's shares, Reds for a gradient, inferno for an effective field), sampled at 17 evenly
spaced stops and interpolated linearly between them (within one unit of 255 of Matplotlib's
own 256-entry tables).
"""
from __future__ import annotations

SCALES = {
    "viridis": ("#440154", "#48186a", "#472d7b", "#424086", "#3b528b", "#33638d", "#2c728e", "#26828e", "#21918c",
                "#1fa088", "#28ae80", "#3fbc73", "#5ec962", "#84d44b", "#addc30", "#d8e219", "#fde725"),
    "greys": ("#ffffff", "#f7f7f7", "#f0f0f0", "#e4e4e4", "#d9d9d9", "#cbcbcb", "#bdbdbd", "#a9a9a9", "#959595",
              "#848484", "#727272", "#626262", "#515151", "#3a3a3a", "#242424", "#111111", "#000000"),
    "oranges": ("#fff5eb", "#feeddc", "#fee6ce", "#fddbb8", "#fdd0a2", "#fdbf86", "#fdae6a", "#fd9d53", "#fd8c3b",
                "#f77a27", "#f16813", "#e4580a", "#d84801", "#be3f02", "#a53603", "#912e04", "#7f2704"),
    # Reds for a gradient on the map's cells; inferno for the effective receptive field over a faded photo.
    "reds": ("#fff5f0", "#feeae1", "#fee0d2", "#fdcdb9", "#fcbba1", "#fca689", "#fc9272", "#fb7d5d", "#fb694a",
             "#f5523a", "#ee3a2c", "#dc2924", "#ca181d", "#b71319", "#a30f15", "#840711", "#67000d"),
    "inferno": ("#000004", "#0b0724", "#210c4a", "#3d0965", "#57106e", "#71196e", "#8a226a", "#a32c61", "#bc3754",
                "#d24644", "#e45a31", "#f1731d", "#f98e09", "#fcac11", "#f9cb35", "#f2ea69", "#fcffa4"),
}


def rgb(colour: str) -> tuple[float, float, float]:
    """``#rrggbb`` -> ``(r, g, b)`` in [0, 255]."""
    c = colour.lstrip("#")
    return tuple(float(int(c[i:i + 2], 16)) for i in (0, 2, 4))


def hex_of(r: float, g: float, b: float) -> str:
    return "#" + "".join(f"{int(round(min(max(v, 0.0), 255.0))):02x}" for v in (r, g, b))


def mix(under: str, over: str, alpha: float) -> str:
    """``over`` laid at opacity ``alpha`` on ``under``: the one colour a student sees."""
    a, b = rgb(under), rgb(over)
    return hex_of(*(x + alpha * (y - x) for x, y in zip(a, b)))


def colour(name: str, value: float, vmin: float, vmax: float) -> str:
    """The fill of ``value`` on scale ``name`` running from ``vmin`` to ``vmax`` (clipped at both ends)."""
    stops = SCALES[name]
    t = 0.0 if vmax <= vmin else min(max((float(value) - vmin) / (vmax - vmin), 0.0), 1.0)
    pos = t * (len(stops) - 1)
    k = min(int(pos), len(stops) - 2)
    return mix(stops[k], stops[k + 1], pos - k)

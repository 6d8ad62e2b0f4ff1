"""The one font of every figure, and how wide a text is in it, measured without drawing.

Whether a label fits between two bin lines is decided when a figure is described, so
it must be measured then, and measured in the font that will be shown. Both painters use
DejaVu Sans (Matplotlib's own default, and shipped with this project for the page:
``static/fonts/``, served by Streamlit's static files and declared by the figure
component), and this module measures with that same file through Pillow.

Sizes are CSS pixels; a width is the advance of the whole string at that size.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

FONT_DIR = Path(__file__).resolve().parents[2] / "static" / "fonts"
FAMILY = "DejaVu Sans"
FILES = {"normal": FONT_DIR / "DejaVuSans.ttf", "bold": FONT_DIR / "DejaVuSans-Bold.ttf"}
# The page's URL of each file (Streamlit serves ./static at app/static when static serving is on).
URLS = {"normal": "app/static/fonts/DejaVuSans.ttf", "bold": "app/static/fonts/DejaVuSans-Bold.ttf"}
ASCENT, DESCENT = 0.928, 0.236  # DejaVu Sans's ascender and descender, in em: the em box's top and bottom
_UNIT = 1000  # measured at 1000 px, then scaled: one cache entry per weight


@lru_cache(maxsize=4)
def _font(weight: str) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FILES[weight]), _UNIT)


def width(text: str, size: float, weight: str = "normal") -> float:
    """The advance width of ``text`` at ``size`` px, in px."""
    return _font(weight).getlength(text) * size / _UNIT


def height(size: float) -> float:
    """The height of a line of text at ``size`` px (the em box: ascender + descender), in px."""
    return (ASCENT + DESCENT) * size


def wrap(text: str, size: float, max_width: float, weight: str = "normal") -> list[str]:
    """``text`` broken at spaces into lines no wider than ``max_width`` px (a word wider than that keeps its line)."""
    lines: list[str] = []
    for word in text.split():
        if lines and width(lines[-1] + " " + word, size, weight) <= max_width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]

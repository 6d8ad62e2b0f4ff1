"""The one font of every figure, and how wide a text is in it, measured without drawing.

Whether a label fits between two bin lines is decided when a figure is described, so
it must be measured then, and measured in the font that will be shown. Both painters use
DejaVu Sans (Matplotlib's own default, and shipped with this project for the page:
``static/fonts/``, served by Streamlit's static files and declared by the figure
component), and this module measures with that same file through Pillow.

Chinese is drawn in a second family, a subset of WenQuanYi Micro Hei shipped beside DejaVu
(``static/fonts/WQYMicroHei-subset.ttf``, made by :mod:`roi_viz.picture.font_subset`): both
painters name the two families in this order (:data:`FAMILIES`), so Latin letters and digits stay
in DejaVu Sans and each character DejaVu lacks falls to the Chinese font, as a browser and
Matplotlib's font fallback do; :func:`width` measures each run of characters in the font that
draws it. The two fonts' ascent and descent differ by under 1 % of an em, so :func:`height` is
DejaVu's for both.

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
# The Chinese family: its own name, so that Matplotlib and the page use this file, never a system copy.
CJK_FAMILY = "WQY MicroHei Subset"
CJK_FILE = FONT_DIR / "WQYMicroHei-subset.ttf"
CJK_URL = "app/static/fonts/WQYMicroHei-subset.ttf"
FAMILIES = (FAMILY, CJK_FAMILY)  # the order of fallback, for both painters
ASCENT, DESCENT = 0.928, 0.236  # DejaVu Sans's ascender and descender, in em: the em box's top and bottom
_UNIT = 1000  # measured at 1000 px, then scaled: one cache entry per weight


def faces() -> list[dict]:
    """The page's ``@font-face`` of each file: family, URL and CSS weight (the Chinese font has one weight: a
    browser thickens it for bold, and its advances do not change)."""
    out = [{"family": FAMILY, "url": URLS[w], "weight": 700 if w == "bold" else 400} for w in URLS]
    return out + [{"family": CJK_FAMILY, "url": CJK_URL, "weight": 400}]


@lru_cache(maxsize=4)
def _font(weight: str) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FILES[weight]), _UNIT)


@lru_cache(maxsize=1)
def _cjk() -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(CJK_FILE), _UNIT)


@lru_cache(maxsize=2)
def covered(family: str = FAMILY) -> frozenset[int]:
    """The code points ``family``'s file has a glyph for (DejaVu's bold covers what its regular does)."""
    from fontTools.ttLib import TTFont

    return frozenset(TTFont(str(FILES["normal"] if family == FAMILY else CJK_FILE)).getBestCmap())


def runs(text: str) -> list[tuple[bool, str]]:
    """``text`` cut where the font that draws it changes: ``(in DejaVu, run)``, in order."""
    if text.isascii():
        return [(True, text)]
    dejavu = covered(FAMILY)
    out: list[tuple[bool, str]] = []
    for ch in text:
        mine = ord(ch) in dejavu or ch.isspace()
        if out and out[-1][0] == mine:
            out[-1] = (mine, out[-1][1] + ch)
        else:
            out.append((mine, ch))
    return out


def width(text: str, size: float, weight: str = "normal") -> float:
    """The advance width of ``text`` at ``size`` px, in px: each run in the font that draws it."""
    return sum((_font(weight) if latin else _cjk()).getlength(run) for latin, run in runs(text)) * size / _UNIT


def height(size: float) -> float:
    """The height of a line of text at ``size`` px (the em box: ascender + descender), in px."""
    return (ASCENT + DESCENT) * size


# Chinese breaks between any two characters, except before a closing mark or after an opening one.
_NO_LINE_START = set("，。、：；！？）》」』”’…·")
_NO_LINE_END = set("（《「『“‘")


def _wide(ch: str) -> bool:
    return "\u2e80" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or "\uff00" <= ch <= "\uffef"


def _pieces(text: str) -> list[tuple[str, str]]:
    """``(joiner, piece)``: the words of ``text``, each Chinese character a piece of its own, with what goes
    between a piece and the one before it on a line (a space; nothing inside a word)."""
    out: list[tuple[str, str]] = []
    for word in text.split():
        tokens: list[str] = []
        for ch in word:  # each wide character alone, a run of others together
            if tokens and not _wide(ch) and not _wide(tokens[-1][-1]):
                tokens[-1] += ch
            else:
                tokens.append(ch)
        glued: list[str] = []
        for token in tokens:  # a closing mark never starts a line, an opening one never ends one
            if glued and (token[0] in _NO_LINE_START or glued[-1][-1] in _NO_LINE_END):
                glued[-1] += token
            else:
                glued.append(token)
        out += [(" " if i == 0 else "", piece) for i, piece in enumerate(glued)]
    return out


def wrap(text: str, size: float, max_width: float, weight: str = "normal") -> list[str]:
    """``text`` broken into lines no wider than ``max_width`` px (a piece wider than that keeps its line): at
    spaces, and between two Chinese characters, which have no spaces between them."""
    if text.isascii():
        pieces = [(" ", word) for word in text.split()]
    else:
        pieces = _pieces(text)
    lines: list[str] = []
    for joiner, piece in pieces:
        if lines and width(lines[-1] + joiner + piece, size, weight) <= max_width:
            lines[-1] += joiner + piece
        else:
            lines.append(piece)
    return lines or [""]

"""Chinese in the figures: a font that has every character of the catalogs, measured in it, drawn in it.

The Chinese font is a subset shipped in ``static/fonts`` (:mod:`roi_viz.picture.font_subset`); DejaVu
Sans stays the font of Latin letters and digits. What is checked: every character a translation uses has
a glyph in one of the two; a Chinese run is measured in the Chinese font (DejaVu has no Han glyph, and
measuring its empty box would crowd the labels); lines break between Chinese characters; the SVG names
both families and the page declares both files; Matplotlib draws the Chinese with no missing glyph, and
a PDF at ``pdf.fonttype`` 42 embeds the font as TrueType.
"""
from __future__ import annotations

import io
import re
import warnings

import matplotlib
import pytest
from babel.messages.pofile import read_po
from fontTools.ttLib import TTFont

from roi_viz.language import LANGUAGES, SOURCE, po_file
from roi_viz.picture import fonts, mpl, svg
from roi_viz.picture.spec import Drawing, Panel, Rect, Stroke, Text

TITLE = "RoI 池化：量化两次，特征图上的步幅为 32"


def translations(lang: str) -> str:
    with open(po_file(lang), "rb") as f:
        return "".join(m.string if isinstance(m.string, str) else "".join(m.string) for m in read_po(f) if m.id)


def advance(font_file, text: str, size: float) -> float:
    """The advance of ``text`` at ``size`` px read from the font's own tables (hmtx), character by character."""
    font = TTFont(str(font_file))
    cmap, hmtx, em = font.getBestCmap(), font["hmtx"], font["head"].unitsPerEm
    return sum(hmtx[cmap[ord(c)]][0] for c in text) * size / em


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != SOURCE])
def test_every_character_of_the_catalog_has_a_glyph(lang):
    text = translations(lang)
    assert re.search(r"[\u4e00-\u9fff]", text)
    have = fonts.covered(fonts.FAMILY) | fonts.covered(fonts.CJK_FAMILY)
    missing = sorted({c for c in text if ord(c) not in have and not c.isspace()})
    assert missing == [], f"no glyph for {''.join(missing)}: run python -m roi_viz.picture.font_subset"


def test_the_subset_is_its_own_family_with_its_licence():
    font = TTFont(str(fonts.CJK_FILE))
    assert font["name"].getDebugName(1) == fonts.CJK_FAMILY
    assert "glyf" in font  # TrueType outlines: Matplotlib embeds them as Type 42
    assert len(fonts.covered(fonts.CJK_FAMILY)) > 3755  # GB 2312's first level at least
    licence = (fonts.FONT_DIR / "LICENSE_WQY").read_text()
    assert "Apache License" in licence and "WenQuanYi" in licence


def test_chinese_is_measured_in_the_chinese_font_and_latin_in_dejavu():
    assert fonts.width("池化", 20) == pytest.approx(advance(fonts.CJK_FILE, "池化", 20))
    # Latin as before: DejaVu's advances, less its kerning (Pillow applies "Ro"'s).
    assert fonts.width("RoI", 20) == pytest.approx(advance(fonts.FILES["normal"], "RoI", 20), abs=1.0)
    # A mixed title: each run in its own font (a kerning pair across the change of font is not counted).
    latin = "".join(c for c in TITLE if ord(c) in fonts.covered())
    han = "".join(c for c in TITLE if ord(c) not in fonts.covered())
    expected = advance(fonts.FILES["normal"], latin, 16) + advance(fonts.CJK_FILE, han, 16)
    assert fonts.width(TITLE, 16) == pytest.approx(expected, rel=0.02)
    assert fonts.runs("RoI 池化") == [(True, "RoI "), (False, "池化")]


def test_chinese_lines_break_between_characters_and_never_before_a_closing_mark():
    text = "每个子区域（bin）在每个通道上给出一个输出值，共 7 × 7 个。"
    lines = fonts.wrap(text, 14, 100)
    assert len(lines) > 1
    assert all(fonts.width(line, 14) <= 100 for line in lines)
    assert not any(line[0] in "，。）：；" for line in lines) and not any(line[-1] in "（" for line in lines)
    assert re.sub(r"\s", "", "".join(lines)) == re.sub(r"\s", "", text)
    assert fonts.wrap("a quick brown fox", 13, 70) == ["a quick", "brown fox"]  # English as before


def title_drawing() -> Drawing:
    """A figure title in Chinese with a box exactly as wide as the title is measured."""
    size, pad = 22.0, 10.0
    w = fonts.width(TITLE, size)
    marks = (Rect(pad, pad, w, fonts.height(size), stroke=Stroke("#d62728", 1.0)),
             Text(pad, pad, TITLE, size, baseline="top"))
    return Drawing(w + 2 * pad, fonts.height(size) + 2 * pad,
                   (Panel(0, 0, w + 2 * pad, fonts.height(size) + 2 * pad, (0, w + 2 * pad),
                          (0, fonts.height(size) + 2 * pad), marks, clip=False),), alt=TITLE)


def test_the_svg_names_both_families_and_the_page_declares_both_files():
    out = svg.paint(title_drawing())
    assert f'font-family="{fonts.FAMILY}, {fonts.CJK_FAMILY}, sans-serif"' in out and TITLE in out
    faces = fonts.faces()
    assert {"family": fonts.CJK_FAMILY, "url": fonts.CJK_URL, "weight": 400} in faces
    for face in faces:  # each URL is a file Streamlit serves from ./static
        assert (fonts.FONT_DIR.parents[1] / face["url"].removeprefix("app/")).is_file()


def test_matplotlib_draws_the_chinese_title_with_no_missing_glyph(tmp_path):
    from roi_viz.picture import files

    fig = mpl.paint(title_drawing())
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        png = files.to_png(fig, dpi=200)
    assert not [w for w in caught if "missing from font" in str(w.message)], [str(w.message) for w in caught]
    (tmp_path / "title.png").write_bytes(png)
    # And with DejaVu alone, as before: Matplotlib says the glyphs are missing (the check sees tofu).
    fig.texts[0].set_family(["DejaVu Sans"])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        files.to_png(fig, dpi=100)
    assert any("missing from font" in str(w.message) for w in caught)


def test_a_pdf_at_fonttype_42_embeds_the_chinese_font_as_truetype():
    fig = mpl.paint(title_drawing())
    buf = io.BytesIO()
    with matplotlib.rc_context({"pdf.fonttype": 42}), warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph would warn
        fig.savefig(buf, format="pdf")
    pdf = buf.getvalue()
    assert b"WQYMicroHeiSubset" in pdf and b"/FontFile2" in pdf and b"/CIDFontType2" in pdf

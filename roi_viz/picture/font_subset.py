"""Make the figures' Chinese font: a subset of WenQuanYi Micro Hei that holds every character the catalogs use.

The figures draw Chinese in this font, on the page (served from ``static/fonts/``) and in the files
(Matplotlib embeds it in the PDF), so it ships with the project and needs no system font. The whole
font is 5 MB; the subset keeps the 3,755 characters of GB 2312's first level (the common characters
of Simplified Chinese), its punctuation and full-width forms, and every character of every compiled
catalog (``roi_viz/locale/*/LC_MESSAGES/roi_viz.mo``): about 0.7 MB, a TrueType (glyf) font that
Matplotlib embeds as Type 42.

Run it again after a translation brings a character outside the subset (``tests/lib/test_fonts_cjk.py``
fails and names it)::

    apt-get install -y fonts-wqy-microhei   # the source: Debian's package of the whole font
    python -m roi_viz.picture.font_subset

The font's licence (Apache 2.0, or GPL 3 with the font exception) is ``static/fonts/LICENSE_WQY``.
"""
from __future__ import annotations

import gettext
import sys
from pathlib import Path

from . import fonts

SOURCE = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")  # fonts-wqy-microhei; face 0: the proportional one
LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"


def gb2312_common() -> str:
    """GB 2312's symbols and full-width forms (rows 1 to 3) and its first level of characters (rows 16 to 55)."""
    out = []
    for row in (*range(0xA1, 0xA4), *range(0xB0, 0xD8)):
        for cell in range(0xA1, 0xFF):
            try:
                out.append(bytes((row, cell)).decode("gb2312"))
            except UnicodeDecodeError:
                pass  # a hole in the table
    return "".join(out)


def catalog_text() -> str:
    """Every translated sentence of every compiled catalog, run together."""
    parts = []
    for mo in sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.mo")):
        with open(mo, "rb") as f:
            parts += [v if isinstance(v, str) else "".join(v) for v in gettext.GNUTranslations(f)._catalog.values()]
    return "".join(parts)


def make(source: Path = SOURCE, out: Path = fonts.CJK_FILE) -> set[str]:
    """Write the subset of ``source`` to ``out``; returns the characters asked for that it has no glyph for."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    wanted = {c for c in gb2312_common() + catalog_text() if not c.isspace() and ord(c) > 0x7F}
    font = TTFont(str(source), fontNumber=0)
    missing = {c for c in wanted if ord(c) not in font.getBestCmap()}
    options = subset.Options()
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False  # a figure's text is at least 12 px; hints would double the file
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="".join(sorted(wanted - missing)))
    subsetter.subset(font)
    # A family of its own name: Matplotlib and the page find this file, never a system copy of the whole font.
    names = font["name"]
    for record in list(names.names):
        if record.nameID in (1, 3, 4, 16, 17, 21, 22):
            names.removeNames(nameID=record.nameID)
    names.setName(fonts.CJK_FAMILY, 1, 3, 1, 0x409)
    names.setName("Regular", 2, 3, 1, 0x409)
    names.setName(fonts.CJK_FAMILY + " Regular", 3, 3, 1, 0x409)
    names.setName(fonts.CJK_FAMILY, 4, 3, 1, 0x409)
    names.setName(fonts.CJK_FAMILY.replace(" ", ""), 6, 3, 1, 0x409)
    names.setName("Modified by the roi-viz project: a subset of WenQuanYi Micro Hei 0.2.0-beta, renamed.", 10, 3, 1,
                  0x409)
    font.save(str(out))
    return missing


if __name__ == "__main__":
    lost = make()
    print(f"wrote {fonts.CJK_FILE} ({fonts.CJK_FILE.stat().st_size:,} bytes)")
    if lost:
        print("no glyph in the source for: " + "".join(sorted(lost)), file=sys.stderr)
        sys.exit(1)

"""The page's Export in the student's language (issue 32): with ``lang=zh`` the handout made from the page is
Chinese (read from the PDF as a reader's search reads it) with the English handout's numbers, and the walkthrough
GIF's band is drawn differently from the English one; the page's run is the only thing that says the language."""
from __future__ import annotations

import io
import re
import sys
from pathlib import Path

from PIL import Image, ImageChops
from streamlit.testing.v1 import AppTest

from helpers import APP
from ui.session import KEY

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "lib"))  # the PDF reader of the library's tests
from test_cli_export_zh import CJK, numbers_in, pdf_texts  # noqa: E402

TIMEOUT = 240


def made(lang: str, kind: str) -> bytes:
    """The file the Export's button ``kind`` makes on the first page of ``?lang=``."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["lang"] = lang
    at.session_state["export-popover"] = True  # its buttons are drawn while it is open, as a person sees them
    at.run()
    assert not at.exception
    button = [b for b in at.button if (b.key or "").split(":")[0] == f"make-{kind}"]
    assert button, [b.key for b in at.button]
    button[0].click().run()
    at.run()  # the file is made in the run after the click, with its progress bar
    assert not at.exception
    return at.session_state[KEY].exports.made[kind][1]


def test_the_handout_made_on_a_chinese_page_is_chinese_with_the_english_numbers():
    en, zh = pdf_texts(made("en", "pdf")), pdf_texts(made("zh", "pdf"))
    assert len(en) == len(zh) > 1
    for e, z in zip(en, zh):
        assert sorted(numbers_in(z)) == sorted(numbers_in(e)), (e, z)
    cover = zh[0].replace("\n", "")
    for text in ("设置", "关键数字", "投影后的框", "x 9.25，y 6，w 6.25，h 4.53125 个单元格", "60.9 %（RoI 池化）"):
        assert text in cover, text
    for english in ("Settings", "Key numbers", "Projected box", "page 1 of"):
        assert english not in cover and english in en[0], english
    for page in zh[1:]:
        assert re.search(r"步骤 \d+/\d+：", page) and len(CJK.findall(page)) > 30


def test_the_walkthrough_gif_made_on_a_chinese_page_has_a_chinese_band():
    """Frame 1's band says "步骤 1/6：…" in the CJK font, as the library draws it, not DejaVu's boxes."""
    from PIL import ImageDraw

    from roi_viz import walkthrough
    from roi_viz.export import animations
    from roi_viz.language import using

    with Image.open(io.BytesIO(made("zh", "gif"))) as gif:
        gif.seek(0)
        frame = gif.convert("L")
    px = 17  # the band's text at the default 60 dpi: 20 pt
    band = frame.crop((0, 0, frame.width, 2 * px)).point(lambda v: 255 if v < 128 else 0).convert("1")
    with using("zh"):
        steps = walkthrough.steps("pool")
        title = f"步骤 1/{len(steps)}：{steps[0].title}"
    assert CJK.search(title)
    expected = Image.new("L", (frame.width, 2 * px), 255)
    animations.band_text(ImageDraw.Draw(expected), (2 * px // 3, px), title, px)
    wanted = expected.point(lambda v: 255 if v < 128 else 0).convert("1")
    overlap = ImageChops.logical_and(band, wanted).histogram()[-1]
    union = ImageChops.logical_or(band, wanted).histogram()[-1]
    assert union and overlap / union > 0.9, overlap / union

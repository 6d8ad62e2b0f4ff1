"""The walkthrough's figures in Simplified Chinese: every word translated, the same numbers, still laid out clear.

Each step of every method is described under :func:`roi_viz.language.using` ``("zh")`` and ``("en")`` from the
same scene (the cases of ``test_walkthrough_figures.py``: both presets, outputs 1 x 1 to 7 x 7, trained and
untrained, the article's box, a tiny one, one at the image's edge):

- laid out for the page (560 px in the 528-px column), a projector and a phone, in both languages, with no text
  under its size, none overlapping another, none leaving the figure (:func:`layout_checks.problems`), measured in
  the shipped fonts (DejaVu Sans, and the Chinese font for Chinese);
- the steps described by :mod:`roi_viz.figures.steps` and :mod:`roi_viz.figures.sampling` (the image, the map,
  quantization, the bins, max pooling, the output; sampling, bilinear, combine, integrate, the output) read in
  Chinese: every title, legend, note, axis name and badge has Chinese characters and no English sentence is left,
  and the Chinese figure prints exactly the numbers of the English one (texts, hovers and text alternative);
- in English the words are the code's own (the catalog is not consulted);
- both painters show the Chinese texts: the SVG parses with one ``<text>`` per text of the drawing, Matplotlib
  draws the same strings.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from layout_checks import PAGE_LEAST, PRESENTED_LEAST, problems
from roi_viz import walkthrough
from roi_viz.figures import look
from roi_viz.language import using
from roi_viz.lesson.numbers import cells
from roi_viz.methods import METHODS
from roi_viz.picture import mpl, svg
from roi_viz.picture.spec import Point, Rect, Text
from test_walkthrough_figures import BOXES, CASES, COLUMN_PX, PHONE, scene_for

HAN = re.compile(r"[\u4e00-\u9fff]")
NUMBER = re.compile(r"\d+(?:\.\d+)?")
# Two English words in a row: a sentence left untranslated (a name such as "RoI 3" or "VGG16" is one word).
ENGLISH = re.compile(r"[A-Za-z]{2,}[ ,:;]+[A-Za-z]{2,}")
# The English term beside the Chinese one where papers use it: "感受野（receptive field）".
TERM = re.compile(r"[（(][A-Za-z][A-Za-z -]*[)）]")
OURS = ("roi_viz.figures.steps", "roi_viz.figures.sampling")  # the steps whose words this file checks
# Texts that are numbers or names in both languages: ticks, values, bin names "1,2", corners "(9.25, 6)", "RoI 1".
NOT_WORDS = ("tick", "value", "bin label", "bin number", "corner", "roi tag", "share value", "weight", "scale")


def ours(method: str) -> list:
    return [s for s in walkthrough.steps(method) if s.describe is not None and s.describe.__module__ in OURS]


def described(step, scene, lang: str, **size):
    with using(lang):
        return step.describe(scene, **size)


# The output grid's cells of RoIAlign, RoIWarp and PrRoI are drawn by roi_viz.figures.compare.output_cells (the
# comparison's module, whose words are checked with the comparison): their hovers are left to it.
THEIRS = ("output",)


def words(d, theirs: tuple = ()) -> list[str]:
    """What a person reads as words in ``d``: its texts that are not only numbers, its hovers (but those of the
    kinds ``theirs``), its alternative."""
    texts = [m.text for _p, m in d.marks(Text) if m.kind not in NOT_WORDS]
    hovers = [m.title for _p, m in d.marks(Rect) if m.title and m.kind not in theirs]
    hovers += [m.title for _p, m in d.marks(Point) if m.title]
    return texts + hovers + [d.alt]


def numbers(d) -> list[str]:
    """Every number the drawing shows or says, sorted (a translation may put them in another order)."""
    found = [n for _p, m in d.marks(Text) for n in NUMBER.findall(m.text)]
    found += [n for _p, m in d.marks(Rect) if m.title for n in NUMBER.findall(m.title)]
    found += [n for _p, m in d.marks(Point) if m.title for n in NUMBER.findall(m.title)]
    return sorted(found + NUMBER.findall(d.alt))


def layout_faults(step, scene, lang: str) -> list[str]:
    from ui.figure import PAGE_TEXT, PAGE_WIDTH, for_projector

    with using(lang):
        found = problems(step.describe(scene, width=PAGE_WIDTH, text=PAGE_TEXT), COLUMN_PX, PAGE_LEAST)
        presented, shown = for_projector(lambda f: step.describe(scene, width=PAGE_WIDTH, text=PAGE_TEXT * f))
        found += [f"presented: {p}" for p in problems(presented, shown, PRESENTED_LEAST)]
        found += [f"phone: {p}" for p in problems(step.describe(scene, width=PHONE, text=PAGE_TEXT), PHONE,
                                                  PAGE_LEAST)]
    return found


# ---------------------------------------------------------------------------------------------- layout
FAST = [c for c in CASES if c[3] in (3, 7) and c[4] == BOXES["article box"]]


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name,method,preset,out,box", FAST, ids=[c[0] for c in FAST])
def test_every_step_fits_the_page_the_projector_and_the_phone_in_both_languages(name, method, preset, out, box, lang):
    scene = scene_for(method, preset, out, box, pretrained=out != 3)
    for step in walkthrough.steps(method):
        found = layout_faults(step, scene, lang)
        assert not found, f"{lang}: {name}, step {step.key}:\n" + "\n".join(found[:12])


SLOW = [c for c in CASES if c not in FAST]


@pytest.mark.slow
@pytest.mark.parametrize("name,method,preset,out,box", SLOW, ids=[c[0] for c in SLOW])
def test_every_step_of_every_case_fits_in_chinese(name, method, preset, out, box):
    scene = scene_for(method, preset, out, box, pretrained=out != 3)
    for step in walkthrough.steps(method):
        found = layout_faults(step, scene, "zh")
        assert not found, f"zh: {name}, step {step.key}:\n" + "\n".join(found[:12])


# ---------------------------------------------------------------------------------------------- words
WORD_CASES = [(m, p, o, b, t) for m in ("pool", "align", "warp", "prroi") for p in ("article", "fastrcnn")
              for o, b, t in ((3, "article box", True), (7, "edge", False), (2, "tiny", True))]


@pytest.mark.parametrize("method,preset,out,bname,trained", WORD_CASES)
def test_the_chinese_figure_reads_chinese_and_prints_the_english_figures_numbers(method, preset, out, bname, trained):
    scene = scene_for(method, preset, out, BOXES[bname], pretrained=trained)
    for step in ours(method):
        en, zh = described(step, scene, "en"), described(step, scene, "zh")
        assert numbers(zh) == numbers(en), (step.key, numbers(en), numbers(zh))
        for w in words(zh, THEIRS if step.describe.__module__.endswith("sampling") else ()):
            assert HAN.search(w), f"{method} {step.key}: {w!r} is not Chinese"
            assert not ENGLISH.search(TERM.sub("", w)), f"{method} {step.key}: English left in {w!r}"
        titles = [m.text for _p, m in zh.marks(Text) if m.kind == "title"]
        assert titles and all(HAN.search(t) for t in titles)
        if any(m.kind == "badge" for _p, m in en.marks(Text)):  # the red "untrained" badge, in Chinese
            badge = " ".join(m.text for _p, m in zh.marks(Text) if m.kind == "badge")
            assert "未训练" in badge and "VGG16" in badge and "UNTRAINED" not in badge


def test_the_worked_examples_figures_in_chinese():
    # The article's box (296, 192, 200, 145) on 512 x 512, pool5 (stride 32), 3 x 3, rounded down.
    scene = scene_for("pool", "article", 3, BOXES["article box"])
    by_key = {s.key: s for s in walkthrough.steps("pool")}
    with using("zh"):
        quantize = by_key["quantize"].describe(scene)
        image = by_key["image"].describe(scene)
        output = by_key["output"].describe(scene)
        features = by_key["features"].describe(scene)
    texts = lambda d: [m.text for _p, m in d.marks(Text)]  # noqa: E731
    assert "量化（向下取整）" in texts(quantize)
    assert any(t.startswith("丢失：") for t in texts(quantize)) and any(t.startswith("多纳入：") for t in texts(quantize))
    assert quantize.alt.startswith("量化（向下取整）：丢失 ") and quantize.alt.endswith("。")
    assert texts(image)[0].startswith("模型输入 512×512 px") and "32 px" in " ".join(texts(image))
    assert "(9.25, 6)" in texts(features)  # the projected box's corner, a point: numbers as in English
    went = " ".join(m.text for _p, m in output.marks(Text) if m.kind == "title")
    assert "覆盖率 60.9 %" in went and "28.32 个单元格" in went
    assert "x：列（单元格）" in texts(quantize) and "y：行（单元格）" in texts(quantize)


@pytest.mark.parametrize("method", ["pool", "align", "prroi"])
def test_in_english_the_words_are_the_codes_own(method):
    scene = scene_for(method, "article", 3, BOXES["article box"], pretrained=False)
    for step in ours(method):
        en = described(step, scene, "en")
        assert not any(HAN.search(w) for w in words(en)), step.key
        assert en == step.describe(scene)  # no language in force: English, the same drawing
    article = scene_for("pool", "article", 3, BOXES["article box"])
    quantize = described(walkthrough.steps("pool")[2], article, "en")
    t = article.pooled
    assert quantize.alt == f"Quantization (rounded down): lost {cells(t.lost_area)}, gained {cells(t.gained_area)}."


def test_the_badge_and_the_boards_words_in_chinese():
    with using("zh"):
        board = look.for_board()
    assert board["lost"]["words"] == "深蓝色加上升斜线" and all(HAN.search(v["words"]) for v in board.values())
    assert look.for_board()["lost"]["words"] == "dark blue with rising lines"


# ---------------------------------------------------------------------------------------------- painters
@pytest.mark.parametrize("method", ["pool", "warp", "prroi"])
def test_both_painters_show_the_chinese_texts(method):
    scene = scene_for(method, "fastrcnn", 7, BOXES["article box"], pretrained=False)
    for step in ours(method):
        d = described(step, scene, "zh")
        want = sorted(m.text for _p, m in d.marks(Text))
        assert any(HAN.search(t) for t in want), step.key
        root = ET.fromstring(svg.paint(d))
        ns = "{http://www.w3.org/2000/svg}"
        assert sorted(t.text or "" for t in root.iter(f"{ns}text")) == want, step.key
        assert root.get("aria-label") == d.alt and HAN.search(d.alt)
        fig = mpl.paint(d)
        assert sorted(t.get_text() for t in fig.texts) == want, step.key


ZH_CELL = re.compile(r"(.*，)?第 (\d+) 行，第 (\d+) 列：(-?[\d.]+)(（.*）)?")


@pytest.mark.parametrize("method", ["pool", "align", "warp", "prroi"])
def test_every_cell_answers_a_chinese_hover_with_its_row_column_and_value(method):
    scene = scene_for(method, "article", 3, BOXES["article box"])
    for step in ours(method):
        en, zh = described(step, scene, "en"), described(step, scene, "zh")
        pairs = [(a, b) for (_p, a), (_q, b) in zip(en.marks(Rect), zh.marks(Rect)) if b.kind == "cell"]
        for a, b in pairs:
            found = ZH_CELL.fullmatch(b.title)
            if found is None:  # a share of a bin's average (PrRoI): its own words, the same numbers
                assert HAN.search(b.title) and sorted(NUMBER.findall(b.title)) == sorted(NUMBER.findall(a.title)), b.title
                continue
            assert (int(found[2]), int(found[3])) == (int(b.y), int(b.x)), (step.key, b.title)
            assert found[4] in a.title and f"row {found[2]}, column {found[3]}: {found[4]}" in a.title


def test_the_chinese_page_svgs_laid_out_by_chromium_in_the_528_px_column(browser, tmp_path):
    """The browser's own layout of every Chinese step's SVG, in the shipped fonts (DejaVu Sans and the Chinese
    subset), in the lesson column of a 1366 x 768 laptop: every text at least 12 px, inside the figure, no two
    overlapping (a pixel of the browser's rounding allowed)."""
    import itertools

    from roi_viz.picture import fonts
    from test_walkthrough_figures import MEASURE, PRESETS
    from ui.figure import PAGE_TEXT, PAGE_WIDTH

    faces = "".join(f'@font-face {{ font-family: "{fonts.FAMILY}"; src: url("{fonts.FILES[w].as_uri()}"); '
                    f'font-weight: {700 if w == "bold" else 400}; }}' for w in fonts.FILES)
    faces += f'@font-face {{ font-family: "{fonts.CJK_FAMILY}"; src: url("{fonts.CJK_FILE.as_uri()}"); }}'
    page = tmp_path / "column.html"
    page.write_text(f"<!doctype html><style>{faces} body {{ margin: 0 }}</style><div id='column' "
                    f"style='width: {COLUMN_PX}px'></div>")
    svgs = []
    with using("zh"):
        for method, preset, out in itertools.product(("pool", "align", "warp", "prroi"), PRESETS, (1, 3, 7)):
            scene = scene_for(method, preset, out, BOXES["article box"], pretrained=out != 3)
            svgs += [(f"{method} {preset} {out} {s.key}",
                      svg.paint(s.describe(scene, width=PAGE_WIDTH, text=PAGE_TEXT))) for s in ours(method)]
    pg = browser.new_page(viewport={"width": 1366, "height": 768})
    pg.goto(page.as_uri())
    for family in (fonts.FAMILY, fonts.CJK_FAMILY):
        pg.evaluate(f"document.fonts.load('13px \"{family}\"', '量化')")
    pg.wait_for_function("document.fonts.status === 'loaded'", timeout=120_000)
    laid = pg.evaluate(MEASURE, [s for _, s in svgs])
    pg.close()
    assert any(HAN.search(b["text"]) for fig in laid for b in fig["boxes"])
    for (name, _s), fig in zip(svgs, laid):
        boxes = [b for b in fig["boxes"] if b["text"].strip()]
        for b in boxes:
            assert b["px"] >= PAGE_LEAST - 0.05, f"{name}: {b['text']!r} is {b['px']:.1f} px"
            assert b["x"] >= fig["left"] - 1 and b["x"] + b["w"] <= fig["right"] + 1, f"{name}: {b['text']!r} leaves"
            assert b["y"] >= fig["top"] - 1 and b["y"] + b["h"] <= fig["bottom"] + 1, f"{name}: {b['text']!r} leaves"
        for a, b in itertools.combinations(boxes, 2):
            ox = min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"])
            oy = min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"])
            assert ox <= 1.0 or oy <= 1.0, f"{name}: {a['text']!r} overlaps {b['text']!r}"

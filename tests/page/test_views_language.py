"""The views besides the walkthrough, the quiz and training, and the teacher's frame, in Chinese (AppTest).

For each of the comparison, the sliding box, what a cell sees, after pooling and every proposal, opened with
``?lang=zh&view=<key>`` and with ``?lang=en``: every sentence these views' modules mark (``ui/views/*.py``,
``roi_viz/lesson/proposals.py``, ``ui/teacher.py``, ``app.py``) that the English page shows is shown in Chinese on
the Chinese page (its catalog translation is there, its English is not), and the words, captions, notices and
text alternatives carry the same numbers in both languages (extracted with a regex, compared as lists). Presenter
mode, the share link and the QR panel are checked the same way. The sentences are read from the code with
Babel's own extractor and translated through the catalog (:func:`roi_viz.language.using`), so nothing is typed
in twice.
"""
from __future__ import annotations

import re
from functools import lru_cache

import pytest
from babel.messages.extract import extract_from_file
from streamlit.testing.v1 import AppTest

from helpers import POPOVERS, ROOT, figures, notices, open_page, page_text
from roi_viz.language import using

HAN = re.compile(r"[\u4e00-\u9fff]")
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
FILES = ("ui/views/compare.py", "ui/views/slide.py", "ui/views/field.py", "ui/views/head.py", "ui/views/proposals.py",
         "roi_viz/lesson/proposals.py", "ui/teacher.py", "app.py")
VIEWS = ("compare", "slide", "field", "head", "proposals")
LONG = 32  # a literal piece of a sentence this long is that sentence's own: no other module writes it


@lru_cache(maxsize=None)
def sentences(files: tuple[str, ...] = FILES) -> tuple[str, ...]:
    """Every sentence (the singular of a plural) ``files`` mark, as the catalog's template has it."""
    found: list[str] = []
    for name in files:
        for _line, message, _comments, _context in extract_from_file(
                "python", str(ROOT / name), keywords={"_": None, "N_": None, "ngettext": (1, 2)}):
            m = message[0] if isinstance(message, tuple) else message  # a plural by its singular, its catalog key
            if m not in found:
                found.append(m)
    return tuple(found)


def pieces(text: str, least: int = LONG) -> list[str]:
    """The literal pieces of a sentence between its placeholders and its Markdown, the long ones."""
    return [p.strip() for p in re.split(r"\{\w*\}|\*\*", text) if len(p.strip()) >= least]


def chinese_pieces(text: str) -> list[str]:
    """The literal pieces of a Chinese sentence that say something (Chinese is dense: 6 characters), else its
    longest piece."""
    found = [p for p in pieces(text, 6) if HAN.search(p)]
    return found or [max(pieces(text, 1), key=len)]


def translated(message: str) -> str:
    from roi_viz.language import catalog

    with using("zh"):
        t = catalog("zh")
        return t.gettext(message) if t.gettext(message) != message else t.ngettext(message, message + "s", 2)


def labels_of(at) -> set[str]:
    """The controls' labels and options, the buttons', and the headings' words, each whole."""
    found = set(shown(at, whole=True).split("\n"))
    return found | {m.value.lstrip("# ") for m in at.markdown if m.value.startswith("#")}


def shown(at, whole: bool = False) -> str:
    """Everything a student reads on the page: words, notices, figures' text alternatives, controls' labels and
    help, buttons (``whole``: the controls' words alone)."""
    labels = []
    for kind in ("radio", "number_input", "slider", "select_slider", "selectbox", "toggle", "text_input",
                 "button", "download_button"):
        for w in getattr(at, kind, []) if kind != "download_button" else at.get("download_button"):
            labels.append(getattr(w, "label", "") or getattr(getattr(w, "proto", None), "label", ""))
            labels.append(getattr(getattr(w, "proto", None), "help", "") or "")
            labels += [str(o) for o in getattr(w, "options", [])]
    if whole:
        return "\n".join(labels)
    return "\n".join([page_text(at), *figures(at), *labels, *(m.proto.help for m in at.markdown)])


def numbers(text: str) -> list[str]:
    return sorted(NUMBER.findall(text))


def words_of(at) -> list[str]:
    """The page's words element by element, in order: Markdown, captions, notes and figures' alternatives."""
    return [m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info] + \
        [w.value for w in at.warning] + figures(at)


def check_chinese(en_at, zh_at, files: tuple[str, ...] = FILES) -> int:
    """Every sentence of ``files`` on the English page is in Chinese on the Chinese page, none left in English;
    element by element, the words carry the same numbers. Returns how many of their sentences were seen."""
    en, zh = shown(en_at), shown(zh_at)
    en_labels, zh_labels = labels_of(en_at), labels_of(zh_at)
    seen = 0
    for message in sentences(files):
        if message in en_labels:  # a label, an option, a button, a heading: short, whole, no placeholder
            seen += 1
            assert translated(message) in zh_labels and message not in zh_labels, message
            continue
        english = pieces(message)
        if not english or not all(p in en for p in pieces(message, 8)):  # a sentence shown (the variant shown)
            continue
        seen += 1
        for p in english:
            assert p not in zh, f"left in English on the Chinese page: {p!r}"
        chinese = translated(message)
        assert HAN.search(chinese), message
        for p in chinese_pieces(chinese):
            assert p in zh, f"not on the Chinese page: {p!r} ({message[:60]!r})"
    en_words, zh_words = words_of(en_at), words_of(zh_at)
    assert len(en_words) == len(zh_words), (len(en_words), len(zh_words))
    for e, z in zip(en_words, zh_words):
        if any(p in e for m in sentences() for p in pieces(m)):  # one of this slice's elements
            assert HAN.search(z) and not HAN.search(e), (e, z)  # English unchanged in English
            assert numbers(z) == numbers(e), (e, z)
    return seen


@pytest.mark.parametrize("view", VIEWS)
def test_each_view_speaks_chinese_with_the_same_numbers(view):
    timeout = 300 if view == "proposals" else 180
    en = open_page({"lang": "en", "view": view}, timeout=timeout)
    zh = open_page({"lang": "zh", "view": view}, timeout=timeout)
    assert not notices(en, "error") and not notices(zh, "error")  # the view drawn, not a fault's notice
    check_chinese(en, zh)
    own = (f"ui/views/{view}.py",) + (("roi_viz/lesson/proposals.py",) if view == "proposals" else ())
    seen = check_chinese(en, zh, own)
    assert seen >= 2, f"only {seen} of the {view} view's own sentences on its page"


def test_the_proposals_view_says_its_setting_and_counts_in_chinese():
    """The heading names the article's setting (pool5, stride 32, 3 × 3, rounded down) and the count sentence
    Fast R-CNN's 2,000 boxes, in Chinese with the English page's numbers."""
    from roi_viz.lesson import proposals as words

    en = open_page({"lang": "en", "view": "proposals"}, timeout=300)
    zh = open_page({"lang": "zh", "view": "proposals"}, timeout=300)
    with using("en"):
        en_heading = "##### " + words.heading(words.ARTICLE_SETTING)
    with using("zh"):
        zh_heading = "##### " + words.heading(words.ARTICLE_SETTING)
    assert en_heading == "##### At the article's setting: pool5 (stride 32), 3 × 3 bins, rounded down (article)"
    assert zh_heading == "##### 原文的设置下：pool5（步幅 32），3 × 3 个子区域，向下取整（原文）"
    assert en_heading in [m.value for m in en.markdown] and zh_heading in [m.value for m in zh.markdown]
    assert numbers(en_heading) == numbers(zh_heading)
    heads = [m.value for m in zh.markdown if m.value.startswith("##### ")]
    assert "##### 金字塔上的候选框" in heads and "##### 空子区域" in heads
    count = next(m.value for m in zh.markdown if m.value.startswith("选择性搜索（快速模式）"))
    said = next(m.value for m in en.markdown if m.value.startswith("Selective search (fast mode)"))
    assert "2,000" in said and numbers(count) == numbers(said)


def test_presenter_mode_the_link_and_the_exports_in_chinese():
    en = open_page({"lang": "en", "present": "1", "view": "compare"}, opened=POPOVERS)
    zh = open_page({"lang": "zh", "present": "1", "view": "compare"}, opened=POPOVERS)
    toggles = [t.label for t in zh.toggle]
    assert "演示" in toggles and "Present" not in toggles and "Present" in [t.label for t in en.toggle]
    assert HAN.search(next(t.proto.help for t in zh.toggle if t.label == "演示"))
    assert "同学们：扫码打开本页" in [b.label for b in zh.button]
    text = page_text(zh)
    # The share link's words (presenter mode: with present=1) and the exports' caption, same numbers as in English.
    link_zh = next(c.value for c in zh.caption if c.value.startswith("选中并复制它"))
    link_en = next(c.value for c in en.caption if c.value.startswith("Select it and copy it"))
    assert "present=1" in link_zh and numbers(link_zh) == numbers(link_en)
    files_zh = next(c.value for c in zh.caption if c.value.startswith("每个文件都呈现"))
    files_en = next(c.value for c in en.caption if c.value.startswith("Each file shows"))
    assert numbers(files_zh) == numbers(files_en) and "向右移动" in files_zh
    assert "Make the handout" not in shown(zh) and "生成讲义（PDF，每个步骤）" in [b.label for b in zh.button]
    assert "Select it and copy it" not in text
    check_chinese(en, zh)


def qr_page():
    import ui.language  # noqa: F401  (registers the page's language, as app.py does)
    from ui import teacher
    from ui.session import session

    session()  # the link read, its lang= with it, as the app does before drawing anything
    teacher.qr_panel()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_qr_panel_in_the_pages_language(lang, monkeypatch):
    monkeypatch.setenv("ROI_VIZ_PUBLIC_URL", "http://10.0.0.5:8501")
    at = AppTest.from_function(qr_page, default_timeout=60)
    for name, value in (("lang", lang), ("present", "1"), ("roi", "100_192_200_145")):
        at.query_params[name] = value
    at.run()
    assert not at.exception
    body = next(e.proto.body for e in at.get("html") if 'class="roi-qr"' in e.proto.body)
    alt = re.search(r'alt="([^"]*)"', body).group(1)
    (field,) = at.text_input
    if lang == "zh":
        assert field.label == "学生使用的地址" and HAN.search(field.proto.help)
        assert alt.startswith("二维码：http://10.0.0.5:8501") and "lang=zh" in alt
        assert "来自环境变量 ROI_VIZ_PUBLIC_URL。" in [c.value for c in at.caption]
        assert any(c.value.startswith("二维码打开的是这个视图") for c in at.caption)
        assert not any("The code opens this view" in c.value for c in at.caption)
    else:
        assert field.label == "Address students use" and alt.startswith("QR code: http://10.0.0.5:8501")
        assert "From the ROI_VIZ_PUBLIC_URL environment variable." in [c.value for c in at.caption]
    assert "100_192_200_145" in alt


def test_the_frame_speaks_chinese():
    """The page's heading and promise above the lesson (app.py), in Chinese, and the share link's words."""
    en = open_page({"lang": "en", "view": "walk"}, opened=POPOVERS)
    zh = open_page({"lang": "zh", "view": "walk"}, opened=POPOVERS)
    heading_zh = next(m.value for m in zh.markdown if m.value.startswith("## "))
    heading_en = next(m.value for m in en.markdown if m.value.startswith("## "))
    assert heading_en.endswith(", step by step") and heading_zh.endswith("，分步讲解")
    promise = next(c.value for c in zh.caption if c.value.startswith("在照片上画一个框"))
    assert "VGG16" in promise and "Draw a box" not in page_text(zh)
    link = next(c.value for c in zh.caption if c.value.startswith("选中并复制它"))
    assert "present=1" not in link and link.endswith("地址栏随时都是同一个链接。")

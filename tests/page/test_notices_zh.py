"""The page's notices and bad-input messages in the student's language (issue 32): with ``lang=zh`` a bad upload,
a refused box, a stored photo that cannot be kept and the box editor's words are Chinese, carry the same numbers as
in English, and each notice keeps its role (an error or a warning is an ``alert``); with ``lang=en`` they are as
before.

A notice is read as :func:`helpers.notices` reads it: one element with its role, holding plain text.
"""
from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from helpers import APP, encode, notices, page_text, photo
from roi_viz.language import using
from roi_viz.model import images
from roi_viz.state import uploads

CJK = re.compile(r"[\u4e00-\u9fff]")
NUMBER = re.compile(r"-?\d+(?:[.,]\d+)*")
TIMEOUT = 180


def opened(lang: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception
    return at


def by_key(at, kind: str, name: str):
    """The widget whose revised key (``ui.widgets.wkey``) is ``name``'s: found whatever language labels it."""
    found = [w for w in getattr(at, kind) if (w.key or "").split(":")[0] == name]
    assert found, f"no {kind} keyed {name!r}"
    return found[0]


def uploaded(lang: str, filename: str, data: bytes) -> AppTest:
    at = opened(lang)
    by_key(at, "radio", "source").set_value("upload").run()
    at.file_uploader(key="upload").set_value((filename, data, "image/png")).run()
    assert not at.exception
    return at


# A file refused for each kind of reason: one with no number, one with the limit's numbers, one with its size's.
BAD = [("empty.png", b""), ("notes.png", b"shopping list: eggs, milk\n" * 30),
       ("long.png", encode(photo(images.MAX_ASPECT * 4 + 40, 4), "PNG")),
       ("phone.png", b"\x89PNG\r\n\x1a\n" + b"\0" * (images.MAX_FILE_MB * 1024 * 1024 + 1))]


@pytest.mark.parametrize("filename, data", BAD, ids=[b[0] for b in BAD])
def test_a_bad_upload_gets_a_chinese_alert_with_the_same_numbers(filename, data):
    en = notices(uploaded("en", filename, data), "error")  # notices() checks each one's role: alert
    zh = notices(uploaded("zh", filename, data), "error")
    assert len(en) == len(zh) == 1, (en, zh)
    assert filename in zh[0] and filename in en[0], zh  # the file's name, as it came
    assert CJK.search(zh[0]) and not CJK.search(en[0]), zh
    assert NUMBER.findall(zh[0]) == NUMBER.findall(en[0]), (en, zh)
    # No English sentence is left: the reason is Chinese too (only the formats' names stay Latin).
    assert not re.search(r"\b(the|is|file|image|could|not|use)\b", zh[0].replace(filename, "")), zh[0]
    assert en[0].endswith("The sample photo is shown instead."), en[0]


def test_a_refused_box_is_a_chinese_warning_and_the_box_editor_reads_chinese():
    pages = {}
    for lang in ("en", "zh"):
        at = opened(lang)
        field = [n for n in at.number_input if n.label == "w"][0]  # the box's w: its label is the letter
        field.set_value(0.0).run()
        assert not at.exception
        pages[lang] = at
    en, zh = (notices(pages[lang], "warning") for lang in ("en", "zh"))
    assert any("The RoI was left as it was." in n for n in en), en
    said = [n for n in zh if "这个 RoI 保持原样" in n]
    assert said, zh
    # The editor under the board: its caption, its list of boxes, the picker and its two buttons.
    for lang, at in pages.items():
        text = page_text(at)
        cap = [c.value for c in at.caption if "× 512" in c.value or "512 ×" in c.value]
        assert cap, text
        pages[lang] = (cap[0], [b.label for b in at.button], [s.label for s in at.selectbox], text)
    (en_cap, en_buttons, en_selects, en_text), (zh_cap, zh_buttons, zh_selects, zh_text) = pages["en"], pages["zh"]
    assert en_cap.startswith("Coordinates are pixels of the 512 × 512 model input."), en_cap
    assert CJK.search(zh_cap) and NUMBER.findall(zh_cap) == NUMBER.findall(en_cap), (en_cap, zh_cap)
    assert "Add RoI" in en_buttons and "添加 RoI" in zh_buttons and "删除 RoI" in zh_buttons, zh_buttons
    assert "The walkthrough follows" in en_selects and "分步讲解跟随" in zh_selects, zh_selects
    assert "← the lesson follows it" in en_text and "← 讲解跟随它" in zh_text


def test_a_photo_the_store_cannot_keep_is_said_in_chinese(tmp_path):
    store = uploads.UploadStore(directory=tmp_path, max_total=10, max_file=10)  # 10 bytes: no photo fits
    kept = uploads.prepare(encode(photo(64, 48), "PNG"))
    said = {}
    for lang in ("en", "zh"):
        with using(lang), pytest.raises(uploads.StoreError) as refused:
            store.save(kept)
        said[lang] = str(refused.value)
    assert said["en"].startswith("the photo is ") and "MB a stored photo may take" in said["en"], said
    assert CJK.search(said["zh"]) and NUMBER.findall(said["zh"]) == NUMBER.findall(said["en"]), said


@pytest.mark.parametrize("lang, name", [("en", "the link's photo"), ("zh", "链接中的照片")])
def test_the_links_photo_is_named_in_the_links_language(monkeypatch, tmp_path, lang, name):
    """A teacher's link with a stored photo: the photo's name (the handout's title, a notice's) is in the link's
    language."""
    from helpers import page_state

    monkeypatch.setenv(uploads.ENV_DIR, str(tmp_path))
    kept = uploads.UploadStore.from_env().put(encode(photo(120, 90), "PNG"))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["img"] = kept.name
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception
    shown = page_state(at).photo
    assert shown.upload_shown and shown.title == name, (shown.title, shown.upload_shown)

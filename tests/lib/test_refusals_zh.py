"""Refusals in Chinese: the teacher's address for students, a link's bad values and a refused RoI.

Each is said with ``using("zh")`` and with ``using("en")``: the Chinese sentence has Chinese characters, no run
of two English words (beyond the link's own parameter names and values, quoted), and the English sentence's
numbers, in the same order or not; English is what it was.
"""
from __future__ import annotations

import re

import pytest

from roi_viz import link
from roi_viz.language import using
from roi_viz.state import share
from roi_viz.state.rois import RoIError, clip_roi, whole_roi

HAN = re.compile(r"[\u4e00-\u9fff]")
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
QUOTED = re.compile(r"'[^']*'|“[^”]*”|\([^()]*\)|http\S*|\$\w+|\b\w+=\S+")  # the link's own text, quoted
WORDS = re.compile(r"(?<![A-Za-z0-9_])[A-Za-z]{2,}(?:[ ]+[A-Za-z]{2,})+")


def said(lang: str, make) -> str:
    with using(lang):
        try:
            return make()
        except (ValueError, share.BadBase, share.TooLong) as exc:
            return str(exc)


def check(en: str, zh: str) -> None:
    assert HAN.search(zh) and not HAN.search(en), (en, zh)
    assert sorted(NUMBER.findall(zh)) == sorted(NUMBER.findall(en)), (en, zh)
    assert WORDS.findall(QUOTED.sub(" ", zh)) == [], zh


ADDRESSES = [42, "", "x" * 3000, "http://a b", "http://a\\b", "http://h:99999", "ftp://h", "http://h/<x>",
             "http://u:p@h", "http://h/?a=1", "http://h:0", "http://", "http://-bad-.", "http://a..b"]


@pytest.mark.parametrize("text", ADDRESSES, ids=range(len(ADDRESSES)))
def test_a_bad_address_for_students_is_refused_in_chinese(text):
    en, zh = said("en", lambda: share.check_base(text)), said("zh", lambda: share.check_base(text))
    assert en.startswith("The address students use"), en
    check(en, zh)


def test_a_link_too_long_for_a_qr_code_is_said_in_chinese():
    url = "http://10.0.0.5:8501/?" + "roi=1_2_3_4&" * 800
    en, zh = said("en", lambda: share.qr_code(url)), said("zh", lambda: share.qr_code(url))
    assert en.startswith("This link is 9,622 characters long"), en
    check(en, zh)


BAD_LINKS = [
    {"step": "x"}, {"view": "nope"}, {"present": "maybe"}, {"channel": "9999"}, {"output": "99"}, {"size": "500"},
    {"bin": "9_9"}, {"img": "moon"}, {"zz": "1"}, {"a": "1", "b": "2", "c": "3", "d": "4", "e": "5", "f": "6"},
    {"roi": ["1_2_3", "9_9_0_5"]}, {"roi": ["296.6_192.4_200_145"]}, {"roi": ["500_500_100_100"]},
    {"roi": ["x" * 300]}, {"view": ["walk", "quiz"]}, {"roi": ["1_2_3"], "active": "1"},
]


@pytest.mark.parametrize("params", BAD_LINKS, ids=range(len(BAD_LINKS)))
def test_a_link_s_bad_values_are_whole_chinese_sentences(params):
    with using("en"):
        en = link.from_params(params)[1]
    with using("zh"):
        zh = link.from_params(params)[1]
    assert en and len(en) == len(zh), (en, zh)
    for e, z in zip(en, zh):
        check(e, z)


def test_the_english_notices_are_as_they_were():
    with using("en"):
        notices = link.from_params({"step": "x", "channel": "9999", "roi": ["296.6_192_200_145"]})[1]
    assert "The link's step='x' is not a whole number; the default was used." in notices
    assert "The link's channel='9999' is not between 0 and 511; the default was used." in notices
    assert ("In the link's roi 1, x 296.6 was rounded to 297; RoIs are whole pixels of the model input, as a box "
            "drawn on the photo is.") in notices


@pytest.mark.parametrize("roi", [(1, 2, 3), (1, 2, 0, 5), (900, 900, 50, 50), (0.5, 0, 0.4, 9),
                                 (float("nan"), 0, 1, 1), (1e30, 0, 1, 1), "1234"])
def test_a_refused_roi_says_why_in_chinese(roi):
    def refuse():
        try:
            clip_roi(whole_roi(roi)[0], 512)
        except RoIError as exc:
            return str(exc)
        raise AssertionError("not refused")
    check(said("en", refuse), said("zh", refuse))


def test_where_the_weights_came_from_and_why_not_are_said_in_the_page_s_language(tmp_path, monkeypatch):
    # The weights are loaded once for every student: their sentences are kept in English and said where shown.
    from roi_viz.model import weights

    bad = tmp_path / "bad.pth"
    bad.write_bytes(b"not a state dict")
    good = tmp_path / "good.pth"
    good.write_bytes(b"ok")

    def load(path):
        if str(path) == str(bad):
            raise weights.WeightsError("E42")  # the loader's own reason is quoted as it is
        return {"w": 1}

    monkeypatch.setenv("ROI_VIZ_TEST_WEIGHTS", str(bad))
    failed = weights.search_weights(env_var="ROI_VIZ_TEST_WEIGHTS", cache=tmp_path / "none.pth",
                                    url="http://x.invalid/w", load=load, allow_download=False)
    from_cache = weights.search_weights(env_var="ROI_VIZ_TEST_UNSET", cache=good, url="http://x.invalid/w", load=load)
    assert failed.problems[-1] == "Downloading was switched off ($ROI_VIZ_OFFLINE)."  # English as it was
    assert from_cache.source == f"torchvision's cache ({good})"
    for sentence in (*failed.problems, from_cache.source):
        with using("en"):
            en = weights.said(sentence)
        with using("zh"):
            zh = weights.said(sentence)
        assert en == sentence
        check(en, zh)

"""The quiz in Simplified Chinese (no Streamlit): its questions, reasons, answer boxes, feedback, score and picture.

Each question is made twice from the same seed, under :func:`roi_viz.language.using` ``("en")`` and ``("zh")``:

- every sentence the quiz writes (the question, its reason, the answer's words, the boxes' labels and tolerances,
  the feedback after a right, a wrong, a second wrong and an unreadable answer, the score, what a typed answer was
  read as or why it was not) reads in Chinese: Chinese characters, and no English sentence of ours left (the words
  of other modules that a sentence carries, the layer's and the method's names, are taken out first; an English term
  in full-width parentheses beside its Chinese one is the guide's style);
- each Chinese sentence carries exactly the numbers of its English one (extracted with a regex from both);
- the numbers asked and graded are the same in both languages, and what a student types is read the same, full-width
  digits of a Chinese keyboard included;
- in English the words are the code's own: the worked example's (the article's box (296, 192, 200, 145), 512, pool5,
  3 x 3, rounded down) are checked word for word;
- the quiz's picture in Chinese: its headings, axis names and text alternative in Chinese with the English numbers,
  still laid out clear of each other at the page's, a projector's and a phone's size.
"""
from __future__ import annotations

import itertools
import re

import pytest

from layout_checks import problems
from roi_viz import quiz
from roi_viz.language import _, using
from roi_viz.methods import method
from roi_viz.picture.spec import Text
from roi_viz.state.settings import ARTICLE, FAST_RCNN, Settings

HAN = re.compile(r"[\u4e00-\u9fff]")
NUMBER = re.compile(r"\d+(?:\.\d+)?")
# Two English words in a row: a sentence left untranslated (a name such as "RoI", "x" or "pool5" is one word).
ENGLISH = re.compile(r"[A-Za-z]{2,}[ ,:;]+[A-Za-z]{2,}")
ARTICLE_ROI = (296, 192, 200, 145)


def numbers(text: str) -> list[str]:
    return sorted(NUMBER.findall(text))


def others(s: Settings) -> list[str]:
    """The words of other modules a quiz sentence carries (the layer, the method), in the language in force."""
    return [quiz.method_words(s), _(s.layer_label), _(method(s.method).name)]


def english_left(text: str, s: Settings) -> list[str]:
    """The English sentences left in a Chinese ``text``: none but the other modules' words and the terms given in
    parentheses beside their Chinese name."""
    for words in others(s):
        text = text.replace(words, " ")
    text = re.sub(r"（[^（）]*）", " ", text)  # 感兴趣区域（RoI）, RoI 池化（RoI pooling）
    return ENGLISH.findall(text)


def submissions(ask) -> dict[str, dict[str, str]]:
    """What a student may type: the answers, wrong ones (every box off, or one box off), and an unreadable one."""
    right = {f.key: f"{f.answer:.6f}".rstrip("0").rstrip(".") for f in ask.fields}
    off = {f.key: f"{f.answer + 3:g}" for f in ask.fields}
    one_off = dict(right, **{ask.fields[0].key: f"{ask.fields[0].answer + 3:g}"})
    return {"right": right, "wrong": off, "one off": one_off, "unreadable": dict(right, **{ask.fields[-1].key: "abc"})}


def said(ask) -> list[str]:
    """Every sentence the quiz writes about ``ask``: the question, the reason, the answer and the boxes, and the
    feedback after each submission (first and second try)."""
    texts = [ask.text, ask.reason, ask.answer_words]
    texts += [f.label_words for f in ask.fields] + [f.tolerance_words for f in ask.fields]
    for name, typed in submissions(ask).items():
        for tries in (0, 1):
            g = quiz.grade(ask, typed, tries)
            texts += [g.message, g.answer, g.reason] + [v.message for v in g.fields]
    return texts


def made(seed: int, level: str, settings: Settings | None, lang: str):
    with using(lang):
        q = quiz.make_question(seed, level, settings)
        return q, [q.intro] + [t for ask in q.asks for t in said(ask)]


# Every level, a few seeds; the beyond level under each of its methods, RoIAlign's legacy rule too.
CASES = [(seed, level, None) for level, seed in itertools.product(("starter", "fastrcnn"), range(8))]
CASES += [(seed, "beyond", Settings(method=m)) for m, seed in itertools.product(quiz.beyond_methods(), range(3))]
CASES += [(seed, "beyond", Settings(method="align", aligned=False)) for seed in range(3)]
CASES += [(seed, "fastrcnn", Settings(input_size=576)) for seed in range(3)]


@pytest.mark.parametrize("seed,level,settings", CASES,
                         ids=[f"{lv}-{sd}-{st.method if st else ''}" for sd, lv, st in CASES])
def test_every_sentence_of_a_question_reads_in_chinese_with_the_english_numbers(seed, level, settings):
    q_en, en = made(seed, level, settings, "en")
    q_zh, zh = made(seed, level, settings, "zh")
    assert q_zh.roi == q_en.roi and [a.answer for a in q_zh.asks] == [a.answer for a in q_en.asks]
    assert len(en) == len(zh)
    for e, z in zip(en, zh):
        if not e:
            assert not z, (e, z)
            continue
        assert not HAN.search(e), e
        assert numbers(z) == numbers(e), (e, z)
        if re.search(r"[A-Za-z]{2,}", e) and e not in ("x", "y", "w", "h"):  # words, not a bare name or number
            with using("zh"):
                assert HAN.search(z) and not english_left(z, q_zh.settings), (e, z)


def test_the_worked_example_in_both_languages():
    """The article's box on pool5, 3 x 3, rounded down: the same numbers, Chinese words, English unchanged."""
    s = Settings(**ARTICLE)
    with using("en"):
        en = quiz.asks_for(ARTICLE_ROI, s)
        q = quiz.Question(0, "starter", s, ARTICLE_ROI, en)
        intro_en, answers_en = q.intro, [a.answer_words for a in en]
    with using("zh"):
        zh = quiz.asks_for(ARTICLE_ROI, s)
        intro_zh, answers_zh = q.intro, [a.answer_words for a in zh]
    assert intro_en.startswith("An RoI at x = 296, y = 192, w = 200, h = 145 pixels on the 512 × 512 model input.")
    assert intro_zh.startswith("在 512 × 512 的模型输入上，有一个感兴趣区域（RoI）位于 x = 296、y = 192、w = 200、h = 145 像素。")
    assert numbers(intro_zh) == numbers(intro_en)
    project, quantize, lost_gained, bins, dropped, coverage = en
    assert project.reason == ("296 / 32 = 9.25, 192 / 32 = 6, 200 / 32 = 6.25, 145 / 32 = 4.53125: "
                              "divide every number by the stride 32.")
    assert quantize.reason == ("⌊9.25⌋ = 9, ⌊6⌋ = 6, ⌊6.25⌋ = 6, ⌊4.53125⌋ = 4: "
                               "round each number down, independently of the others.")
    assert bins.reason == ("Rows: 4 / 3 ≈ 1.33 → 1 per bin, row 9 left over; "
                           "columns: 6 / 3 = 2 → 2 per bin, no columns left over.")
    assert answers_en[5] == "coverage ≈ 60.9 %"
    assert answers_en[0] == "x = 9.25 cells, y = 6 cells, w = 6.25 cells, h = 4.53125 cells"
    assert zh[0].reason == "296 / 32 = 9.25, 192 / 32 = 6, 200 / 32 = 6.25, 145 / 32 = 4.53125：每个数都除以步幅 32。"
    assert "向下取整" in zh[1].reason and "剩下第 9 行" in zh[3].reason and "没有剩下的列" in zh[3].reason
    assert answers_zh[5] == "覆盖率 ≈ 60.9 %"
    for e, z, ae, az in zip(en, zh, answers_en, answers_zh):
        assert [f.answer for f in e.fields] == [f.answer for f in z.fields]
        for a, b in ((e.text, z.text), (e.reason, z.reason), (ae, az)):
            assert HAN.search(b) and not HAN.search(a) and numbers(a) == numbers(b), (a, b)


def test_the_feedback_and_the_score_in_chinese():
    s = Settings(**ARTICLE)
    with using("zh"):
        project = quiz.asks_for(ARTICLE_ROI, s)[0]
        right = quiz.grade(project, {"x": "9.25", "y": "6", "w": "6.25", "h": "4.53125"})
        wrong = quiz.grade(project, {"x": "9", "y": "6", "w": "6", "h": "4.53125"})
        again = quiz.grade(project, {"x": "9", "y": "6", "w": "6", "h": "4.53125"}, tries=1)
        score = quiz.Score(answered=5, right=4, first_try=3, streak=2, best_streak=3).words
    assert right.status == "right" and right.message.startswith("正确：x = 9.25")
    assert wrong.status == "wrong" and wrong.message == "还不对：x和w有偏差。再试一次。"
    assert again.revealed and again.message.startswith("不太对：x和w有偏差。答案是：x = 9.25")
    assert score == "已完成 5 题，答对 4 题（其中 3 题第一次就答对）；当前连对 2 题，最多连对 3 题"
    with using("en"):
        assert quiz.Score(answered=5, right=4, first_try=3, streak=2, best_streak=3).words == \
            "4 of 5 right (3 at the first try); streak 2, best 3"
        assert quiz.grade(project, {"x": "9", "y": "6", "w": "6", "h": "4.53125"}).message == \
            "Not yet: x and w are off. Try once more."


TYPED = [("", {}), ("5%", {}), ("%", {"percent": True}), ("1,2,3", {}), ("4,625", {}), ("37/8", {}), ("3,5/2", {}),
         ("abc", {}), ("1/0", {}), ("1e400", {}), ("-1", {"low": 0.0}), ("-5", {"low": -2.0}), ("99", {"high": 10.0}),
         ("0.5", {})]


@pytest.mark.parametrize("text,kw", TYPED)
def test_a_typed_answer_is_read_the_same_and_explained_in_chinese(text, kw):
    with using("en"):
        v_en, why_en = quiz.parse_number(text, **kw)
    with using("zh"):
        v_zh, why_zh = quiz.parse_number(text, **kw)
    assert v_en == v_zh and numbers(why_en) == numbers(why_zh)
    assert bool(why_en) == bool(why_zh) and not HAN.search(why_en)
    if why_en:
        assert HAN.search(why_zh), why_zh


@pytest.mark.parametrize("typed,kw,value", [("９．２５", {}, 9.25), ("３７／８", {}, 4.625), ("４，６２５", {}, 4.625),
                                            ("６０％", {"percent": True}, 60.0), ("－０", {}, 0.0), ("　７　", {}, 7.0)])
def test_full_width_digits_from_a_chinese_keyboard_are_read_as_numbers(typed, kw, value):
    got, _note = quiz.parse_number(typed, **kw)
    assert got == value


def test_precise_roi_poolings_asks_pick_the_cell_that_counts_most_by_default():
    s = Settings(method="prroi")
    asks = quiz.asks_for((100, 120, 150, 90), s, focus=(1, 1, 0))
    share = asks[-1]
    t = quiz.run_method((100, 120, 150, 90), s)
    w = t.weight_map(1, 1)
    assert w[share.cell] == w.max() and share.id == "share"


# ------------------------------------------------------------------ the picture
SIZES = {"page": (dict(), 528, 12.0), "projector": (dict(width=1000.0, text=20.0), 900, 18.0),
         "phone": (dict(width=360.0, text=12.0), 360, 12.0)}
PICTURES = [(Settings(**ARTICLE), ARTICLE_ROI), (Settings(**ARTICLE), (100, 100, 3, 2)),
            (Settings(input_size=576, **FAST_RCNN), (400, 470, 112, 42)), (Settings(**ARTICLE), (0, 0, 512, 20))]


def jpeg(side: int = 64) -> bytes:
    from helpers import encode, photo

    return encode(photo(side, side), "JPEG", quality=88)


@pytest.mark.parametrize("s,roi", PICTURES)
def test_the_quizs_picture_in_chinese_fits_and_carries_the_english_numbers(s, roi):
    from roi_viz.figures.quiz import describe_question

    q = quiz.Question(0, "starter", s, roi, ())
    for size_name, (size, shown, least) in SIZES.items():
        drawn = {}
        for lang in ("en", "zh"):
            with using(lang):
                d = describe_question(q, jpeg(), **size)
            assert problems(d, shown, least) == [], (lang, size_name)
            drawn[lang] = d
        en = [m.text for _p, m in drawn["en"].marks(Text) if m.kind not in ("tick", "tag")]
        zh = [m.text for _p, m in drawn["zh"].marks(Text) if m.kind not in ("tick", "tag")]
        assert numbers(" ".join(zh)) == numbers(" ".join(en))
        assert all(HAN.search(t) for t in zh) and not any(HAN.search(t) for t in en), zh
        assert not any(english_left(t, s) for t in zh), zh
        assert HAN.search(drawn["zh"].alt) and numbers(drawn["zh"].alt) == numbers(drawn["en"].alt)
        assert drawn["en"].alt.startswith(f"The photo at {s.input_size} × {s.input_size} with the question's RoI")

"""The quiz in the page (AppTest): a full round, a wrong answer twice, a new question, a seed in the link."""
from urllib.parse import parse_qs, urlsplit

from streamlit.testing.v1 import AppTest

from helpers import APP, notices, page_state, page_text, widget
from roi_viz import link, quiz
from roi_viz.state.settings import Settings
from roi_viz.methods import METHODS



def open_quiz(**params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    for name, value in {"view": "quiz", **params}.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception
    return at


def answer(at, ask, values: dict) -> None:
    """Type ``values`` (field key -> text) into the ask's fields and press Check."""
    for f in ask.fields:
        label = f"{f.label} ({f.unit})" if f.unit else f.label
        widget(at, "text_input", label).input(values[f.key])
    widget(at, "button", "Check").click()
    at.run()
    assert not at.exception


def typed(v: float) -> str:
    return f"{v:.6f}".rstrip("0").rstrip(".")


def test_a_full_round_right_answers_score_and_the_link_restores_the_question():
    at = open_quiz(level="starter", seed="7")
    q = quiz.make_question(7, "starter", Settings())
    assert page_state(at).quiz.seed == 7
    x, y, w, h = q.roi
    assert f"x = {x}, y = {y}, w = {w}, h = {h}" in page_text(at)
    for n, ask in enumerate(q.asks):
        assert ask.text in page_text(at)
        answer(at, ask, {k: typed(v) for k, v in ask.answer.items()})
        assert any(n.startswith("✔ Right") for n in notices(at, "info")), f"ask {ask.id} not graded right"
        score = page_state(at).quiz.score
        assert (score.right, score.first_try, score.streak) == (n + 1, n + 1, n + 1)
        if n + 1 < len(q.asks):
            widget(at, "button", "Next question").click()
            at.run()
    assert at.query_params["seed"] == "7" and at.query_params["view"] == "quiz"


def test_a_wrong_answer_twice_shows_the_correct_value_and_the_step_that_explains_it():
    at = open_quiz(level="starter", seed="11")
    q = quiz.make_question(11, "starter", Settings())
    ask = q.asks[0]
    wrong = {k: typed(v + 3) for k, v in ask.answer.items()}
    answer(at, ask, wrong)
    assert notices(at, "error") and "Why:" not in page_text(at) and ask.reason not in page_text(at)  # one retry first
    answer(at, ask, wrong)
    text = page_text(at)
    assert "Why:" in text and ask.reason in text and ask.answer_words in text
    x_answer = ask.fields[0].answer_text
    assert x_answer in text
    # The link opens the walkthrough at the step that explains it, on the question's RoI.
    index = METHODS[q.method].step_keys().index(ask.step)
    url = text.split(f"[Step {index + 1}: ", 1)[1].split("](", 1)[1].split(")", 1)[0]
    shared, said = link.from_params(parse_qs(urlsplit(url).query))
    assert said == [] and shared.view == "walk" and shared.step == index
    assert shared.rois == (tuple(float(v) for v in q.roi),)
    assert page_state(at).quiz.score.first_try == 0 and page_state(at).quiz.score.streak == 0


def test_malformed_answers_get_a_sentence_and_cost_no_try():
    at = open_quiz(level="starter", seed="3")
    ask = quiz.make_question(3, "starter", Settings()).asks[0]
    answer(at, ask, {f.key: "abc" for f in ask.fields})
    assert notices(at, "warning") and page_state(at).quiz.tries == 0
    answer(at, ask, {k: typed(v) for k, v in ask.answer.items()})
    assert any(n.startswith("✔ Right") for n in notices(at, "info"))


def test_new_question_changes_the_roi_and_the_address():
    at = open_quiz(level="fastrcnn", seed="5")
    before = quiz.make_question(5, "fastrcnn", Settings()).roi
    widget(at, "button", "New question").click()
    at.run()
    p = page_state(at)
    assert p.quiz.seed != 5 and at.query_params["seed"] == str(p.quiz.seed)
    fresh = quiz.make_question(p.quiz.seed, "fastrcnn", Settings())
    assert fresh.intro in page_text(at) and (fresh.roi != before) == (fresh.intro != quiz.make_question(
        5, "fastrcnn", Settings()).intro)
    again = open_quiz(**{k: at.query_params[k] for k in ("level", "seed")})
    assert page_state(again).quiz.seed == p.quiz.seed and page_state(again).quiz.level == "fastrcnn"


def test_every_level_opens_and_asks_its_first_question():
    for level in quiz.LEVELS:
        at = open_quiz(level=level, seed="123")
        q = quiz.make_question(123, level, Settings())
        assert q.asks[0].text in page_text(at), level


def test_a_sidebar_change_starts_the_question_it_makes_afresh():
    """Fast R-CNN questions follow the page's input size: a new size is a new question, from its first ask."""
    at = open_quiz(level="fastrcnn", seed="9")
    q = quiz.make_question(9, "fastrcnn", Settings())
    ask = q.asks[0]
    answer(at, ask, {k: typed(v) for k, v in ask.answer.items()})
    widget(at, "button", "Next question").click()
    at.run()
    assert page_state(at).quiz.pos == 1
    widget(at, "select_slider", "Model input size").set_value(448).run()
    assert not at.exception
    q448 = quiz.make_question(9, "fastrcnn", Settings(input_size=448))
    p = page_state(at)
    assert p.quiz.pos == 0 and p.quiz.grade is None and p.quiz.tries == 0
    text = page_text(at)
    assert q448.intro in text and q448.asks[0].text in text
    assert not any(n.startswith("✔") for n in notices(at))  # the old ask's "right" is not shown for the new question


def test_a_wrong_first_try_ends_the_streak_at_once():
    at = open_quiz(level="starter", seed="7")
    q = quiz.make_question(7, "starter", Settings())
    answer(at, q.asks[0], {k: typed(v) for k, v in q.asks[0].answer.items()})
    assert page_state(at).quiz.score.streak == 1
    widget(at, "button", "Next question").click()
    at.run()
    answer(at, q.asks[1], {k: typed(v + 7) for k, v in q.asks[1].answer.items()})
    assert page_state(at).quiz.score.streak == 0 and "streak 0" in page_text(at)


def test_the_question_is_named_by_its_seed_not_counted():
    at = open_quiz(level="starter", seed="100834941")
    captions = [c.value for c in at.caption]
    named = [c for c in captions if "100834941" in c]
    assert named and named[0].startswith("Question seed 100834941 (the same seed gives the same question)."), captions
    assert not any(c.startswith("Question 100834941") for c in captions)
    assert at.query_params["seed"] == "100834941"  # the link's parameter keeps its name


def test_the_quiz_shows_no_list_of_the_students_boxes_beside_its_question():
    """Beside the quiz's box the page does not list the student's own boxes (two stories on one screen)."""
    at = open_quiz(level="starter", seed="7", roi="10_20_200_145")
    said = page_text(at)
    assert "RoI 1: (" not in said and "the lesson follows it" not in said, said
    assert not [w for w in at.number_input if w.label in ("x", "y", "w", "h")]
    assert "come back when you leave the quiz" in said
    widget(at, "radio", "View").set_value("walk").run()
    said = page_text(at)
    assert "RoI 1: (10, 20, 200, 145)" in said and [w for w in at.number_input if w.label == "x"]

"""The photo's board in the quiz, in Chromium: the question's box alone, read-only, no numbers.

Beside the quiz, the board shows the RoI the question asks about (the same numbers as the question's
words), says in one line why it cannot be edited, takes no drag and no key, and draws and reads out no
geometry (the readout would give the answers away). Leaving the quiz gives the student's boxes back as
they were.
"""
import json
import re

from playwright.sync_api import expect

from helpers import BOARD, SHOTS, settle
from roi_viz import quiz
from roi_viz.state.settings import Settings

STUDENT = [100, 120, 150, 130]  # the student's own box, from the link: not any question's
INTRO = re.compile(r"An RoI at x = (\d+), y = (\d+), w = (\d+), h = (\d+) pixels")


def open_page(browser, server, query: str):
    pg = browser.new_page(viewport={"width": 1366, "height": 768})
    pg.set_default_timeout(120_000)
    errors = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.goto(f"{server}/?{query}")
    pg.locator(BOARD).first.wait_for()
    settle(pg)
    return pg, errors


def live_now(pg) -> dict | None:
    """The board's ``data-live``, or None while the page shows no board or two (one being replaced)."""
    boards = pg.locator(BOARD)
    if boards.count() != 1:
        return None
    raw = boards.get_attribute("data-live")
    return json.loads(raw) if raw else None


def wait_board(pg, predicate, what: str) -> dict:
    for _ in range(240):
        state = live_now(pg)
        if state is not None and predicate(state):
            return state
        pg.wait_for_timeout(500)
    raise AssertionError(f"the board never showed {what}; it shows {live_now(pg)}")


def asked_box(pg) -> list[int]:
    """The question's RoI, as the question's words give it."""
    words = pg.get_by_text(INTRO).inner_text()
    return [int(v) for v in INTRO.search(words).groups()]


def pick_view(pg, name: str) -> None:
    pg.locator('[data-testid="stRadio"] label').filter(has_text=re.compile(f"^{re.escape(name)}$")).click()
    settle(pg)


def readout(pg) -> str:
    return pg.locator(f"{BOARD} .roi-board-readout").inner_text()


def assert_quiz_board(pg, box: list[int]) -> None:
    """The board shows ``box`` alone, says why it is fixed, and nothing computed from the box."""
    state = wait_board(pg, lambda s: s["box"] == box, f"the question's box {box}")
    assert state["count"] == 1 and state["read_only"] is True
    assert not {"projected", "quantized", "lost", "coverage", "row_edges"} & set(state), state
    assert readout(pg).strip() == "", "the board reads out the geometry the quiz asks for"
    expect(pg.locator(BOARD)).to_contain_text("answer first")
    expect(pg.locator(BOARD)).to_contain_text("come back")
    assert "÷" not in pg.locator(BOARD).inner_text()


def assert_students_board(pg, box: list[int]) -> None:
    state = wait_board(pg, lambda s: s["box"] == box and "projected" in s, f"the student's box {box}")
    assert state["count"] == 1 and "read_only" not in state
    expect(pg.locator(f"{BOARD} .roi-board-readout")).to_contain_text(f"RoI 1: ({', '.join(map(str, box))}) px.")
    assert "answer first" not in pg.locator(BOARD).inner_text()


def test_a_quiz_link_shows_the_questions_box_read_only_and_leaving_gives_the_students_box_back(server, browser):
    pg, errors = open_page(browser, server, "view=quiz&level=starter&seed=7&roi=" + "_".join(map(str, STUDENT)))
    question = list(quiz.make_question(7, "starter", Settings()).roi)
    assert asked_box(pg) == question != STUDENT
    assert_quiz_board(pg, question)
    pg.locator(BOARD).scroll_into_view_if_needed()
    pg.screenshot(path=str(SHOTS / "quiz-board-1366.png"))

    # A drag on the box (a move) and one on the bare photo (a new box) change nothing.
    canvas = pg.locator(f"{BOARD} canvas").bounding_box()
    k = canvas["width"] / 512
    x, y, w, h = question
    for (sx, sy), (dx, dy) in (((x + w / 2, y + h / 2), (-60, 40)), ((4, 4), (90, 70))):
        pg.mouse.move(canvas["x"] + sx * k, canvas["y"] + sy * k)
        pg.mouse.down()
        for n in range(1, 9):
            pg.mouse.move(canvas["x"] + (sx + dx * n / 8) * k, canvas["y"] + (sy + dy * n / 8) * k)
        pg.mouse.up()
    pg.wait_for_timeout(500)
    assert_quiz_board(pg, question)

    # Not in the Tab order, and keys sent to it (focused or not) change nothing either.
    assert pg.locator(BOARD).evaluate("el => el.tabIndex") < 0
    pg.mouse.click(canvas["x"] + (x + w / 2) * k, canvas["y"] + (y + h / 2) * k)
    for key in ("ArrowRight", "Shift+ArrowDown", "Alt+ArrowLeft", "a", "n", "Delete"):
        pg.keyboard.press(key)
    pg.locator(BOARD).dispatch_event("keydown", {"key": "ArrowLeft", "bubbles": True})
    pg.wait_for_timeout(500)
    assert_quiz_board(pg, question)

    pick_view(pg, "Walkthrough")
    assert_students_board(pg, STUDENT)
    pg.close()
    assert not errors, errors


def test_entering_the_quiz_shows_each_questions_box_and_leaving_restores_the_edited_box(server, browser):
    pg, errors = open_page(browser, server, "roi=" + "_".join(map(str, STUDENT)))
    assert_students_board(pg, STUDENT)
    pg.locator(BOARD).focus()
    pg.keyboard.press("ArrowRight")
    pg.keyboard.press("ArrowRight")  # the student's box, moved 2 px: the box to come back to
    moved = [STUDENT[0] + 2, *STUDENT[1:]]
    expect(pg.locator('[class*="st-key-roi-list"]')).to_contain_text(f"RoI 1: ({', '.join(map(str, moved))})")
    settle(pg)

    pick_view(pg, "Quiz")
    expect(pg.get_by_text(INTRO)).to_be_visible()
    first = asked_box(pg)
    assert first != moved
    assert_quiz_board(pg, first)

    pg.get_by_role("button", name="New question").click()
    settle(pg)
    expect(pg.get_by_text(INTRO)).not_to_have_text(re.compile(f"x = {first[0]}, y = {first[1]}, w = {first[2]}, h = {first[3]} "))
    second = asked_box(pg)
    assert_quiz_board(pg, second)

    pick_view(pg, "Walkthrough")
    assert_students_board(pg, moved)
    pg.close()
    assert not errors, errors

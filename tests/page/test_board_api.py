"""The board's and the stepper's Python side: arguments checked with a sentence, stale values refused."""
from __future__ import annotations

import base64

import pytest
from streamlit.testing.v1 import AppTest

from helpers import encode, photo
from ui.board import BoardValue, _value, board, image_data_url


def test_photo_as_bytes_data_url_or_pil_gives_its_size():
    img = photo(64, 48)
    png = encode(img, "PNG")
    url, size = image_data_url(png)
    assert size == (64, 48) and url.startswith("data:image/png;base64,")
    assert base64.b64decode(url.split(",", 1)[1]) == png
    assert image_data_url(url) == (url, (64, 48))
    assert image_data_url(img)[1] == (64, 48)
    jpeg_url, _ = image_data_url(encode(img, "JPEG"))
    assert jpeg_url.startswith("data:image/jpeg;base64,")


@pytest.mark.parametrize("bad, words", [
    (b"not an image", "could not be read"),
    ("http://example.com/a.png", "data:image"),
    (42, "int"),
])
def test_a_bad_photo_is_refused_with_a_sentence(bad, words):
    with pytest.raises(ValueError, match=words):
        image_data_url(bad)


def _value_of(raw, revision=3, size=(64, 48)):
    return _value(raw, revision, size)


def test_a_value_for_this_revision_is_returned_as_whole_pixels():
    got = _value_of({"boxes": [[1, 2, 10, 20], [0, 0, 64, 48]], "active": 1, "seq": 7, "revision": 3})
    assert got == BoardValue(boxes=((1, 2, 10, 20), (0, 0, 64, 48)), active=1, seq=7, revision=3)


@pytest.mark.parametrize("raw", [
    None,
    {"boxes": [[1, 2, 10, 20]], "active": 0, "seq": 7, "revision": 2},  # made on older content: stale
    {"boxes": [[1, 2, 10, 20]], "active": 1, "seq": 7, "revision": 3},  # no such box
    {"boxes": [[60, 2, 10, 20]], "active": 0, "seq": 7, "revision": 3},  # past the photo's edge
    {"boxes": [[1, 2, 0, 20]], "active": 0, "seq": 7, "revision": 3},  # empty
    {"boxes": [], "active": 0, "seq": 7, "revision": 3},
    {"boxes": "abc", "active": 0, "seq": 7, "revision": 3},
    {"active": 0, "seq": 7, "revision": 3},
])
def test_stale_or_malformed_values_are_ignored(raw):
    assert _value_of(raw) is None


APP = """
import streamlit as st
from ui.board import board
from ui.board.stepper import stepper
from PIL import Image
args = st.session_state.get("args", {})
try:
    value = board(Image.new("RGB", (64, 48)), **{"boxes": [[1, 2, 10, 20]], **args})
    st.text(f"value {value}")
except ValueError as exc:
    st.text(f"refused: {exc}")
try:
    st.text(f"step {stepper(**st.session_state.get('step_args', {'step': 2, 'steps': 5}))}")
except ValueError as exc:
    st.text(f"step refused: {exc}")
"""


def run_app(args=None, step_args=None):
    at = AppTest.from_string(APP)
    if args is not None:
        at.session_state["args"] = args
    if step_args is not None:
        at.session_state["step_args"] = step_args
    at.run(timeout=30)
    assert not at.exception, at.exception
    return [t.value for t in at.text]


def test_the_components_mount_and_report_nothing_before_the_student_acts():
    assert run_app() == ["value None", "step 2"]


def test_a_read_only_board_mounts_and_never_reports_a_value():
    assert run_app({"read_only": "Fixed for the quiz."}) == ["value None", "step 2"]


@pytest.mark.parametrize("args, words", [
    ({"boxes": []}, "at least one RoI"),
    ({"boxes": [[1, 2, 10.5, 20]]}, "whole pixels"),
    ({"boxes": [[60, 2, 10, 20]]}, "inside the 64 × 48 photo"),
    ({"boxes": [["a", 2, 10, 20]]}, "four numbers"),
    ({"active": 3}, "followed RoI"),
    ({"method": "magic"}, "Unknown method"),
    ({"scheme": "nearest"}, "rounding rule"),
    ({"stride": 24}, "power of two"),
    ({"output_size": (0, 3)}, "output size"),
    ({"sampling_ratio": 2.5}, "sampling ratio"),
    ({"read_only": True}, "read-only note must be a sentence"),
])
def test_bad_board_arguments_get_a_sentence(args, words):
    texts = run_app(args)
    assert texts[0].startswith("refused:") and words in texts[0], texts


@pytest.mark.parametrize("step_args, words", [
    ({"step": 0, "steps": 5}, "from 1 to 5"),
    ({"step": 1, "steps": 0}, "at least 1"),
    ({"step": 1, "steps": 2, "titles": ["one"]}, "one title per step"),
])
def test_bad_stepper_arguments_get_a_sentence(step_args, words):
    texts = run_app(step_args=step_args)
    assert texts[1].startswith("step refused:") and words in texts[1], texts

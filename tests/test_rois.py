"""The RoI store: one owner of the boxes, and the merging of what the canvas sends.

The canvas (streamlit-drawable-canvas) sends its whole drawing each time, in
canvas pixels: first the boxes it was given, labelled ``RoI 1`` ..., then the
boxes drawn on it since, labelled ``new``. Messages can come late, twice, or
from a canvas the page has already replaced.
"""
from __future__ import annotations

import pytest

from roi_viz.rois import DRAWN_MIN, RoIError, RoIStore

ARTICLE = (296.0, 192.0, 200.0, 145.0)


def given(store: RoIStore, key: str, scale: float = 1.0, size: int = 512) -> list[dict]:
    """What a freshly mounted canvas sends back before anyone touches it."""
    return [{k: b[k] for k in ("label", "left", "top", "width", "height")} for b in store.drawing(key, scale, size)]


def new(left, top, width, height) -> dict:
    return {"label": "new", "left": left, "top": top, "width": width, "height": height}


def test_a_drawn_box_is_added_once_in_whole_pixels_and_becomes_active():
    store = RoIStore([ARTICLE], 512)
    sent = given(store, "c1") + [new(19.03, 40.6, 60.2, 45.4)]
    assert store.merge_canvas("c1", sent, 1.0, 512)
    assert store.boxes(512) == [ARTICLE, (19.0, 41.0, 60.0, 45.0)]
    assert store.active == 1
    rev = store.revision
    assert not store.merge_canvas("c1", sent, 1.0, 512)  # the same drawing again: nothing new
    assert len(store) == 2 and store.revision == rev


def test_two_drags_in_one_message_are_both_kept_and_the_last_is_active():
    store = RoIStore([ARTICLE], 512)
    store.merge_canvas("c1", given(store, "c1") + [new(10, 10, 50, 50), new(100, 10, 40, 30)], 1.0, 512)
    assert store.boxes(512)[1:] == [(10.0, 10.0, 50.0, 50.0), (100.0, 10.0, 40.0, 30.0)]
    assert store.active == 2


def test_an_older_drawing_after_a_newer_one_loses_nothing():
    store = RoIStore([ARTICLE], 512)
    base = given(store, "c1")
    a, b = new(10, 10, 50, 50), new(100, 10, 40, 30)
    store.merge_canvas("c1", base + [a, b], 1.0, 512)
    store.merge_canvas("c1", base + [a], 1.0, 512)  # late: sent before b was drawn
    store.merge_canvas("c1", base, 1.0, 512)
    assert len(store) == 3
    store.merge_canvas("c1", base + [a, b], 1.0, 512)  # and the newest again: b is not added twice
    assert store.boxes(512) == [ARTICLE, (10.0, 10.0, 50.0, 50.0), (100.0, 10.0, 40.0, 30.0)]


def test_the_canvas_drawing_never_changes_under_one_key():
    """A changed ``initial_drawing`` makes the canvas reload and drop a box being drawn."""
    store = RoIStore([ARTICLE], 512)
    first = store.drawing("c1", 1.0, 512)
    store.merge_canvas("c1", given(store, "c1") + [new(10, 10, 50, 50)], 1.0, 512)
    assert store.drawing("c1", 1.0, 512) == first
    assert store.generation == 0  # a change the canvas made itself does not remount it
    assert len(store.drawing("c2", 1.0, 512)) == 2  # a new mount shows every box
    assert store.drawing("c2", 1.0, 512)[1]["active"]


def test_a_drag_while_a_typed_number_is_on_its_way_keeps_both():
    store = RoIStore([ARTICLE], 512)
    old = given(store, "c1")
    store.move(0, (250, 192, 200, 145), 512)  # typed x: the page mounts a fresh canvas
    assert store.generation == 1
    fresh = given(store, "c2")
    # The box drawn on the old canvas arrives after the typed number was applied.
    assert store.merge_canvas("c1", old + [new(10, 10, 50, 50)], 1.0, 512)
    assert store.boxes(512) == [(250.0, 192.0, 200.0, 145.0), (10.0, 10.0, 50.0, 50.0)]
    # The old canvas still shows RoI 1 where it was: that is not a move back.
    store.merge_canvas("c1", old + [new(10, 10, 50, 50)], 1.0, 512)
    store.merge_canvas("c2", fresh, 1.0, 512)
    assert store.boxes(512)[0] == (250.0, 192.0, 200.0, 145.0)


def test_a_box_moved_on_the_canvas_moves_in_the_store():
    store = RoIStore([ARTICLE, (10, 10, 50, 50)], 512)
    sent = given(store, "c1")
    sent[0] = {**sent[0], "left": 300.4, "width": 180.2}
    assert store.merge_canvas("c1", sent, 1.0, 512)
    assert store.boxes(512)[0] == (300.0, 192.0, 181.0, 145.0)
    assert store.active == 0


def test_a_click_is_ignored_with_a_notice():
    store = RoIStore([ARTICLE], 512)
    assert not store.merge_canvas("c1", given(store, "c1") + [new(100, 100, DRAWN_MIN - 1, 2)], 1.0, 512)
    assert len(store) == 1 and "click" in store.notice
    # The ignored click still counts as the canvas's first drawn object: the next one is added.
    store.merge_canvas("c1", given(store, "c1") + [new(100, 100, 1, 2), new(5, 5, 30, 30)], 1.0, 512)
    assert store.boxes(512)[1] == (5.0, 5.0, 30.0, 30.0)


def test_boxes_outside_the_image_are_cut_or_refused():
    store = RoIStore([ARTICLE], 512)
    store.merge_canvas("c1", given(store, "c1") + [new(480, 500, 60, 40)], 1.0, 512)
    assert store.boxes(512)[1] == (480.0, 500.0, 32.0, 12.0) and "cut" in store.notice
    with pytest.raises(RoIError):
        store.move(0, (600, 600, 10, 10), 512)
    assert store.boxes(512)[0] == ARTICLE  # refused: the old box stays


def test_the_canvas_never_deletes_and_unknown_canvases_are_ignored():
    store = RoIStore([ARTICLE, (10, 10, 50, 50)], 512)
    given(store, "c1")
    gen = store.generation
    assert not store.merge_canvas("c1", [], 1.0, 512)  # the canvas's bin emptied it
    assert store.generation == gen + 1 and "Delete RoI" in store.notice  # drawn again, with every box
    assert not store.merge_canvas("c1", given(store, "c1")[:1], 1.0, 512)  # one removed on the canvas
    assert not store.merge_canvas("never-mounted", [new(1, 1, 90, 90)], 1.0, 512)
    assert len(store) == 2


def test_a_half_size_canvas_draws_whole_input_pixels():
    store = RoIStore([ARTICLE], 1024)
    store.merge_canvas("c1", given(store, "c1", 0.5, 1024) + [new(10.3, 20.6, 50, 40)], 0.5, 1024)
    assert store.boxes(1024)[1] == (21.0, 41.0, 100.0, 80.0)


def test_input_size_round_trip_is_exact():
    store = RoIStore([ARTICLE, (17, 33, 101, 77)], 512)
    before = store.boxes(512)
    assert store.boxes(1024)[0] == (592.0, 384.0, 400.0, 290.0)
    assert store.boxes(224)[0][3] == pytest.approx(145 * 224 / 512)
    assert store.boxes(512) == before  # 512 -> 1024 -> 224 -> 512: exactly the same numbers


def test_add_delete_select_and_identity():
    store = RoIStore([ARTICLE], 512)
    store.add((10, 10, 50, 50), 512)
    store.add((100, 100, 50, 50), 512)
    assert store.active == 2
    second = store.id_at(1)
    store.select(1)
    assert store.active == 1
    store.delete(0)  # a box before the active one: the same box stays followed
    assert store.active == 0 and store.id_at(0) == second and store.index_of(second) == 0
    store.delete(0)
    assert store.index_of(second) is None and len(store) == 1
    with pytest.raises(RoIError):
        store.delete(0)  # the walkthrough needs a box
    with pytest.raises(RoIError):
        store.select(5)


def test_replace_all_is_an_outside_change():
    store = RoIStore([(10, 10, 50, 50), (100, 100, 50, 50)], 512)
    store.select(1)
    gen = store.generation
    store.replace_all([ARTICLE], 512)
    assert store.boxes(512) == [ARTICLE] and store.active == 0 and store.generation > gen

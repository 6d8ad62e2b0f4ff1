"""The RoI store: one owner of the boxes, and what the board sends.

The board (``ui/board``) sends its whole list of whole-pixel boxes and the followed
one after each release or key; it started from :meth:`RoIStore.whole`. Values can
repeat (a rerun carries the last one again) and boxes can be new, moved or removed.
Every box enters the store in whole pixels, as the board draws them: a typed or linked
fraction is rounded (ties as Python rounds) and the notice says so.
"""
from __future__ import annotations

import random

import pytest

from roi_viz.state.rois import RoIError, RoIStore, clip_roi, whole_roi

ARTICLE = (296.0, 192.0, 200.0, 145.0)


def test_a_box_drawn_on_the_board_is_added_and_followed():
    store = RoIStore([ARTICLE], 512)
    gen = store.generation
    assert store.merge_board(store.whole(512) + [(10, 20, 50, 40)], 1, 512)
    assert store.boxes(512) == [ARTICLE, (10.0, 20.0, 50.0, 40.0)] and store.active == 1
    assert store.generation == gen  # the board made this change: it is not given its own boxes back
    assert not store.merge_board(store.whole(512), 1, 512)  # the same value again: nothing new


def test_a_box_the_board_left_alone_keeps_its_value_and_identity():
    store = RoIStore([(10, 20, 101, 51), ARTICLE], 512)
    first = store.id_at(0)
    moved = list(store.whole(512))
    moved[1] = (300, 192, 200, 145)
    assert store.merge_board(moved, 1, 512)
    assert store.boxes(512) == [(10.0, 20.0, 101.0, 51.0), (300.0, 192.0, 200.0, 145.0)]
    assert store.id_at(0) == first


def test_a_typed_fraction_enters_in_whole_pixels_and_the_notice_says_so():
    """Issue 27: a typed 296.6 was kept as 296.6 while the board showed 297: two sets of numbers for one box."""
    store = RoIStore([ARTICLE], 512)
    msg = store.move(0, (296.6, 192, 200, 145), 512)
    assert store.boxes(512) == [(float(round(296.6)), 192.0, 200.0, 145.0)]
    assert [tuple(float(v) for v in b) for b in store.whole(512)] == store.boxes(512)  # the board's box is the box
    assert "x 296.6 was rounded to 297" in msg and "whole pixels" in msg and store.notice == msg
    # Ties as Python rounds them (to the even neighbour), every number named; a whole box says nothing.
    typed = (10.5, 20.5, 100.25, 50.75)
    msg = store.add(typed, 512)
    assert store.boxes(512)[1] == tuple(float(round(v)) for v in typed) == (10.0, 20.0, 100.0, 51.0)
    assert all(f"{n} {v:g}" in msg for n, v in zip("xywh", typed)) and "was rounded to 10," in msg
    assert store.move(1, (11, 20, 100, 51), 512) == "" and store.notice == ""
    # Rounded first, then cut to the image, both said.
    msg = store.move(1, (400.4, 10, 200, 20), 512)
    assert store.boxes(512)[1] == (400.0, 10.0, 112.0, 20.0) and "rounded" in msg and "cut" in msg
    # Too thin is refused before rounding (0.4 never becomes a box of nothing), the box kept.
    with pytest.raises(RoIError, match="0.4"):
        store.move(1, (10, 10, 0.4, 20), 512)
    assert store.boxes(512)[1] == (400.0, 10.0, 112.0, 20.0)
    # A preset's or a link's boxes enter the same way.
    store.replace_all([(1.5, 2.5, 30.5, 40.4)], 512)
    assert store.boxes(512) == [(2.0, 2.0, 30.0, 40.0)]
    assert RoIStore([(296.6, 192, 200, 145)], 512).boxes(512) == [(297.0, 192.0, 200.0, 145.0)]


def test_whole_roi_rounds_each_number_and_names_it():
    assert whole_roi((296.0, 192, 200, 145)) == ((296.0, 192.0, 200.0, 145.0), "")
    box, said = whole_roi((296.5, 192, 200, 145.5))
    assert box == (296.0, 192.0, 200.0, 146.0)  # Python's round: ties to the even neighbour
    assert said == "x 296.5 was rounded to 296 and h 145.5 to 146"
    for bad in ("abc", (1, 2, 3), (0, 0, float("nan"), 5)):
        with pytest.raises(RoIError):
            whole_roi(bad)


def test_moved_deleted_and_identity():
    store = RoIStore([ARTICLE, (10, 10, 50, 50), (100, 100, 50, 50)], 512)
    first, third = store.id_at(0), store.id_at(2)
    store.merge_board([store.whole(512)[0], store.whole(512)[2]], 1, 512)  # the second removed on the board
    assert len(store) == 2 and store.id_at(0) == first and store.active == 1
    store.merge_board([(0, 0, 40, 40)], 0, 512)
    assert store.boxes(512) == [(0.0, 0.0, 40.0, 40.0)]
    assert not store.merge_board([], 0, 512) and len(store) == 1  # never emptied


def test_boxes_from_the_board_are_cut_or_refused_with_a_sentence():
    store = RoIStore([ARTICLE], 512)
    store.merge_board(store.whole(512) + [(480, 500, 60, 40)], 1, 512)
    assert store.boxes(512)[1] == (480.0, 500.0, 32.0, 12.0) and "cut" in store.notice
    assert not store.merge_board(store.whole(512) + [(600, 600, 10, 10)], 2, 512)  # outside: nothing kept of it
    assert len(store) == 2


@pytest.mark.parametrize("seed", range(200))
def test_whole_is_inside_the_image_and_round_trips(seed):
    rng = random.Random(seed)
    W, H = rng.choice([(512, 512), (767, 512), (224, 224), (1024, 683)])
    boxes = []
    for _ in range(rng.randint(1, 5)):
        x, y = rng.uniform(0, W - 2), rng.uniform(0, H - 2)
        boxes.append((x, y, rng.uniform(1, W - x), rng.uniform(1, H - y)))
    store = RoIStore(boxes, (W, H))
    shown = store.whole((W, H))
    for x, y, w, h in shown:
        assert 0 <= x and 0 <= y and w >= 1 and h >= 1 and x + w <= W and y + h <= H
    before = store.boxes((W, H))
    assert not store.merge_board(shown, store.active, (W, H))  # the board's own view changes nothing
    assert store.boxes((W, H)) == before


def test_input_size_round_trip_is_exact():
    store = RoIStore([ARTICLE, (17, 33, 101, 77)], 512)
    before = store.boxes(512)
    assert store.boxes(1024)[0] == (592.0, 384.0, 400.0, 290.0)
    assert store.boxes(224)[0] == (130.0, 84.0, 87.0, 63.0)  # whole pixels of another input: the corners rounded
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


def test_the_articles_box_comes_back_exactly_after_an_upload_and_a_shape_change():
    """Issue: after a non-square upload and back, the article's RoI read (295.9472527473, 192, 199.736…, 145)."""
    store = RoIStore([ARTICLE], 512)
    wide = (767, 512)  # a 640 x 427 photo, proportions kept, shorter side 512
    assert all(float(v).is_integer() for v in store.boxes(wide)[0])
    store.select(0)
    assert store.boxes(512) == [ARTICLE]
    store.move(0, store.boxes(wide)[0], wide)  # edited on the upload: it is at home there now
    assert store.boxes(512) == [ARTICLE]  # and comes back to the article's pixels


@pytest.mark.parametrize("seed", range(100))
def test_every_input_gives_whole_pixels_and_the_home_input_the_box_as_it_entered(seed):
    rng = random.Random(seed)
    dims = [(512, 512), (767, 512), (224, 224), (1024, 683), (320, 480)]
    home = rng.choice(dims)
    W, H = home
    x, y = rng.uniform(0, W - 8), rng.uniform(0, H - 8)
    box = (x, y, rng.uniform(1, W - x), rng.uniform(1, H - y))
    store = RoIStore([box], home)
    for d in dims:
        got = store.boxes(d)[0]
        if d == home:  # its own input: the box as it entered, whole pixels inside the image
            assert got == clip_roi(whole_roi(box)[0], home)[0]
        else:
            assert all(float(v).is_integer() for v in got) and got[2] >= 1 and got[3] >= 1
            assert got[0] + got[2] <= d[0] and got[1] + got[3] <= d[1]

"""A link is the state: every parameter round-trips, every bad one is named and replaced by its default."""
import random
from urllib.parse import parse_qs, urlencode

import pytest

from helpers import notices, open_page, page_state, page_text, widget
from roi_viz.language import LANGUAGES
from roi_viz import link
from roi_viz.state.settings import MAX_OUTPUT, Settings
from roi_viz.methods import METHODS
from roi_viz.model import samples
from roi_viz.model.images import INPUT_SIZES
from roi_viz import walkthrough



def random_link(rng: random.Random) -> link.Link:
    size = rng.choice(INPUT_SIZES)
    method = rng.choice(list(METHODS))
    out = (rng.randint(1, MAX_OUTPUT), rng.randint(1, MAX_OUTPUT))
    network = rng.choice(["vgg16", "resnet50_fpn"])
    settings = Settings(
        network=network, input_size=size, shape=rng.choice(["square", "aspect"]), layer=rng.choice(["pool5", "conv5_3"]), method=method,
        scheme=rng.choice(["article", "fastrcnn"]), output_size=out, sampling_ratio=rng.randint(0, 8),
        aligned=rng.random() < 0.5, align_mode=rng.choice(["avg", "max"]), warp_mode=rng.choice(["avg", "max"]),
        channel=rng.choice([None, rng.randint(0, 255 if network != "vgg16" else 511)]), mean_view=rng.random() < 0.5)
    rois = []  # whole pixels, as the page's boxes are (a fractional one is rounded on reading: tested below)
    for _ in range(rng.randint(1, 4)):
        x, y = float(rng.randint(0, size // 2)), float(rng.randint(0, size // 2))
        w, h = float(rng.randint(1, size // 2)), float(rng.randint(1, size // 2))
        rois.append((x, y, w, h))
    return link.Link(
        settings=settings, sample=rng.choice([s.name for s in samples.list_samples()]), upload="", rois=tuple(rois),
        active=rng.randrange(len(rois)), view=rng.choice(link.VIEWS),
        step=rng.randrange(len(walkthrough.steps(method, network))),
        focus=(rng.randrange(out[0]), rng.randrange(out[1]), rng.randrange(16)), slide_axis=rng.choice(link.AXES),
        slide_cells=rng.choice(link.SLIDE_CELLS), present=rng.random() < 0.5, quiz_level=rng.choice(link.QUIZ_LEVELS),
        quiz_seed=rng.choice([None, rng.randint(0, link.MAX_SEED)]),
        proposals_drawn=rng.randint(1, link.MAX_PROPOSALS), proposals_order=rng.choice(list(link.PROPOSAL_ORDERS)),
        proposals_mode=rng.choice(link.SEARCH_MODES), language=rng.choice([None, *LANGUAGES]))


def through_url(params: dict) -> dict:
    """What a browser hands back: the encoded query string, parsed again."""
    return parse_qs(urlencode(params, doseq=True), keep_blank_values=True)


@pytest.mark.parametrize("seed", range(300))
def test_round_trip_of_random_states(seed):
    state = random_link(random.Random(seed))
    back, notices = link.from_params(through_url(link.to_params(state)))
    assert notices == []
    assert back == state


@pytest.mark.parametrize("seed", range(100))
def test_round_trip_of_random_states_on_an_uploaded_photo(seed):
    """An uploaded photo travels by its name in the store; its boxes are read in pixels of its own input."""
    import hashlib
    from dataclasses import replace

    rng = random.Random(1000 + seed)
    state = random_link(rng)
    name = hashlib.sha256(str(seed).encode()).hexdigest()
    original = (rng.randint(300, 4000), rng.randint(300, 4000))
    state = replace(state, upload=name, sample=link.DEFAULT.sample)  # the photo is the upload: no sample travels
    params = link.to_params(state)
    assert params["img"] == name and "roi" in params
    back, notices = link.from_params(through_url(params), {name: original})
    W, H = link.dims(state.settings, state.sample, original)
    assert notices == [] or all("cut" in n for n in notices), notices  # a box past a narrower photo's edge is cut
    if not notices:
        assert back == state
    assert back.upload == name and all(x + w <= W and y + h <= H for x, y, w, h in back.rois)


def test_the_article_example_is_the_bare_address_and_each_change_is_one_short_parameter():
    assert link.to_params(link.DEFAULT) == {}
    s = link.DEFAULT.settings
    assert link.to_params(link.Link(s.with_(method="align"))) == {"method": "align"}
    assert link.to_params(link.Link(rois=((10.0, 20.0, 30.5, 40.0),), step=3)) == {
        "roi": ["10_20_30.5_40"], "step": "4"}
    # The article's box at another input size is still the article's box (in whole pixels there): no roi parameter.
    assert link.to_params(link.Link(s.with_(input_size=224), rois=((130.0, 84.0, 87.0, 63.0),))) == {"size": "224"}
    assert link.number(1600 / 7) == "1600/7" and link.number(9.25) == "9.25" and link.number(296.0) == "296"


def test_every_parameter_is_written_when_it_differs():
    rng = random.Random(1)
    seen = set()
    for _ in range(200):
        seen |= set(link.to_params(random_link(rng)))
    assert seen == set(link.KNOWN) - {"img"} | ({"img"} if "img" in seen else set())
    assert "img" in seen


def test_typed_by_hand_commas_and_fractions_are_read():
    back, notices = link.from_params({"roi": ["296,192,200,145", "1600/7;10;20;30"]})
    assert back.rois == ((296.0, 192.0, 200.0, 145.0), (float(round(1600 / 7)), 10.0, 20.0, 30.0))
    assert len(notices) == 1 and "roi 2" in notices[0] and "was rounded to 229" in notices[0], notices


@pytest.mark.parametrize("seed", range(100))
def test_a_fractional_box_is_read_in_whole_pixels_and_said_once(seed):
    """Issue 27: ``roi=296.6_192_200_145`` gave the page 296.6 while its board showed 297. The page's boxes
    are whole pixels: each number is rounded as Python rounds it, the notice names it, and the link the
    page then writes reads back as it is, without a word."""
    rng = random.Random(seed)
    box = tuple(rng.randint(0, 250 * 4) / 4 for _ in range(2)) + tuple(rng.randint(4, 250 * 4) / 4 for _ in range(2))
    back, notices = link.from_params(through_url({"roi": "_".join(link.number(v) for v in box)}))
    assert back.rois == (tuple(float(round(v)) for v in box),)
    fractions = [(n, v) for n, v in zip("xywh", box) if not float(v).is_integer()]
    if fractions:
        assert len(notices) == 1 and "roi 1" in notices[0] and "whole pixels" in notices[0], notices
        assert all(f"{n} {v:g}" in notices[0] for n, v in fractions), notices
    else:
        assert notices == []
    again, notices = link.from_params(through_url(link.to_params(back)))
    assert again == back and notices == []


BAD = [
    ({"drawn": "0"}, "drawn"),
    ({"drawn": "5000"}, "drawn"),
    ({"order": "random"}, "order"),
    ({"search": "deep"}, "search"),
    ({"method": "bilinear"}, "method"),
    ({"level": "expert"}, "level"),
    ({"shape": "round"}, "shape"),
    ({"seed": "-1"}, "seed"),
    ({"seed": "abc"}, "seed"),
    ({"step": "99"}, "step"),
    ({"step": "two"}, "step"),
    ({"roi": "abc"}, "roi"),
    ({"roi": "10_10_-5_20"}, "roi"),
    ({"roi": "900_900_50_50"}, "roi"),
    ({"roi": ["1_1_5_5"] * 10_000}, "roi"),
    ({"size": "-512"}, "size"),
    ({"size": "500"}, "size"),
    ({"layer": "fc7"}, "layer"),
    ({"rule": "nearest"}, "rule"),
    ({"ratio": "-3"}, "ratio"),
    ({"align_mode": "median"}, "align_mode"),
    ({"aligned": "maybe"}, "aligned"),
    ({"out": "0x3"}, "out"),
    ({"out": "100"}, "out"),
    ({"active": "7"}, "active"),
    ({"view": "gallery"}, "view"),
    ({"channel": "600"}, "channel"),
    ({"mean": "2"}, "mean"),
    ({"bin": "5_5"}, "bin"),
    ({"point": "0"}, "point"),
    ({"axis": "z"}, "axis"),
    ({"cells": "3"}, "cells"),
    ({"present": "please"}, "present"),
    ({"img": "mona-lisa"}, "img"),
    ({"img": "upload"}, "upload"),
    ({"method": "x" * 5000}, "method"),
    ({"zoom": "2"}, "zoom"),
]


@pytest.mark.parametrize("params, name", BAD, ids=[n + str(i) for i, (_, n) in enumerate(BAD)])
def test_a_bad_parameter_is_named_once_and_the_rest_still_applies(params, name):
    good = {"layer": "conv5_3"} if "layer" not in params else {"method": "align"}
    back, notices = link.from_params({**params, **good})
    assert len(notices) == 1 and name in notices[0], notices
    assert len(notices[0]) < 400  # a sentence, not the 5 KB value echoed back
    key = next(iter(good))
    assert (back.settings.layer if key == "layer" else back.settings.method) == good[key]
    if name not in ("zoom", "roi", "upload"):
        field = {"rule": "scheme", "ratio": "sampling_ratio", "out": "output_size", "mean": "mean_view",
                 "size": "input_size"}.get(name, name)
        if hasattr(back.settings, field):
            assert getattr(back.settings, field) == getattr(link.DEFAULT.settings, field)


def test_a_box_partly_outside_is_cut_and_said():
    back, notices = link.from_params({"roi": "400_400_300_300"})
    assert back.rois == ((400.0, 400.0, 112.0, 112.0),)
    assert len(notices) == 1 and "cut" in notices[0]


# ------------------------------------------------------------------ through the page
def shown(at) -> link.Link:
    """The page's state as a link (what the app would write)."""
    from ui.session import as_link

    return as_link(page_state(at))


def test_a_link_opens_the_same_page_and_the_address_follows_every_click():
    state = link.Link(Settings(input_size=448, shape="aspect", layer="conv5_3", method="warp", scheme="fastrcnn",
                               output_size=(4, 5),
                               sampling_ratio=0, aligned=False, align_mode="max", warp_mode="avg", channel=17,
                               mean_view=True),
                      sample="chelsea", upload="", rois=((10.0, 20.0, 200.0, 150.0), (100.0, 50.0, 229.0, 90.0)),
                      active=1, view="walk", step=4, focus=(2, 3, 1), slide_axis="y", slide_cells=0.5, present=False)
    params = link.to_params(state)
    # The network's round trip through the page is tests/page/test_network_page.py's.
    # The language's round trip through the page is tests/page/test_language_page.py's.
    assert set(params) == set(link.KNOWN) - {"present", "view", "level", "seed", "drawn", "order", "search", "net",
                                             "lang"}
    at = open_page(params)
    assert shown(at) == state
    text = page_text(at)
    assert "Step 5:" in text and "⚠" not in text
    # The address bar is the state: after clicks it holds what the page shows.
    widget(at, "radio", "Step").set_value(5).run()  # Previous / Next are a component (Chromium tests press them)
    assert at.query_params["step"] == "6"
    widget(at, "radio", "How the RoI becomes a fixed-size tensor").set_value("align").run()
    assert at.query_params["method"] == "align"
    widget(at, "number_input", "x").set_value(30.0).run()
    assert at.query_params["roi"][1].startswith("30_50_")
    # A fresh session opened with that address shows the same page.
    again = open_page(dict(at.query_params))
    assert shown(again) == shown(at)


def test_bad_parameters_in_the_page_give_one_notice_each_and_the_page_goes_on():
    at = open_page({"method": "nope", "step": "99", "roi": "abc", "zoom": "1"})
    warnings = "\n".join(notices(at, "warning"))
    for name in ("method", "step", "roi", "zoom"):
        assert name in warnings
    assert "Step 1: Image and RoIs" in page_text(at)
    assert not at.exception
    assert dict(at.query_params) == {}  # the defaults were used, so the address is the bare one


def test_an_upload_the_server_could_not_keep_does_not_travel():
    at = open_page({"img": "upload", "roi": "10_10_100_100"})
    assert "the server could not keep, so the link cannot carry it" in "\n".join(notices(at, "warning"))
    assert page_state(at).store.boxes(512) == [(10.0, 10.0, 100.0, 100.0)]
    assert "img" not in at.query_params  # this page shows the sample, so its own link says nothing of uploads


def test_presenter_mode_from_the_link():
    at = open_page({"present": "1", "step": "3"})
    assert page_state(at).place.present
    assert "Step 3: Quantization" in page_text(at)
    assert not [c for c in at.get("radio") if c.label == "View"], "a projector shows the walkthrough only"
    assert not at.main.number_input, "no box editor on a projector"
    widget(at, "toggle", "Present").set_value(False).run()
    assert not page_state(at).place.present and "present" not in at.query_params
    assert [w.label for w in at.main.number_input][:4] == ["x", "y", "w", "h"]

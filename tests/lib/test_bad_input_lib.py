"""Bad input that used to get through the library: each gets one plain sentence, never a traceback.

Every class of issue 18's "Bad input that still gets through" has a test here:
the pooling functions, links, files, the quiz's number reader and the command line.
"""
import io
import math

import numpy as np
import pytest
import torch
from PIL import Image

from helpers import encode, photo, png_header_only
from roi_viz.model import images
from roi_viz.ops import geometry as g
from roi_viz.ops import prroi_pool, roi_align, roi_pool, roi_warp

FUNCS = {
    "pool": lambda fm, roi, **kw: roi_pool(fm, roi, **kw),
    "align": lambda fm, roi, **kw: roi_align(fm, roi, **kw),
    "warp": lambda fm, roi, **kw: roi_warp(fm, roi, **kw),
    "prroi": lambda fm, roi, **kw: prroi_pool(fm, roi, **kw),
}


@pytest.fixture(scope="module")
def fm():
    return np.random.default_rng(0).random((4, 16, 16)).astype(np.float32)


def refused(call, *words):
    """``call()`` raises a ValueError whose message is a sentence holding ``words``."""
    with pytest.raises(ValueError) as e:
        call()
    msg = str(e.value)
    assert msg[:1].isupper() and msg.rstrip().endswith((".", ")")), msg
    for w in words:
        assert w in msg, msg
    return msg


# ------------------------------------------------------------------ library
@pytest.mark.parametrize("name", FUNCS)
@pytest.mark.parametrize("roi", [(0, 0, 1e21, 1e21), (0, 0, 1e300, 1e300), (1e300, 0, 10, 10),
                                 (-1e21, 5, 10, 10), (0, 0, 10, 2.0**25)])
def test_finite_but_huge_boxes_are_refused_with_a_sentence(fm, name, roi):
    with np.errstate(all="raise"):  # and no overflow on the way to the sentence
        refused(lambda: FUNCS[name](fm, roi, stride=16, output_size=3), "RoI")


@pytest.mark.parametrize("name", FUNCS)
@pytest.mark.parametrize("stride", [1e-320, 5e-324, 1e-300])
def test_a_vanishing_stride_is_refused_with_a_sentence(fm, name, stride):
    with np.errstate(all="raise"):
        refused(lambda: FUNCS[name](fm, (10, 10, 100, 100), stride=stride, output_size=3), "stride")


@pytest.mark.parametrize("name", FUNCS)
def test_boxes_at_the_edge_of_the_bound_still_work(fm, name):
    """The bound refuses nonsense only: a box far off the map is still pooled (to zeros or edge values)."""
    kw = {"sampling_ratio": 2} if name in ("align", "warp") else {}
    out = FUNCS[name](fm, (-1e6, 1e6, 5e5, 5e5), stride=16, output_size=3, **kw).output
    assert out.shape == (4, 3, 3) and np.isfinite(out).all()


@pytest.mark.parametrize("name", ["align", "warp"])
@pytest.mark.parametrize("ratio", [math.inf, -math.inf, math.nan])
def test_an_infinite_sampling_ratio_is_refused(fm, name, ratio):
    refused(lambda: FUNCS[name](fm, (10, 10, 100, 100), stride=16, sampling_ratio=ratio), "sampling ratio")


@pytest.mark.parametrize("name", FUNCS)
@pytest.mark.parametrize("size", [(2**63, 1), (3000, 3000), (1, g.MAX_OUTPUT_SIDE + 1), g.MAX_OUTPUT_SIDE + 1])
def test_output_size_is_capped_with_a_sentence(fm, name, size):
    refused(lambda: FUNCS[name](fm, (10, 10, 100, 100), stride=16, output_size=size), "output size",
            str(g.MAX_OUTPUT_SIDE))


@pytest.mark.parametrize("name", FUNCS)
def test_the_largest_output_size_allowed_works(fm, name):
    kw = {"sampling_ratio": 1} if name in ("align", "warp") else {}
    n = g.MAX_OUTPUT_SIDE
    assert FUNCS[name](fm, (0, 0, 256, 256), stride=16, output_size=(n, n), **kw).output.shape == (4, n, n)


@pytest.mark.parametrize("name", FUNCS)
@pytest.mark.parametrize("size", [True, False, (True, 3), (3, False), 2.0, "3"])
def test_output_size_that_is_not_whole_numbers_is_refused(fm, name, size):
    refused(lambda: FUNCS[name](fm, (10, 10, 100, 100), stride=16, output_size=size), "output size")


@pytest.mark.parametrize("name", FUNCS)
@pytest.mark.parametrize("roi", ["1234", b"1234", "10,10,100,100"])
def test_an_roi_given_as_text_is_refused(fm, name, roi):
    refused(lambda: FUNCS[name](fm, roi, stride=16, output_size=3), "RoI")


@pytest.mark.parametrize("name", FUNCS)
@pytest.mark.parametrize("dtype", [torch.bfloat16, torch.float16])
def test_half_precision_torch_maps_are_read_as_float32(fm, name, dtype):
    t = torch.from_numpy(fm).to(dtype)
    got = FUNCS[name](t, (10, 20, 150, 100), stride=16, output_size=3)
    want = FUNCS[name](t.float().numpy(), (10, 20, 150, 100), stride=16, output_size=3)
    assert got.output.dtype == np.float32
    np.testing.assert_array_equal(got.output, want.output)


@pytest.mark.parametrize("name", FUNCS)
@pytest.mark.parametrize("arr", [np.ones((2, 4, 4), np.complex64), np.full((2, 4, 4), "a"),
                                 np.empty((2, 4, 4), object)])
def test_maps_that_are_not_real_numbers_are_refused(name, arr):
    refused(lambda: FUNCS[name](arr, (0, 0, 32, 32), stride=16, output_size=2), "feature map")


# ------------------------------------------------------------------ quiz
@pytest.mark.parametrize("text", ["1e308", "-1e308", "1e300/1e-5", "123456789012345678901234567890"])
def test_a_huge_answer_is_not_printed_back_digit_by_digit(text):
    from roi_viz.quiz import parse_number

    value, why = parse_number(text, low=-100, high=100)
    assert value is None and len(why) < 120, why
    assert not any(len(run) > 12 for run in "".join(c if c.isdigit() else " " for c in why).split()), why


# ------------------------------------------------------------------ links
def read_link(params):
    from roi_viz import link

    return link.from_params(params)


@pytest.mark.parametrize("value", ["1e400", "1e309", "-1e400", "1e400/3", "3/1e-400", "1e-400"])
def test_a_huge_cells_value_is_one_notice(value):
    back, notices = read_link({"cells": value, "layer": "conv5_3"})
    assert back.slide_cells == 1.0 and back.settings.layer == "conv5_3"
    assert len(notices) == 1 and "cells" in notices[0], notices


@pytest.mark.parametrize("text", ["1e400_0_10_10", "1e400/1_0_10_10", "0_0_1e309_5", "10_10_1e300_1e300"])
def test_a_huge_roi_number_is_one_notice_and_the_others_stay(text):
    back, notices = read_link({"roi": ["8_8_40_40", text]})
    assert back.rois == ((8.0, 8.0, 40.0, 40.0),)
    assert len(notices) == 1 and "RoI 2" in notices[0] and "others were kept" in notices[0], notices


GOOD = ["10_10_100_100", "20_30_60_40", "200_200_90_90"]


@pytest.mark.parametrize("bad_at", [0, 1, 2, 3])
@pytest.mark.parametrize("active", [1, 2, 3])
def test_a_bad_roi_never_moves_the_followed_box(bad_at, active):
    texts = GOOD[:]
    texts.insert(bad_at, "abc")
    followed = active + (active > bad_at)  # the same good box, counted in the list with the bad one in it
    back, notices = read_link({"roi": texts, "active": str(followed)})
    assert len(back.rois) == 3
    assert back.rois[back.active] == tuple(float(v) for v in GOOD[active - 1].split("_"))
    assert len(notices) == 1 and f"RoI {bad_at + 1}" in notices[0], notices


@pytest.mark.parametrize("texts, active, bad", [
    (["10_10_100_100", "abc", "20_30_60_40"], "2", 2),
    (["abc", "10_10_100_100", "20_30_60_40"], None, 1),  # no active: the link follows RoI 1
])
def test_when_the_followed_box_is_the_bad_one_it_is_said(texts, active, bad):
    back, notices = read_link({"roi": texts, **({"active": active} if active else {})})
    assert back.active == 0 and back.rois[0] == (10.0, 10.0, 100.0, 100.0)
    assert len(notices) == 2 and "follow" in notices[1] and f"RoI {bad}" in notices[1], notices


@pytest.mark.parametrize("n_long", [1, 2])
def test_an_overlong_roi_value_costs_only_itself(n_long):
    from roi_viz import link

    long = "1" * (link.MAX_VALUE + 50)
    back, notices = read_link({"roi": [GOOD[0], *[long] * n_long, GOOD[1]], "active": str(n_long + 2)})
    assert back.rois == tuple(tuple(float(v) for v in t.split("_")) for t in GOOD[:2])
    assert back.active == 1
    assert len(notices) == 1 and "too long" in notices[0] and len(notices[0]) < 400, notices


@pytest.mark.parametrize("name, value", [
    ("step", "1_2"), ("step", "\u0662"), ("step", "\uff12"), ("active", "\u0661"), ("size", "5_12"),
    ("size", "\u0665\u0661\u0662"), ("ratio", "\u00b2"), ("seed", "4_2"), ("out", "3_3"), ("out", "\u0663x3"),
    ("bin", "\u0661_1"), ("point", "1_0"), ("channel", "1_7"), ("roi", "\u0661\u0660_10_100_100"),
    ("roi", "10_10_100_１00"), ("cells", "0.\u0665"), ("cells", "1_0"),
])
def test_only_ascii_digits_are_numbers(name, value):
    back, notices = read_link({name: value, "layer": "conv5_3"})
    assert back.settings.layer == "conv5_3"
    assert len(notices) == 1 and name in notices[0], notices


@pytest.mark.parametrize("name, value, want", [("step", "+2", 1), ("step", " 2 ", 1), ("seed", "-0", 0),
                                               ("roi", "+10_10_100_100", ((10.0, 10.0, 100.0, 100.0),))])
def test_ascii_numbers_with_a_sign_still_read(name, value, want):
    back, notices = read_link({name: value})
    assert notices == []
    assert {"step": back.step, "seed": back.quiz_seed, "roi": back.rois}[name] == want


def test_hundreds_of_unknown_parameters_are_one_sentence():
    params = {f"junk{i}": "1" for i in range(300)}
    back, notices = read_link({**params, "layer": "conv5_3"})
    assert back.settings.layer == "conv5_3"
    assert len(notices) == 1 and "300" in notices[0] and "junk0" in notices[0] and len(notices[0]) < 300, notices


def test_a_few_unknown_parameters_are_all_named():
    back, notices = read_link({"zoom": "2", "colour": "red"})
    assert len(notices) == 1 and "zoom" in notices[0] and "colour" in notices[0], notices


@pytest.mark.parametrize("method, ratio, asked, shown", [
    ("align", 2, 9, 3), ("align", 1, 2, 0), ("warp", 3, 10, 8), ("pool", 2, 9, 0), ("prroi", 2, 5, 0),
])
def test_an_impossible_point_is_clamped_and_said(features_512, method, ratio, asked, shown):
    from roi_viz.state.scene import focus_notice
    from roi_viz.methods import build_scene

    back, notices = read_link({"method": method, "ratio": str(ratio), "point": str(asked)})
    assert notices == []  # the link alone cannot know how many points a bin has
    scene = build_scene(Image.new("RGB", (512, 512)), features_512.values, back.rois, 0, back.settings,
                        focus=back.focus)
    assert scene.focus[2] == shown
    note = focus_notice(back.focus, scene)
    assert f"point={asked}" in note and f"point {shown + 1}" in note, note
    assert focus_notice(scene.focus, scene) == ""


def test_a_possible_point_gets_no_notice(features_512):
    from roi_viz.state.scene import focus_notice
    from roi_viz.methods import build_scene

    back, _ = read_link({"method": "align", "ratio": "2", "point": "4", "bin": "1_2"})
    scene = build_scene(Image.new("RGB", (512, 512)), features_512.values, back.rois, 0, back.settings,
                        focus=back.focus)
    assert scene.focus == (1, 2, 3) and focus_notice(back.focus, scene) == ""


def query(n_fields: int, chars: int = 0) -> str:
    from urllib.parse import urlencode

    pairs = [("roi", "1_1_5_5")] * (n_fields - 1) + [("layer", "conv5_3" + "x" * chars)]
    return urlencode(pairs)


@pytest.mark.parametrize("q, dropped", [
    (query(1000), False), (query(1001), True), (query(5000), True),
    (query(2, 512 * 1024 - len(query(2)) - 0), False), (query(2, 600_000), True),
    ("", False), ("?" + query(1001), True),
])
def test_a_query_streamlit_drops_is_said(q, dropped):
    from roi_viz.link import dropped_query

    note = dropped_query(q)
    assert bool(note) == dropped, (len(q), note)
    if dropped:
        assert "link" in note and len(note) < 400


def test_streamlit_drops_exactly_what_dropped_query_says():
    """The limits are Streamlit's own; a Streamlit that changes them is caught here."""
    from streamlit.runtime.state.query_params import sanitize_query_string

    from roi_viz.link import dropped_query

    rng = np.random.default_rng(1)
    for _ in range(40):
        n = int(rng.integers(900, 1100))
        q = query(n, int(rng.choice([0, 524_000 - 8 * n, 530_000 - 8 * n])))
        assert (sanitize_query_string(q) == "") == bool(dropped_query(q)), (n, len(q))


# ------------------------------------------------------------------ files
def tiff_frames(n: int = 3) -> bytes:
    buf = io.BytesIO()
    frames = [photo(64, 48, seed=i) for i in range(n)]
    frames[0].save(buf, "TIFF", save_all=True, append_images=frames[1:])
    return buf.getvalue()


def with_orientation(fmt: str, orientation: int, img: Image.Image) -> bytes:
    exif = Image.Exif()
    exif[0x0112] = orientation
    return encode(img, fmt, exif=exif.tobytes(), **({"quality": 95} if fmt == "JPEG" else {}))


@pytest.mark.parametrize("data", [
    encode(photo(), "PNG")[:200], encode(photo(), "PNG")[:-30], png_header_only(7000, 7000),
    tiff_frames()[:300],
], ids=["png-cut-early", "png-cut-late", "png-header-7000", "tiff-300-bytes"])
def test_a_cut_file_is_a_sentence(data):
    with pytest.raises(images.ImageError) as e:
        images.decode_image(data)
    assert "damaged" in str(e.value) or "cut short" in str(e.value)


@pytest.mark.parametrize("keep", [0.5, 0.98])
def test_a_multi_frame_tiff_cut_after_its_first_frame_still_opens(keep):
    data = tiff_frames()
    d = images.decode_image(data[: int(len(data) * keep)])  # a later frame is cut; the first is whole
    assert any("first one is used" in n for n in d.notes), d.notes
    assert d.image.size == (64, 48) and d.original_size == (64, 48)
    np.testing.assert_array_equal(np.asarray(d.image), np.asarray(photo(64, 48, seed=0)))


TRANSPOSE = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180, 4: Image.Transpose.FLIP_TOP_BOTTOM,
             5: Image.Transpose.TRANSPOSE, 6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
             8: Image.Transpose.ROTATE_90}


@pytest.mark.parametrize("fmt", ["TIFF", "JPEG"])
@pytest.mark.parametrize("orientation", range(2, 9))
def test_exif_orientation_gives_an_upright_photo_and_its_upright_size(fmt, orientation):
    arr = np.asarray(photo(80, 40)).copy()
    arr[..., 2] = 128  # no noise, so JPEG's loss stays small and a wrong turn shows
    src = Image.fromarray(arr)
    d = images.decode_image(with_orientation(fmt, orientation, src))
    want = src.transpose(TRANSPOSE[orientation])
    assert d.image.size == want.size and d.original_size == want.size
    diff = np.abs(np.asarray(d.image, np.int16) - np.asarray(want, np.int16)).mean()
    assert diff < (6 if fmt == "JPEG" else 0.5), diff
    assert any("orientation was applied" in n for n in d.notes)
    # the aspect input keeps the upright proportions
    assert images.input_dims(d.original_size, 224, "aspect") == tuple(224 * v // 40 for v in want.size)


def test_a_big_rotated_jpeg_reports_its_full_upright_size():
    """A JPEG decoded at a reduced scale (draft) still reports its full size, upright."""
    src = photo(3000, 1500)
    d = images.decode_image(with_orientation("JPEG", 6, src))
    assert d.original_size == (1500, 3000) and d.image.size[1] > d.image.size[0]


@pytest.mark.parametrize("fmt", ["TIFF", "JPEG"])
@pytest.mark.parametrize("orientation", [0, 9, 1000])
def test_an_invalid_orientation_claims_nothing(fmt, orientation):
    src = photo(80, 40)
    d = images.decode_image(with_orientation(fmt, orientation, src))
    assert d.original_size == (80, 40) and d.image.size == (80, 40)
    assert not any("was applied" in n for n in d.notes), d.notes
    if orientation != 0 or fmt == "JPEG":
        assert any("orientation" in n and "as stored" in n for n in d.notes), d.notes


@pytest.mark.parametrize("size", [(1, 10000), (10000, 1), (20, 5000), (5000, 20), (65 * 8, 8)])
def test_a_strip_is_refused_with_advice_that_helps(size):
    with pytest.raises(images.ImageError) as e:
        images.decode_image(encode(Image.new("RGB", size, (90, 90, 90)), "PNG"))
    msg = str(e.value)
    assert "crop" in msg.lower() and f"{size[0]:,}" in msg and "input size" not in msg.lower(), msg


@pytest.mark.parametrize("size", [(64 * 8, 8), (8, 64 * 8), (1, 1), (3000, 50)])
def test_the_most_extreme_shape_allowed_works_at_every_input_size(size):
    d = images.decode_image(encode(Image.new("RGB", size, (90, 90, 90)), "PNG"))
    for s in images.INPUT_SIZES:
        w, h = images.input_dims(d.original_size, s, "aspect")
        assert min(w, h) >= 32, (s, w, h)  # at least one cell of pool5, so an RoI has somewhere to land


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("count", [1, 50])
def test_a_float_tiff_with_non_finite_pixels_keeps_its_picture(bad, count):
    arr = np.tile(np.linspace(0.0, 1.0, 64, dtype=np.float32), (48, 1))
    rng = np.random.default_rng(count)
    arr.flat[rng.choice(arr.size, count, replace=False)] = bad
    d = images.decode_image(encode(Image.fromarray(arr, "F"), "TIFF"))
    gray = np.asarray(d.image)[..., 0].astype(float)
    finite = np.isfinite(arr)
    want = np.rint(arr[finite] * 255)
    assert np.abs(gray[finite] - want).max() <= 1  # the finite pixels scaled over their own range
    assert any(f"{count:,} pixel" in n and "not finite" in n for n in d.notes), d.notes


def test_a_float_tiff_with_no_finite_pixel_is_refused():
    arr = np.full((8, 8), np.nan, np.float32)
    with pytest.raises(images.ImageError, match="no finite"):
        images.decode_image(encode(Image.fromarray(arr, "F"), "TIFF"))


# ------------------------------------------------------------------ command line
@pytest.fixture
def no_computation(monkeypatch):
    """The network must not be loaded: the command should have stopped before it."""
    from roi_viz.model import features

    def refuse(*a, **k):
        raise AssertionError("the computation started before the arguments were checked")

    monkeypatch.setattr(features, "load_backbone", refuse)


@pytest.mark.parametrize("value", ["3x3x3", "3x", "x3", "1_2", "\u0663", "3x\u0663", "0x3", "65", "2.5"])
def test_cli_output_that_is_not_rows_x_cols_is_refused(capsys, no_computation, value):
    from roi_viz.cli import main

    with pytest.raises(SystemExit) as e:
        main(["explain", "--output", value])
    assert e.value.code == 2
    err = capsys.readouterr().err
    assert "--output" in err and "Traceback" not in err


@pytest.mark.parametrize("argv", [
    ["explain", "--image", "a.png", "--image", "b.png"],
    ["explain", "--roi", "1,2,3,4", "--roi", "5,6,7,8"],
    ["explain", "--pdf", "a.pdf", "--pdf", "b.pdf"],
    ["explain", "a.png"],
    ["explain", "a.png", "b.png"],
    ["explain", "--image", "a.png", "b.png"],
])
def test_cli_two_inputs_are_an_argparse_sentence(capsys, no_computation, argv):
    from roi_viz.cli import main

    with pytest.raises(SystemExit) as e:
        main(argv)
    assert e.value.code == 2
    err = capsys.readouterr().err
    assert "error:" in err.splitlines()[-1] and "Traceback" not in err, err  # argparse: usage, then one sentence


def bad_paths(tmp_path):
    a_file = tmp_path / "notes.txt"
    a_file.write_text("x")
    return {
        "pdf-under-a-file": (["--pdf", str(a_file / "x.pdf")], "--pdf"),
        "pdf-is-a-folder": (["--pdf", str(tmp_path)], "--pdf"),
        "gif-in-proc": (["--gif", "/proc/roi_viz_walkthrough.gif"], "--gif"),
        "gif-slide-under-a-file": (["--gif-slide", str(a_file / "sub" / "s.gif")], "--gif-slide"),
        "figures-on-a-file": (["--figures", str(a_file)], "--figures"),
        "figures-in-proc": (["--figures", "/proc/roi_viz_figures"], "--figures"),
    }


@pytest.mark.parametrize("case", ["pdf-under-a-file", "pdf-is-a-folder", "gif-in-proc", "gif-slide-under-a-file",
                                  "figures-on-a-file", "figures-in-proc"])
def test_cli_bad_output_paths_are_refused_before_the_computation(capsys, no_computation, tmp_path, case):
    from roi_viz.cli import main

    args, name = bad_paths(tmp_path)[case]
    assert main(["explain", *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error:") and name in err and "Traceback" not in err, err
    assert len(err.splitlines()) == 1


def test_cli_good_output_paths_in_new_folders_pass_the_check(tmp_path):
    from roi_viz.cli import build_parser, check_outputs

    args = build_parser().parse_args(["explain", "--pdf", str(tmp_path / "new" / "h.pdf"),
                                      "--figures", str(tmp_path / "figs" / "deeper")])
    check_outputs(args)  # raises nothing, and creates nothing yet
    assert list(tmp_path.iterdir()) == []

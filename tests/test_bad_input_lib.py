"""Bad input that used to get through the library: each gets one plain sentence, never a traceback.

Every class of issue 18's "Bad input that still gets through" has a test here:
the pooling functions, links, files, the quiz's number reader and the command line.
"""
import math

import numpy as np
import pytest
import torch

from roi_viz.ops import geometry as g
from roi_viz.pooling import prroi_pool, roi_align, roi_pool, roi_warp

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

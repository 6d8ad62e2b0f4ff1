"""The board's ``pyramid`` input: one function (ui.board.pyramid_of) makes it from roi_viz.ops.pyramid's own rule,
its grids are ResNet-50-FPN's maps of the input, a bad one is refused with a sentence, and the legend says where
the levels step. (The live level itself is tested in Chromium: tests/browser/test_board_pyramid_browser.py.)"""
from __future__ import annotations

import inspect

import pytest
import torch
from streamlit.testing.v1 import AppTest

from roi_viz.model import pyramid as network
from roi_viz.ops import pyramid as rule
from ui.board import _check_pyramid, pyramid_legend, pyramid_of


def test_the_pyramid_is_the_level_rules_own_numbers():
    p = pyramid_of((512, 512))
    defaults = {k: v.default for k, v in inspect.signature(rule.fpn_level).parameters.items()
                if v.kind is v.KEYWORD_ONLY}
    assert (p["canonical_size"], p["canonical_level"], p["k_min"], p["k_max"]) == (
        defaults["canonical_size"], defaults["canonical_level"], defaults["k_min"], defaults["k_max"]) == (224, 4, 2, 5)
    assert p["eps"] == rule.EPS == 1e-6
    assert p["levels"] == [2, 3, 4, 5] == rule.levels_of(p["strides"])
    # The network's own lists agree: the board's levels are the maps ResNet-50-FPN gives.
    assert tuple(p["strides"]) == network.STRIDES == (4, 8, 16, 32)
    assert tuple(p["names"]) == network.LEVELS == ("P2", "P3", "P4", "P5")
    assert p["boundaries"] == [112.0, 224.0, 448.0]
    assert _check_pyramid(p) == p


@pytest.mark.parametrize("size", [(512, 512), (767, 512), (500, 333), (224, 224)])
def test_its_grids_are_the_networks_maps_of_the_input(size):
    """Shapes only: the backbone runs on PyTorch's meta device (no weights, no arithmetic)."""
    W, H = size
    net = network.build_fpn_backbone(device="meta")
    out = net(torch.empty(1, 3, H, W, device="meta"))
    shapes = [list(out[k].shape[-2:]) for k in ("0", "1", "2", "3")]
    assert pyramid_of(size)["map_sizes"] == shapes, (size, shapes)


def test_the_legend_says_where_each_level_starts():
    said = pyramid_legend(pyramid_of((512, 512)))
    assert "P2 (stride 4 px) below 112 px, P3 (8 px) from 112, P4 (16 px) from 224, P5 (32 px) from 448" in said


APP = """
import streamlit as st
from PIL import Image
from ui.board import board, pyramid_of
args = st.session_state.get("args", {})
try:
    value = board(Image.new("RGB", (64, 48)), boxes=[[1, 2, 10, 20]], **args)
    st.text(f"value {value}")
except ValueError as exc:
    st.text(f"refused: {exc}")
"""


def run_app(args):
    at = AppTest.from_string(APP)
    at.session_state["args"] = args
    at.run(timeout=60)
    assert not at.exception, at.exception
    return [t.value for t in at.text]


def test_a_board_on_a_pyramid_mounts():
    assert run_app({"pyramid": pyramid_of((64, 48))}) == ["value None"]


@pytest.mark.parametrize("change", [
    {"strides": [4, 8, 24, 32]}, {"strides": [8, 4]}, {"names": ["P2"]}, {"map_sizes": [[1, 1]] * 3 + [[0, 2]]},
    {"k_min": 3}, {"canonical_size": "large"}, "not a dict",
])
def test_a_bad_pyramid_is_refused_with_a_sentence(change):
    bad = change if isinstance(change, str) else {**pyramid_of((64, 48)), **change}
    texts = run_app({"pyramid": bad})
    assert texts[0].startswith("refused: The board's pyramid must"), texts

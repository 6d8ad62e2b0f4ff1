"""Position-sensitive RoIAlign on the page (AppTest): chosen in the sidebar or by a link, its steps' headings,
words and figure alternatives carry torchvision's ``ps_roi_align`` numbers on the page's own feature map; the
comparison and the sliding box include it; the quiz and the command line list it."""
from __future__ import annotations

import json

from ui.board.wire import unpacked
import re

import numpy as np
import pytest
import torch
from streamlit.testing.v1 import AppTest
from torchvision.ops import ps_roi_align as tv_ps_roi_align

from helpers import APP, figures, notices, open_page, page_state, page_text, widget
from roi_viz import methods
from roi_viz.lesson.numbers import value
from roi_viz.ops.psroi import group_channel

KEY, NAME = "psroi", "Position-sensitive RoIAlign"
BOX = (296, 192, 200, 145)  # the page's first RoI: the article's


def page_map(layer: str = "pool5", size: int = 512) -> np.ndarray:
    """The feature map the page computed for its sample photo (the page's own cache, filled by the run)."""
    from roi_viz.model import samples
    from ui import cache

    return cache.feature_map("sample:" + samples.DEFAULT_SAMPLE, size, layer, None).values


def torchvision_ps(fm, box, stride, size, ratio) -> np.ndarray:
    k2 = size[0] * size[1]
    x, y, w, h = box
    rois = torch.tensor([[0.0, x, y, x + w, y + h]], dtype=torch.float32)
    used = torch.from_numpy(np.ascontiguousarray(fm[: (fm.shape[0] // k2) * k2]))[None]
    return tv_ps_roi_align(used, rois, size, 1.0 / stride, ratio)[0].numpy()


def step_alt(at, n: int) -> str:
    alts = [a for a in figures(at) if a.startswith(f"Step {n}:")]
    assert len(alts) == 1, figures(at)
    return alts[0]


def check_groups_step(at, ratio: int = 2, size=(3, 3)) -> None:
    """Step 5 as a person reads it: heading, the table of bins, the figure's alternative, all torchvision's."""
    text = page_text(at)
    assert "Step 5: Each bin reads its own channel" in text
    found = re.search(r"Map channel (\d+) belongs to output channel (\d+)", text)
    assert found, text[-3000:]
    ch, c = int(found[1]), int(found[2])
    k2 = size[0] * size[1]
    assert c == ch // k2 and f"C' = ⌊512 / {k2}⌋ = {512 // k2} output channels" in text
    want = torchvision_ps(page_map(), BOX, 32, size, ratio)
    alt = step_alt(at, 5)
    n = (ratio if ratio > 0 else 0) ** 2
    for i in range(size[0]):
        for j in range(size[1]):
            read, v = group_channel(c, i, j, size), value(float(want[c, i, j]))
            if n:
                assert f"| ({i}, {j}) | {read} | {n} | {v} |" in text, (i, j, v)
            assert f"bin ({i}, {j}) reads channel {read}: {v}" in alt


def test_choosing_it_in_the_sidebar_walks_through_its_steps():
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    radio = widget(at, "radio", "How the RoI becomes a fixed-size tensor")
    assert NAME in radio.options  # the record's name, as the sidebar offers it
    radio.set_value(KEY).run()
    assert not at.exception and not notices(at, "error")
    assert f"Walkthrough: {NAME}" in page_text(at)
    assert widget(at, "number_input", "Sampling ratio")  # the option its record reads
    assert not [r for r in at.radio if r.label == "Rounding rule"]  # one it does not read
    assert at.query_params["method"] == KEY
    widget(at, "radio", "Step").set_value(4).run()
    assert not at.exception
    check_groups_step(at)
    widget(at, "radio", "Step").set_value(5).run()
    text = page_text(at)
    found = re.search(r"Output channel (\d+), row by row: ([^.]*(?:\.\d+[^.;]*)*)\.", text)
    assert "Step 6: Output and coverage" in text and "The output is 3 × 3 × 56" in text and found, text[-2000:]
    c = int(found[1])
    want = torchvision_ps(page_map(), BOX, 32, (3, 3), 2)[c]
    rows = "; ".join(", ".join(value(float(v)) for v in row) for row in want)
    assert f"Output channel {c}, row by row: {rows}." in text
    assert f"Output of output channel {c} (map channel" in step_alt(at, 6) and rows in step_alt(at, 6)


@pytest.mark.parametrize("ratio,out", [(3, (3, 3)), (2, (2, 4))])
def test_a_link_opens_its_step_with_its_options(ratio, out):
    at = open_page({"method": KEY, "step": "5", "ratio": str(ratio), "out": f"{out[0]}x{out[1]}"})
    assert not notices(at, "error") and not notices(at, "warning")
    assert f"Walkthrough: {NAME}" in page_text(at)
    check_groups_step(at, ratio, out)


def test_a_channel_no_bin_reads_is_said_plainly_on_the_page():
    at = open_page({"method": KEY, "step": "5", "channel": "510"})  # 3 x 3: channels 504 to 511 are left over
    text = page_text(at)
    assert "Channel 510 is not read" in text and "channels 504 to 511 are left over" in text
    assert "Channel 510 is not read" in step_alt(at, 5)


def test_the_comparison_and_the_sliding_box_include_it():
    at = open_page({"method": KEY, "view": "compare", "channel": "20"})
    text = page_text(at)
    assert "Position-sensitive RoIAlign (ratio 2, 56 × 9 channels)" in text and f"| {NAME} |" in text
    want = torchvision_ps(page_map(), BOX, 32, (3, 3), 2)[20 // 9]  # channel 20 is in output channel 2
    for i in range(3):  # the comparison's table of every bin: the last column is the fifth method's
        row = [line for line in text.splitlines() if line.startswith(f"| ({i}, ")]
        for j in range(3):
            cells = [r for r in row if r.startswith(f"| ({i}, {j}) |")]
            assert cells and cells[0].rstrip(" |").split(" | ")[-1] == value(float(want[i, j])), cells
    at = open_page({"method": KEY, "view": "slide", "channel": "20"})
    text = page_text(at)
    assert NAME in text and not at.exception
    slide = [line for line in text.splitlines() if NAME in line]
    assert slide, text[-2000:]


def test_the_quiz_and_the_command_line_list_it(capsys, tmp_path):
    from roi_viz import quiz
    from roi_viz.cli import main
    from roi_viz.state.settings import Settings

    assert KEY in quiz.beyond_methods()
    q = quiz.make_question(3, "beyond", Settings(method=KEY))
    assert q.asks and NAME in quiz.method_words(Settings(method=KEY))
    with pytest.raises(SystemExit):
        main(["explain", "--help"])
    assert KEY in capsys.readouterr().out
    assert main(["explain", "--method", KEY, "--json", "--figures", str(tmp_path)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["method"] == KEY and len(data["figures"]) == len(methods.method(KEY).plan)
    ps = data["position_sensitive"]
    assert ps["out_channels"] == 56 and ps["channels_used"] == 504 and np.shape(ps["scores"]) == (56, 3, 3)


def test_presenter_mode_shows_its_group_step():
    at = open_page({"method": KEY, "step": "5", "present": "1"})
    assert not notices(at, "error")
    check_groups_step(at)


def board_data(at) -> dict:
    """The data the page sends the board (its component's JSON), as the board's script reads it."""
    found = []

    def walk(node) -> None:
        if getattr(node, "type", None) == "bidi_component" and node.proto.component_name == "roi_viz.board":
            found.append(unpacked(json.loads(node.proto.json)))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at.main)
    assert len(found) == 1, found
    return found[0].get("data", found[0])


def test_the_board_draws_its_points_aligned_whatever_the_aligned_option_says():
    """Position-sensitive RoIAlign is always aligned (as torchvision's): a link that turned the option off for
    RoIAlign must not send the board half-cell-off points for it."""
    at = open_page({"method": KEY, "aligned": "0"})
    data = board_data(at)
    assert data["method"] == KEY and data["traits"]["samples_points"] and data["aligned"] is True
    at = open_page({"method": "align", "aligned": "0"})
    assert board_data(at)["aligned"] is False  # RoIAlign reads the option

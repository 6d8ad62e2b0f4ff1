"""The lesson's Link and Export popovers draw their contents only while open (ui.teacher.tools).

Closed, they send the browser two buttons and nothing else, so a step or a box costs a click nothing for them
(and the step's own fragment cannot leave a link or a file name a step behind in them); opened, they hold the
link of this view and the files of this step.
"""
from __future__ import annotations

from helpers import POPOVERS, open_page


def contents(at) -> tuple[list[str], list[str]]:
    return [c.value for c in at.get("code")], [b.proto.label for b in at.get("download_button")]


def test_closed_popovers_hold_nothing_and_opened_ones_hold_this_step():
    closed = open_page({"view": "walk", "step": 3})
    assert contents(closed) == ([], [])
    popovers = closed.get("popover")
    assert [p.proto.popover.label for p in popovers] == ["Link", "Export"]
    assert [len(p.children) for p in popovers] == [0, 0]
    opened = open_page({"view": "walk", "step": 3}, opened=POPOVERS)
    codes, downloads = contents(opened)
    assert len(codes) == 1 and "step=3" in codes[0], codes
    assert "This figure: step 3 (PNG, 150 dpi)" in downloads and "The numbers (JSON)" in downloads
    assert all(len(p.children) > 0 for p in opened.get("popover"))


def test_each_popover_opens_alone():
    link_only = open_page({"view": "walk"}, opened=("link-popover",))
    codes, downloads = contents(link_only)
    assert len(codes) == 1 and downloads == []
    export_only = open_page({"view": "walk"}, opened=("export-popover",))
    codes, downloads = contents(export_only)
    assert codes == [] and "This figure: step 1 (PNG, 150 dpi)" in downloads

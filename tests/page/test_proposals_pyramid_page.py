"""The Proposals view's part on the pyramid (AppTest): its heading, its words and its figure, with the numbers the
library computes here from the same photo's proposals, at the article's setting and at Fast R-CNN's."""
import json
import re
import xml.etree.ElementTree as ET

import pytest

from helpers import figures, open_page, page_text
from roi_viz.lesson import proposals as proposal_words
from roi_viz.lesson.glossary import GLOSSARY
from roi_viz.lesson.numbers import pct
from roi_viz.lesson.words import plain
from roi_viz.model import images, samples
from roi_viz.study import proposals


@pytest.fixture(scope="module")
def astronaut():
    """The photo the page opens on, as it feeds the model (512 x 512), and its proposals."""
    img = images.prepare_input(images.load_file(samples.get_sample("astronaut").path), 512)[0]
    return img.size, proposals.selective_search(img)


def pyramid_svg(at) -> str:
    """The inline SVG of the pyramid's figure (``ui.figure.show_drawing``'s component, keyed by the view)."""
    found = []

    def walk(node) -> None:
        if getattr(node, "type", None) == "bidi_component" and node.proto.component_name == "roi_viz.figure":
            svg = json.loads(node.proto.json)["svg"]
            if proposal_words.PYRAMID_HEADING in svg:
                found.append(svg)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at.main)
    assert len(found) == 1
    return found[0]


def svg_texts(svg: str) -> list[str]:
    return [t.text for t in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}text")]


@pytest.mark.parametrize("params, setting", [
    ({"view": "proposals"}, proposal_words.ARTICLE_SETTING),
    ({"view": "proposals", "layer": "conv5_3", "rule": "fastrcnn", "out": "7"}, proposal_words.FAST_RCNN_SETTING),
])
def test_the_view_shows_the_proposals_on_the_pyramid_with_the_librarys_numbers(astronaut, params, setting):
    image_size, boxes = astronaut
    at = open_page(params, timeout=240)
    pl = proposals.pyramid_loss(boxes, image_size=image_size, output_size=setting.output_size, scheme=setting.scheme)
    # The heading, after the view's other parts.
    heads = [m.value for m in at.markdown if m.value.startswith("##### ")]
    assert "##### Proposals on the pyramid" in heads
    assert heads.index("##### Proposals on the pyramid") > heads.index("##### Empty bins")
    # The words: the boxes per level, the table of every row, the pool5 and pyramid sentence, computed here.
    text = page_text(at)
    counts = [int((pl.levels == k).sum()) for k in (2, 3, 4, 5)]
    assert sum(counts) == 2000
    assert (f"Of these 2,000 boxes, {counts[0]:,} at P2, {counts[1]:,} at P3, {counts[2]:,} at P4 and "
            f"{counts[3]:,} at P5.") in text
    ph, pw = setting.output_size
    assert f"measured with this page's rule ({ph} × {pw} bins, {proposal_words.SCHEME_LABEL[setting.scheme]})" in text
    pool5 = pl.cuts[0]
    assert (pool5.name, pool5.stride) == ("pool5", 32)
    assert (f"| VGG16 pool5, stride 32 | 2,000 | **{pct(pool5.kept)}** | **{pct(pool5.all_empty)}** | "
            f"{pct(pool5.under_cell)} |") in text
    assert f"| VGG16 pool5, stride 32 | {pct(pool5.lost)} | {pct(pool5.dropped)} | {pct(pool5.gained)} |" in text
    pyr = pl.pyramid
    assert f"| pyramid, all | 2,000 | **{pct(pyr.kept)}** | **{pct(pyr.all_empty)}** | {pct(pyr.under_cell)} |" in text
    assert f"| pyramid, all | {pct(pyr.lost)} | {pct(pyr.dropped)} | {pct(pyr.gained)} |" in text
    assert (f"At pool5 {pct(pool5.under_cell)} of these proposals have a shorter side under one cell (32 px) and "
            f"{pct(pool5.all_empty)} give all zeros; on the pyramid, each box at its level, {pct(pyr.under_cell)} "
            f"and {pct(pyr.all_empty)}.") in text
    # The terms in bold, explained by the glossary's own lines beside the words.
    said = next(m for m in at.markdown if "feature **pyramid**" in m.value)
    assert "one map per **level**" in said.value
    assert f"**pyramid**: {GLOSSARY['pyramid']}" in said.proto.help and f"**level**: {GLOSSARY['level']}" in said.proto.help
    # The figure: its text alternative and its printed values are the same numbers.
    assert plain(proposal_words.pyramid_alt(pl)) in figures(at)
    alt = next(a for a in figures(at) if a.startswith("A table of bars, Proposals on the pyramid"))
    assert (f"VGG16 pool5, stride 32: 2,000 boxes, {pct(pool5.kept)} reaches the output (mean), "
            f"{pct(pool5.all_empty)} output all zeros, {pct(pool5.under_cell)} shorter side under one cell") in alt
    assert f"P2, stride 4: {counts[0]:,} boxes" in alt
    printed = svg_texts(pyramid_svg(at))
    assert "boxes" in printed and "output all zeros" in " ".join(printed)
    for v in (f"{counts[0]:,}", pct(pool5.kept), pct(pool5.all_empty), pct(pyr.all_empty), pct(pyr.under_cell)):
        assert v in printed and v in text, v


def test_presenter_mode_draws_the_pyramid_for_the_room():
    at = open_page({"view": "proposals", "present": "1"}, timeout=240)
    svg = pyramid_svg(at)
    shown = float(re.search(r"max-width: ([\d.]+)px", svg).group(1))
    width = float(re.search(r'viewBox="0 0 ([\d.]+) ', svg).group(1))
    smallest = min(float(v) for v in re.findall(r'<text [^>]*font-size="([\d.]+)"', svg))
    assert smallest * shown / width >= 18
    assert "##### Proposals on the pyramid" in [m.value for m in at.markdown]

"""The Proposals view (AppTest), its figures and words, its CSV, and `explain --proposals`."""
import csv
import io
import json
import re

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from helpers import APP, figures, page_state, page_text, widget
from roi_viz import link
from roi_viz.study import proposals
from roi_viz.lesson.numbers import cells, num, pct
from roi_viz.cli import main as cli_main
from roi_viz.lesson import proposals as proposal_words
from roi_viz.lesson.views import VIEWS
from roi_viz.model import images, samples



@pytest.fixture(scope="module")
def astronaut():
    img = images.prepare_input(images.load_file(samples.get_sample("astronaut").path), 512)[0]
    return img, proposals.selective_search(img)


# ------------------------------------------------------------------ words and figures
@pytest.mark.parametrize("layer, stride, side, out", [("pool5", 32, 16, (3, 3)), ("conv5_3", 16, 32, (7, 7))])
@pytest.mark.parametrize("scheme", ["article", "fastrcnn"])
def test_words_say_the_numbers_the_arrays_hold(astronaut, layer, stride, side, out, scheme):
    img, boxes = astronaut
    st = proposal_words.study(boxes, map_size=(side, side), stride=stride, output_size=out, scheme=scheme, layer=layer)
    geo = proposals.geometry(boxes, map_size=(side, side), stride=stride, output_size=out, scheme=scheme)
    np.testing.assert_array_equal(st.geo.coverage, geo.coverage)
    words = proposal_words.empty_words(st)
    assert f"**{100 * (geo.empty_bins > 0).mean():.1f} %**" in words
    assert f"**{100 * geo.all_empty.mean():.1f} %**" in words
    dist = proposal_words.distribution_words(st)
    for label, cov in st.coverage.items():
        assert f"**{label}**: median {100 * np.median(cov):.1f} %; {100 * (cov < 0.5).mean():.1f} %" in dist
    small = st.short_side < min(out)
    if small.any():
        assert f"{int(small.sum()):,} proposals shorter than {min(out)} cells keep {100 * geo.coverage[small].mean():.1f} %" \
            in proposal_words.size_words(st)
    # The list is sorted by loss, the worst first, and a label names its box and its share.
    order = proposal_words.by_loss(st)
    assert (np.diff(geo.coverage[order]) >= 0).all()
    assert f"keeps {100 * geo.coverage[order[0]]:.1f} %" in proposal_words.pick_label(st, int(order[0]))


def shares(boxes, map_size, stride, out, scheme):
    """The library's own summary of one setting, computed here from the boxes."""
    return proposals.summary(proposals.geometry(boxes, map_size=map_size, stride=stride, output_size=out, scheme=scheme))


def test_the_two_settings_side_by_side_are_the_librarys_numbers_on_the_same_boxes(astronaut):
    img, boxes = astronaut
    article, fast = proposal_words.contrast(boxes, img.size)
    assert (article.setting.layer, article.setting.stride, article.setting.output_size, article.setting.scheme) \
        == ("pool5", 32, (3, 3), "article")
    assert (fast.setting.layer, fast.setting.stride, fast.setting.output_size, fast.setting.scheme) \
        == ("conv5_3", 16, (7, 7), "fastrcnn")
    a = shares(boxes, (16, 16), 32, 3, "article")
    f = shares(boxes, (32, 32), 16, 7, "fastrcnn")
    assert article.summary == a and fast.summary == f
    words = proposal_words.contrast_words((article, fast))
    assert f"On the same {len(boxes):,} proposals" in words
    assert "| Layer | pool5, stride 32 | conv5_3, stride 16 |" in words
    assert f"| Output all zeros | **{pct(a['share_all_empty'])}** | **{pct(f['share_all_empty'])}** |" in words
    assert (f"| Keep less than half of their area | **{pct(a['share_below_half'])}** | "
            f"**{pct(f['share_below_half'])}** |") in words
    # The numbers for this photo, now read off the library rather than typed into the page.
    assert (pct(a["share_all_empty"]), pct(f["share_all_empty"]), pct(f["share_below_half"])) \
        == ("87.2 %", "0.1 %", "4.1 %")


def test_the_heading_follows_the_setting():
    assert proposal_words.heading(proposal_words.setting_of("conv5_3", (7, 7), "fastrcnn")).startswith("As Fast R-CNN saw them: conv5_3")
    article = proposal_words.heading(proposal_words.setting_of("pool5", (3, 3), "article"))
    assert article.startswith("At the article's setting: pool5 (stride 32), 3 × 3 bins") and "Fast R-CNN" not in article
    other = proposal_words.heading(proposal_words.setting_of("conv5_3", (3, 3), "fastrcnn"))
    assert other.startswith("At the sidebar's setting: conv5_3 (stride 16), 3 × 3 bins") and "saw them" not in other
    assert "as Fast R-CNN saw them" not in VIEWS["proposals"][1]


@pytest.mark.parametrize("layer, stride, side, out", [("pool5", 32, 16, (3, 3)), ("conv5_3", 16, 32, (7, 7))])
def test_why_words_name_the_median_shorter_side(astronaut, layer, stride, side, out):
    img, boxes = astronaut
    med = float(np.median(np.minimum(boxes[:, 2], boxes[:, 3])))
    for scheme in ("article", "fastrcnn"):
        st = proposal_words.study(boxes, map_size=(side, side), stride=stride, output_size=out, scheme=scheme, layer=layer)
        words = proposal_words.why_words(st)
        assert f"the median proposal's shorter side is **{num(med)} px**, {cells(med / stride)} of {layer}" in words
        assert f"**{pct(st.geo.all_empty.mean())}**" in words
        if scheme == "article":
            small = (boxes[:, 2] < stride * out[0]) | (boxes[:, 3] < stride * out[0])
            assert words.startswith("Why so many all-zero outputs here")
            assert f"a box with a side under {out[0]} cells ({out[0] * stride} px) has bins of no cell" in words
            assert f"**{pct(small.mean())}** of these proposals are that small" in words
        else:
            assert "Why so many" not in words and "every bin gets at least one cell" in words
    assert med == 32  # the case: the median box is one pool5 cell, two conv5_3 cells, across


def test_the_ends_are_the_worst_and_the_best_never_twice(astronaut):
    img, boxes = astronaut
    st = proposal_words.study(boxes, map_size=(16, 16), stride=32, output_size=(3, 3), scheme="article", layer="pool5")
    cov = st.geo.coverage
    worst, best = proposal_words.ends(st, 40)
    assert len(worst) == len(best) == 20 and not set(worst) & set(best)
    rest = np.setdiff1d(np.arange(st.count), np.concatenate([worst, best]))
    assert cov[worst].max() <= cov[rest].min() and cov[best].min() >= cov[rest].max()
    np.testing.assert_array_equal(proposal_words.shown(st, 40, "ends"), np.concatenate([worst, best]))
    worst, best = proposal_words.ends(st, 11)
    assert (len(worst), len(best)) == (6, 5)
    few = proposal_words.study(boxes[:7], map_size=(16, 16), stride=32, output_size=(3, 3), scheme="article", layer="pool5")
    worst, best = proposal_words.ends(few, 40)
    assert (len(worst), len(best)) == (4, 3) and sorted([*worst, *best]) == list(range(7))
    assert "the 4 worst and the 3 best of 7 proposals, 7 boxes" in proposal_words.photo_alt(few, 40, "ends")


def test_the_photo_draws_the_20_worst_and_20_best_told_apart(astronaut):
    """The description (what both the page's SVG and the file show): 20 + 20 boxes where the proposals are."""
    from roi_viz.figures.proposals import describe_ends, encoded
    from roi_viz.picture import mpl
    from roi_viz.picture.spec import Line, Rect, Text

    img, boxes = astronaut
    st = proposal_words.study(boxes, map_size=(16, 16), stride=32, output_size=(3, 3), scheme="article", layer="pool5")
    worst, best = proposal_words.ends(st, 40)
    data, fmt, size = encoded(img)
    d = describe_ends(data, fmt, size, boxes, st.geo.coverage, worst, best, title=proposal_words.photo_title(st, 40, "ends"),
                      alt=proposal_words.photo_alt(st, 40, "ends"))
    rects = [m for _, m in d.marks(Rect)]
    assert len(rects) == 40
    cov = st.geo.coverage
    for kind, idx in (("worst", worst), ("best", best)):
        mine = [r for r in rects if r.kind == kind]
        assert len(mine) == len(idx) == 20, kind
        np.testing.assert_allclose([(r.x, r.y, r.w, r.h) for r in mine], boxes[idx], err_msg=kind)
        for r, k in zip(mine, idx):  # a hover names the box and what it keeps
            assert r.title.startswith(f"Proposal {k + 1}: (") and r.title.endswith(f"keeps {pct(cov[k])}")
    # Told apart by colour and by line style, and named in a legend with the shares they keep.
    w, b = next(r.stroke for r in rects if r.kind == "worst"), next(r.stroke for r in rects if r.kind == "best")
    assert w.colour != b.colour and w.dash != b.dash
    legend = [m.text for _, m in d.marks(Text) if m.kind == "legend"]
    assert legend[1] == f"the 20 worst: keep {pct(cov[worst].min())}"
    assert legend[2] == f"the 20 best: keep {pct(cov[best].min())} to {pct(cov[best].max())}"
    samples = {m.kind: m.stroke for _, m in d.marks(Line)}
    assert samples == {"worst": w, "best": b}, "the legend's samples are the boxes' own lines"
    assert " ".join(m.text for _, m in d.marks(Text) if m.kind == "title") == \
        "The 20 worst and 20 best of 2,000 proposals (pool5)"
    assert d.alt.startswith("The photo with the 20 worst and the 20 best of 2,000 proposals, 40 boxes")
    # The file is painted from the same description.
    fig = mpl.paint(d)
    patches = [p for ax in fig.axes for p in ax.patches if p.get_gid() in ("worst", "best")]
    assert len(patches) == 40


def test_the_figures_mark_what_the_words_say(astronaut):
    """The three other figures, as described (what the page's SVG and the files show): one outline per box drawn,
    every proposal counted once in each histogram under the median the words give, one marker per proposal."""
    from roi_viz.figures.proposals import describe_by_size, describe_distribution, describe_on_photo, encoded
    from roi_viz.methods import METHODS
    from roi_viz.picture.spec import Point, Rect, Text

    img, boxes = astronaut
    st = proposal_words.study(boxes, map_size=(16, 16), stride=32, output_size=(3, 3), scheme="article", layer="pool5")
    shown = proposal_words.shown(st, 150, "largest")
    areas = boxes[:, 2] * boxes[:, 3]
    assert len(shown) == 150 and areas[shown].min() >= np.delete(areas, shown).max()
    data, fmt, size = encoded(img)
    d = describe_on_photo(data, fmt, size, boxes, st.geo.coverage, shown, title="t", alt="a")
    outlines = [m for _, m in d.marks(Rect) if m.kind == "proposal"]
    assert len(outlines) == 150  # one outline per box drawn
    assert sorted((m.x, m.y, m.w, m.h) for m in outlines) == sorted(tuple(map(float, b)) for b in boxes[shown])
    d = describe_distribution(st.coverage, alt="a")
    titles = [m.text for _, m in d.marks(Text) if m.kind == "title"]
    words = proposal_words.distribution_words(st)
    for label, cov in st.coverage.items():
        assert f"{label}: median {100 * np.median(cov):.1f} %" in titles
        assert f"**{label}**: median {100 * np.median(cov):.1f} %" in words
        bars = [m for _, m in d.marks(Rect) if m.kind == "bar" and m.title.startswith(f"{label}: ")]
        assert sum(m.h for m in bars) == len(cov)  # every proposal counted once
    d = describe_by_size(st.short_side, st.geo.coverage, st.geo.all_empty, 3, layer="pool5", alt="a",
                         style=next(iter(METHODS.values())).style)
    points = [m for _, m in d.marks(Point)]
    assert sum(m.kind in ("proposal", "all empty") for m in points) == st.count
    assert sum(m.kind == "all empty" for m in points) == int(st.geo.all_empty.sum())
    with pytest.raises(ValueError, match="orders"):
        proposal_words.shown(st, 5, "random")


# -------------------------------------------------------------------------- the page
def drawn_svgs(at) -> dict[str, str]:
    """The described figures the page shows as inline SVG (``ui.figure.show_drawing``): key -> the SVG painted."""
    found = {}

    def walk(node) -> None:
        if getattr(node, "type", None) == "bidi_component" and node.proto.component_name == "roi_viz.figure":
            found[node.proto.form_id or node.proto.id] = json.loads(node.proto.json)["svg"]
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at.main)
    return found


def svg_texts(svg: str) -> list[str]:
    import xml.etree.ElementTree as ET

    return [t.text for t in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}text")]


def test_view_is_in_the_link_both_ways():
    assert "proposals" in link.VIEWS and VIEWS["proposals"][0] == "Proposals"
    params = link.to_params(link.Link(view="proposals"))
    assert params["view"] == "proposals"
    back, notices = link.from_params({k: v if isinstance(v, list) else [v] for k, v in params.items()})
    assert back.view == "proposals" and not notices


def test_page_shows_the_proposals_and_a_pick_opens_the_walkthrough():
    at = AppTest.from_file(APP, default_timeout=240)
    at.query_params["view"] = "proposals"
    at.run()
    assert not at.exception
    text = page_text(at)
    assert "proposed **2,000 boxes**" in text
    assert len(figures(at)) == 4, "the proposals on the photo, the distribution, the scatter and the pyramid"
    assert "of the proposals have at least one empty bin" in text
    # The slider changes how many are drawn, half the worst and half the best, and the words say so.
    widget(at, "slider", "Proposals drawn").set_value(11).run()
    text = page_text(at)
    assert "Drawn: the 6 proposals that keep the least (solid orange) and the 5 that keep the most" in text
    assert "the 6 worst and the 5 best of 2,000 proposals, 11 boxes" in figures(at)[0]
    pick = widget(at, "selectbox", "Pick a proposal")
    worst = pick.options[0]
    s = page_state(at)
    before = len(s.store)
    at.button(key="proposal-follow").click().run()
    assert not at.exception
    s = page_state(at)
    assert len(s.store) == before + 1 and s.store.active == before and s.place.view == "walk"
    x, y, w, h = s.store.box(s.store.active, s.photo.dims)
    assert worst.startswith(f"#") and f"({x:g}, {y:g}, {w:g} × {h:g})" in worst
    assert f"x = {x:g}, y = {y:g}, size w = {w:g} × h = {h:g}" in page_text(at)  # the walkthrough's step 1


# ---------------------------------------------------------------------------- the CLI
def test_cli_prints_the_summary_and_writes_the_table(tmp_path, capsys):
    out = tmp_path / "p.csv"
    assert cli_main(["explain", "--proposals", "--proposals-csv", str(out)]) == 0
    text = capsys.readouterr().out
    assert "Proposals: 2000; RoI pooling at pool5, 3 x 3" in text
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert len(rows) == 2000 and tuple(rows[0]) == proposals.CSV_COLUMNS
    cov = np.array([float(r["coverage"]) for r in rows])
    assert f"median {100 * np.median(cov):.1f} %" in text
    assert f"keeping less than half: {100 * (cov < 0.5).mean():.1f} %" in text


def test_cli_refuses_a_table_without_proposals(tmp_path, capsys):
    assert cli_main(["explain", "--proposals-csv", str(tmp_path / "p.csv")]) == 2
    assert "--proposals" in capsys.readouterr().err


def test_the_views_options_travel_in_the_link():
    """``view=proposals&drawn=500&order=largest``: the class sees the same drawing."""
    at = AppTest.from_file(APP, default_timeout=180)
    for k, v in {"view": "proposals", "drawn": "500", "order": "largest"}.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception
    place = page_state(at).place
    assert (place.proposals_drawn, place.proposals_order, place.proposals_mode) == (500, "largest", "fast")
    assert widget(at, "slider", "Proposals drawn").value == 500
    assert at.query_params["drawn"] == "500" and at.query_params["order"] == "largest"
    # All three figures are described and painted inline: the 500 largest boxes outlined (too many to name each on
    # a hover, and the figure says so), the histograms with their medians, the scatter with its axis.
    svgs = list(drawn_svgs(at).values())
    assert len(svgs) == 4, "the photo, the distribution, the scatter and the pyramid, each an inline SVG"
    photo, dist, size, _ = svgs
    assert photo.count('data-kind="proposal"') == 500 and "<title>" not in photo
    assert "500 boxes drawn, each outlined in the colour of the share it keeps: too many to name each on a hover" \
        in " ".join(svg_texts(photo))
    assert "500 of 2,000 proposals, by what RoI pooling keeps (pool5)" in " ".join(svg_texts(photo))
    assert any(re.fullmatch(r"RoI pooling, rounded down \(article\): median \d+\.\d %", t) for t in svg_texts(dist))
    assert re.search(r'data-kind="bar"><title>RoI pooling, rounded down \(article\): 0 % to 5 %: [\d,]+ boxes?</title>',
                     dist)
    assert "Coverage against size: the small ones lose most" in svg_texts(size) and "3 cells" in svg_texts(size)
    assert size.count("<title>Proposal ") == 2000
    assert "The proposals on the photo, coloured by the share that reaches the output" in figures(at)[0]


@pytest.mark.parametrize("order", ["largest", "ends"])
def test_presenter_mode_draws_every_figure_large_enough_for_the_room(order):
    """On a projector each of the three described figures is sized to the screen with its type made larger: every
    text at least 18 px at the width it may grow to."""
    at = AppTest.from_file(APP, default_timeout=240)
    for k, v in {"view": "proposals", "present": "1", "order": order, "drawn": "40"}.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception
    svgs = list(drawn_svgs(at).values())
    assert len(svgs) == 4
    for svg in svgs:
        shown = float(re.search(r"max-width: ([\d.]+)px", svg).group(1))
        width = float(re.search(r'viewBox="0 0 ([\d.]+) ', svg).group(1))
        smallest = min(float(v) for v in re.findall(r'<text [^>]*font-size="([\d.]+)"', svg))
        assert smallest * shown / width >= 18, (svg_texts(svg)[:2], smallest, shown, width)


def test_page_opens_on_both_settings_then_the_articles_own_heading(astronaut):
    """The bare link: the article's setting. The page leads with both settings' shares on this photo's boxes, says
    why the article's is so high, tells training from test, and draws the 20 worst and the 20 best."""
    img, boxes = astronaut
    at = AppTest.from_file(APP, default_timeout=240)
    at.query_params["view"] = "proposals"
    at.run()
    assert not at.exception
    text = page_text(at)
    assert "| | The article's setting | Fast R-CNN's setting |" in text
    a = shares(boxes, proposals.map_size(img.size, 32), 32, 3, "article")
    f = shares(boxes, proposals.map_size(img.size, 16), 16, 7, "fastrcnn")
    assert f"| Output all zeros | **{pct(a['share_all_empty'])}** | **{pct(f['share_all_empty'])}** |" in text
    assert (f"| Keep less than half of their area | **{pct(a['share_below_half'])}** | "
            f"**{pct(f['share_below_half'])}** |") in text
    # The comparison comes first: before the setting's own heading, the search's count and the figure's words.
    first = [m.value for m in at.markdown]
    where = {key: next(i for i, m in enumerate(first) if key in m)
             for key in ("The article's setting | Fast R-CNN's setting", "##### At the article's setting",
                         "proposed **2,000 boxes**", "Drawn: the 20")}
    assert list(where.values()) == sorted(where.values()), where
    assert "as Fast R-CNN saw them" not in text.lower()
    # Why: the median shorter side against one pool5 cell, both computed here.
    med = float(np.median(np.minimum(boxes[:, 2], boxes[:, 3])))
    assert f"the median proposal's shorter side is **{num(med)} px**, {cells(med / 32)} of pool5" in text
    # Training against test.
    assert ("Fast R-CNN ran it on the original photo and scaled the boxes with the photo; this page runs it on "
            "the model input (512 × 512 px)") in text
    assert ("At test time Fast R-CNN pooled about 2,000 boxes per image; in training it sampled only 64 RoIs per "
            "image (128 per mini-batch of 2 images, 25 % of them foreground") in text
    # The figure: 20 worst and 20 best, the very boxes the page's study picks.
    st = proposal_words.study(boxes, map_size=(16, 16), stride=32, output_size=(3, 3), scheme="article", layer="pool5")
    worst, best = proposal_words.ends(st, page_state(at).place.proposals_drawn)
    assert len(worst) + len(best) == 40
    alt = figures(at)[0]
    assert alt.startswith("The photo with the 20 worst and the 20 best of 2,000 proposals, 40 boxes")
    assert f"keeping {pct(st.geo.coverage[worst].max())} of their area" in alt
    assert "drawn" not in at.query_params and "order" not in at.query_params  # the default draws the ends


def test_page_at_fast_rcnns_setting_says_so(astronaut):
    img, boxes = astronaut
    at = AppTest.from_file(APP, default_timeout=240)
    for k, v in {"view": "proposals", "layer": "conv5_3", "rule": "fastrcnn", "out": "7"}.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception
    text = page_text(at)
    assert "##### As Fast R-CNN saw them: conv5_3 (stride 16), 7 × 7 bins, Fast R-CNN's code" in text
    f = shares(boxes, (32, 32), 16, 7, "fastrcnn")
    a = shares(boxes, (16, 16), 32, 3, "article")
    assert f"| Output all zeros | **{pct(a['share_all_empty'])}** | **{pct(f['share_all_empty'])}** |" in text
    med = float(np.median(np.minimum(boxes[:, 2], boxes[:, 3])))
    assert f"the median proposal's shorter side is **{num(med)} px**, {cells(med / 16)} of conv5_3" in text
    assert "Why so many all-zero outputs" not in text
    assert f"**{pct(f['share_all_empty'])}** of these proposals give all zeros" in text
    assert figures(at)[0].startswith("The photo with the 20 worst and the 20 best of 2,000 proposals, 40 boxes, "
                                     "at conv5_3, Fast R-CNN's code")

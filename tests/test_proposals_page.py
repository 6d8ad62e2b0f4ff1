"""The Proposals view (AppTest), its figures and words, its CSV, and `explain --proposals`."""
import csv
import io
import json
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from conftest import figures, page_state, page_text, widget
from roi_viz import link, proposals as P
from roi_viz.cli import main as cli_main
from roi_viz.draw import proposals as D
from roi_viz.lesson import proposals as L
from roi_viz.lesson.views import VIEWS
from roi_viz.model import images, samples

APP = str(Path(__file__).resolve().parent.parent / "app.py")


@pytest.fixture(scope="module")
def astronaut():
    img = images.prepare_input(images.load_file(samples.get_sample("astronaut").path), 512)[0]
    return img, P.selective_search(img)


# ------------------------------------------------------------------ words and figures
@pytest.mark.parametrize("layer, stride, side, out", [("pool5", 32, 16, (3, 3)), ("conv5_3", 16, 32, (7, 7))])
@pytest.mark.parametrize("scheme", ["article", "fastrcnn"])
def test_words_say_the_numbers_the_arrays_hold(astronaut, layer, stride, side, out, scheme):
    img, boxes = astronaut
    st = L.study(boxes, map_size=(side, side), stride=stride, output_size=out, scheme=scheme, layer=layer)
    geo = P.geometry(boxes, map_size=(side, side), stride=stride, output_size=out, scheme=scheme)
    np.testing.assert_array_equal(st.geo.coverage, geo.coverage)
    words = L.empty_words(st)
    assert f"**{100 * (geo.empty_bins > 0).mean():.1f} %**" in words
    assert f"**{100 * geo.all_empty.mean():.1f} %**" in words
    dist = L.distribution_words(st)
    for label, cov in st.coverage.items():
        assert f"**{label}**: median {100 * np.median(cov):.1f} %; {100 * (cov < 0.5).mean():.1f} %" in dist
    small = st.short_side < min(out)
    if small.any():
        assert f"{int(small.sum()):,} proposals shorter than {min(out)} cells keep {100 * geo.coverage[small].mean():.1f} %" \
            in L.size_words(st)
    # The list is sorted by loss, the worst first, and a label names its box and its share.
    order = L.by_loss(st)
    assert (np.diff(geo.coverage[order]) >= 0).all()
    assert f"keeps {100 * geo.coverage[order[0]]:.1f} %" in L.pick_label(st, int(order[0]))


def test_the_figures_mark_what_the_words_say(astronaut):
    img, boxes = astronaut
    st = L.study(boxes, map_size=(16, 16), stride=32, output_size=(3, 3), scheme="article", layer="pool5")
    shown = L.shown(st, 150, "largest")
    areas = boxes[:, 2] * boxes[:, 3]
    assert len(shown) == 150 and areas[shown].min() >= np.delete(areas, shown).max()
    fig = D.fig_on_photo(img, boxes, st.geo.coverage, shown, title="t")
    assert len(fig.axes[0].collections[0].get_paths()) == 150  # one outline per box drawn
    fig = D.fig_distribution(st.coverage)
    titles = [ax.get_title(loc="left") for ax in fig.axes]
    for label, cov in st.coverage.items():
        assert f"{label}: median {100 * np.median(cov):.1f} %" in titles
        ax = fig.axes[titles.index(f"{label}: median {100 * np.median(cov):.1f} %")]
        assert sum(p.get_height() for p in ax.patches) == len(cov)  # every proposal counted once
    fig = D.fig_by_size(st.short_side, st.geo.coverage, st.geo.all_empty, 3, layer="pool5")
    ax = fig.axes[0]
    assert sum(len(c.get_offsets()) for c in ax.collections) == st.count
    assert len(ax.collections[1].get_offsets()) == int(st.geo.all_empty.sum())
    with pytest.raises(ValueError, match="orders"):
        L.shown(st, 5, "random")


# -------------------------------------------------------------------------- the page
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
    assert "Every proposal, as Fast R-CNN saw them" in text
    assert "proposed **2,000 boxes**" in text
    assert len(figures(at)) == 3, "the proposals on the photo, the distribution and the scatter"
    assert "of the proposals have at least one empty bin" in text
    # The slider changes how many are drawn, and the words say so.
    widget(at, "slider", "Proposals drawn").set_value(40).run()
    assert "Drawn: 40 of 2,000" in page_text(at)
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
    assert len(rows) == 2000 and tuple(rows[0]) == P.CSV_COLUMNS
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

"""A fifth method, registered by this test alone, reaches every part of the library.

Average RoI pooling: the article's whole-cell bins with a mean instead of a
maximum. Its op, its record and its two steps of its own are written here; no
other file names it. The link, the CLI, the JSON, the handout, the comparison and
the walkthrough must all carry it.
"""
import dataclasses
import json
import re
from urllib.parse import parse_qs, urlencode

import numpy as np
import pytest
from matplotlib.figure import Figure
from PIL import Image

from roi_viz import export, link, methods, walkthrough
from roi_viz.cli import main
from painted import fig_compare, fig_slide
from roi_viz.picture.files import to_png
from roi_viz.figures.frame import Sheet
from roi_viz.lesson import words
from roi_viz.state.settings import Settings
from roi_viz.ops.roipool import roi_pool
from roi_viz.ops.sliding import slide_roi

KEY = "avgpool"
ROI = (296.0, 192.0, 200.0, 145.0)


def avg_pool(fm, roi, s: Settings):
    """RoI pooling's bins, each averaged: the mean of its whole cells (0 for an empty bin)."""
    t = roi_pool(fm, roi, stride=s.stride, output_size=s.output_size, scheme=s.scheme)
    fm = np.asarray(fm)
    out = np.zeros_like(t.output)
    for i, row in enumerate(t.bins):
        for j, (r0, r1, c0, c1) in enumerate(row):
            if r1 > r0 and c1 > c0:
                out[:, i, j] = fm[:, r0:r1, c0:c1].mean(axis=(1, 2))
    return dataclasses.replace(t, output=out, argmax=np.full_like(t.argmax, -1))


def describe_average(scene, *, width: float = 800.0, text: float = 15.0):
    """Its own step's figure, described: a title and bin (0, 0)'s mean in words."""
    sheet = Sheet(width, text)
    sheet.title("The mean of each bin")
    sheet.note(words_average(scene))
    return sheet.done("The mean of each bin.")


def words_average(scene) -> str:
    r = scene.chosen
    return f"Each bin keeps the mean of its cells: bin (0, 0) gives {words.value(r.output[scene.channel, 0, 0])}."


def describe_output(scene, *, width: float = 800.0, text: float = 15.0):
    sheet = Sheet(width, text)
    sheet.title("Output and coverage")
    sheet.note(words_output(scene))
    return sheet.done("Output and coverage.")


def words_output(scene) -> str:
    return f"A {scene.chosen.output_size[0]} × {scene.chosen.output_size[1]} answer, {words.pct(scene.chosen.coverage)} of the RoI."


RECORD = methods.Method(
    KEY, "Average RoI pooling", "AvgPool", ("scheme",), ("#8c564b", (0, (6, 1, 1, 1)), "v"), avg_pool,
    lambda t: f"Average RoI pooling ({t.scheme} rounding)", lambda s: "Average RoI pooling (the mean of each bin)",
    ("image", "features", "quantize", "bins", "average", "output"), snaps_to_cells=True, whole_cell_bins=True,
)
OWN_STEPS = (
    walkthrough.Step("average", "Average pooling", describe_average, words_average),
    walkthrough.Step("output", "Output and coverage", describe_output, words_output),
)


@pytest.fixture
def fifth(monkeypatch):
    """The registries with the fifth method in them, for this test only (monkeypatch puts them back)."""
    monkeypatch.setitem(methods.METHODS, KEY, RECORD)
    monkeypatch.setitem(methods.NAMES, KEY, RECORD.name)
    for s in OWN_STEPS:
        monkeypatch.setitem(walkthrough.OWN, (KEY, s.key), s)
    return RECORD


@pytest.fixture
def scene(fifth):
    fm = np.random.default_rng(5).standard_normal((6, 16, 16)).astype(np.float32)
    image = Image.new("RGB", (512, 512), (120, 90, 60))
    return methods.build_scene(image, fm, [ROI, (10, 20, 150, 100)], 0, Settings(method=KEY), pretrained=False)


def mean_of_bins(fm, bins, channel):
    """Each bin's mean, cell by cell in plain Python; 0 for an empty bin, as RoI pooling writes."""
    out = []
    for row in bins:
        out.append([])
        for r0, r1, c0, c1 in row:
            cells = [float(fm[channel, r, c]) for r in range(r0, r1) for c in range(c0, c1)]
            out[-1].append(sum(cells) / len(cells) if cells else 0.0)
    return out


def test_register_adds_it_and_refuses_a_key_twice(monkeypatch):
    monkeypatch.setattr(methods, "METHODS", dict(methods.METHODS))
    monkeypatch.setattr(methods, "NAMES", dict(methods.NAMES))
    methods.register(RECORD)
    assert methods.method(KEY) is RECORD and methods.NAMES[KEY] == "Average RoI pooling"
    with pytest.raises(ValueError, match="already"):
        methods.register(RECORD)


def test_the_op_is_the_mean_of_each_bin_on_random_cases(fifth):
    rng = np.random.default_rng(0)
    for _ in range(50):
        fm = rng.standard_normal((3, 16, 16)).astype(np.float32)
        x, y = rng.uniform(0, 300, 2)
        roi = (x, y, rng.uniform(64, 200), rng.uniform(64, 200))
        s = Settings(method=KEY, scheme=str(rng.choice(["article", "fastrcnn"])), output_size=(2, 3))
        t = methods.method(KEY).run(fm, roi, s)
        np.testing.assert_allclose(t.output[1], mean_of_bins(fm, t.bins, 1), rtol=1e-5, atol=1e-6)  # float32 sums
        # Below the maximum of the same bins, strictly where a bin holds more than one cell.
        most = roi_pool(fm, roi, stride=32, output_size=(2, 3), scheme=s.scheme).output
        many = np.array([[(r1 - r0) * (c1 - c0) > 1 for r0, r1, c0, c1 in row] for row in t.bins])
        assert (t.output <= most + 1e-6).all() and (t.output[:, many] < most[:, many]).all()


def test_the_link_round_trips_it(fifth):
    state = dataclasses.replace(link.DEFAULT, settings=Settings(method=KEY, scheme="fastrcnn"), step=4)
    params = link.to_params(state)
    assert params["method"] == KEY
    back, notices = link.from_params(parse_qs(urlencode(params, doseq=True), keep_blank_values=True))
    assert notices == [] and back == state
    # Step 6 exists for it (its plan has six steps); step 7 does not.
    _, notices = link.from_params({"method": [KEY], "step": ["7"]})
    assert len(notices) == 1 and "step" in notices[0]


def test_the_cli_offers_and_runs_it(fifth, capsys, tmp_path):
    assert main(["explain", "--method", KEY, "--json", "--figures", str(tmp_path)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["method"] == KEY and len(data["figures"]) == len(RECORD.plan)
    assert data["pool"]["bins"] == [[list(b) for b in row] for row in data["bins"]]
    assert main(["explain", "--method", KEY]) == 0
    out = capsys.readouterr().out
    assert "Average RoI pooling (article rounding)" in out and "== Step 5: Average pooling ==" in out


def test_the_json_carries_its_numbers(scene):
    data = export.numbers(scene)
    assert data["method"] == KEY and data["settings"]["method"] == KEY
    expected = mean_of_bins(scene.features, scene.chosen.bins, scene.channel)
    np.testing.assert_allclose(data["method_output_channel"], expected, rtol=1e-6)
    assert data["pool"] == scene.chosen.details()["pool"] and data["pool"]["scheme"] == "article"
    json.dumps(data)


def test_the_handout_names_it_and_has_a_page_per_step(scene):
    pdf = export.handout_pdf(scene, title="grey")
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == 1 + len(RECORD.plan)
    # The document's title, as the PDF writes a string: parentheses escaped.
    assert rb"/Title (Average RoI pooling \(article rounding\), step by step: grey)" in pdf


def test_the_comparison_includes_it(scene):
    traces = methods.run_all(scene.features, ROI, scene.settings)
    assert list(traces)[-1] == KEY and len(traces) == len(methods.METHODS)
    # Drawn as a whole-cell method: its column reads blocks of whole cells (or Fast R-CNN's bin edges), named.
    from roi_viz.figures.compare import describe_compare
    from roi_viz.picture.spec import Text

    d = describe_compare(scene, traces, methods.METHODS)
    assert RECORD.short == " ".join(m.text for _, m in d.marks(Text) if m.kind == "method" and m.colour == RECORD.style[0])
    reads_panel = d.panels[2 * (len(traces) - 1)]
    assert any(m.kind == "bin" for m in reads_panel.marks) and not any(m.kind == "sample" for m in reads_panel.marks)
    png = to_png(fig_compare(scene, traces, methods.METHODS), 50)
    assert png[:4] == b"\x89PNG"
    table = words.compare_table(scene, traces, methods.NAMES, methods.labels(traces))
    assert "Average RoI pooling (article rounding)" in table and "| Average RoI pooling |" in table
    slide = slide_roi(scene.features, ROI, methods.runners(scene.settings), stride=32, output_size=(3, 3),
                      channel=scene.channel, bin=(1, 1), axis="x", steps=9)
    assert KEY in slide.values
    assert to_png(fig_slide(scene, slide, methods.METHODS), 50)[:4] == b"\x89PNG"


def test_the_walkthrough_draws_and_tells_every_step(scene):
    steps = walkthrough.steps(KEY)
    assert [s.key for s in steps] == list(RECORD.plan)
    assert steps[4] is OWN_STEPS[0] and steps[5] is OWN_STEPS[1]
    assert steps[2] is walkthrough.steps("pool")[2]  # what it shares with RoI pooling is RoI pooling's step
    for step in steps:
        fig = step.figure(scene)
        assert isinstance(fig, Figure) and fig.axes
        assert step.words(scene).strip()
    mean00 = scene.chosen.output[scene.channel, 0, 0]
    assert words.value(mean00) in steps[4].words(scene)


def test_the_quiz_offers_it_no_beyond_question_but_asks_its_bins(fifth):
    from roi_viz import quiz

    assert KEY not in quiz.beyond_methods()
    asks = quiz.asks_for((296, 192, 200, 145), Settings(method=KEY))
    assert [a.step for a in asks] == [a.step for a in quiz.asks_for((296, 192, 200, 145), Settings())]
    assert {a.step for a in asks} <= set(RECORD.plan)  # every answer links to a step it has
    assert "Average RoI pooling" in quiz.method_words(Settings(method=KEY))


def test_the_sidebar_offers_it_and_the_page_walks_through_it(fifth):
    """The page's sidebar reads the records and the declared options: the fifth method is a choice there, its
    options (the rounding rule) appear, and choosing it walks through its own steps, with its name in the link."""
    from helpers import APP

    from streamlit.testing.v1 import AppTest

    from helpers import page_text, widget

    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    radio = widget(at, "radio", "How the RoI becomes a fixed-size tensor")
    assert KEY in radio.options or RECORD.name in radio.options, radio.options
    radio.set_value(KEY).run()
    assert not at.exception
    assert widget(at, "radio", "Rounding rule")  # the option the record reads is offered
    assert f"Walkthrough: {RECORD.name}" in page_text(at)
    widget(at, "radio", "Step").set_value(4).run()
    assert "Step 5: Average pooling" in page_text(at)
    assert at.query_params["method"] == KEY


# ------------------------------------------------- a twin: an existing method's record under a new key and name
# Built from each of the four records' traits (dataclasses.replace): whatever the library, the views and the
# board know of a method, they must read from the record, so the twin must behave exactly as its source does.
SOURCES = ("pool", "align", "warp", "prroi")
TWIN = "twin"


def twin_of(source: str) -> methods.Method:
    rec = methods.METHODS[source]
    return dataclasses.replace(rec, key=TWIN, name=f"Twin of {rec.name}", short=f"Twin {rec.short}")


@pytest.fixture(params=SOURCES)
def twin(request, monkeypatch):
    """The registries with a twin of one existing method in them, for this test only."""
    rec = twin_of(request.param)
    monkeypatch.setitem(methods.METHODS, TWIN, rec)
    monkeypatch.setitem(methods.NAMES, TWIN, rec.name)
    return request.param, rec


def twin_scenes(source: str, seed: int = 3):
    """The same map, boxes and settings under the source method and under its twin."""
    rng = np.random.default_rng(seed)
    fm = rng.standard_normal((4, 16, 16)).astype(np.float32)
    image = Image.new("RGB", (512, 512))
    base = Settings(output_size=(3, 3), sampling_ratio=2, aligned=True)
    return tuple(methods.build_scene(image, fm, [ROI], 0, dataclasses.replace(base, method=k), pretrained=False)
                 for k in (source, TWIN))


def test_the_backward_pass_runs_the_twin_as_its_source(twin):
    from roi_viz.study import backward

    source, rec = twin
    fm = np.random.default_rng(1).standard_normal((3, 16, 16))
    s = Settings(method=TWIN, sampling_ratio=2)
    opts = rec.options_for(s)
    assert opts == methods.METHODS[source].options_for(dataclasses.replace(s, method=source))
    assert backward.options_of(TWIN) == tuple(opts)
    kw = dict(stride=32, output_size=(3, 3), **opts)
    np.testing.assert_array_equal(backward.feature_gradient(TWIN, fm, ROI, **kw),
                                  backward.feature_gradient(source, fm, ROI, **kw))
    ours, theirs = backward.box_gradient(TWIN, fm, ROI, **kw), backward.box_gradient(source, fm, ROI, **kw)
    assert (ours.value, ours.jump, ours.surrogate) == (theirs.value, theirs.jump, theirs.surrogate)
    assert (ours.surrogate is not None) == rec.surrogate
    # The words name the twin where they name a method at all.
    assert ours.words.replace(rec.name, methods.METHODS[source].name) == theirs.words
    slide = backward.derivative_along_slide(TWIN, fm, ROI, steps=9, **kw)
    same = backward.derivative_along_slide(source, fm, ROI, steps=9, **kw)
    np.testing.assert_array_equal(slide.values, same.values)
    assert (slide.jumps, slide.kinks) == (same.jumps, same.kinks)
    with pytest.raises(ValueError, match="takes the options"):
        backward.feature_gradient(TWIN, fm, ROI, stride=32, magic=1)


def test_the_training_view_tells_the_twins_gradient_in_its_sources_words(twin):
    from roi_viz.lesson.training import backward_pass, refine_box, refinement_words, training_words

    source, rec = twin
    theirs, ours = twin_scenes(source)
    a, b = backward_pass(theirs, (1, 1), 0, steps=11), backward_pass(ours, (1, 1), 0, steps=11)
    np.testing.assert_array_equal(a.gradient, b.gradient)
    words = training_words(b, rec.name)
    assert words == training_words(a, rec.name)
    assert rec.gradient_words in words and rec.box_words in words
    assert ("MNC's surrogate" in words) == rec.surrogate
    runs = [refine_box(ours, TWIN, (1, 1), 0, steps=3)]
    if rec.surrogate:
        runs.append(refine_box(ours, TWIN, (1, 1), 0, steps=3, surrogate=True))
    else:
        with pytest.raises(ValueError, match="surrogate"):
            refine_box(ours, TWIN, (1, 1), 0, surrogate=True)
    assert runs[0].boxes == refine_box(theirs, source, (1, 1), 0, steps=3).boxes
    assert f"| {rec.name} |" in refinement_words(runs, methods.NAMES)


def test_a_method_without_a_forward_function_is_refused_in_a_sentence(scene):
    """The average pooling above names no forward function: the view says it has no backward pass, no KeyError."""
    from roi_viz.lesson.training import backward_pass, refine_box

    with pytest.raises(ValueError, match="Average RoI pooling has no backward pass here"):
        backward_pass(scene, (0, 0), scene.channel)
    run = refine_box(scene, KEY, (0, 0), scene.channel)
    assert run.stopped == "it has no backward pass here" and run.moved == 0


def test_the_proposals_measure_the_twin_as_its_source(twin):
    from roi_viz.study import proposals
    from roi_viz.lesson import proposals as proposal_words

    source, rec = twin
    boxes = np.array([[0, 0, 100, 60], [37, 50, 200, 145], [300, 400, 212, 112], [5, 9, 40, 40]], dtype=float)
    cov = proposals.coverage_by_method(boxes, map_size=(16, 16), stride=32, output_size=(3, 3))
    assert tuple(cov) == proposals.coverage_methods() and len(cov) == len(proposals.COVERAGE_METHODS) + len(tuple(
        k for k in proposals.coverage_methods() if k.startswith(TWIN)))
    rules = ("article", "fastrcnn")
    pairs = ([(f"{TWIN}-{r}", f"{source}-{r}") for r in rules] if rec.snaps_to_cells else [(TWIN, source)])
    for ours, theirs in pairs:
        np.testing.assert_array_equal(cov[ours], cov[theirs])
    # Each snapping method's share is its own trace's coverage, box by box.
    fm = np.zeros((1, 16, 16), np.float32)
    for k, (ours, _) in enumerate(pairs):
        s = Settings(method=TWIN, scheme=rules[k % 2] if rec.snaps_to_cells else "article")
        for i, b in enumerate(boxes):
            t = rec.run(fm, tuple(b), s)
            if rec.snaps_to_cells:
                assert cov[ours][i] == pytest.approx(t.coverage, abs=1e-6)
    # The distribution figure keeps its four panels; the twin is named in its source's.
    st = proposal_words.study(boxes, map_size=(16, 16), stride=32, output_size=(3, 3), scheme="article", layer="pool5")
    assert len(st.coverage) == 4
    panel = next(label for label in st.coverage if (rec.name if rec.snaps_to_cells else rec.short) in label)
    assert (methods.METHODS[source].name if rec.snaps_to_cells else methods.METHODS[source].short) in panel
    # The batched pooling takes the twin where torchvision has its source's function.
    if rec.batched:
        feats = np.random.default_rng(2).standard_normal((2, 16, 16)).astype(np.float32)
        np.testing.assert_array_equal(proposals.pool_all(feats, boxes, stride=32, method=TWIN),
                                      proposals.pool_all(feats, boxes, stride=32, method=source))
    else:
        with pytest.raises(ValueError, match="Pool with one of"):
            proposals.pool_all(fm, boxes, stride=32, method=TWIN)


def test_the_boards_data_carries_the_twins_traits_and_its_sources_legend(twin):
    from ui import board

    source, rec = twin
    assert TWIN in board.METHODS and TWIN in list(board.METHODS)
    for scheme in ("article", "fastrcnn"):
        args = dict(stride=32, map_size=None, output_size=(3, 3), scheme=scheme, sampling_ratio=2, size=(512, 512))
        ours, theirs = board._settings(method=TWIN, **args), board._settings(method=source, **args)
        assert ours["method"] == TWIN and ours["traits"] == theirs["traits"] == board.traits(rec)
        assert ours["legend"] == theirs["legend"] and ours["legend"].startswith("Magenta: the RoI")
        assert ("sampling points" in ours["legend"]) == rec.samples_points
        assert ("snaps to" in ours["legend"]) == rec.snaps_to_cells
        assert {k: v for k, v in ours.items() if k != "method"} == {k: v for k, v in theirs.items() if k != "method"}


def test_the_board_refuses_a_method_it_cannot_draw_in_a_sentence(monkeypatch):
    from ui import board

    blank = dataclasses.replace(methods.METHODS["prroi"], key="blank", name="Blank", integrates=False)
    monkeypatch.setitem(methods.METHODS, "blank", blank)
    assert "blank" not in board.METHODS
    with pytest.raises(ValueError, match="Unknown method 'blank'"):
        board._settings(32, None, (3, 3), "blank", "article", 2, (512, 512))


@pytest.mark.browser  # Chromium through the board harness, not the browser fixture
def test_the_boards_script_draws_the_twin_by_its_traits_as_its_source(twin):
    """In Chromium: geometry.js's ``geometryOf`` given the twin's traits (as Python sends them) gives the geometry
    of the source's own function, number for number."""
    from apps.board_harness import GEOMETRY_JS, chromium
    from ui import board

    source, rec = twin
    own = {"pool": "roiPool", "align": "roiAlign", "warp": "roiWarp", "prroi": "prroi"}[source]
    settings = {"stride": 32, "mapSize": [16, 16], "outputSize": [3, 2], "samplingRatio": 2, "aligned": True,
                "traits": board.traits(rec)}
    boxes = [[296, 192, 200, 145], [10, 20, 150, 100], [0, 0, 31, 47], [400, 300, 112, 212]]
    with chromium() as browser:
        page = browser.new_page()
        page.set_content("<!doctype html><title>geometry</title>")
        page.add_script_tag(content=GEOMETRY_JS.read_text())
        for scheme in ("article", "fastrcnn"):
            s = {**settings, "scheme": scheme}
            ours, theirs = page.evaluate(
                "([boxes, s, fn]) => [boxes.map(b => RoIGeometry.geometryOf(b, s)), boxes.map(b => RoIGeometry[fn](b, s))]",
                [boxes, s, own])
            assert ours == theirs and all(g["projected"] for g in ours)


def test_the_page_opens_the_twin_from_its_link_in_the_walkthrough_and_the_training_view(twin):
    """The page (AppTest: it runs in this process, where the twin is registered) with ``?method=twin``: the
    sidebar has it, the walkthrough names it, and the training view tells its gradient in its source's words,
    with its own name in the gradient steps' table; no exception, no error."""
    from helpers import APP

    from streamlit.testing.v1 import AppTest

    from helpers import notices, page_text, widget

    import streamlit as st

    source, rec = twin
    st.cache_data.clear()  # the page caches by the method's key, and every source's twin has the same key
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params["method"] = TWIN
    at.run()
    assert not at.exception and not notices(at, "error")
    assert widget(at, "radio", "How the RoI becomes").value == TWIN
    assert f"Walkthrough: {rec.name}" in page_text(at)
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params.update(method=TWIN, view="train")
    at.run()
    assert not at.exception and not notices(at, "error")
    text = page_text(at)
    assert "What the gradient reaches: one value followed backwards" in text
    assert rec.box_words in text and (rec.gradient_words in text or "is empty" in text)
    assert f"| {rec.name} |" in text and "| RoIWarp (MNC's surrogate) |" in text


def test_the_training_views_gradient_steps_follow_the_twins_surrogate(monkeypatch):
    from helpers import APP

    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from helpers import page_text

    rec = twin_of("warp")
    monkeypatch.setitem(methods.METHODS, TWIN, rec)
    monkeypatch.setitem(methods.NAMES, TWIN, rec.name)
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params.update(method=TWIN, view="train")
    at.run()
    assert not at.exception
    assert f"| {rec.name} (MNC's surrogate) |" in page_text(at)

"""Exports for slides: each file is opened and checked (pixels, pages, frames, the text on the handout, the JSON)."""
import io
import itertools
import json
import re
import zlib

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from PIL import Image

from roi_viz import export
from roi_viz.cli import main
from roi_viz.picture.files import SLIDE_DPI
from roi_viz.lesson.numbers import num, pct, value
from roi_viz.state.settings import FAST_RCNN, Settings
from roi_viz.methods import METHODS, build_scene, runners
from roi_viz.ops.roialign import roi_align
from roi_viz.ops.roipool import roi_pool
from roi_viz.ops.sliding import slide_roi
from roi_viz import walkthrough

ARTICLE_ROI = (296.0, 192.0, 200.0, 145.0)
RNG = np.random.default_rng(7)
FM16 = RNG.standard_normal((16, 16, 16)).astype(np.float32)  # pool5 of a 512 input: 16 x 16 cells
FM32 = RNG.standard_normal((16, 32, 32)).astype(np.float32)  # conv5_3: 32 x 32 cells
IMAGE = Image.fromarray(RNG.integers(0, 255, (512, 512, 3), dtype=np.uint8), "RGB")


def scene_for(settings: Settings, rois=(ARTICLE_ROI,), **kw):
    fm = FM32 if settings.layer == "conv5_3" else FM16
    return build_scene(IMAGE, fm, list(rois), 0, settings, **kw)


# The three settings the module's docstring promises limits for, and every method.
SETTINGS = {
    "article": Settings(),
    "fastrcnn": Settings(**FAST_RCNN),
    "align": Settings(method="align"),
    "warp": Settings(**{**FAST_RCNN, "method": "warp"}, sampling_ratio=0),
    "prroi": Settings(method="prroi", aligned=False),
}


def pdf_page_count(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b", data))


def pdf_page_texts(data: bytes) -> list[str]:
    """The text of each page, in page order, read from the PDF's content streams.

    Matplotlib keeps the character codes of ASCII text in its Type 3 fonts, and
    writes each character as its 2-byte code point in its TrueType (Type 42,
    ``/Identity-H``) fonts, so the strings of the ``TJ`` operators read as
    written once the kerning numbers between them are dropped. One line per
    text object.
    """
    encoding = "utf-16-be" if b"/Identity-H" in data else "latin-1"
    pages = []
    for m in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S):
        head = data[data.rfind(b" obj", 0, m.start()) : m.start()]
        if b"/Image" in head:
            continue
        try:  # the end of line before "endstream" stays in: a decompressor stops where the data does
            body = zlib.decompressobj().decompress(m.group(1)) if b"/FlateDecode" in head else m.group(1)
        except zlib.error:
            continue
        blocks = re.findall(rb"\nBT\n(.*?)\nET\n", body, re.S)
        if not any(b"TJ" in block for block in blocks):
            continue
        lines = []
        for block in blocks:
            parts = re.findall(rb"\((?:\\.|[^\\()])*\)", block, re.S)
            text = b"".join(_unescape(p[1:-1]) for p in parts)
            lines.append(text.decode(encoding))
        pages.append("\n".join(lines))
    return pages


def _unescape(s: bytes) -> bytes:
    return re.sub(rb"\\(.)", lambda m: {b"n": b"\n", b"r": b"\r"}.get(m.group(1), m.group(1)), s, flags=re.S)


def gif_frames(data: bytes):
    with Image.open(io.BytesIO(data)) as im:
        assert im.format == "GIF"
        durations = []
        for k in range(im.n_frames):
            im.seek(k)
            durations.append(im.info["duration"])
        return im.n_frames, im.size, im.info.get("loop"), durations


# ------------------------------------------------------------------ one figure
@pytest.mark.parametrize("method", list(METHODS))
@pytest.mark.slow
def test_figure_png_is_at_slide_resolution(method):
    scene = scene_for(Settings(method=method))
    steps = walkthrough.steps(method)
    for k in (1, len(steps) - 1):
        width_in, height_in = steps[k].figure(scene).get_size_inches()
        with Image.open(io.BytesIO(export.figure_png(scene, k))) as im:
            assert im.format == "PNG"
            assert im.size[0] >= width_in * SLIDE_DPI - 1 and im.size[1] >= height_in * SLIDE_DPI - 1
            assert round(im.info["dpi"][0]) == SLIDE_DPI
    with Image.open(io.BytesIO(export.figure_png(scene, 0, dpi=300))) as im:
        assert im.size[0] >= steps[0].figure(scene).get_size_inches()[0] * 300 - 1
    with pytest.raises(ValueError, match="steps 0 to"):
        export.figure_png(scene, len(steps))


# ------------------------------------------------------------------ the handout
@pytest.mark.parametrize("name", list(SETTINGS))
@pytest.mark.slow
def test_handout_has_the_settings_page_and_one_page_per_step(name):
    scene = scene_for(SETTINGS[name], rois=(ARTICLE_ROI, (10, 20, 100, 50)))
    steps = walkthrough.steps(scene.method)
    calls = []
    data = export.handout_pdf(scene, title="Astronaut", progress=lambda d, t: calls.append((d, t)))
    assert data.startswith(b"%PDF") and len(data) < 20 * 2**20
    assert pdf_page_count(data) == 1 + len(steps)
    assert calls == [(k, 1 + len(steps)) for k in range(1, 2 + len(steps))]
    pages = pdf_page_texts(data)
    assert len(pages) == 1 + len(steps)
    cover = pages[0]
    s = scene.settings
    t = scene.pooled
    for text in ("Astronaut", "512", s.layer, f"{s.stride} pixels per cell", scene.method_name,
                 f"{s.output_size[0]}", "x 296, y 192, w 200, h 145 px (followed)", "x 10, y 20, w 100, h 50 px",
                 f"{scene.channel} (the strongest inside the RoI)", "Projected box", "Quantized box", "Lost",
                 "Gained", pct(t.coverage).replace(" ", ""), pct(scene.chosen.coverage).replace(" ", "")):
        assert text.replace(" ", "") in cover.replace(" ", ""), text
    for k, step in enumerate(steps, 1):
        assert f"Step {k}/{len(steps)}: {step.title}" in pages[k]
        assert f"page {k + 1} of {len(steps) + 1}" in pages[k]


def test_handout_cover_prints_the_article_numbers():
    scene = scene_for(Settings())
    cover = pdf_page_texts(export.handout_pdf(scene))[0]
    for text in ("x 9.25, y 6, w 6.25, h 4.53125 cells", "x 9, y 6, w 6, h 4 cells", "5.32 cells",
                 "60.9", "rows 6 to 9", "columns 9 to 14", "6 cells dropped", "the article's"):
        assert text.replace(" ", "") in cover.replace(" ", ""), text
    assert "Fast R-CNN" not in cover


@pytest.mark.parametrize("method", list(METHODS))
@pytest.mark.slow
def test_handout_text_stays_on_the_page_and_never_overlaps(method):
    """The words are fitted by measuring them: nothing may run off the page or over other text."""
    scenes = [
        scene_for(Settings(**{**FAST_RCNN, "method": method}, sampling_ratio=0), focus=(1, 2, 1)),
        scene_for(Settings(method=method, layer="conv5_3", output_size=(4, 4), sampling_ratio=4),  # long, wide tables
                  rois=(ARTICLE_ROI, (0, 0, 60, 40), (200, 300, 10, 10)), pretrained=False),
    ]
    width, height = export.PAGE
    for scene in scenes:
        for page in export.handout._handout_pages(scene, "a rather long image title.jpeg"):
            page.set_dpi(288)  # fine enough that Agg's rounding of glyph widths does not matter
            renderer = FigureCanvasAgg(page).get_renderer()
            boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in page.texts if t.get_text().strip()]
            for text, box in boxes:
                bottom = 0.2 if re.search(r"page \d+ of \d+$", text) else 0.5  # only the footer goes below 0.5 in
                assert box.x0 >= 0.3 * 288 and box.x1 <= (width - 0.4) * 288, text
                assert box.y0 >= bottom * 288 and box.y1 <= (height - 0.3) * 288, text
            for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2):
                assert not box_a.overlaps(box_b), (a, b)


# ------------------------------------------------------------------ the GIFs
@pytest.mark.parametrize("name", list(SETTINGS))
@pytest.mark.slow
def test_walkthrough_gif_has_one_frame_per_step(name):
    scene = scene_for(SETTINGS[name])
    steps = walkthrough.steps(scene.method)
    calls = []
    data = export.walkthrough_gif(scene, progress=lambda d, t: calls.append((d, t)))
    n, size, loop, durations = gif_frames(data)
    assert n == len(steps) and loop == 0 and durations == [2000] * n
    assert len(data) < export.MAX_GIF_BYTES
    widest = max(s.figure(scene).get_size_inches()[0] for s in steps)
    assert size[0] >= widest * 60 - 1  # one canvas, as wide as the widest figure
    assert calls[-1] == (len(steps), len(steps))


@pytest.mark.parametrize("name", list(SETTINGS))
@pytest.mark.slow
def test_slide_gif_has_the_frames_asked_for(name):
    scene = scene_for(SETTINGS[name], focus=(1, 1, 0))
    calls = []
    data = export.slide_gif(scene, progress=lambda d, t: calls.append((d, t)))
    n, size, loop, durations = gif_frames(data)
    assert n == 16 and loop == 0 and len(data) < export.MAX_GIF_BYTES
    assert durations[-1] > durations[0]  # the end stays a while before the loop
    assert calls == [(k, 16) for k in range(1, 17)]
    n, *_ = gif_frames(export.slide_gif(scene, axis="y", cells=0.5, frames=5))
    assert n == 5


def test_slide_gif_prints_the_numbers_of_the_slide_view(monkeypatch):
    """Every frame prints each method's value and coverage as slide_roi computes them for the page."""
    scene = scene_for(Settings(method="align"), focus=(2, 1, 0))
    s = scene.settings
    slide = slide_roi(scene.features, scene.rois[0], runners(s), stride=s.stride, output_size=s.output_size,
                      channel=scene.channel, bin=(2, 1), axis="y", distance=2.0, steps=9)
    seen = []
    render = export.render._render

    def spy(fig, dpi):
        seen.append([t.get_text() for t in fig.texts])
        return render(fig, dpi)

    monkeypatch.setattr(export.render, "_render", spy)  # the one function every export draws with
    export.slide_gif(scene, axis="y", cells=2.0, frames=9)
    assert len(seen) == 9
    for k, texts in enumerate(seen):
        page = "\n".join(texts)
        assert f"moved down by {num(slide.offsets[k], 3)} cell" in page
        for m in METHODS:
            line = next(x for x in texts if x.startswith(METHODS[m].short + " "))
            assert value(float(slide.values[m][k])) in line and pct(slide.coverage[m][k]) in line, (k, m, line)
    assert len({tuple(t) for t in seen}) == 9  # every frame says something new


@pytest.mark.parametrize("kw, words", [
    (dict(axis="z"), "'x' or 'y'"), (dict(frames=1), "2 to"), (dict(cells=0), "not by 0"), (dict(cells=40), "up to"),
])
def test_slide_gif_refuses_what_it_cannot_draw(kw, words):
    with pytest.raises(ValueError, match=words):
        export.slide_gif(scene_for(Settings()), **kw)


# ------------------------------------------------------------------ the JSON
def test_numbers_of_the_article_example():
    scene = scene_for(Settings(), rois=(ARTICLE_ROI, (0, 0, 64, 64)))
    data = json.loads(json.dumps(export.numbers(scene, forward_ms=12.5, device="cpu", figures=["a.png"])))
    assert data["projected"] == [9.25, 6.0, 6.25, 4.53125]
    assert data["quantized"] == [9, 6, 6, 4]
    ref = roi_pool(FM16, ARTICLE_ROI, stride=32, output_size=(3, 3), scheme="article")
    assert data["coverage"] == pytest.approx(ref.coverage) and data["coverage"] == pytest.approx(17.25 / 28.3203125)
    assert np.allclose(data["output_channel"], ref.output[scene.channel])
    assert data["method_output_channel"] == data["output_channel"]
    assert data["areas"]["lost"] == 5.3203125 and data["areas"]["gained"] == 1.0
    assert data["layer"] == "pool5" and data["stride"] == 32 and data["output_shape"] == [3, 3, 16]
    assert data["rois"] == [list(ARTICLE_ROI), [0.0, 0.0, 64.0, 64.0]]
    assert data["settings"] == {"network": "vgg16", "input_size": 512, "shape": "square", "layer": "pool5", "method": "pool", "scheme": "article",
                                "output_size": [3, 3], "sampling_ratio": 2, "aligned": True, "align_mode": "avg",
                                "warp_mode": "max", "channel": None, "mean_view": False}
    assert data["forward_ms"] == 12.5 and data["device"] == "cpu" and data["figures"] == ["a.png"]
    assert export.numbers(scene)["forward_ms"] is None


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_numbers_of_a_random_roi_match_the_library(seed):
    rng = np.random.default_rng(seed)
    x, y = rng.uniform(0, 400, 2)
    roi = (float(x), float(y), float(rng.uniform(20, 512 - x)), float(rng.uniform(20, 512 - y)))
    settings = Settings(**{**FAST_RCNN, "method": "align"}, sampling_ratio=int(rng.integers(0, 4)), channel=3)
    data = export.numbers(scene_for(settings, rois=(roi,)))
    pool = roi_pool(FM32, roi, stride=16, output_size=(7, 7), scheme="fastrcnn")
    align = roi_align(FM32, roi, stride=16, output_size=(7, 7), sampling_ratio=settings.sampling_ratio,
                      aligned=True, mode="avg")
    assert data["projected"] == pytest.approx([v / 16 for v in roi])
    assert data["quantized"] == list(pool.quantized)
    assert data["coverage"] == pytest.approx(pool.coverage)
    assert data["channel"] == 3 and np.allclose(data["output_channel"], pool.output[3])
    assert np.allclose(data["method_output_channel"], align.output[3])
    assert data["method_coverage"] == pytest.approx(align.coverage)
    assert data["sampling"]["grid"] == list(align.grid)
    assert data["settings"]["channel"] == 3 and data["settings"]["output_size"] == [7, 7]


# ------------------------------------------------------------------ the CLI
@pytest.mark.slow
def test_cli_writes_the_handout_and_both_gifs(capsys, tmp_path):
    pdf, gif, slide = tmp_path / "h.pdf", tmp_path / "out" / "steps.gif", tmp_path / "slide.gif"
    assert main(["explain", "--method", "align", "--json", "--pdf", str(pdf), "--gif", str(gif),
                 "--gif-slide", str(slide), "--slide-axis", "y", "--slide-cells", "0.5", "--focus", "1,2"]) == 0
    out = capsys.readouterr()
    data = json.loads(out.out)
    assert data["exports"] == [str(pdf), str(gif), str(slide)]
    for path in (pdf, gif, slide):
        assert f"wrote {path}" in out.err
    pages = pdf_page_texts(pdf.read_bytes())
    assert pdf_page_count(pdf.read_bytes()) == 7 and len(pages) == 7
    assert "Astronaut" in pages[0] or "astronaut" in pages[0]
    assert "x9.25,y6,w6.25,h4.53125cells" in pages[0].replace(" ", "")
    assert gif_frames(gif.read_bytes())[0] == 6
    assert gif_frames(slide.read_bytes())[0] == 16


@pytest.mark.slow
def test_cli_text_mode_says_what_it_wrote(capsys, tmp_path):
    slide = tmp_path / "s.gif"
    assert main(["explain", "--gif-slide", str(slide)]) == 0
    assert f"wrote {slide}" in capsys.readouterr().out
    assert slide.read_bytes()[:6] == b"GIF89a"


def test_cli_refuses_a_slide_of_no_cells(capsys):
    with pytest.raises(SystemExit):
        main(["explain", "--slide-cells", "0"])
    assert "--slide-cells" in capsys.readouterr().err


def test_handout_lists_eight_rois_and_always_the_followed_one():
    rois = [(10.0 * k, 20.0, 40.0, 30.0) for k in range(12)]
    scene = build_scene(IMAGE, FM16, rois, 10, Settings())
    rows = dict(export.handout._settings_rows(scene, "photo.png"))
    assert rows["RoI 11"] == "x 100, y 20, w 40, h 30 px (followed)"
    assert "RoI 1" in rows and "RoI 8" in rows and "RoI 9" not in rows and "RoI 12" not in rows
    assert rows[""] == "and 3 more RoIs" and rows["Image"] == "photo.png"

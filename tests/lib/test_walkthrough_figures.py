"""Every step of every method, described once and shown where it is seen.

For each method's every step, both presets (the article's pool5 3 x 3 on a square input, Fast R-CNN's conv5_3
7 x 7 on the photo's proportions), outputs 1 x 1 to 7 x 7, trained and untrained (the red label takes a row),
the article's box, a tiny one and one at the image's edge:

- the step has a description (no Matplotlib picture on the page);
- on the page (560 px drawn into the 528-px lesson column of a 1366 x 768 laptop), on a projector (the
  drawing :func:`ui.figure.for_projector` picks, at the width it is shown) and on a phone (360 px): no text
  under 12 px (18 px presented), no two texts overlapping, no printed value crossed by a bin line, nothing
  outside the figure (:func:`layout_checks.problems`);
- every cell of a map or an output answers a hover with its row, column and value;
- the page's SVG and the files' Matplotlib show the same texts.

Then, in Chromium: the page's SVGs laid out by the browser itself in a 528-px column, in the shipped font.
"""
from __future__ import annotations

import dataclasses
import itertools
import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PIL import Image

from layout_checks import PAGE_LEAST, PRESENTED_LEAST, problems
from roi_viz.state.settings import ARTICLE, FAST_RCNN, Settings
from roi_viz.methods import METHODS, build_scene
from roi_viz.picture import svg
from roi_viz.picture.spec import Rect, Text
from roi_viz import walkthrough

PRESETS = {"article": ARTICLE, "fastrcnn": FAST_RCNN}
BOXES = {"article box": (296, 192, 200, 145), "tiny": (40, 300, 9, 7), "edge": (380, 0, 132, 90)}
IMAGE = Image.new("RGB", (512, 512), (90, 120, 150))
COLUMN_PX, PHONE = 528, 360.0


def scene_for(method: str, preset: str, out: int, box, pretrained: bool = True):
    settings = Settings().with_(**PRESETS[preset]).with_(method=method, output_size=(out, out), shape="square")
    side = 512 // settings.stride
    fm = np.random.default_rng(out * 7 + len(preset)).random((4, side, side)).astype(np.float32)
    scene = build_scene(IMAGE, fm, [box], 0, settings, focus=(out - 1, 0, 1))
    return dataclasses.replace(scene, pretrained=pretrained)


def cases():
    for method, preset, out in itertools.product(METHODS, PRESETS, (1, 2, 3, 5, 7)):
        for name, box in BOXES.items():
            if name != "article box" and out not in (2, 7):
                continue
            yield f"{method} {preset} {out}x{out} {name}", method, preset, out, box


CASES = list(cases())


@pytest.mark.parametrize("name,method,preset,out,box", CASES, ids=[c[0] for c in CASES])
@pytest.mark.slow
def test_every_step_is_described_and_laid_out_for_the_page_the_projector_and_the_phone(name, method, preset, out, box):
    from ui.figure import PAGE_TEXT, PAGE_WIDTH, for_projector

    scene = scene_for(method, preset, out, box, pretrained=out != 3)
    for step in walkthrough.steps(method):
        assert step.describe is not None, f"{method}'s step {step.key} is still a picture"
        page = step.describe(scene, width=PAGE_WIDTH, text=PAGE_TEXT)
        found = problems(page, COLUMN_PX, PAGE_LEAST)
        presented, shown = for_projector(lambda f: step.describe(scene, width=PAGE_WIDTH, text=PAGE_TEXT * f))
        found += [f"presented: {p}" for p in problems(presented, shown, PRESENTED_LEAST)]
        found += [f"phone: {p}" for p in problems(step.describe(scene, width=PHONE, text=PAGE_TEXT), PHONE, PAGE_LEAST)]
        assert not found, f"{name}, step {step.key}:\n" + "\n".join(found[:12])


CELL = re.compile(r"(.*, )?row (\d+), column (\d+): (-?[\d.]+(e[-+]?\d+)?)( .*)?")


@pytest.mark.parametrize("method", list(METHODS))
def test_every_cell_answers_a_hover_with_its_row_column_and_value(method):
    scene = scene_for(method, "article", 3, BOXES["article box"])
    chan = scene.features[scene.channel]
    for step in walkthrough.steps(method):
        d = step.describe(scene)
        cells = [m for _, m in d.marks(Rect) if m.kind in ("cell", "output")]
        if step.key == "image":
            continue  # a photo: no cells
        if step.key == "bins":  # no values drawn: each bin says which it is and its size
            faces = [m for _, m in d.marks(Rect) if m.kind == "bin face"]
            assert faces and all(re.fullmatch(r"bin \d+,\d+: .+", m.title) for m in faces), step.key
            continue
        assert cells, f"{method} step {step.key} has no cell to hover"
        for m in cells:
            found = CELL.fullmatch(m.title)
            assert found, (step.key, m.title)
            r, c = int(found[2]), int(found[3])
            assert (int(m.y), int(m.x)) == (r, c), (step.key, m.title)
            if m.kind == "cell" and "channel" in (found[1] or ""):  # a cell of the channel it names: its own value
                from roi_viz.lesson.numbers import value

                named = re.search(r"channel (\d+)", found[1])  # a position-sensitive bin shows its own channel
                own = scene.features[int(named[1])] if named else chan
                assert found[4] == value(float(own[r, c])), (step.key, m.title)


@pytest.mark.parametrize("method", list(METHODS))
@pytest.mark.slow
def test_the_svg_and_the_matplotlib_figure_show_the_same_texts(method):
    from roi_viz.picture import mpl

    scene = scene_for(method, "fastrcnn", 7, BOXES["article box"], pretrained=False)
    for step in walkthrough.steps(method):
        d = step.describe(scene)
        want = sorted(m.text for _, m in d.marks(Text))
        root = ET.fromstring(svg.paint(d))
        ns = "{http://www.w3.org/2000/svg}"
        assert sorted(t.text or "" for t in root.iter(f"{ns}text")) == want, step.key
        assert root.get("role") == "img" and root.get("aria-label") == d.alt
        fig = mpl.paint(d)
        assert sorted(t.get_text() for t in fig.texts) == want, step.key


MEASURE = """(svgs) => {
  const out = [];
  const host = document.getElementById('column');
  for (const s of svgs) {
    host.innerHTML = s;
    const root = host.querySelector('svg').getBoundingClientRect();
    const boxes = [...host.querySelectorAll('text')].map((t) => {
      const b = t.getBoundingClientRect();
      return {text: t.textContent, x: b.x, y: b.y, w: b.width, h: b.height,
              px: parseFloat(getComputedStyle(t).fontSize) * root.width / t.ownerSVGElement.viewBox.baseVal.width};
    });
    out.push({width: root.width, left: root.x, top: root.y, bottom: root.bottom, right: root.right, boxes});
  }
  return out;
}"""


def test_the_page_svgs_laid_out_by_chromium_in_the_528_px_column(browser, tmp_path):
    """The browser's own layout of every step's SVG, in the shipped font, in the lesson column of a 1366 x 768
    laptop: every text at least 12 px high, inside the figure, and no two texts' boxes overlapping (a glyph box
    may touch its neighbour's by a pixel of the browser's rounding)."""
    from roi_viz.picture import fonts
    from ui.figure import PAGE_TEXT, PAGE_WIDTH

    faces = "".join(f'@font-face {{ font-family: "{fonts.FAMILY}"; src: url("{fonts.FILES[w].as_uri()}"); '
                    f'font-weight: {700 if w == "bold" else 400}; }}' for w in fonts.FILES)
    page = tmp_path / "column.html"
    page.write_text(f"<!doctype html><style>{faces} body {{ margin: 0 }}</style><div id='column' "
                    f"style='width: {COLUMN_PX}px'></div>")
    svgs = []
    for method, preset, out in itertools.product(METHODS, PRESETS, (1, 3, 7)):
        scene = scene_for(method, preset, out, BOXES["article box"], pretrained=out != 3)
        svgs += [(f"{method} {preset} {out} {s.key}", svg.paint(s.describe(scene, width=PAGE_WIDTH, text=PAGE_TEXT)))
                 for s in walkthrough.steps(method)]
    pg = browser.new_page(viewport={"width": 1366, "height": 768})
    pg.goto(page.as_uri())
    pg.evaluate(f"document.fonts.load('13px \"{fonts.FAMILY}\"')")
    pg.wait_for_function("document.fonts.status === 'loaded'")
    laid = pg.evaluate(MEASURE, [s for _, s in svgs])
    pg.close()
    for (name, _), fig in zip(svgs, laid):
        assert abs(fig["width"] - COLUMN_PX) < 1, name
        boxes = [b for b in fig["boxes"] if b["text"].strip()]
        for b in boxes:
            assert b["px"] >= PAGE_LEAST - 0.05, f"{name}: {b['text']!r} is {b['px']:.1f} px"
            assert b["x"] >= fig["left"] - 1 and b["x"] + b["w"] <= fig["right"] + 1, f"{name}: {b['text']!r} leaves"
            assert b["y"] >= fig["top"] - 1 and b["y"] + b["h"] <= fig["bottom"] + 1, f"{name}: {b['text']!r} leaves"
        for a, b in itertools.combinations(boxes, 2):
            ox = min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"])
            oy = min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"])
            assert ox <= 1.0 or oy <= 1.0, f"{name}: {a['text']!r} overlaps {b['text']!r}"

"""The benches see a step figure in both of its forms: inline SVG (the ``roi_viz.figure`` component) and an img.

The protocol bench's client (bench.harness.wire) reads Streamlit's messages; the page bench (bench.harness.page)
reads Chromium's DOM, where the SVG sits in the component's shadow root. Both must notice a figure arriving and
changing, or every timed action that ends on a described step would wait until its timeout. No server is
started: the protocol client is fed messages built here, and Chromium is given a page that has the app's structure.
"""
from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from bench.harness.page import actions, dom
from bench.harness.wire.session import Session

SVG = ('<svg xmlns="http://www.w3.org/2000/svg" class="roi-figure" viewBox="0 0 560 300" width="560" height="300" '
       'role="img" aria-label="Step {step}: Quantization. RoI ({x}, 192, 200, 145)"><text x="10" y="20">x = {x}</text>'
       '</svg>')
PNG_1PX = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5Er"
           "kJggg==")


# ------------------------------------------------------------------------------- protocol
def session() -> Session:
    return Session("127.0.0.1", 1, SimpleNamespace(lazy={}, first=[]), "test")


def block(path: list[int], key: str = "") -> ForwardMsg:
    msg = ForwardMsg()
    msg.metadata.delta_path.extend(path)
    msg.delta.add_block.vertical.SetInParent()
    if key:
        msg.delta.add_block.id = f"$$ID-0123456789abcdef-{key}"
    return msg


def svg_figure(path: list[int], svg: str, name: str = "roi_viz.figure") -> ForwardMsg:
    msg = ForwardMsg()
    msg.metadata.delta_path.extend(path)
    el = msg.delta.new_element.bidi_component
    el.id, el.component_name = "$$ID-fedcba9876543210-step-svg", name
    el.json = json.dumps({"key": "k", "svg": svg, "narrow": "", "narrow_below": 480})
    return msg


def img_figure(path: list[int], src: str) -> ForwardMsg:
    msg = ForwardMsg()
    msg.metadata.delta_path.extend(path)
    msg.delta.new_element.html.body = f'<img class="roi-figure" src="{src}" alt="Step 1: Image and RoIs" style="">'
    return msg


def feed(s: Session, *msgs: ForwardMsg) -> None:
    for m in msgs:
        s.handle(m, m.SerializeToString())


def test_protocol_svg_figure_arrives_changes_and_needs_no_fetch():
    s = session()
    assert not s.has_figure() and s.figure() == "" and not s.images_loaded()
    feed(s, block([0, 0], "step-figure"), img_figure([0, 0, 0], PNG_1PX))
    assert len(s.figure_times) == 1 and s.figure_form() == "img" and s.figure() == f"img:{PNG_1PX}"
    assert not s.images_loaded()  # an img figure inside html is not a media image: nothing says "loaded"

    feed(s, svg_figure([0, 0, 0], SVG.format(step=3, x=296)))  # the same place: the step moved to SVG
    first = s.figure()
    assert len(s.figure_times) == 2 and s.figure_form() == "svg" and first.startswith("svg:")
    assert s.has_figure() and s.images_loaded()  # inline SVG has nothing to fetch

    feed(s, svg_figure([0, 0, 0], SVG.format(step=3, x=290)))  # a new x: the same length, other markup
    second = s.figure()
    assert len(s.figure_times) == 3 and second not in ("", first)
    feed(s, svg_figure([0, 0, 0], SVG.format(step=3, x=290)))  # the same figure sent again: the same identity
    assert len(s.figure_times) == 4 and s.figure() == second
    assert s.figure_forms == {"img": 1, "svg": 3}


def test_protocol_step_figure_is_the_one_in_its_container_and_other_components_are_not_figures():
    s = session()
    feed(s, block([0, 0], "step-figure"), svg_figure([0, 0, 0], SVG.format(step=2, x=296)),
         block([0, 1], "compare"), img_figure([0, 1, 0], PNG_1PX),
         svg_figure([0, 2], "<div>a board</div>", name="roi_viz.board"))
    assert s.figure_form() == "svg"  # the step figure, not the comparison's img placed after it
    assert len(s.figures()) == 1 and len(s.figure_times) == 2  # the board is no figure


# ------------------------------------------------------------------------------- Chromium
PAGE = """
<div data-testid="stMain">
  <div class="st-key-step-figure"><div id="html"></div><div class="stElementContainer"><div id="host"></div></div></div>
</div>
<script>
  const host = document.getElementById('host');
  host.attachShadow({mode: 'open'}).innerHTML = '<div class="roi-figure-holder"></div>';
  window.showSvg = (svg) => { host.shadowRoot.querySelector('.roi-figure-holder').innerHTML = svg; };
  window.clearImg = () => { document.getElementById('html').innerHTML = ''; };
  window.showImg = (src) => {
    host.shadowRoot.querySelector('.roi-figure-holder').innerHTML = '';
    document.getElementById('html').innerHTML = '<img class="roi-figure" src="' + src + '" alt="Step 4">';
  };
</script>
"""


@pytest.fixture(scope="module")
def page(browser):
    ctx = browser.new_context(viewport={"width": 800, "height": 600})
    p = ctx.new_page()
    p.set_content(PAGE)
    yield p
    ctx.close()


def test_page_finds_an_svg_figure_in_a_shadow_root_and_sees_it_change(page):
    page.evaluate("() => clearImg()")
    assert page.evaluate(dom.FIGURE_SRC_JS) is None and not page.evaluate(dom.HAS_KEYED_FIGURE_JS)
    page.evaluate("s => showSvg(s)", SVG.format(step=3, x=296))
    first = page.evaluate(dom.FIGURE_SRC_JS)
    assert first.startswith("svg:Step 3: Quantization. RoI (296, 192, 200, 145):")
    assert page.evaluate(dom.FIGURE_FORM_JS) == "svg" and page.evaluate(dom.HAS_KEYED_FIGURE_JS)
    assert page.evaluate(dom.FIGURE_LOADED_JS, None)  # shown at once, nothing to load
    assert not page.evaluate(dom.FIGURE_LOADED_JS, first)  # not changed yet

    page.evaluate("s => showSvg(s)", SVG.format(step=3, x=290).replace("RoI (290", "RoI (296"))
    second = page.evaluate(dom.FIGURE_SRC_JS)  # same text alternative, same length: the hash tells
    assert second != first and page.evaluate(dom.FIGURE_OR_ERROR_JS, first) == "changed"
    actions.wait_figure_changed(page, first, timeout_ms=5_000)


def test_page_sees_a_step_go_from_svg_to_img_and_counts_old_figures_left(page):
    page.evaluate("s => showSvg(s)", SVG.format(step=3, x=296))
    before = page.evaluate(dom.FIGURE_SRC_JS)
    page.evaluate("src => showImg(src)", PNG_1PX)
    actions.wait_figure_changed(page, before, timeout_ms=5_000)  # an img: changed once it has loaded
    assert page.evaluate(dom.FIGURE_FORM_JS) == "img" and page.evaluate(dom.FIGURE_SRC_JS) == PNG_1PX
    assert page.evaluate(dom.STEP_FIGURE_COUNT_JS) == 1

    page.evaluate("s => showSvg(s)", SVG.format(step=5, x=296))  # the img left on the page beside the new SVG
    assert page.evaluate(dom.STEP_FIGURE_COUNT_JS) == 2
    assert page.evaluate(dom.FIGURE_SRC_JS).startswith("svg:Step 5")  # the newest, the last, is timed

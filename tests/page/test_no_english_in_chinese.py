"""No English left where a Chinese student reads (AppTest, ``lang=zh``).

Every view, every step of every method on VGG16, the walkthrough on ResNet-50-FPN and presenter mode are
opened with ``lang=zh``, and every text a person reads is collected from the page's element tree: Markdown,
captions, headings, alerts and notices, widgets' labels, help and options, buttons, tables' cells, and the
figures' SVG texts and text alternatives (the figure is an inline SVG in a component's data). A run of two or
more English words (letters a-z) fails the test, unless every word of it is one of a short list of names a
Chinese course keeps in English (below, each with its reason). The same collector finds English on the
``lang=en`` page, so the check can fail.
"""
from __future__ import annotations

import html
import json

from ui.board.wire import unpacked
import re
import xml.etree.ElementTree as ET

import pytest

from helpers import POPOVERS, open_page
from roi_viz.lesson.views import VIEWS
from roi_viz.methods import METHODS


# Kept in English on purpose. Each entry is removed from a text before its English runs are looked for.
KEPT = (
    # methods' and operators' names as Chinese courses and papers write them
    "Precise RoI Pooling", "PrRoI Pooling", "RoIAlign", "RoIWarp", "PrRoI", "PS-RoI", "RoI", "MultiScaleRoIAlign",
    # networks, data sets, libraries and their parts, named as their authors name them
    "Faster R-CNN", "Fast R-CNN", "Mask R-CNN", "R-FCN", "ResNet-50-FPN", "ResNet-50", "VGG16", "FPN", "COCO",
    "ImageNet", "torchvision", "LevelMapper", "OpenCV", "IoU-Net", "MNC", "ReLU", "SPPnet",
    # a paper's title, cited as it was published
    "Multi-task Network Cascades",
    # the language switch names English in English (a reader looking for their language reads its own name)
    "English",
    # the unit after a number, as Chinese technical text writes it
    "px",
)
KEPT_RE = re.compile("|".join(re.escape(k) for k in sorted(KEPT, key=len, reverse=True)))
TAG = re.compile(r"<[^>]+>")  # HTML the page lays its words out with is not read
# The English term a Chinese sentence gives in brackets right after its Chinese term, as papers name it
# (感受野（receptive field）): the course's style, a gloss, not a leftover.
GLOSS = re.compile(r"(?<=[\u4e00-\u9fff*）])\s*[（(][^（）()]*[)）]")
CODE = re.compile(r"`[^`]*`")  # code identifiers in backticks: link parameters, function names
# The sample photos' credit lines are quotations of their sources (licence files), shown as written.
CREDIT = re.compile(r"(?:Source|Licen[cs]e|Public domain|CC0|scikit-image|NASA|Credit)\b.*", re.I)
WORD = r"(?<![A-Za-z0-9_])[A-Za-z]+(?:'[a-z]+)?(?![A-Za-z0-9_])"
RUN = re.compile(rf"{WORD}(?:[ \t\u00a0]+{WORD})+")
NS = "{http://www.w3.org/2000/svg}"


def _categories() -> re.Pattern | None:
    """ImageNet's class names, as VGG16's classifier labels its outputs: the data set's own labels, quoted."""
    try:
        from torchvision.models import VGG16_Weights
    except ImportError:  # pragma: no cover
        return None
    names = sorted(VGG16_Weights.IMAGENET1K_V1.meta["categories"], key=len, reverse=True)
    return re.compile(r"(?<![A-Za-z])(?:" + "|".join(re.escape(n) for n in names) + r")(?![A-Za-z])")


CATEGORIES = _categories()


def svg_texts(svg: str) -> list[str]:
    """A figure's words: its texts, titles and descriptions, and every aria-label."""
    found = [html.unescape(a) for a in re.findall(r'aria-label="([^"]*)"', svg)]
    for el in ET.fromstring(svg).iter():
        if el.tag in (f"{NS}text", f"{NS}tspan", f"{NS}title", f"{NS}desc"):
            found.append("".join(el.itertext()) if el.tag == f"{NS}text" else (el.text or ""))
    return found


def html_texts(body: str) -> list[str]:
    """An HTML element's words: its text with the tags taken out, and its alt, title and aria-label attributes."""
    found = [html.unescape(a) for a in re.findall(r'(?:alt|title|aria-label)="([^"]*)"', body)]
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    found.append(html.unescape(re.sub(r"<[^>]+>", " ", body)))
    return found


def strings(value) -> list[str]:
    """Every text in a component's data (its words for the readout, legend, buttons and announcements), pictures
    and drawings (``data:`` addresses, SVG) and the page's style rules the board brings (``page_css``) left out."""
    if isinstance(value, str):
        return [] if value.startswith(("data:", "<svg", "<?xml")) else [value]
    if isinstance(value, dict):
        return [t for k, v in value.items() if k != "page_css" for t in strings(v)]
    if isinstance(value, list):
        return [t for v in value for t in strings(v)]
    return []


def collect(at) -> list[str]:
    """Every text a person reads on an AppTest page, sidebar included, element by element."""
    found: list[str] = []

    def walk(node) -> None:
        kind = getattr(node, "type", None)
        value = getattr(node, "value", None)
        proto = getattr(node, "proto", None)
        if kind in ("markdown", "caption", "text", "error", "warning", "info", "success", "title", "header",
                    "subheader", "latex") and isinstance(value, str):
            found.append(value)
        elif kind == "html":
            found.extend(html_texts(proto.body))
        elif kind == "bidi_component" and proto.component_name == "roi_viz.figure":
            found.extend(svg_texts(json.loads(proto.json)["svg"]))
        elif kind == "bidi_component" and proto.json:  # the board and the stepper: the words Python sends them
            found.extend(strings(unpacked(json.loads(proto.json))))
        elif kind in ("table", "dataframe") and value is not None:
            found.extend([str(c) for c in value.columns] + [str(v) for v in value.astype(str).to_numpy().ravel()])
        for attr in ("label", "help", "placeholder"):
            text = getattr(node, attr, None) or getattr(proto, attr, None)
            if isinstance(text, str) and kind not in ("markdown", "html"):
                found.append(text)
        if kind == "markdown" and getattr(proto, "help", ""):
            found.append(proto.help)
        options = getattr(node, "options", None)
        if options is not None and kind != "bidi_component":
            found.extend(str(o) for o in options)
        if proto is not None and hasattr(proto, "options") and kind in ("radio", "selectbox", "select_slider",
                                                                         "multiselect"):
            found.extend(str(o) for o in proto.options)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at.main)
    walk(at.sidebar)
    return [t for t in found if t and t.strip()]


def english_runs(text: str) -> list[str]:
    """The runs of two or more English words in ``text`` that are not kept names, code or a credit."""
    text = GLOSS.sub(" ", CREDIT.sub(" ", CODE.sub(" ", TAG.sub(" ", text))))
    text = KEPT_RE.sub("\u00a7", text)  # a kept name is not an English word; it also breaks a run
    text = CATEGORIES.sub("\u00a7", text) if CATEGORIES else text
    # A formula's letters (d 值 / d x) are symbols: a run needs a word of two letters or more.
    return [r for r in RUN.findall(text) if any(len(w) > 1 for w in r.split())]


def leftovers(at) -> list[str]:
    return sorted({f"{run!r} in {text[:120]!r}" for text in collect(at) for run in english_runs(text)})


PAGES = [{"view": v} for v in VIEWS if v != "walk"]
PAGES += [{"view": "walk", "method": m, "step": s}
          for m, rec in METHODS.items() for s in range(1, len(rec.step_keys("vgg16")) + 1)]
PAGES += [{"view": "walk", "method": "align", "net": "resnet50_fpn", "step": s}
          for s in range(1, len(METHODS["align"].step_keys("resnet50_fpn")) + 1)]
PAGES += [{"view": v, "net": "resnet50_fpn"} for v in VIEWS if v != "walk"]  # every view on the pyramid too
PAGES += [{"present": "1"}, {"present": "1", "view": "compare"}, {"present": "1", "net": "resnet50_fpn", "step": 2}]
# A link with bad values: each notice that names one is a sentence of its own.
PAGES += [{"scale": "abc", "output": "99", "roi": ["1_2_3", "9_9_0_5"], "step": "x", "img": "moon", "zz": "1"}]


@pytest.mark.parametrize("params", PAGES, ids=lambda p: "-".join(f"{k}={v}" for k, v in p.items()))
def test_a_chinese_page_reads_no_english(params):
    timeout = 300 if params.get("view") in ("proposals", "head", "train", "detect") else 180
    at = open_page({"lang": "zh", **params}, timeout=timeout, opened=POPOVERS)  # their words are read too
    texts = collect(at)
    assert any(re.search(r"[\u4e00-\u9fff]", t) for t in texts), "nothing Chinese was read on the page"
    found = leftovers(at)
    assert not found, "English left on the Chinese page:\n" + "\n".join(found)


def test_the_collector_finds_english_on_an_english_page():
    # The same page in English: the collector reads its words, so the check above can fail.
    at = open_page({"lang": "en", "view": "walk", "method": "pool", "step": 3})
    found = leftovers(at)
    assert len(found) > 10, found
    texts = collect(at)
    assert any("Language" == t for t in texts)  # a widget's label is read
    assert any(re.search(r"\bbins?\b", t) for t in texts)  # and the figure's words
    assert any("Previous" in t for t in texts)  # and the words Python sends the stepper and the board


def test_the_rule_itself():
    assert english_runs("RoI 池化把框量化到整格") == []
    assert english_runs("Faster R-CNN 的 RoIAlign 用 `sampling_ratio=2`") == []
    assert english_runs("框宽 200 px，高 145 px") == []
    assert english_runs("the box is 200 px wide") == ["the box is"]
    assert english_runs("未训练的 VGG16：UNTRAINED weights") == ["UNTRAINED weights"]
    assert english_runs("感受野（receptive field）与 d 值 / d x") == []
    assert english_runs("RoI 1，sea snake：0.11 %") == []


def test_the_step_figure_s_download_keeps_the_page_s_language(monkeypatch):
    # Streamlit calls a download button's callable later, from its server, outside the page's run, where the
    # student's language is unknown: the callable must carry it. Caught as the page registers it.
    from streamlit.runtime.media_file_manager import MediaFileManager

    made = []
    original = MediaFileManager.add_deferred

    def keep(self, data_callable, *args, **kwargs):
        made.append(data_callable)
        return original(self, data_callable, *args, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", keep)
    from roi_viz.language import current

    for lang in ("zh", "en"):
        made.clear()
        open_page({"lang": lang, "view": "walk", "method": "pool", "step": 3}, opened=POPOVERS)
        figure = [f for f in made if getattr(f, "__defaults__", None)]  # the step's PNG: made with its language
        assert figure, "no deferred download of the step's figure"
        assert figure[0].__defaults__ == (lang,), figure[0].__defaults__
        assert current() == "en"  # here, outside the run, the language in force is English: the PNG is not
        png = figure[0]()
        assert png.startswith(b"\x89PNG")
        assert (png == figure[0]("en")) == (lang == "en")  # the Chinese page's file is not the English one


@pytest.mark.parametrize("net,name", [("vgg16", "VGG16"), ("resnet50_fpn", "ResNet-50-FPN")])
def test_the_promise_names_the_network_shown_and_the_comparison_counts_no_four(net, name):
    at = open_page({"lang": "en", "net": net, "view": "compare"})
    promise = [c.value for c in at.caption if c.value.startswith("Draw a box on the photo")]
    other = "ResNet-50-FPN" if name == "VGG16" else "VGG16"
    assert promise and f"a real {name}:" in promise[0] and other not in promise[0], promise
    alts = [t for t in collect(at) if "side by side on RoI" in t]
    assert alts and not any("four methods" in t for t in alts), alts

"""After pooling: every RoI through VGG16's own classifier (fc6, fc7, fc8), as one batch.

The chart is described once (:func:`roi_viz.figures.head.describe_head`) for the column it is shown
in: inline SVG on the page, on a phone (a narrower drawing) and on the projector (larger type); every
bar answers a hover with its class and probability.
"""
from __future__ import annotations

import streamlit as st

from roi_viz.model import samples
from roi_viz.lesson.views import VIEWS

from .. import cache, figure
from ..session import session
from ..widgets import callback
from .context import Context

KEY = "head"  # the link's view=, and the key of its label and heading in the library
LABEL, HEADING = VIEWS[KEY]
PRESENTS_ALONE = False  # presenter mode too shows the view picker, the teacher's tools and the heading

# The drawing's own width: about the lesson column of a 1366 x 768 laptop (528 px), as the comparison's.
PAGE_WIDTH, PAGE_TEXT = 560.0, 13.0


@st.cache_data(max_entries=32, show_spinner=False)
def head_scores(key: str, size: int, scheme: str, rois: tuple, _conv53) -> list:
    """Each RoI's box, best classes and empty bins (:class:`roi_viz.figures.head.Scores`), classified as one batch."""
    from roi_viz.study import head
    from roi_viz.figures.head import Scores

    return [Scores.of(r) for r in head.classify_rois(cache.the_head().model, _conv53, list(rois), scheme=scheme)]


@st.cache_data(max_entries=64, show_spinner=False)
def head_drawing(key: str, _scores: list, pretrained: bool, width: float, text: float):
    """The chart ``width`` px wide with texts ``text`` px (``key`` names the scores it is drawn from)."""
    from roi_viz.figures.head import describe_head

    return describe_head(_scores, pretrained, width=width, text=text, alt=alt_of(_scores))


def alt_of(scores) -> str:
    return "The top-5 ImageNet classes of VGG16's classifier for each RoI: " + " ".join(
        f"RoI {n}: " + ", ".join(f"{name} {p:.0%}" for name, p in r.top) + "." for n, r in enumerate(scores, 1))


@callback
def four_rois() -> None:
    from roi_viz.study import head

    s = session()
    s.place.redraw = True
    s.store.replace_all(list(head.FOUR_ROIS), samples.ARTICLE_INPUT_SIZE,  # boxes of the 512 x 512 sample
                        "The article's four RoIs: its worked example, the face, the helmet, and a strip across the "
                        "flag and the suit that does not make sense as an object. Each is classified all the same.")


def render(context: Context) -> None:
    """Every RoI through VGG16's own classifier, with its scores."""
    scene, key, inp = context.scene, context.key, context.inp
    from roi_viz.study import head

    s = session()
    settings = scene.settings
    before, picture, after = figure.areas()  # on a projector, the notes beside the chart
    with before:
        st.markdown(
            f"Fast R-CNN pools conv5_3 to **7 × 7** because VGG16's first fully connected layer (fc6) was trained on "
            f"exactly 7 × 7 × 512 = {head.FC6_INPUTS:,} numbers. Here every RoI is pooled to 7 × 7 from conv5_3 "
            f"(stride 16) with the sidebar's rounding rule, all together as one batch, and sent through fc6 → fc7 → fc8 "
            "(1,000 ImageNet classes).")
        if not head.head_fits(settings.output_size):
            st.info(head.head_sentence(settings.output_size) + " This view therefore pools to 7 × 7 whatever the sidebar says.")
        st.button("Use the article's four RoIs", on_click=four_rois, key="four-rois",
                  disabled=s.photo.sample != head.FOUR_ROIS_SAMPLE or s.photo.upload_shown,
                  help="The article's worked example, two boxes around objects and one that makes no sense.")
        with st.spinner("Loading VGG16's classifier (once per server, about 500 MB)…"):
            h = cache.the_head()
        with st.spinner("conv5_3 features of this image (once per image and size)…"):
            conv53 = cache.feature_map(key, settings.input_size, "conv5_3", inp)
        rois = tuple(tuple(r) for r in scene.rois)
        scores = head_scores(key, settings.input_size, settings.scheme, rois, conv53.values)
        name = f"{key}|{settings.input_size}|{settings.scheme}|{rois}"
        if not h.pretrained:
            st.warning("**Untrained classifier:** without ImageNet weights these scores mean nothing; the pipeline is "
                       "the real one.")
    with picture:
        if s.place.present:  # the slide: as large as the screen allows, its type read from the back of the room
            drawing, shown = figure.for_projector(
                lambda f: head_drawing(name, scores, h.pretrained, PAGE_WIDTH, PAGE_TEXT * f))
            figure.show_drawing(drawing, key="head-figure", max_width=shown)
        else:  # and a phone's, for a narrow column
            figure.show_drawing(head_drawing(name, scores, h.pretrained, PAGE_WIDTH, PAGE_TEXT), key="head-figure",
                                narrow=head_drawing(name, scores, h.pretrained, figure.NARROW_WIDTH, PAGE_TEXT))
    with after:
        st.markdown(
            "**A proposal is not a detection.** A box that surrounds nothing in particular gets scores all the same: "
            "the head answers for whatever 7 × 7 × 512 numbers it is given. Fast R-CNN adds three things: a box "
            "regressor corrects each box (offsets tx, ty, tw, th), a \"background\" class rejects the boxes that hold "
            "no object, and non-maximum suppression removes the duplicates left around one object.")
        st.caption("The bridge: on a 224 × 224 input, the whole image as the RoI gives 2 × 2-cell bins at stride 16, "
                   "which is exactly VGG16's own pool5, so the head's scores equal VGG16's own (tested).")

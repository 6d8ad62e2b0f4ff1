"""After pooling: every RoI through VGG16's own classifier (fc6, fc7, fc8), as one batch.

The chart is described once (:func:`roi_viz.figures.head.describe_head`) for the column it is shown
in: inline SVG on the page, on a phone (a narrower drawing) and on the projector (larger type); every
bar answers a hover with its class and probability.
"""
from __future__ import annotations

import streamlit as st

from roi_viz.language import _, current
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
def head_drawing(key: str, _scores: list, pretrained: bool, width: float, text: float, lang: str):
    """The chart ``width`` px wide with texts ``text`` px (``key`` names the scores it is drawn from), its words in
    ``lang`` (part of the cache's key: one student's language never reaches another's page)."""
    from roi_viz.figures.head import describe_head

    return describe_head(_scores, pretrained, width=width, text=text, alt=alt_of(_scores))


def alt_of(scores) -> str:
    # ImageNet's class names are the data's own (English), each with its probability.
    each = [_("RoI {n}: {classes}.").format(n=n, classes=", ".join(f"{name} {p:.0%}" for name, p in r.top))
            for n, r in enumerate(scores, 1)]
    return _("The top-5 ImageNet classes of VGG16's classifier for each RoI: {each}").format(each=" ".join(each))


@callback
def four_rois() -> None:
    from roi_viz.study import head

    s = session()
    s.place.redraw = True
    s.store.replace_all(list(head.FOUR_ROIS), samples.ARTICLE_INPUT_SIZE,  # boxes of the 512 x 512 sample
                        _("The article's four RoIs: its worked example, the face, the helmet, and a strip across the "
                          "flag and the suit that does not make sense as an object. Each is classified all the "
                          "same."))


def render(context: Context) -> None:
    """Every RoI through VGG16's own classifier, with its scores."""
    scene, key, inp = context.scene, context.key, context.inp
    from roi_viz.study import head

    s = session()
    settings = scene.settings
    before, picture, after = figure.areas()  # on a projector, the notes beside the chart
    with before:
        st.markdown(_(
            "Fast R-CNN pools conv5_3 to **7 × 7** because VGG16's first fully connected layer (fc6) was trained on "
            "exactly 7 × 7 × 512 = {inputs} numbers. Here every RoI is pooled to 7 × 7 from conv5_3 (stride 16) with "
            "the sidebar's rounding rule, all together as one batch, and sent through fc6 → fc7 → fc8 (1,000 "
            "ImageNet classes).").format(inputs=f"{head.FC6_INPUTS:,}"))
        if not head.head_fits(settings.output_size):
            st.info(_("{why} This view therefore pools to 7 × 7 whatever the sidebar says.").format(
                why=head.head_sentence(settings.output_size)))
        st.button(_("Use the article's four RoIs"), on_click=four_rois, key="four-rois",
                  disabled=s.photo.sample != head.FOUR_ROIS_SAMPLE or s.photo.upload_shown,
                  help=_("The article's worked example, two boxes around objects and one that makes no sense."))
        with st.spinner(_("Loading VGG16's classifier (once per server, about 500 MB)…")):
            h = cache.the_head()
        with st.spinner(_("conv5_3 features of this image (once per image and size)…")):
            conv53 = cache.feature_map(key, settings.input_size, "conv5_3", inp)
        rois = tuple(tuple(r) for r in scene.rois)
        scores = head_scores(key, settings.input_size, settings.scheme, rois, conv53.values)
        name = f"{key}|{settings.input_size}|{settings.scheme}|{rois}"
        if not h.pretrained:
            st.warning(_("**Untrained classifier:** without ImageNet weights these scores mean nothing; the pipeline "
                         "is the real one."))
        lang = current()
    with picture:
        if s.place.present:  # the slide: as large as the screen allows, its type read from the back of the room
            drawing, shown = figure.for_projector(
                lambda f: head_drawing(name, scores, h.pretrained, PAGE_WIDTH, PAGE_TEXT * f, lang))
            figure.show_drawing(drawing, key="head-figure", max_width=shown)
        else:  # and a phone's, for a narrow column
            figure.show_drawing(head_drawing(name, scores, h.pretrained, PAGE_WIDTH, PAGE_TEXT, lang),
                                key="head-figure",
                                narrow=head_drawing(name, scores, h.pretrained, figure.NARROW_WIDTH, PAGE_TEXT, lang))
    with after:
        st.markdown(_(
            "**A proposal is not a detection.** A box that surrounds nothing in particular gets scores all the same: "
            "the head answers for whatever 7 × 7 × 512 numbers it is given. Fast R-CNN adds three things: a box "
            "regressor corrects each box (offsets tx, ty, tw, th), a \"background\" class rejects the boxes that hold "
            "no object, and non-maximum suppression removes the duplicates left around one object."))
        st.caption(_("The bridge: on a 224 × 224 input, the whole image as the RoI gives 2 × 2-cell bins at stride "
                     "16, which is exactly VGG16's own pool5, so the head's scores equal VGG16's own (tested)."))

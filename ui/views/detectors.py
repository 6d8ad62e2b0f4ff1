"""Today's detectors: the box on the board as torchvision's Faster R-CNN would treat it.

Three parts, each a described figure (:mod:`roi_viz.figures.detectors`) with its words
(:mod:`roi_viz.lesson.detector_words`): which level of the feature pyramid the box is pooled from and why;
where each method's output cells really read at a level's stride (the student picks the stride, 4 to 32 px,
and the head's output, 7 x 7 or 14 x 14; computed by pooling a map of positions, no weights needed); and how
the box head's regression moves the box onto a target the student types. The box is the scene's active RoI,
``(x, y, w, h)`` in pixels of the model input. On a projector one part is shown at a time, its figure on the
left and its controls and words beside it (``figure.areas``).
"""
from __future__ import annotations

import streamlit as st

from roi_viz.language import N_, _, current
from roi_viz.lesson import detector_words as words
from roi_viz.lesson.views import VIEWS

from .. import figure
from ..widgets import say
from .compare import PAGE_TEXT, PAGE_WIDTH
from .context import Context

KEY = "detect"  # the link's view=, and the key of its label and heading in the library
LABEL, HEADING = VIEWS[KEY]
PRESENTS_ALONE = False  # presenter mode too shows the view picker, the teacher's tools and the heading

# The parts' headings, marked for the catalog and translated where shown.
PARTS = {"level": N_("1. Which level of the pyramid"), "read": N_("2. Where each output cell reads"),
         "regress": N_("3. From proposal to detection")}
NARROW_TEXT = 12.0  # a phone's column: the figure described 360 px wide, its text 12 px


@st.cache_data(max_entries=64, show_spinner=False)
def level_drawing(box: tuple, dims: tuple, width: float, text: float, lang: str):
    """Which pyramid level the box pools from, described ``width`` px wide in ``lang`` (the cache's key: the
    language in force while it is described)."""
    from roi_viz.figures.detectors import describe_level

    return describe_level(box, input_size=dims, strides=words.STRIDES, width=width, text=text)


@st.cache_data(max_entries=64, show_spinner=False)
def level_offsets(box: tuple, settings_key: str, _settings, stride: int, output_size: tuple, dims: tuple) -> dict:
    """key -> ``ph x pw x 2`` offsets px of every method at ``stride`` (``settings_key`` names the settings)."""
    return words.method_offsets(box, _settings, stride, output_size, dims)


@st.cache_data(max_entries=64, show_spinner=False)
def alignment_drawing(key: str, _offs: dict, stride: int, output_size: tuple, width: float, text: float, lang: str):
    """Where each method's bins read, described ``width`` px wide in ``lang`` (``key`` names the offsets)."""
    from roi_viz.figures.detectors import describe_alignment
    from roi_viz.methods import METHODS

    return describe_alignment(_offs, names={k: m.name for k, m in METHODS.items()},
                              styles={k: m.style for k, m in METHODS.items()}, stride=stride,
                              output_size=output_size, width=width, text=text)


@st.cache_data(max_entries=64, show_spinner=False)
def regression_drawing(box: tuple, target: tuple, dims: tuple, width: float, text: float, lang: str):
    """The proposal, the target, the four numbers and the decoded box, described ``width`` px wide in ``lang``."""
    from roi_viz.figures.detectors import describe_regression

    return describe_regression(box, target, image_size=dims, width=width, text=text)


def _show(describe, key: str, where, present: bool) -> None:
    """``describe(width, text)`` shown: on a projector as large as the slide allows, else with a phone's twin."""
    if present:
        drawing, wide = figure.for_projector(lambda f: describe(PAGE_WIDTH, PAGE_TEXT * f))
        figure.show_drawing(drawing, key=key, where=where, max_width=wide)
    else:
        figure.show_drawing(describe(PAGE_WIDTH, PAGE_TEXT), key=key, where=where,
                            narrow=describe(figure.NARROW_WIDTH, NARROW_TEXT))


def _level(box, dims, picture, after, present: bool) -> None:
    _show(lambda w, t: level_drawing(box, dims, w, t, current()), "detect-level-figure", picture, present)
    after.markdown(words.level_words(box, words.STRIDES))


def _read(box, dims, scene, level, before, picture, after, present: bool) -> None:
    c = before.columns(2)
    strides = list(words.STRIDES)
    # The key carries the box's level: when the box moves to another level, the picker starts at that level's stride.
    stride = c[0].radio(_("Stride read (px)"), strides, index=strides.index(level.stride), horizontal=True,
                        format_func=lambda s: f"{s} (P{s.bit_length() - 1})", key=f"detect-stride-P{level.level}",
                        help=_("The stride of the level whose map is read; your box's level is picked first."))
    # The words said now, in the run's language (a format_func may be called again outside the run).
    heads = {k: _("{rows} × {cols} ({head})").format(rows=size[0], cols=size[1], head=_(name))
             for k, (size, name) in words.HEADS.items()}
    head = c[1].radio(_("Output"), list(words.HEADS), horizontal=True, key="detect-head", format_func=heads.get)
    out = words.HEADS[head or "box"][0]
    stride = stride or level.stride
    settings = scene.settings
    offs = level_offsets(box, repr(settings), settings, stride, out, dims)
    k = f"{box}|{settings!r}|{stride}|{out}|{dims}"
    _show(lambda w, t: alignment_drawing(k, offs, stride, out, w, t, current()), "detect-read-figure", picture, present)
    from roi_viz.methods import METHODS

    after.markdown(words.alignment_words(offs, {key: m.name for key, m in METHODS.items()}, stride, out,
                                         settings.aligned, level.stride))


def _regress(box, dims, before, picture, after, present: bool) -> None:
    start = words.default_target(box)
    c = before.columns(4)
    target = tuple(float(c[i].number_input(_("Target {name} (px)").format(name=name), value=start[i], step=1.0, format="%g",
                                           key=f"detect-target-{name}|{box}"))
                   for i, name in enumerate("xywh"))
    problem = words.target_problem(target, box)
    if problem:
        say(problem, "warning", before)
        return
    _show(lambda w, t: regression_drawing(box, target, dims, w, t, current()), "detect-regress-figure", picture, present)
    after.markdown(words.regression_words(box, target))


def render(context: Context) -> None:
    """The three parts on the followed RoI: its pyramid level, where each cell reads, its regression."""
    scene, present = context.scene, context.present
    box = tuple(float(v) for v in scene.rois[scene.active])
    dims = tuple(int(v) for v in scene.input_dims)
    level = words.level_of(box, words.STRIDES)
    if present:  # three figures do not fit one 1920 x 1080 screen: one part at a time, its words beside it
        before, picture, after = figure.areas()
        with before:
            parts = {k: _(v) for k, v in PARTS.items()}
            part = st.radio(_("Part"), list(PARTS), format_func=parts.get, horizontal=True, key="detect-part") or "level"
        shown = [part]
    else:
        shown = list(PARTS)
    for part in shown:
        if not present:
            st.markdown("##### " + _(PARTS[part]))
            before, picture, after = st.container(), st.container(), st.container()
        if part == "level":
            _level(box, dims, picture, after, present)
        elif part == "read":
            _read(box, dims, scene, level, before, picture, after, present)
        else:
            _regress(box, dims, before, picture, after, present)
    if not present:
        st.caption(_("The sidebar's settings apply to the methods read in part 2: rounding rule (RoI pooling, "
                     "RoIWarp), sampling ratio and mode (RoIAlign, RoIWarp), aligned (RoIAlign, PrRoI)."))

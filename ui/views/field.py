"""What a cell sees: the stride a cell stands for against the pixels it depends on, in theory and by the gradient.

The three figures are described once (:mod:`roi_viz.figures.receptive`) for the column they are shown in and
painted as inline SVG (each outline answers a hover with its pixels); the photo under them is encoded once."""
from __future__ import annotations

import streamlit as st

from roi_viz.language import _, current
from roi_viz.lesson.numbers import pct
from roi_viz.model import loading
from roi_viz.lesson.views import VIEWS

from .. import figure
from ..session import session
from ..widgets import bound, refresh, say
from .compare import PAGE_TEXT, PAGE_WIDTH
from .context import Context

KEY = "field"  # the link's view=, and the key of its label and heading in the library
LABEL, HEADING = VIEWS[KEY]
PRESENTS_ALONE = False  # presenter mode too shows the view picker, the teacher's tools and the heading


@st.cache_data(max_entries=8, show_spinner=False)
def field_photo(key: str, size: int, _image) -> bytes:
    """The model-input photo as a JPEG, encoded once for every drawing of it (page, phone, projector)."""
    from roi_viz.figures.receptive import photo_jpeg

    return photo_jpeg(_image)


@st.cache_data(max_entries=64, show_spinner=False)
def field_drawings(key: str, size: int, layer: str, cell: tuple[int, int], roi, bins_read, _image, width: float,
                   text: float, alts: tuple[str, str], lang: str):
    """The cell's field and the RoI's union of fields, described ``width`` px wide with ``text`` px type, their
    words in ``lang`` (part of the cache's key: one student's language never reaches another's page)."""
    from roi_viz.study import receptive
    from roi_viz.figures import receptive as fr

    field = receptive.receptive_field(layer)
    photo = field_photo(key, size, _image)
    return (fr.describe_cell_field(photo, _image.size, field, cell, width=width, text=text, alt=alts[0]),
            fr.describe_roi_field(photo, _image.size, field, roi, bins_read, width=width, text=text, alt=alts[1]))


@st.cache_resource(max_entries=16, show_spinner=False)
def effective_field(key: str, size: int, layer: str, cell: tuple[int, int], _image):
    """The gradient of one cell (summed over channels) with respect to the input: a real backward pass."""
    from roi_viz.study import receptive
    from roi_viz.model.features import image_tensor

    net = loading.backbone()
    with net.lock:  # one pass at a time per server, forward or backward: it takes the cores for seconds
        x = image_tensor(_image).to(net.device)
        return receptive.effective_receptive_field(net.net, x, layer, cell)


@st.cache_data(max_entries=16, show_spinner=False)
def effective_heat(key: str, size: int, layer: str, cell: tuple[int, int], _image):
    """``(heat photo, share in the patch, share in the field)``: the gradient painted over the photo, encoded once."""
    from roi_viz.study import receptive
    from roi_viz.figures.receptive import heat_photo

    field = receptive.receptive_field(layer)
    erf = effective_field(key, size, layer, cell, _image)
    shares = receptive.field_shares(erf, field, cell)
    return heat_photo(_image, erf, field, cell), shares.in_patch, shares.in_field


def show_described(describe, *, key: str, where=None) -> None:
    """``describe(width, text)`` shown as inline SVG: for the column on the page (and a phone's narrow one), or on
    a projector with its type large enough to read from the back of the room (``ui.figure.for_projector``)."""
    if session().place.present:
        drawing, shown = figure.for_projector(lambda f: describe(PAGE_WIDTH, PAGE_TEXT * f))
        figure.show_drawing(drawing, key=key, where=where, max_width=shown)
    else:
        figure.show_drawing(describe(PAGE_WIDTH, PAGE_TEXT), key=key, where=where,
                            narrow=describe(figure.NARROW_WIDTH, PAGE_TEXT))


def render(context: Context) -> None:
    """The cell the close-up looks at: its receptive field in theory and by the gradient."""
    scene, key = context.scene, context.key
    from roi_viz.study import receptive

    place = session().place
    s = scene.settings
    if s.pyramid:  # the field is walked through VGG16's layers; ResNet-50-FPN's is not worked out here
        say(_("What a cell sees is worked out layer by layer through VGG16 (its kernels, strides and padding); "
              "ResNet-50-FPN's field is not computed on this page. Choose VGG16 under Network in the sidebar to "
              "see it."), "info")
        return
    field = receptive.receptive_field(s.layer)
    H, W = scene.features.shape[1:]
    roi = scene.rois[scene.active]
    where = (tuple(roi), s.layer, s.input_size)
    if place.cell is None or place.cell_for != where:  # a new box, layer or size: the cell under the box's centre again
        place.cell, place.cell_for = receptive.pick_cell(field, (H, W), roi), where
        refresh("cell_r", "cell_c")
    r, c = place.cell
    cols = st.columns(2)
    cols[0].number_input(_("Cell row"), 0, H - 1, value=r, step=1, **bound("cell_r", lambda v: setattr(place, "cell", (int(v), c))))
    cols[1].number_input(_("Cell column"), 0, W - 1, value=c, step=1,
                         **bound("cell_c", lambda v: setattr(place, "cell", (r, int(v)))))
    result = scene.chosen  # the cells the chosen method reads: whole bins, or the cells around its points
    read = receptive.cells_read(result.cells_read() if hasattr(result, "cells_read") else result.bin_use)
    x0, y0, x1, y1 = field.span(r, c)
    alts = (_("Cell ({r}, {c}) of {layer}: its {stride} × {stride} square on the photo inside its {size} × {size} "
              "receptive field, columns [{x0}, {x1}), rows [{y0}, {y1}).").format(
                r=r, c=c, layer=s.layer, stride=field.stride, size=field.size, x0=x0, x1=x1, y0=y0, y1=y1),
            _("The RoI ({roi}) and the union of the receptive fields of the cells its output reads.").format(
                roi=", ".join(f"{v:g}" for v in roi)))
    lang = current()

    def pair(width: float, text: float):
        return field_drawings(key, s.input_size, s.layer, (r, c), tuple(roi), read, scene.image, width, text, alts,
                              lang)

    # On a projector the two pictures side by side, both on one screen, their words below them.
    if place.present:
        (pic1, pic2), words1 = st.columns(2, gap="large"), st.container()
        words2 = words1
    else:
        pic1, words1, pic2, words2 = (st.container() for _n in range(4))
    show_described(lambda w, t: pair(w, t)[0], key="field-cell-figure", where=pic1)
    words1.markdown(_(
        "**The grid is not the field.** Cell ({r}, {c}) of {layer} sits on a {stride} × {stride} square of the "
        "photo: that is the stride, the spacing of the grid. What the cell's value depends on is much larger: "
        "**{size} × {size} pixels**, input columns [{x0}, {x1}) and rows [{y0}, {y1}) (the field of column c starts "
        "at {stride}·c − {offset}, rows likewise; computed from the kernel, stride and padding of each of VGG16's "
        "layers up to {layer}, not typed in). Where the field leaves the photo, the network saw the zeros of its "
        "padding.").format(r=r, c=c, layer=s.layer, stride=field.stride, size=field.size, x0=x0, x1=x1, y0=y0, y1=y1,
                           offset=-field.offset))
    show_described(lambda w, t: pair(w, t)[1], key="field-roi-figure", where=pic2)
    if read is None:
        words2.markdown(_("**The RoI reads no cell.** With these settings no bin of {method} holds a cell (the split "
                          "is empty), so the output depends on no pixel at all: it is 0.").format(
                              method=_(scene.method_name)))
    else:
        words2.markdown(_(
            "**The RoI looks further than its box.** {method}'s output is read from the cells drawn in black; the "
            "union of their fields is drawn dash-dotted. Every output value of the RoI depends on pixels outside the "
            "box that was drawn.").format(method=_(scene.method_name)))
    st.markdown(_("**The effective field.** In theory every pixel of the square counts; in practice the gradient of "
                  "the cell with respect to the input (one backward pass through VGG16) is concentrated near the "
                  "centre (Luo et al., 2016)."))
    asked = (key, s.input_size, s.layer, (r, c))
    if st.button(_("Compute the effective field (a backward pass, a few seconds)"), key="erf-go",
                 disabled=asked in place.erf_done):
        place.erf_done.add(asked)
    heat = None
    if asked in place.erf_done:
        try:
            with st.spinner(_("Backward pass through VGG16 (once per image, size, layer and cell)…")):
                heat, in_patch, in_field = effective_heat(key, s.input_size, s.layer, (r, c), scene.image)
        except (RuntimeError, MemoryError) as exc:
            place.erf_done.discard(asked)  # not retried on every click: the button asks again
            say(_("The backward pass failed ({error}). Try a smaller model input size.").format(
                error=type(exc).__name__), "error")
            return
    if heat is not None:
        from roi_viz.figures.receptive import describe_effective

        alt = _("Heat map of the effective receptive field of cell ({r}, {c}): {in_patch} of the gradient inside its "
                "{stride}-pixel square, {in_field} inside its field.").format(
                    r=r, c=c, in_patch=pct(in_patch), stride=field.stride, in_field=pct(in_field))
        show_described(lambda w, t: describe_effective(heat, scene.image.size, field, (r, c), in_patch, width=w,
                                                       text=t, alt=alt), key="field-effective-figure")
        words = (_("{in_patch} of the gradient falls inside the cell's {stride} × {stride} square, {in_field} inside "
                   "the {size} × {size} field (all of it, as the architecture says: outside it the gradient is "
                   "exactly zero).") if scene.pretrained else
                 _("{in_patch} of the gradient falls inside the cell's {stride} × {stride} square, {in_field} inside "
                   "the {size} × {size} field (all of it, as the architecture says: outside it the gradient is "
                   "exactly zero). With the untrained network this is the architecture's field alone: trained "
                   "weights shape it further."))
        st.markdown(words.format(in_patch=pct(in_patch), stride=field.stride, in_field=pct(in_field),
                                 size=field.size))

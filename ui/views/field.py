"""What a cell sees: the stride a cell stands for against the pixels it depends on, in theory and by the gradient."""
from __future__ import annotations

import streamlit as st

from roi_viz.lesson.numbers import pct
from roi_viz.model import loading

from .. import figure
from ..session import session
from ..widgets import bound, refresh, say


@st.cache_data(max_entries=32, show_spinner=False)
def field_pictures(key: str, size: int, layer: str, cell: tuple[int, int], roi, bins_read, _image,
                   dpi: float) -> tuple[bytes, bytes]:
    from roi_viz import receptive
    from roi_viz.draw import receptive as fr
    from roi_viz.draw.kit import to_jpeg

    field = receptive.receptive_field(layer)
    return (to_jpeg(fr.fig_cell_field(_image, field, cell), dpi=dpi),
            to_jpeg(fr.fig_roi_field(_image, field, roi, bins_read), dpi=dpi))


@st.cache_resource(max_entries=16, show_spinner=False)
def effective_field(key: str, size: int, layer: str, cell: tuple[int, int], _image):
    """The gradient of one cell (summed over channels) with respect to the input: a real backward pass."""
    from roi_viz import receptive
    from roi_viz.model.features import image_tensor

    net = loading.backbone()
    with net.lock:  # one pass at a time per server, forward or backward: it takes the cores for seconds
        x = image_tensor(_image).to(net.device)
        return receptive.effective_receptive_field(net.net, x, layer, cell)


@st.cache_data(max_entries=16, show_spinner=False)
def effective_picture(key: str, size: int, layer: str, cell: tuple[int, int], _image,
                      dpi: float) -> tuple[bytes, float, float]:
    from roi_viz import receptive
    from roi_viz.draw import receptive as fr
    from roi_viz.draw.kit import to_jpeg

    field = receptive.receptive_field(layer)
    erf = effective_field(key, size, layer, cell, _image)
    shares = receptive.field_shares(erf, field, cell)
    return to_jpeg(fr.fig_effective(_image, erf, field, cell, shares.in_patch), dpi=dpi), shares.in_patch, shares.in_field


def render(scene, key: str) -> None:
    from roi_viz import receptive

    place = session().place
    s = scene.settings
    field = receptive.receptive_field(s.layer)
    H, W = scene.features.shape[1:]
    roi = scene.rois[scene.active]
    where = (tuple(roi), s.layer, s.input_size)
    if place.cell is None or place.cell_for != where:  # a new box, layer or size: the cell under the box's centre again
        place.cell, place.cell_for = receptive.pick_cell(field, (H, W), roi), where
        refresh("cell_r", "cell_c")
    r, c = place.cell
    cols = st.columns(2)
    cols[0].number_input("Cell row", 0, H - 1, value=r, step=1, **bound("cell_r", lambda v: setattr(place, "cell", (int(v), c))))
    cols[1].number_input("Cell column", 0, W - 1, value=c, step=1,
                         **bound("cell_c", lambda v: setattr(place, "cell", (r, int(v)))))
    result = scene.result  # the cells the chosen method reads: whole bins, or the cells around its points
    read = receptive.cells_read(result.cells_read() if hasattr(result, "cells_read") else result.bin_use)
    one, many = field_pictures(key, s.input_size, s.layer, (r, c), tuple(roi), read, scene.image, figure.dpi())
    x0, y0, x1, y1 = field.span(r, c)
    # On a projector the two pictures side by side, both on one screen, their words below them.
    if place.present:
        (pic1, pic2), words1 = st.columns(2, gap="large"), st.container()
        words2 = words1
    else:
        pic1, words1, pic2, words2 = (st.container() for _ in range(4))
    figure.show(one, "JPEG", f"Cell ({r}, {c}) of {s.layer}: its {field.stride} × {field.stride} square on the photo "
                f"inside its {field.size} × {field.size} receptive field, columns [{x0}, {x1}), rows [{y0}, {y1}).",
                where=pic1)
    words1.markdown(
        f"**The grid is not the field.** Cell ({r}, {c}) of {s.layer} sits on a {field.stride} × {field.stride} "
        f"square of the photo: that is the stride, the spacing of the grid. What the cell's value depends on is "
        f"much larger: **{field.size} × {field.size} pixels**, input columns [{x0}, {x1}) and rows [{y0}, {y1}) "
        f"(the field of column c starts at {field.stride}·c − {-field.offset}, rows likewise; computed from the "
        f"kernel, stride and padding of each of VGG16's layers up to {s.layer}, not typed in). Where the field "
        "leaves the photo, the network saw the zeros of its padding.")
    figure.show(many, "JPEG", f"The RoI ({', '.join(f'{v:g}' for v in roi)}) and the union of the receptive "
                "fields of the cells its output reads.", where=pic2)
    if read is None:
        words2.markdown(f"**The RoI reads no cell.** With these settings no bin of {scene.method_name} holds a cell "
                    "(the split is empty), so the output depends on no pixel at all: it is 0.")
    else:
        words2.markdown(
            f"**The RoI looks further than its box.** {scene.method_name}'s output is read from the cells drawn in "
            "black; the union of their fields is drawn dash-dotted. Every output value of the RoI depends on "
            "pixels outside the box that was drawn.")
    st.markdown("**The effective field.** In theory every pixel of the square counts; in practice the gradient of "
                "the cell with respect to the input (one backward pass through VGG16) is concentrated near the "
                "centre (Luo et al., 2016).")
    asked = (key, s.input_size, s.layer, (r, c))
    if st.button("Compute the effective field (a backward pass, a few seconds)", key="erf-go",
                 disabled=asked in place.erf_done):
        place.erf_done.add(asked)
    pic = None
    if asked in place.erf_done:
        try:
            with st.spinner("Backward pass through VGG16 (once per image, size, layer and cell)…"):
                pic, in_patch, in_field = effective_picture(key, s.input_size, s.layer, (r, c), scene.image, figure.dpi())
        except (RuntimeError, MemoryError) as exc:
            place.erf_done.discard(asked)  # not retried on every click: the button asks again
            say(f"The backward pass failed ({type(exc).__name__}). Try a smaller model input size.", "error")
            return
    if pic is not None:
        figure.show(pic, "JPEG", f"Heat map of the effective receptive field of cell ({r}, {c}): {pct(in_patch)} of "
                    f"the gradient inside its {field.stride}-pixel square, {pct(in_field)} inside its field.")
        st.markdown(f"{pct(in_patch)} of the gradient falls inside the cell's {field.stride} × {field.stride} "
                    f"square, {pct(in_field)} inside the {field.size} × {field.size} field (all of it, as the "
                    "architecture says: outside it the gradient is exactly zero)."
                    + ("" if scene.pretrained else " With the untrained network this is the architecture's field "
                       "alone: trained weights shape it further."))

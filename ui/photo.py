"""The photo and its boxes: the drawing canvas, the list of RoIs and the box editor.

The boxes belong to the session's :class:`~roi_viz.rois.RoIStore`; this room
shows them and hands what the student does (a drag, a typed number, a pick,
Add, Delete) to the store, which checks, cuts and keeps them.
"""
from __future__ import annotations

import functools

import streamlit as st
from streamlit_drawable_canvas import boxes_to_drawing, st_canvas

from roi_viz.lesson.numbers import exact
from roi_viz.model import images
from roi_viz.rois import RoIError, new_roi

from .session import session
from .style import canvas_dims
from .widgets import callback, say

ACTIVE, OTHER = "#ffd400", "#00e5ff"  # the followed box and the others, on the canvas and in step 1
NEW_LABEL = "new"  # stamped on boxes drawn since the canvas was mounted; a changing label would reset the tool mid-drag


@callback
def edit_box(roi_id: int, size: tuple[int, int], rev: int) -> None:
    """The x, y, w, h fields: the store cuts the box to the image (``size``: its W, H) or refuses it."""
    store = session().store
    keys = [f"{k}-{roi_id}:{rev}:{size[0]}x{size[1]}" for k in "xywh"]
    index = store.index_of(roi_id)
    if rev != store.revision or index is None or not all(k in st.session_state for k in keys):
        # Fields drawn before the boxes last changed: that change wins. Without this, a rerun that still
        # carries old fields (the canvas reporting before the page caught up) typed the old box in again.
        return
    typed = tuple(st.session_state[k] for k in keys)
    try:
        store.move(index, typed, size)
    except RoIError as exc:
        store.notice = f"⚠ {exc} The RoI was left as it was."
        store.generation += 1  # the fields go back to the box that was kept
        store.revision += 1


@callback
def pick_box(rev: int) -> None:
    store, key = session().store, f"active:{rev}"
    if rev == store.revision and key in st.session_state:
        store.select(st.session_state[key])


@callback
def canvas_sent(canvas_key: str, scale: float, size: tuple[int, int]) -> None:
    result = st.session_state.get(canvas_key) or {}
    raw = (result.get("drawing") or {}).get("raw") or {}
    boxes = [
        {"label": o.get("label", ""), "left": o["left"], "top": o["top"],
         "width": o.get("width", 0) * o.get("scaleX", 1), "height": o.get("height", 0) * o.get("scaleY", 1)}
        for o in raw.get("objects", []) if o.get("type") == "LabeledRect"
    ]
    session().store.merge_canvas(canvas_key, boxes, scale, size)


def draw_boxes(key: str, png: bytes, size: tuple[int, int]) -> None:
    """The canvas: shows every RoI and turns a mouse drag into a new one.

    Mounted once per image, size and outside change; what the canvas itself
    draws never remounts or reloads it (that would drop a box drawn meanwhile).
    """
    store = session().store
    canvas_key = f"canvas:{key[:48]}:{size[0]}x{size[1]}:{store.generation}"
    cw, ch = canvas_dims(size)
    scale = cw / size[0]
    given = store.drawing(canvas_key, scale, size)
    initial = boxes_to_drawing(given, stroke_color=OTHER, stroke_width=2)
    for obj, box in zip(initial["objects"], given):  # the followed box stands out, in colour and thickness
        if box["active"]:
            obj.update(stroke=ACTIVE, strokeWidth=4)
    st_canvas(
        fill_color="rgba(255, 212, 0, 0.12)", stroke_width=4, stroke_color=ACTIVE, background_image=png,
        height=ch, width=cw, drawing_mode="labeled_rect", label=NEW_LABEL,
        font_size=15, initial_drawing=initial, key=canvas_key,
        on_change=functools.partial(canvas_sent, canvas_key, scale, size),
    )
    st.caption("Drag on the photo to draw a box: the lesson follows the box drawn last.",
               help="New boxes are marked “new” until the photo's boxes are next redrawn (after a typed number, a "
                    "pick, Add or Delete); the list under the photo always says which box is followed. Canvas tools "
                    "(above the photo when the mouse is on it): pencil = move or resize a box, arrows = undo and "
                    "redo; the canvas's delete and bin clear the drawing only: “Delete RoI” removes a box.")


def box_editor(size: tuple[int, int], mapping: images.InputMapping) -> None:
    """The RoIs in words, which one the lesson follows, and the followed one's x, y, w, h."""
    s = session()
    store = s.store
    boxes = store.boxes(size)
    with st.container(key="roi-list"):
        st.markdown("\n".join(
            f"- {'**' if i == store.active else ''}RoI {i + 1}: ({', '.join(exact(v) for v in b)})"
            f"{'** ← the lesson follows it' if i == store.active else ''}"
            for i, b in enumerate(boxes)))
    rev = store.revision
    st.selectbox("The walkthrough follows", range(len(boxes)), index=store.active, format_func=lambda i: f"RoI {i + 1}",
                 key=f"active:{rev}", on_change=pick_box, args=(rev,))
    x, y, w, h = boxes[store.active]
    roi_id = store.id_at(store.active)
    cols = st.columns(4)
    for col, name, v in zip(cols, "xywh", (x, y, w, h)):
        col.number_input(name, value=float(v), step=1.0, format="%.2f", key=f"{name}-{roi_id}:{rev}:{size[0]}x{size[1]}",
                         on_change=edit_box, args=(roi_id, size, rev))
    b1, b2 = st.columns(2)
    b1.button("Add RoI", width="stretch", on_click=callback(lambda: store.add(new_roi(size), size)))
    b2.button("Delete RoI", width="stretch", disabled=len(store) < 2, on_click=callback(lambda: store.delete(store.active)))
    ox, oy, ow, oh = mapping.to_original((x, y, w, h))
    W, H = mapping.original_size
    sx, sy = mapping.scale
    shape = "" if s.settings.shape == "square" else ", its proportions kept"
    st.caption(f"Coordinates are pixels of the {size[0]} × {size[1]} model input{shape}. The original is {W} × {H}: "
               f"input x = original x × {sx:.4g}, input y = original y × {sy:.4g}. "
               f"This RoI in the original: ({ox:.1f}, {oy:.1f}, {ow:.1f}, {oh:.1f}).")
    if store.notice:
        say(store.notice, "warning" if store.notice.startswith("⚠") else "info")

"""The photo and its boxes: the board, the list of RoIs and the box editor.

The boxes belong to the session's :class:`~roi_viz.state.rois.RoIStore`; this room
shows them and hands what the student does (a drag or a key on the board, a
typed number, a pick, Add, Delete) to the store, which checks, cuts and keeps them.
"""
from __future__ import annotations

import streamlit as st

from roi_viz.language import _
from roi_viz.lesson.numbers import exact
from roi_viz.methods import METHODS, POOL
from roi_viz.model import images
from roi_viz.state.rois import RoIError, new_roi

from .board import METHODS as BOARD_METHODS
from .board import board, pyramid_of
from .session import session
from .style import page_css, photo_css, photo_fits
from .views import quiz
from .widgets import callback, say

@callback
def edit_box(roi_id: int, size: tuple[int, int], rev: int) -> None:
    """The x, y, w, h fields: the store rounds the box to whole pixels and cuts it to the image (``size``: its
    W, H), saying so in its notice, or refuses it."""
    store = session().store
    keys = [f"{k}-{roi_id}:{rev}:{size[0]}x{size[1]}" for k in "xywh"]
    index = store.index_of(roi_id)
    if rev != store.revision or index is None or not all(k in st.session_state for k in keys):
        # Fields drawn before the boxes last changed: that change wins. Without this, a rerun that still
        # carries old fields (the board reporting before the page caught up) typed the old box in again.
        return
    typed = tuple(st.session_state[k] for k in keys)
    try:
        store.move(index, typed, size)
    except RoIError as exc:
        store.notice = "⚠ " + _("{reason} The RoI was left as it was.").format(reason=exc)
        store.generation += 1  # the fields go back to the box that was kept
        store.revision += 1


@callback
def pick_box(rev: int) -> None:
    store, key = session().store, f"active:{rev}"
    if rev == store.revision and key in st.session_state:
        store.select(st.session_state[key])


def draw_boxes(key: str, photo: bytes, size: tuple[int, int]) -> None:
    """The board: the photo, the stride grid and every RoI, edited in the browser with live geometry.

    The board redraws the chosen method's geometry while the mouse moves and
    sends its boxes once, on release, as a value; the store takes them
    (:meth:`~roi_viz.state.rois.RoIStore.merge_board`). The board is given the store's
    boxes afresh whenever they change from here (the store's ``generation``).
    """
    s = session()
    store, cur = s.store, s.settings
    board_key = f"board:{key[:48]}:{size[0]}x{size[1]}"
    if quiz.show_on_board(board_key, photo, size):  # the quiz's box alone, read-only; the student's boxes wait
        return
    st.html(photo_fits(size))
    record = METHODS[cur.method if cur.method in BOARD_METHODS else POOL]
    value = board(photo, boxes=store.whole(size), active=store.active, revision=store.generation,
                  stride=int(cur.stride), output_size=tuple(cur.output_size),
                  method=cur.method if cur.method in BOARD_METHODS else POOL, scheme=cur.scheme,
                  # A method that does not read the option reads the map aligned (position-sensitive RoIAlign).
                  sampling_ratio=int(cur.sampling_ratio), aligned=bool(cur.aligned) or "aligned" not in record.options,
                  pyramid=pyramid_of(size) if cur.pyramid else None,  # the board picks the box's level, live
                  page_css=page_css() + photo_css(size), key=board_key)
    if value is not None and (board_key, value.seq) != s.photo.board_seen:
        s.photo.board_seen = (board_key, value.seq)
        store.merge_board(value.boxes, value.active, size)
    # How to draw, move and resize (mouse and keys) is said once, by the board itself, under the photo:
    # it is also the board's accessible description (aria-describedby), so it is not repeated here.


def box_editor(size: tuple[int, int], mapping: images.InputMapping) -> None:
    """The RoIs in words, which one the lesson follows, and the followed one's x, y, w, h."""
    s = session()
    if s.place.view == "quiz":  # the board shows the question's box alone: the student's list would tell another story
        st.caption(_("Your own boxes and their fields come back when you leave the quiz."))
        return
    store = s.store
    boxes = store.boxes(size)
    with st.container(key="roi-list"):
        st.markdown("\n".join(
            "- " + (_("**RoI {n}: ({box})** ← the lesson follows it") if i == store.active else _("RoI {n}: ({box})"))
            .format(n=i + 1, box=", ".join(exact(v) for v in b))
            for i, b in enumerate(boxes)))
    rev = store.revision
    names = [_("RoI {n}").format(n=i + 1) for i in range(len(boxes))]  # looked up now, in this run's language
    st.selectbox(_("The walkthrough follows"), range(len(boxes)), index=store.active, format_func=names.__getitem__,
                 key=f"active:{rev}", on_change=pick_box, args=(rev,))
    x, y, w, h = boxes[store.active]
    roi_id = store.id_at(store.active)
    cols = st.columns(4)
    # Whole pixels, as the store keeps them. A float field still, so a typed 296.6 reaches the store, which
    # rounds it and says so; an int field would cut it to 296 in the browser without a word.
    for col, name, v in zip(cols, "xywh", (x, y, w, h)):
        col.number_input(name, value=float(v), step=1.0, format="%.0f", key=f"{name}-{roi_id}:{rev}:{size[0]}x{size[1]}",
                         on_change=edit_box, args=(roi_id, size, rev))
    if store.notice:  # under the fields it is about: a number rounded to whole pixels, a box cut or refused
        say(store.notice, "warning" if store.notice.startswith("⚠") else "info")
    b1, b2 = st.columns(2)
    b1.button(_("Add RoI"), width="stretch", on_click=callback(lambda: store.add(new_roi(size), size)))
    b2.button(_("Delete RoI"), width="stretch", disabled=len(store) < 2, on_click=callback(lambda: store.delete(store.active)))
    ox, oy, ow, oh = mapping.to_original((x, y, w, h))
    W, H = mapping.original_size
    sx, sy = mapping.scale
    if s.settings.shape == "square":
        said = _("Coordinates are pixels of the {w} × {h} model input. The original is {W} × {H}: input x = original "
                 "x × {sx}, input y = original y × {sy}. This RoI in the original: ({ox}, {oy}, {ow}, {oh}).")
    else:
        said = _("Coordinates are pixels of the {w} × {h} model input, its proportions kept. The original is {W} × "
                 "{H}: input x = original x × {sx}, input y = original y × {sy}. This RoI in the original: ({ox}, "
                 "{oy}, {ow}, {oh}).")
    st.caption(said.format(w=size[0], h=size[1], W=W, H=H, sx=f"{sx:.4g}", sy=f"{sy:.4g}", ox=f"{ox:.1f}",
                           oy=f"{oy:.1f}", ow=f"{ow:.1f}", oh=f"{oh:.1f}"))

"""The teacher's tools above the lesson: presenter mode, the link to this view, and the exports."""
from __future__ import annotations

import streamlit as st

from .cache import scene_key
from .session import as_link, session
from .widgets import bound, callback, refresh

EXPORTS = {  # kind: (what it is, file name, MIME type)
    "pdf": ("handout (PDF, every step)", "handout.pdf", "application/pdf"),
    "gif": ("walkthrough animation (GIF)", "walkthrough.gif", "image/gif"),
    "gif-slide": ("sliding-box animation (GIF)", "slide.gif", "image/gif"),
}


@callback
def set_present(on: bool) -> None:
    session().place.present = bool(on)
    refresh("present")


def tools(scene, fm, key: str) -> None:
    """Presenter mode, the link to this view (for anyone who does not think of the address bar), exports."""
    s = session()
    toggle, share, files = st.columns([1, 1, 1], vertical_alignment="center")
    toggle.toggle("Present", value=s.place.present,
                  help="Presenter mode: the step's figure and words on one 1920 × 1080 screen, text large enough for "
                  "the back of the room. ← and → move between steps (a presentation clicker can be set to send them).",
                  **bound("present", set_present))
    with share.popover("Link", icon=":material/link:", width="stretch", help="A link to exactly this view"):
        share_link()
    with files.popover("Export", icon=":material/download:", width="stretch",
                       help="This figure, a PDF handout, animations and the numbers, for slides and notebooks"):
        exports(scene, fm, key)


def exports(scene, fm, key: str) -> None:
    """Files that reproduce this page: the figure and the numbers at once, the longer ones made on request."""
    import json

    from roi_viz import export
    from roi_viz.methods import METHODS

    s = session()
    place, made_files = s.place, s.exports
    name = f"roi-viz-{scene.method}"
    if place.view == "walk" or place.present:
        step = min(place.step, len(METHODS[scene.method].steps) - 1)
        st.download_button(f"This figure: step {step + 1} (PNG, 150 dpi)", lambda: export.figure_png(scene, step),
                           file_name=f"{name}-step{step + 1}.png", mime="image/png", on_click="ignore",
                           icon=":material/image:", width="stretch")
    st.download_button("The numbers (JSON)",
                       lambda: json.dumps(export.numbers(scene, forward_ms=fm.seconds * 1000, device=fm.device),
                                          indent=2),
                       file_name=f"{name}-numbers.json", mime="application/json", on_click="ignore",
                       icon=":material/data_object:", width="stretch")
    made = scene_key(scene, key, s.photo.title, place.slide_axis, place.slide_cells)
    for kind, (what, file_name, mime) in EXPORTS.items():
        shown = made_files.made.get(kind)
        if shown is None or shown[0] != made:
            if made_files.making != kind:
                st.button(f"Make the {what}", key=f"make-{kind}", width="stretch",
                          on_click=callback(lambda k=kind: setattr(made_files, "making", k)))
                continue
            made_files.making = ""
            bar = st.progress(0.0, text=f"Making the {what}…")
            data = make_export(kind, scene, lambda done, total: bar.progress(done / total, f"Making the {what}: "
                                                                             f"{done} of {total}"))
            bar.empty()
            made_files.made[kind] = shown = (made, data)
        st.download_button(f"Download the {what}, {len(shown[1]) / 2**20:.1f} MB", shown[1],
                           file_name=f"{name}-{file_name}", mime=mime, on_click="ignore", icon=":material/download:",
                           width="stretch", type="primary")
    st.caption("Each file shows this page's image, boxes, settings and numbers. The sliding-box animation follows "
               f"bin ({scene.focus[0]}, {scene.focus[1]}) of channel {scene.channel}, moving "
               f"{'right' if place.slide_axis == 'x' else 'down'} by {place.slide_cells:g} cell(s), as in “Slide the box”.")


def make_export(kind: str, scene, progress) -> bytes:
    from roi_viz import export

    s = session()
    if kind == "pdf":
        return export.handout_pdf(scene, title=s.photo.title, progress=progress)
    if kind == "gif":
        return export.walkthrough_gif(scene, progress=progress)
    return export.slide_gif(scene, axis=s.place.slide_axis, cells=s.place.slide_cells, progress=progress)


def share_link() -> None:
    """The address of exactly this view: image, boxes, settings, step."""
    from urllib.parse import urlencode

    from roi_viz import link

    s = session()
    params = link.to_params(as_link(s))
    params.pop("present", None)  # the students' page: whoever presents turns it on for their own screen
    query = urlencode(params, doseq=True)
    base = st.context.url or ""
    st.code(base + ("?" + query if query else ""), language=None, wrap_lines=True)
    st.caption("Select it and copy it (Ctrl+C, or the copy button that appears when the pointer is over it): "
               "whoever opens it sees this image, these boxes and "
               "settings, and this step. The address bar holds the same link at every moment"
               + (", with `present=1`, which opens presenter mode." if s.place.present else "."))
    if s.photo.upload_shown:
        st.warning("This page shows an uploaded photo, which cannot travel in a link: the link opens the "
                   "sample photo with the same settings and the boxes on the same parts of the picture, and says so.")

"""The teacher's tools above the lesson: presenter mode, the link to this view, and the exports."""
from __future__ import annotations

import base64
import html
import os

import streamlit as st

from roi_viz.language import N_, _, current

from .address import page_address
from .cache import scene_key
from .session import as_link, session
from .widgets import bound, callback, refresh, say

# kind: (its button, its progress bar, the progress bar's count, its download button, file name, MIME type): each a
# whole sentence for the catalog, translated where it is shown.
EXPORTS = {
    "pdf": (N_("Make the handout (PDF, every step)"), N_("Making the handout (PDF, every step)…"),
            N_("Making the handout (PDF, every step): {done} of {total}"),
            N_("Download the handout (PDF, every step), {mb} MB"), "handout.pdf", "application/pdf"),
    "gif": (N_("Make the walkthrough animation (GIF)"), N_("Making the walkthrough animation (GIF)…"),
            N_("Making the walkthrough animation (GIF): {done} of {total}"),
            N_("Download the walkthrough animation (GIF), {mb} MB"), "walkthrough.gif", "image/gif"),
    "gif-slide": (N_("Make the sliding-box animation (GIF)"), N_("Making the sliding-box animation (GIF)…"),
                  N_("Making the sliding-box animation (GIF): {done} of {total}"),
                  N_("Download the sliding-box animation (GIF), {mb} MB"), "slide.gif", "image/gif"),
}


@callback
def set_present(on: bool) -> None:
    session().place.present = bool(on)
    refresh("present")


def tools(context) -> None:
    """Presenter mode, the link to this view (for anyone who does not think of the address bar), exports;
    in presenter mode also the link's QR code for the class to scan. ``context``: :class:`ui.views.context.Context`."""
    scene, fm, key = context.scene, context.fm, context.key
    s = session()
    present = s.place.present
    cols = st.columns([0.75, 0.75, 0.85, 2] if present else [1, 1, 1], vertical_alignment="center")
    toggle, share, files = cols[:3]
    toggle.toggle(_("Present"), value=s.place.present,
                  help=_("Presenter mode: the step's figure and words on one 1920 × 1080 screen, text large enough "
                         "for the back of the room. ← and → move between steps (a presentation clicker can be set to "
                         "send them)."),
                  **bound("present", set_present))
    lazy_popover(share, _("Link"), ":material/link:", _("A link to exactly this view"), "link-popover", share_link)
    lazy_popover(files, _("Export"), ":material/download:",
                 _("This figure, a PDF handout, animations and the numbers, for slides and notebooks"),
                 "export-popover", lambda: exports(scene, fm, key))
    if present:
        if cols[3].button(_(QR_LABEL), icon=":material/qr_code_2:", key="qr-open", width="stretch",
                          help=_("A large QR code of this page's link for the projector: students scan it with a "
                                 "phone and open this view without presenter mode.")):
            qr_dialog()


def lazy_popover(where, label: str, icon: str, help_: str, key: str, draw) -> None:
    """A popover in ``where`` whose contents (``draw()``) are drawn only while it is open: opening it reruns the
    lesson. Closed, they cost a step nothing, and the step's own fragment (ui.views.walkthrough) can move on
    without them falling behind. ``key``: the popover's, which holds whether it is open."""
    popover = where.popover(label, icon=icon, width="stretch", help=help_, key=key, on_change="rerun")
    if popover.open:
        with popover:
            draw()


def exports(scene, fm, key: str) -> None:
    """Files that reproduce this page: the figure and the numbers at once, the longer ones made on request."""
    from roi_viz.methods import METHODS

    s = session()
    place, made_files = s.place, s.exports
    name = f"roi-viz-{scene.method}"
    if place.view == "walk" or place.present:  # the walkthrough's step (ui.views.walkthrough.KEY)
        step = min(place.step, len(METHODS[scene.method].step_keys(scene.settings.network)) - 1)
        # Streamlit calls the callable later, outside this run: the language is bound now (render.speaking).
        st.download_button(_("This figure: step {n} (PNG, 150 dpi)").format(n=step + 1),
                           lambda lang=current(): figure_file(scene, step, lang),
                           file_name=f"{name}-step{step + 1}.png", mime="image/png", on_click="ignore",
                           icon=":material/image:", width="stretch")
    st.download_button(_("The numbers (JSON)"),
                       lambda: numbers_file(scene, fm),
                       file_name=f"{name}-numbers.json", mime="application/json", on_click="ignore",
                       icon=":material/data_object:", width="stretch")
    made = scene_key(scene, key, s.photo.title, place.slide_axis, place.slide_cells)
    for kind, (make, making, counting, download, file_name, mime) in EXPORTS.items():
        shown = made_files.made.get(kind)
        if shown is None or shown[0] != made:
            if made_files.making != kind:
                st.button(_(make), key=f"make-{kind}", width="stretch",
                          on_click=callback(lambda k=kind: setattr(made_files, "making", k)))
                continue
            made_files.making = ""
            bar = st.progress(0.0, text=_(making))
            data = make_export(kind, scene, lambda done, total: bar.progress(
                done / total, _(counting).format(done=done, total=total)))
            bar.empty()
            made_files.made[kind] = shown = (made, data)
        st.download_button(_(download).format(mb=f"{len(shown[1]) / 2**20:.1f}"), shown[1],
                           file_name=f"{name}-{file_name}", mime=mime, on_click="ignore", icon=":material/download:",
                           width="stretch", type="primary")
    # One whole sentence per direction (a translation words each its own way).
    moving = (_("Each file shows this page's image, boxes, settings and numbers. The sliding-box animation follows "
                "bin ({i}, {j}) of channel {channel}, moving right by {cells} cell(s), as in “Slide the box”.")
              if place.slide_axis == "x" else
              _("Each file shows this page's image, boxes, settings and numbers. The sliding-box animation follows "
                "bin ({i}, {j}) of channel {channel}, moving down by {cells} cell(s), as in “Slide the box”."))
    st.caption(moving.format(i=scene.focus[0], j=scene.focus[1], channel=scene.channel,
                             cells=f"{place.slide_cells:g}"))


# The files are made when asked for, and so is their module imported: it imports Matplotlib, which the page's
# first figure (SVG, painted in the browser) does not need; importing it in the first run cost a cold server's
# first figure a third of a second.
def figure_file(scene, step: int, lang: str) -> bytes:
    """The step's figure as a PNG file (Matplotlib, 150 dpi), in the language ``lang``."""
    from roi_viz import export

    return export.figure_png(scene, step, lang=lang)


def numbers_file(scene, fm) -> str:
    """The numbers of the scene as JSON (the forward's time and device from the feature map ``fm``)."""
    import json

    from roi_viz import export

    return json.dumps(export.numbers(scene, forward_ms=fm.seconds * 1000, device=fm.device), indent=2)


def make_export(kind: str, scene, progress) -> bytes:
    from roi_viz import export

    s = session()
    if kind == "pdf":
        return export.handout_pdf(scene, title=s.photo.title, progress=progress)
    if kind == "gif":
        return export.walkthrough_gif(scene, progress=progress)
    return export.slide_gif(scene, axis=s.place.slide_axis, cells=s.place.slide_cells, progress=progress)


def share_link() -> None:
    """The address of exactly this view: image, boxes, settings, step (the students' page: no presenter mode)."""
    s = session()
    url = student_url()
    st.code(url, language=None, wrap_lines=True)
    st.caption(_("Select it and copy it (Ctrl+C, or the copy button that appears when the pointer is over it): "
                 "whoever opens it sees this image, these boxes and settings, and this step. The address bar holds "
                 "the same link at every moment, with `present=1`, which opens presenter mode.")
               if s.place.present else
               _("Select it and copy it (Ctrl+C, or the copy button that appears when the pointer is over it): "
                 "whoever opens it sees this image, these boxes and settings, and this step. The address bar holds "
                 "the same link at every moment."))
    if not s.photo.travels:  # an upload the server could not keep (roi_viz.state.uploads); a kept one travels
        st.warning(_("This page shows an uploaded photo the server could not keep, so it cannot travel in a link: "
                     "the link opens the sample photo with the same settings and the boxes on the same parts of the "
                     "picture, and says so."))
    if not s.place.present:  # in presenter mode the button sits in the tools row
        if st.button(_("QR code of this link"), icon=":material/qr_code_2:", key="qr-open-link", width="stretch",
                     help=_("A large QR code of this link, to show on a projector")):
            qr_dialog()


# ------------------------------------------------------------------ the class scans the link
QR_LABEL = N_("Students: scan to open this page")  # translated where shown
QR_PX = 660  # the code's largest side on the page, in CSS pixels: over half a 1080p projector's height
BASE_KEY = "roi-viz-public-base"  # st.session_state: the address students use, as the teacher typed it


def query_params() -> dict:
    """This view's query parameters (``roi_viz.link.to_params``), ``present`` included (the share module drops it)."""
    from roi_viz import link

    return link.to_params(as_link(session()))


def default_base() -> tuple[str, str]:
    """The address students use unless the teacher typed one, and where it comes from: ``ROI_VIZ_PUBLIC_URL``
    when it is set, else the browser's own address (right when students reach the server by the same name)."""
    from roi_viz.state.share import ENV

    env = os.environ.get(ENV, "").strip()
    if env:
        return env, "env"
    return page_address(), "browser"


def chosen_base() -> str:
    """The address students use: the one typed in the QR panel in this session, else :func:`default_base`."""
    typed = st.session_state.get(BASE_KEY, "")
    return typed if isinstance(typed, str) and typed.strip() else default_base()[0]


def student_url() -> str:
    """The link students open, for the Link popover. A base that cannot be used (a bad ``ROI_VIZ_PUBLIC_URL``,
    no browser address yet) gives the bare query string: the QR panel names what is wrong."""
    from urllib.parse import urlencode

    from roi_viz.state.share import DROPPED, BadBase, student_link

    params = query_params()
    for base in (chosen_base(), page_address()):
        try:
            return student_link(base, params)
        except BadBase:
            continue
    query = urlencode({k: v for k, v in params.items() if k not in DROPPED}, doseq=True)
    return "?" + query if query else ""


def take_base() -> None:
    st.session_state[BASE_KEY] = st.session_state.get("qr-base-field", "")


_DIALOGS: dict = {}  # language -> the QR dialog titled in it (a dialog's title is fixed when it is made)


def qr_dialog() -> None:
    """The link's QR code, over 600 px tall, with the address under it and the field that sets the address,
    in a dialog titled in the student's language."""
    from roi_viz.language import current, using

    lang = current()
    if lang not in _DIALOGS:
        with using(lang):
            title = _(QR_LABEL)
        # on_dismiss: the Link popover then shows a typed address too
        _DIALOGS[lang] = st.dialog(title, width=1500, on_dismiss="rerun")(qr_dialog_body)
    _DIALOGS[lang]()


def qr_dialog_body() -> None:
    """What the QR dialog holds: :func:`qr_panel`, with the Link popover hidden behind it."""
    # Opened from the Link popover, the popover would stay open above the dialog: hidden while the panel is
    # on the page (Streamlit may keep a style element after its dialog closes: the rule keys on the panel).
    st.html('<style>body:has(.st-key-qr-panel) [data-testid="stPopoverBody"] { display: none; }</style>')
    with st.container(key="qr-panel"):
        qr_panel()


def qr_panel() -> None:
    """What the QR dialog shows: the code of the students' link, the link in plain text, the address field.

    Everything typed or read from the environment is shown as plain text (the field itself, ``say``'s
    sentences, escaped HTML under the code), never interpreted; a base that is not a plain http(s) address
    gets a sentence and no code. The code is a PNG shown at its own size (whole pixels per module)."""
    from roi_viz.state.share import ENV, BadBase, TooLong, check_base, names_this_computer, qr_png, student_link

    code_col, side = st.columns([QR_PX + 40, 560], gap="large")
    default, origin = default_base()
    typed = st.session_state.get(BASE_KEY, "")
    with side:
        st.text_input(_("Address students use"), value=typed if typed.strip() else default, key="qr-base-field",
                      on_change=take_base, max_chars=500, placeholder="http://10.0.0.5:8501",
                      help=_("The address at which students reach this server, without “?” and what follows: the "
                             "server's own name is often not it (localhost on your laptop, a name behind a proxy). "
                             "The {env} environment variable sets it for every session.").format(env=ENV))
        base = typed if typed.strip() else default
        if not typed.strip():
            st.caption((_("From the {env} environment variable.") if origin == "env" else
                        _("This browser's own address. If students reach the server by another name, type it here, "
                          "or set the {env} environment variable where the app starts.")).format(env=ENV))
        try:
            url = student_link(base, query_params())
            png = qr_png(url, QR_PX)
        except (BadBase, TooLong) as exc:
            say(str(exc))
            if not base.strip():
                st.caption(_("This browser has not told the page its address yet."))
            return
        if names_this_computer(check_base(base)):
            say(_("This address names the computer it is opened on: a student's phone would look for the page on "
                  "itself. Type the address of this server on the room's network, e.g. http://10.0.0.5:8501."))
        st.caption(_("The code opens this view, without presenter mode: this photo, these boxes and settings, "
                     "this step. It changes with the page: open it again after a change."))
    with code_col:
        uri = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
        side = int.from_bytes(png[16:20], "big")  # the PNG's width (its header): shown 1:1, every module sharp
        alt = _("QR code: {url}").format(url=url)
        st.html(f'<img class="roi-qr" src="{uri}" alt="{html.escape(alt, quote=True)}" '
                f'width="{side}" height="{side}" style="display: block; width: {side}px; max-width: 100%; '
                f'height: auto; image-rendering: pixelated; background: #fff;">'
                f'<p class="roi-qr-address" style="font-family: monospace; font-size: 26px; line-height: 1.3; '
                f'color: #000; overflow-wrap: anywhere; margin: 0.6rem 0 0;">{html.escape(url)}</p>')

"""The sidebar: the photo, the network, the method and its options, the channel; presets.

Each section is a small function that draws its widgets and returns the
student's choices; the widgets write the session in their callbacks.
"""
from __future__ import annotations

import hashlib
import time

import streamlit as st

from roi_viz.language import N_, _
from roi_viz.state import settings as presets
from roi_viz.state.options import BY_FIELD, Option
from roi_viz.state.settings import MAX_OUTPUT, Settings
from roi_viz.model import images, loading, samples
from roi_viz.model.weights import said

from . import cache
from .session import session
from .widgets import bound, callback, redraw_all, refresh, say


# ------------------------------------------------------------------- callbacks
@callback
def apply_preset(changes: dict, rois=None, notice: str = "") -> None:
    s = session()
    s.settings = s.settings.with_(**changes)
    if rois is not None:  # the article's boxes, in pixels of its 512 x 512 input
        s.store.replace_all(rois, samples.ARTICLE_INPUT_SIZE)
    s.place.go(0)
    s.notice = notice
    redraw_all()


@callback
def set_method(key: str) -> None:
    """Switch method and stay on the same kind of step (the output stays the output)."""
    from roi_viz.methods import METHODS

    s = session()
    old = METHODS[s.settings.method].step_keys(s.settings.network)
    new = METHODS[key].step_keys(s.settings.network)
    here = old[min(s.place.step, len(old) - 1)]
    s.set(method=key)
    s.place.go(new.index(here) if here in new else min(s.place.step, len(new) - 1))
    # Only the step picker gets a new key (its step and titles changed here, see ui.views.walkthrough); the options
    # the new method does not read are left out and those it reads come in fresh. Every other widget keeps its key,
    # so the browser updates it in place instead of building the whole sidebar and lesson anew (half a switch's wait).
    refresh("step")


@callback
def set_network(key: str) -> None:
    """Switch network and stay on the same kind of step (the pyramid adds its level step before the map); a
    channel the new network does not have becomes the strongest."""
    from roi_viz.methods import METHODS

    s = session()
    rec = METHODS[s.settings.method]
    old, new = rec.step_keys(s.settings.network), rec.step_keys(key)
    here = old[min(s.place.step, len(old) - 1)]
    s.set(network=key)
    if s.settings.channel is not None and s.settings.channel >= s.settings.channels:
        s.set(channel=None)
        refresh("chan_auto", "channel")
    s.place.go(new.index(here) if here in new else min(s.place.step, len(new) - 1))
    redraw_all()


def set_shape(shape: str) -> None:
    """Square or the photo's proportions; the boxes keep their part of the photo, in whole pixels
    (the store reads them so in any input but the one they were set in)."""
    session().set(shape=shape)


# ----------------------------------------------------------------------- sections
def image() -> tuple[str, bytes, str]:
    """The chosen picture: ``(key, file bytes, name)``.

    A photo of one's own (uploaded, or taken with the camera) is decoded, checked and kept in the server's store
    (``roi_viz.state.uploads``) as a PNG without the original's metadata: the key names it by the store's name, which the
    link carries, and the bytes are that PNG. A file that cannot be used comes back as it came, under a key of its
    own, and the page says why (``cache.decoded`` refuses it again).
    """
    s, sb = session(), st.sidebar
    photo = s.photo
    sb.header(_("1. Image"))
    sources = {"sample": _("Sample photo"), "upload": _("Upload my own"), "camera": _("Take a photo")}
    sb.radio(_("Source"), list(sources), index=list(sources).index(photo.source), format_func=sources.get,
             horizontal=True, **bound("source", lambda v: setattr(photo, "source", v)))
    if photo.source in ("upload", "camera"):
        if photo.source == "upload":
            up = sb.file_uploader(_("PNG, JPEG, WebP, BMP, TIFF or GIF, up to {mb} MB").format(mb=images.MAX_FILE_MB),
                                  type=list(images.UPLOAD_TYPES), key="upload", max_upload_size=images.MAX_FILE_MB)
        else:
            up = sb.camera_input(_("Take a photo of today's example: it goes into the link like an upload"),
                                 key="camera")
        if up is not None:
            take(photo, _("the photo taken") if photo.source == "camera" else up.name, up.getvalue())
        elif photo.upload is not None and photo.from_link:
            say(_("The photo this link carries is shown; choose a file or take a photo to use your own instead."),
                "info", sb)
        elif photo.upload is not None:  # the uploader forgets its file when the sample was shown meanwhile
            kept = (_("Your photo “{name}” is kept for this session; choose another file to replace it.")
                    if photo.source == "upload" else
                    _("Your photo “{name}” is kept for this session; take another to replace it."))
            say(kept.format(name=photo.upload[0]), "info", sb)
        if photo.upload is not None:
            name, data = photo.upload
            key = "upload:" + (photo.stored or hashlib.sha256(data).hexdigest())
            if key != photo.last_upload:  # a new photo of one's own: as Fast R-CNN would see it, proportions kept
                photo.last_upload = key
                if s.settings.shape != "aspect":
                    set_shape("aspect")
                    refresh("shape")
            if not photo.stored and photo.not_kept:
                say(photo.not_kept, "warning", sb)
            if photo.stored and time.monotonic() - photo.refreshed > REFRESH_S:
                refresh_stored(photo)
            return key, data, name
        sb.info(_("No file yet: the sample photo is shown until you upload one.") if photo.source == "upload" else
                _("No photo yet: the sample photo is shown until you take one."))
    by_name = {x.name: x for x in samples.list_samples()}
    names = list(by_name)
    titles = {n: x.title for n, x in by_name.items()}  # said now, in the run's language (format_func may run later)
    sb.selectbox(_("Sample"), names, index=names.index(photo.sample) if photo.sample in names else 0,
                 format_func=titles.get, **bound("sample", lambda v: setattr(photo, "sample", v)))
    chosen = by_name.get(photo.sample, next(iter(by_name.values())))
    sb.caption(_("{title}. {source}. Licence: {licence}.").format(title=chosen.title, source=chosen.source,
                                                                     licence=chosen.licence))
    return *cache.sample_photo(chosen.name), chosen.title


REFRESH_S = 60  # how often a page showing a stored photo tells the store it is still in use


def refresh_stored(photo) -> None:
    """The photo on this page is in use: the store keeps it (or writes it back if it made room meanwhile)."""
    from roi_viz.state import uploads

    photo.refreshed = time.monotonic()
    try:
        cache.uploads_store().refresh(photo.stored, photo.upload[1])
    except uploads.StoreError as exc:  # removed to make room, and the disk is full now: shown, but not kept
        photo.stored = ""
        photo.not_kept = _("The photo is shown, but the server could no longer keep it ({why}), so a link cannot "
                           "carry it: the link opens the sample photo with the same boxes.").format(why=exc)


def take(photo, name: str, data: bytes) -> None:
    """A file from the uploader or the camera becomes the photo of one's own, kept in the store (once per file).

    A file that cannot be used is kept as it came (the page names it and shows the sample); one that can be used
    but not stored (a full disk) is shown for this session, and the sidebar says a link cannot carry it.
    """
    from roi_viz.state import uploads

    seen = hashlib.sha256(data).hexdigest()
    if seen == photo.file_seen:
        return
    photo.file_seen, photo.from_link, photo.stored, photo.not_kept = seen, False, "", ""
    try:
        kept = uploads.prepare(data)
    except images.ImageError:
        photo.upload = (name, data)
        return
    try:
        cache.uploads_store().save(kept)
    except uploads.StoreError as exc:
        photo.not_kept = _("Your photo is shown, but the server could not keep it ({why}), so a link cannot carry "
                           "it: the link opens the sample photo with the same boxes.").format(why=exc)
    else:
        photo.stored, photo.refreshed = kept.name, time.monotonic()
    photo.upload = (name, kept.png)


# The sidebar's sections: which declared options each holds, in order (roi_viz.state.options); the headings are
# marked for the catalog and translated where drawn.
METHOD_SECTION = N_("3. Method")
SECTIONS = {N_("2. Network"): ("network", "input_size", "shape", "layer"),
            METHOD_SECTION: ("method", "scheme", "sampling_ratio", "align_mode", "warp_mode", "aligned", "output_size"),
            N_("4. Channel shown"): ("channel", "mean_view")}
# Options whose change does more than set the field.
WRITERS = {"method": set_method, "network": set_network, "shape": set_shape}


def option(o: Option, reads) -> None:
    """One declared option as a widget, if the chosen method reads it, in a place of its own in the sidebar.

    The place is there whether or not the option is shown (empty then), so the widgets after it keep their place
    when another method shows or hides one: the browser keeps them as they are instead of building them anew."""
    s = session()
    sb = st.sidebar.container(key=f"option-{o.field}")
    if not o.applies(reads, s.settings.network):
        return
    value = getattr(s.settings, o.field)

    def write(v, field=o.field):
        s.set(**{field: v})

    put = WRITERS.get(o.field, write)
    label, help_ = o.shown_label(), o.shown_help()
    if o.kind == "size":
        sb.select_slider(label, list(images.INPUT_SIZES), value=value, help=help_,
                         **bound(o.field, lambda v: put(int(v))))
    elif o.kind == "choice":
        words = o.choices()
        keys = list(words)
        if o.control == "selectbox":
            sb.selectbox(label, keys, index=keys.index(value), format_func=words.get, help=help_, **bound(o.field, put))
        else:
            sb.radio(label, keys, index=keys.index(value), format_func=words.get, help=help_,
                     horizontal=o.control == "radio-row", **bound(o.field, put))
    elif o.kind == "whole":
        sb.number_input(label, o.low, o.high, value=value, step=1, help=help_, **bound(o.field, lambda v: put(int(v))))
    elif o.kind == "flag":
        sb.toggle(label, value=value, help=help_, **bound(o.field, lambda v: put(bool(v))))
    elif o.kind == "output":
        c1, c2 = sb.columns(2)
        c1.number_input(_("Output rows"), 1, MAX_OUTPUT, value=value[0], step=1,
                        **bound("out_h", lambda v: put((int(v), s.settings.output_size[1]))))
        c2.number_input(_("Output columns"), 1, MAX_OUTPUT, value=value[1], step=1,
                        **bound("out_w", lambda v: put((s.settings.output_size[0], int(v)))))
    elif o.kind == "channel":
        auto = sb.toggle(_("Strongest channel inside the RoI"), value=value is None,
                         **bound("chan_auto", lambda v: put(None if v else 0)))
        if not auto:
            sb.number_input(label, 0, s.settings.channels - 1, value=value or 0, step=1, help=help_,
                            **bound(o.field, lambda v: put(int(v))))


def settings() -> Settings:
    """Network, method and its options, output, channel, and the presets; returns the settings they make.

    Every widget is a declared option (``roi_viz.state.options``); this function only groups them.
    """
    from roi_viz.methods import METHODS

    s, sb = session(), st.sidebar
    for title, fields in SECTIONS.items():
        sb.header(_(title))
        reads = METHODS[s.settings.method].options
        for field in fields:
            option(BY_FIELD[field], reads)
        if title == METHOD_SECTION:
            presets_buttons()
    return s.settings


def presets_buttons() -> None:
    sb = st.sidebar
    sb.button(_("↺ Article example"), width="stretch", on_click=apply_preset,
              args=(presets.ARTICLE, [samples.ARTICLE_ROI],
                    _("The article's example is loaded: RoI (296, 192, 200, 145) on a 512 × 512 input.")),
              help=_("512 × 512 input, pool5 (stride 32), RoI (296, 192, 200, 145), RoI pooling to 3 × 3, rounded "
                     "down."))
    sb.button(_("Fast R-CNN paper setting"), width="stretch", on_click=apply_preset,
              args=(presets.FAST_RCNN, None,
                    _("Fast R-CNN paper setting: VGG16 cut after conv5_3 and its ReLU (stride 16), RoI pooling to "
                      "7 × 7 with the rounding of Fast R-CNN's code, the photo's proportions kept. The paper scaled "
                      "the shorter side to 600 pixels (the longer at most 1,000); the input size here stays as it "
                      "was: choose 576, one of the paper's multi-scale sizes, to come close. The RoIs stay.")),
              help=_("conv5_3 + ReLU (stride 16), RoI pooling to 7 × 7 with the rounding of Fast R-CNN's code, "
                     "proportions kept. The paper's scale: shorter side 600 pixels, longer at most 1,000 (576, one "
                     "of its multi-scale sizes, is offered under Model input size)."))


def network_status(settings: Settings) -> None:
    """One line on the first screen when the weights are missing; the details in the sidebar."""
    if settings.pyramid:
        return pyramid_status(settings)
    net = loading.backbone()
    if not net.pretrained:
        st.warning(_("**Untrained VGG16:** no ImageNet weights. Every number is exact, but the activations mean "
                     "nothing (details in the sidebar)."))
    sb = st.sidebar
    weights = (_("{layer} · weights: ImageNet, from {source} · {device}") if net.pretrained else
               _("{layer} · weights: none (untrained) · {device}"))
    sb.caption(weights.format(layer=_(settings.layer_label), source=said(net.weights_source), device=net.device_name))
    if not net.pretrained:
        with sb.expander(_("Untrained VGG16: why, and how to use the real weights")):
            st.markdown(_(
                "The features come from an untrained network with a fixed seed. To use the real weights, run "
                "`python -m roi_viz download-weights` once with internet, or set `ROI_VIZ_WEIGHTS` to a weights "
                "file; then restart the app (it loads the network once, when it starts)."))
            st.text("\n".join(f"- {said(problem)}" for problem in net.problems))  # paths from the environment: plain
    elif net.problems:
        say("\n".join(said(problem) for problem in net.problems), "info", sb)


def pyramid_status(settings: Settings) -> None:
    """As :func:`network_status`, for ResNet-50-FPN: its COCO weights, or the labelled untrained fallback."""
    net = cache.fpn_backbone()
    if not net.pretrained:
        st.warning(_("**Untrained ResNet-50-FPN:** no COCO weights. Every number is exact, but the activations "
                     "mean nothing (details in the sidebar)."))
    sb = st.sidebar
    weights = (_("{layer} · weights: COCO (Faster R-CNN), from {source} · {device}") if net.pretrained else
               _("{layer} · weights: none (untrained) · {device}"))
    sb.caption(weights.format(layer=_(settings.layer_label), source=said(net.weights_source), device=net.device_name))
    if not net.pretrained:
        with sb.expander(_("Untrained ResNet-50-FPN: why, and how to use the real weights")):
            st.markdown(_(
                "The features come from an untrained network with a fixed seed. To use the real weights (the COCO "
                "weights of torchvision's Faster R-CNN), run `python -m roi_viz download-weights --network "
                "resnet50_fpn` once with internet, or set `ROI_VIZ_FPN_WEIGHTS` to a weights file; then restart the "
                "app (it loads the network once)."))
            st.text("\n".join(f"- {said(problem)}" for problem in net.problems))  # paths from the environment: plain
    elif net.problems:
        say("\n".join(said(problem) for problem in net.problems), "info", sb)

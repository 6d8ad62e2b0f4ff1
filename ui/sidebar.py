"""The sidebar: the photo, the network, the method and its options, the channel; presets.

Each section is a small function that draws its widgets and returns the
student's choices; the widgets write the session in their callbacks.
"""
from __future__ import annotations

import hashlib

import streamlit as st

from roi_viz.lesson import settings as presets
from roi_viz.lesson.settings import MAX_OUTPUT, Settings
from roi_viz.model import images, loading, samples
from roi_viz.model.layers import LAYERS

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
    old = METHODS[s.settings.method].step_keys()
    new = METHODS[key].step_keys()
    here = old[min(s.place.step, len(old) - 1)]
    s.set(method=key)
    s.place.go(new.index(here) if here in new else min(s.place.step, len(new) - 1))
    redraw_all()


def set_shape(shape: str) -> None:
    """Square or the photo's proportions; the boxes keep their part of the photo, in whole pixels."""
    s = session()
    s.set(shape=shape)
    s.photo.snap_boxes = True


# ----------------------------------------------------------------------- sections
def image() -> tuple[str, bytes, str]:
    """The chosen picture: ``(key, file bytes, name)``."""
    s, sb = session(), st.sidebar
    photo = s.photo
    sb.header("1. Image")
    sources = {"sample": "Sample photo", "upload": "Upload my own"}
    sb.radio("Source", list(sources), index=list(sources).index(photo.source), format_func=sources.get,
             horizontal=True, **bound("source", lambda v: setattr(photo, "source", v)))
    if photo.source == "upload":
        up = sb.file_uploader(f"PNG, JPEG, WebP, BMP, TIFF or GIF, up to {images.MAX_FILE_MB} MB",
                              type=list(images.UPLOAD_TYPES), key="upload", max_upload_size=images.MAX_FILE_MB)
        if up is not None:
            data = up.getvalue()  # kept in memory only, never written to disk
            key = "upload:" + hashlib.sha1(data).hexdigest()
            if key != photo.last_upload:  # a new photo of one's own: as Fast R-CNN would see it, proportions kept
                photo.last_upload = key
                if s.settings.shape != "aspect":
                    set_shape("aspect")
                    refresh("shape")
            return key, data, up.name
        sb.info("No file yet: the sample photo is shown until you upload one.")
    by_name = {x.name: x for x in samples.list_samples()}
    names = list(by_name)
    sb.selectbox("Sample", names, index=names.index(photo.sample) if photo.sample in names else 0,
                 format_func=lambda n: by_name[n].title, **bound("sample", lambda v: setattr(photo, "sample", v)))
    chosen = by_name.get(photo.sample, next(iter(by_name.values())))
    sb.caption(f"{chosen.title}. {chosen.source}. Licence: {chosen.licence}.")
    return "sample:" + chosen.name, cache.sample_bytes(chosen.name), chosen.title


def settings() -> Settings:
    """Network, method, output, channel and presets; returns the settings they make."""
    from roi_viz.methods import METHODS

    s, sb = session(), st.sidebar
    cur = s.settings
    sb.header("2. Network")
    sizes = list(images.INPUT_SIZES)
    sb.select_slider("Model input size (pixels)", sizes, value=cur.input_size,
                     help="The side of the square the image is resized to, or, with its proportions kept, its "
                          "shorter side.", **bound("input_size", lambda v: s.set(input_size=int(v))))
    shapes = {"square": "Square, S × S (the article)", "aspect": "Proportions kept, shorter side S (Fast R-CNN)"}
    sb.radio("Input shape", list(shapes), index=list(shapes).index(cur.shape), format_func=shapes.get,
             help="The article squashes every photo into a 512 × 512 square. Fast R-CNN keeps the photo's "
                  "proportions and scales its shorter side, so the feature map is not square either. An upload "
                  "starts with its proportions kept.", **bound("shape", set_shape))
    layers = list(LAYERS)
    sb.selectbox("Feature layer", layers, index=layers.index(cur.layer), format_func=lambda k: LAYERS[k].label,
                 **bound("layer", lambda v: s.set(layer=v)))
    sb.header("3. Method")
    keys = list(METHODS)
    sb.radio("How the RoI becomes a fixed-size tensor", keys, index=keys.index(cur.method),
             format_func=lambda k: METHODS[k].name, **bound("method", set_method))
    reads = METHODS[cur.method].options
    if "scheme" in reads:
        rules = {"article": "Article: round everything down", "fastrcnn": "Fast R-CNN code (torchvision)"}
        sb.radio("Rounding rule", list(rules), index=list(rules).index(cur.scheme), format_func=rules.get,
                 help="The article floors x, y, w and h separately and drops what the split leaves over. "
                 "Fast R-CNN's code rounds the corners to the nearest cell, keeps the end cell, and lets bins overlap.",
                 **bound("scheme", lambda v: s.set(scheme=v)))
    if "sampling_ratio" in reads:
        sb.number_input("Sampling ratio (points per bin per axis; 0 = adaptive)", 0, 8, value=cur.sampling_ratio,
                        step=1, help="torchvision's default is 2 here and in Detectron; 0 (or less) picks ⌈bin size⌉ "
                        "points per axis, about one per cell.",
                        **bound("sampling_ratio", lambda v: s.set(sampling_ratio=int(v))))
    for mode in ("align_mode", "warp_mode"):
        if mode in reads:
            sb.radio("One value per bin", ["avg", "max"], index=["avg", "max"].index(getattr(cur, mode)),
                     horizontal=True, format_func={"avg": "mean of the points", "max": "max of the points"}.get,
                     **bound(mode, lambda v, m=mode: s.set(**{m: v})))
    if "aligned" in reads:
        sb.toggle("Aligned (−0.5 cell shift)", value=cur.aligned,
                  help="On: points and bins sit exactly on the RoI (torchvision aligned=True). "
                  "Off: the legacy rule, which reads the map half a cell off.",
                  **bound("aligned", lambda v: s.set(aligned=bool(v))))
    c1, c2 = sb.columns(2)
    c1.number_input("Output rows", 1, MAX_OUTPUT, value=cur.output_size[0], step=1,
                    **bound("out_h", lambda v: s.set(output_size=(int(v), s.settings.output_size[1]))))
    c2.number_input("Output columns", 1, MAX_OUTPUT, value=cur.output_size[1], step=1,
                    **bound("out_w", lambda v: s.set(output_size=(s.settings.output_size[0], int(v)))))
    sb.button("↺ Article example", width="stretch", on_click=apply_preset,
              args=(presets.ARTICLE, [samples.ARTICLE_ROI],
                    "The article's example is loaded: RoI (296, 192, 200, 145) on a 512 × 512 input."),
              help="512 × 512 input, pool5 (stride 32), RoI (296, 192, 200, 145), RoI pooling to 3 × 3, rounded down.")
    sb.button("Fast R-CNN paper setting", width="stretch", on_click=apply_preset,
              args=(presets.FAST_RCNN, None,
                    "Fast R-CNN paper setting: VGG16 cut after conv5_3 and its ReLU (stride 16), RoI pooling to "
                    "7 × 7 with the rounding of Fast R-CNN's code. The RoIs stay."),
              help="conv5_3 + ReLU (stride 16), RoI pooling to 7 × 7 with the rounding of Fast R-CNN's code.")
    sb.header("4. Channel shown")
    auto = sb.toggle("Strongest channel inside the RoI", value=cur.channel is None,
                     **bound("chan_auto", lambda v: s.set(channel=None if v else 0)))
    if not auto:
        sb.number_input("Channel", 0, LAYERS[cur.layer].channels - 1, value=cur.channel or 0, step=1,
                        **bound("chan", lambda v: s.set(channel=int(v))))
    sb.toggle("Step 2: mean over all channels", value=cur.mean_view,
              **bound("chan_mean", lambda v: s.set(mean_view=bool(v))))
    return s.settings


def network_status(settings: Settings) -> None:
    """One line on the first screen when the weights are missing; the details in the sidebar."""
    net = loading.backbone()
    if not net.pretrained:
        st.warning("**Untrained VGG16:** no ImageNet weights. Every number is exact, but the activations mean "
                   "nothing (details in the sidebar).")
    sb = st.sidebar
    sb.caption(f"{settings.layer_label} · weights: "
               f"{'ImageNet, from ' + net.weights_source if net.pretrained else 'none (untrained)'} · {net.device_name}")
    if not net.pretrained:
        with sb.expander("Untrained VGG16: why, and how to use the real weights"):
            st.markdown(
                "The features come from an untrained network with a fixed seed. To use the real weights, run "
                "`python -m roi_viz download-weights` once with internet, or set `ROI_VIZ_WEIGHTS` to a weights "
                "file.")
            st.text("\n".join(f"- {problem}" for problem in net.problems))  # paths from the environment: plain
    elif net.problems:
        say("\n".join(net.problems), "info", sb)

"""roi-viz: how RoI pooling turns any box into a fixed-size tensor, step by step.

Run with ``streamlit run app.py``. This page only wires widgets to the
``roi_viz`` library: the image, the RoIs, the settings in the sidebar, then
one of three views (the walkthrough, the comparison of methods, the sliding
box), top to bottom as the page reads.
"""
from __future__ import annotations

import hashlib
import io
import sys

import streamlit as st
from streamlit_drawable_canvas import boxes_to_drawing, st_canvas

from roi_viz import explain, figures, images, rois, samples
from roi_viz import features as feats
from roi_viz.figures_compare import fig_compare, fig_slide
from roi_viz.pooling import METHODS, run_all
from roi_viz.sliding import slide_roi
from roi_viz.walkthrough import STEP_SETS, build_scene

CANVAS_PX = 512  # the drawing canvas is always this wide; RoIs are scaled to the input
STATE_DEFAULTS = {
    "rois": [samples.ARTICLE_ROI],
    "active": 0,
    "rois_size": samples.ARTICLE_INPUT_SIZE,  # the input size the RoIs are measured in
    "canvas_rev": 0,
    "step": 0,
    "input_size": samples.ARTICLE_INPUT_SIZE,
    "scheme": "article",
    "out_h": 3,
    "out_w": 3,
    "layer": "pool5",
    "method": "pool",
    "sampling_ratio": 2,
    "aligned": True,
    "align_mode": "avg",
    "warp_mode": "max",
    "view": "walk",
    "focus_i": 0,
    "focus_j": 0,
    "focus_k": 0,
    "slide_axis": "x",
    "slide_cells": 1.0,
    "notice": "",
}
VIEWS = {"walk": "Walkthrough", "compare": "Compare the methods", "slide": "Slide the box"}
PRESETS = {  # what a preset sets, beside the RoI
    "article": dict(layer="pool5", out_h=3, out_w=3, scheme="article", method="pool"),
    "paper": dict(layer="conv5_3", out_h=7, out_w=7, scheme="fastrcnn", method="pool"),
}

st.set_page_config(page_title="roi-viz: RoI pooling, step by step", page_icon="🔲", layout="wide")


# ------------------------------------------------------------ heavy things, loaded once
@st.cache_resource(show_spinner="Loading VGG16 (once for everyone on this server)…")
def backbone() -> feats.Backbone:
    net = feats.load_backbone()
    print(f"[roi-viz] VGG16 loaded on {net.device_name} in {net.load_seconds:.1f} s", file=sys.stderr, flush=True)
    return net


@st.cache_resource(max_entries=32, show_spinner=False)
def decoded(key: str, _data: bytes) -> images.DecodedImage:
    return images.decode_image(_data)


@st.cache_resource(max_entries=64, show_spinner=False)
def model_input(key: str, size: int, _img: images.DecodedImage):
    """The resized input, its coordinate map, and its PNG bytes for the canvas."""
    img, mapping = images.prepare_input(_img, size)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return img, mapping, buf.getvalue()


@st.cache_resource(max_entries=64, show_spinner="Running VGG16 on this image…")
def feature_map(key: str, size: int, layer: str, _img) -> feats.FeatureMap:
    fm = feats.extract(backbone(), _img, layer)
    print(f"[roi-viz] features computed: {key[:40]} {size} {layer} ({fm.seconds * 1000:.0f} ms)", file=sys.stderr, flush=True)
    return fm


@st.cache_resource(show_spinner=False)
def sample_bytes(name: str) -> bytes:
    return samples.get_sample(name).path.read_bytes()


# ----------------------------------------------------------------------- state
def init_state() -> None:
    for k, v in STATE_DEFAULTS.items():
        st.session_state.setdefault(k, list(v) if isinstance(v, list) else v)


def set_rois(new_rois, active: int, notice: str = "") -> None:
    """Replace the RoIs from outside the canvas; the canvas is remounted to show them."""
    st.session_state.rois = list(new_rois)
    st.session_state.active = active
    st.session_state.canvas_rev += 1
    st.session_state.notice = notice


def article_preset() -> None:
    st.session_state.update(PRESETS["article"], step=0, input_size=samples.ARTICLE_INPUT_SIZE,
                            rois_size=samples.ARTICLE_INPUT_SIZE)
    set_rois([samples.ARTICLE_ROI], 0, "The article's example is loaded: RoI (296, 192, 200, 145) on a 512 × 512 input.")


def paper_preset() -> None:
    """Fast R-CNN as published: conv5_3 + ReLU (stride 16), 7 × 7 bins, the code's rounding. The RoIs stay."""
    st.session_state.update(PRESETS["paper"], step=0)
    st.session_state.notice = (
        "Fast R-CNN paper setting: VGG16 cut after conv5_3 and its ReLU (stride 16), RoI pooling to 7 × 7 "
        "with the rounding of Fast R-CNN's code."
    )


def apply_numbers() -> None:
    s = st.session_state
    typed = (s.in_x, s.in_y, s.in_w, s.in_h)
    try:
        box, msg = rois.clip_roi(typed, s.input_size)
    except rois.RoIError as exc:
        s.notice = f"⚠ {exc} The RoI was left as it was."
        s.canvas_rev += 1
        return
    new = list(s.rois)
    new[s.active] = box
    set_rois(new, s.active, msg)


def add_roi() -> None:
    s = st.session_state
    set_rois(list(s.rois) + [rois.new_roi(s.input_size)], len(s.rois), "A new RoI was added in the middle; drag it on the image or type its numbers.")


def delete_roi() -> None:
    s = st.session_state
    new = [r for k, r in enumerate(s.rois) if k != s.active]
    set_rois(new, max(0, s.active - 1))


def go_to_step(target: int) -> None:
    """Prev/Next carry the step they lead to, not +1/-1: on a busy server the step widget's
    value can arrive stale with the click, and "+1" from a stale value repeats the same step."""
    last = len(STEP_SETS[st.session_state.method]) - 1
    st.session_state.step = min(max(int(target), 0), last)


def keep_step_on_method_change() -> None:
    """Stay on the same kind of step (e.g. the output) when the method changes, if the new one has it."""
    s = st.session_state
    old = s.get("step_key")
    keys = [step.key for step in STEP_SETS[s.method]]
    s.step = keys.index(old) if old in keys else min(s.step, len(keys) - 1)


# ---------------------------------------------------------------------- sidebar
def sidebar_image() -> tuple[str, bytes, str]:
    """Returns ``(key, file bytes, description)`` of the chosen image."""
    st.sidebar.header("1. Image")
    options = samples.list_samples()
    source = st.sidebar.radio("Source", ["Sample photo", "Upload my own"], horizontal=True, key="source")
    if source == "Upload my own":
        up = st.sidebar.file_uploader(
            f"PNG, JPEG, WebP, BMP, TIFF or GIF, up to {images.MAX_FILE_MB} MB",
            type=list(images.UPLOAD_TYPES),
            key="upload",
            max_upload_size=images.MAX_FILE_MB,
        )
        if up is not None:
            data = up.getvalue()  # kept in memory only, never written to disk
            return "upload:" + hashlib.sha1(data).hexdigest(), data, up.name
        st.sidebar.info("No file yet: the sample photo is shown until you upload one.")
    by_name = {s.name: s for s in options}
    name = st.sidebar.selectbox("Sample", list(by_name), format_func=lambda n: by_name[n].title, key="sample")
    chosen = by_name[name]
    st.sidebar.caption(f"{chosen.title}. {chosen.source}. Licence: {chosen.licence}.")
    return "sample:" + name, sample_bytes(name), chosen.title


def sidebar_settings() -> None:
    st.sidebar.header("2. Network")
    st.sidebar.select_slider("Model input size (pixels)", options=list(images.INPUT_SIZES), key="input_size",
                             help="The image is resized to a square of this size before VGG16 sees it.")
    st.sidebar.selectbox("Feature layer", list(feats.LAYERS), format_func=lambda k: feats.LAYERS[k].label, key="layer")
    st.sidebar.header("3. Method")
    st.sidebar.radio("How the RoI becomes a fixed-size tensor", list(METHODS), format_func=METHODS.get,
                     key="method", on_change=keep_step_on_method_change)
    method = st.session_state.method
    if method in ("pool", "warp"):
        st.sidebar.radio(
            "Rounding rule",
            ["article", "fastrcnn"],
            format_func=lambda k: {"article": "Article: round everything down", "fastrcnn": "Fast R-CNN code (torchvision)"}[k],
            key="scheme",
            help="The article floors x, y, w and h separately and drops what the split leaves over. "
            "Fast R-CNN's code rounds the corners to the nearest cell, keeps the end cell, and lets bins overlap.",
        )
    if method in ("align", "warp"):
        st.sidebar.number_input("Sampling ratio (points per bin per axis; 0 = adaptive)", 0, 8, step=1, key="sampling_ratio",
                                help="torchvision's default is 2 here and in Detectron; 0 (or less) picks ⌈bin size⌉ "
                                "points per axis, about one per cell.")
        mode_key = "align_mode" if method == "align" else "warp_mode"
        st.sidebar.radio("One value per bin", ["avg", "max"], key=mode_key, horizontal=True,
                         format_func={"avg": "mean of the points", "max": "max of the points"}.get)
    if method in ("align", "prroi"):
        st.sidebar.toggle("Aligned (−0.5 cell shift)", key="aligned",
                          help="On: points and bins sit exactly on the RoI (torchvision aligned=True). "
                          "Off: the legacy rule, which reads the map half a cell off.")
    c1, c2 = st.sidebar.columns(2)
    c1.number_input("Output rows", 1, 14, step=1, key="out_h")
    c2.number_input("Output columns", 1, 14, step=1, key="out_w")
    st.sidebar.button("↺ Article example", on_click=article_preset, use_container_width=True,
              help="512 × 512 input, pool5 (stride 32), RoI (296, 192, 200, 145), RoI pooling to 3 × 3, rounded down.")
    st.sidebar.button("Fast R-CNN paper setting", on_click=paper_preset, use_container_width=True,
              help="conv5_3 + ReLU (stride 16), RoI pooling to 7 × 7 with the rounding of Fast R-CNN's code.")


def sidebar_channel(n_channels: int) -> tuple[int | None, bool]:
    st.sidebar.header("4. Channel shown")
    auto = st.sidebar.toggle("Strongest channel inside the RoI", value=True, key="chan_auto")
    channel = None if auto else st.sidebar.number_input("Channel", 0, n_channels - 1, 0, step=1, key="chan")
    mean = st.sidebar.toggle("Step 2: mean over all channels", value=False, key="chan_mean")
    return channel, mean


# --------------------------------------------------------------------- main parts
def draw_rois(png: bytes, size: int) -> None:
    """The canvas: shows every RoI and turns a mouse drag into a new one."""
    s = st.session_state
    k = CANVAS_PX / size
    sent = [
        {"left": x * k, "top": y * k, "width": w * k, "height": h * k, "label": f"RoI {i + 1}"}
        for i, (x, y, w, h) in enumerate(s.rois)
    ]
    result = st_canvas(
        fill_color="rgba(255, 212, 0, 0.15)",
        stroke_width=3,
        stroke_color="#ffd400",
        background_image=png,
        height=CANVAS_PX,
        width=CANVAS_PX,
        drawing_mode="labeled_rect",
        label=f"RoI {len(s.rois) + 1}",
        font_size=16,
        initial_drawing=boxes_to_drawing(sent, stroke_color="#ffd400", stroke_width=3),
        key=f"canvas-{s.canvas_rev}-{size}",
    )
    drawn = result.boxes
    if _same_boxes(drawn, sent):
        return
    new, notices = [], []
    for b in drawn:
        try:
            box, msg = rois.clip_roi((b["left"] / k, b["top"] / k, b["width"] / k, b["height"] / k), size)
        except rois.RoIError:
            notices.append("An empty box (a click without a drag) was ignored: drag to draw a box.")
            continue
        new.append(tuple(round(v, 2) for v in box))
        if msg:
            notices.append(msg)
    if not new:
        set_rois(s.rois, s.active, "⚠ At least one RoI is needed; the last one was kept.")
        st.rerun()
    grew = len(new) > len(s.rois)
    s.rois = new
    s.active = len(new) - 1 if grew else min(s.active, len(new) - 1)
    s.notice = " ".join(notices)
    if notices:  # the canvas shows something we refused or cut: redraw it from the store
        s.canvas_rev += 1
        st.rerun()


def _same_boxes(a, b, tol: float = 0.5) -> bool:
    if len(a) != len(b):
        return False
    keys = ("left", "top", "width", "height")
    return all(abs(p[k] - q[k]) <= tol for p, q in zip(a, b) for k in keys)


def roi_editor(size: int, mapping: images.InputMapping) -> None:
    s = st.session_state
    labels = [f"RoI {i + 1}: ({', '.join(explain.num(v, 2) for v in r)})" for i, r in enumerate(s.rois)]
    st.selectbox("The walkthrough follows", range(len(s.rois)), format_func=lambda i: labels[i], key="active")
    x, y, w, h = s.rois[s.active]
    if s.get("in_sync") != (s.active, (x, y, w, h), s.canvas_rev):
        s.in_x, s.in_y, s.in_w, s.in_h = float(x), float(y), float(w), float(h)
        s.in_sync = (s.active, (x, y, w, h), s.canvas_rev)
    c = st.columns(4)
    for col, key, label in zip(c, ("in_x", "in_y", "in_w", "in_h"), ("x", "y", "w", "h")):
        col.number_input(label, step=1.0, format="%.2f", key=key, on_change=apply_numbers)
    b1, b2 = st.columns(2)
    b1.button("Add RoI", on_click=add_roi, use_container_width=True)
    b2.button("Delete RoI", on_click=delete_roi, disabled=len(s.rois) < 2, use_container_width=True)
    ox, oy, ow, oh = mapping.to_original((x, y, w, h))
    W, H = mapping.original_size
    sx, sy = mapping.scale
    st.caption(
        f"Coordinates are pixels of the {size} × {size} model input. The original is {W} × {H}: "
        f"input x = original x × {sx:.4g}, input y = original y × {sy:.4g}. "
        f"This RoI in the original: ({ox:.1f}, {oy:.1f}, {ow:.1f}, {oh:.1f})."
    )


def focus_controls(scene, points: bool) -> None:
    """Pick the bin (and the sampling point) the close-up steps look at."""
    s = st.session_state
    ph, pw = scene.trace.output_size
    n = getattr(scene.result, "points_per_bin", 0)
    c = st.columns(3 if points else 2)
    c[0].number_input("Bin row", 0, ph - 1, step=1, key="focus_i")
    c[1].number_input("Bin column", 0, pw - 1, step=1, key="focus_j")
    if points and n:
        c[2].number_input(f"Point (1–{n})", 1, n, step=1, key="focus_k1",
                          on_change=lambda: s.update(focus_k=s.focus_k1 - 1))


def clamp_focus(ph: int, pw: int, points: int) -> None:
    """Keep the chosen bin and point inside the output before their widgets are drawn."""
    s = st.session_state
    s.focus_i = min(max(int(s.focus_i), 0), ph - 1)
    s.focus_j = min(max(int(s.focus_j), 0), pw - 1)
    s.focus_k = min(max(int(s.focus_k), 0), max(points - 1, 0))
    s.focus_k1 = s.focus_k + 1


def walkthrough(scene, fm: feats.FeatureMap) -> None:
    s = st.session_state
    steps = scene.steps
    nav = st.columns([1, 6, 1])
    nav[0].button("◀ Previous", on_click=go_to_step, args=(s.step - 1,), disabled=s.step == 0, use_container_width=True)
    nav[1].radio("Step", range(len(steps)), format_func=lambda i: f"{i + 1}. {steps[i].title}",
                 key="step", horizontal=True, label_visibility="collapsed")
    nav[2].button("Next ▶", on_click=go_to_step, args=(s.step + 1,), disabled=s.step == len(steps) - 1,
                  use_container_width=True)
    step = steps[s.step]
    s.step_key = step.key
    left, right = st.columns([3, 2])
    data, fmt = figures.encode_step(step.key, figures.draw_step(step.key, scene))
    left.image(data, width="stretch", output_format=fmt)
    right.markdown(f"### Step {s.step + 1}: {step.title}")
    if step.key in ("sampling", "bilinear", "integrate"):
        with right:
            focus_controls(scene, points=step.key != "integrate")
    right.markdown(explain.explain_step(step.key, scene))
    if step.key == "features":
        right.caption(f"Forward pass: {fm.seconds * 1000:.0f} ms on {fm.device} (computed once per image and size).")


@st.cache_data(max_entries=256, show_spinner=False)
def compare_page(key: str, roi: tuple, settings, channel: int, pretrained: bool, _scene) -> tuple[bytes, str]:
    """The comparison figure and table; cached, as the page reruns for reasons that do not change them."""
    traces = run_all(_scene.features, roi, settings)
    return figures.to_png(fig_compare(_scene, traces), figures.PAGE_DPI), explain.compare_table(_scene, traces)


@st.cache_data(max_entries=256, show_spinner=False)
def slide_page(key: str, roi: tuple, settings, channel: int, bin: tuple, axis: str, cells: float,
               pretrained: bool, _scene) -> tuple[bytes, str]:
    slide = slide_roi(_scene.features, roi, settings, channel=channel, bin=bin, axis=axis, distance=cells)
    return figures.to_png(fig_slide(_scene, slide), figures.PAGE_DPI), explain.slide_text(slide)


def compare_view(scene, key: str) -> None:
    png, table = compare_page(key, scene.rois[scene.active], scene.settings, scene.channel, scene.pretrained, scene)
    st.image(png, width="stretch")
    st.markdown(table)
    st.caption("The sidebar's settings apply: rounding rule (RoI pooling, RoIWarp), sampling ratio and mode "
               "(RoIAlign, RoIWarp), aligned (RoIAlign, PrRoI), output size, channel.")


def slide_view(scene, key: str) -> None:
    s = st.session_state
    ph, pw = scene.trace.output_size
    c = st.columns(4)
    c[0].radio("Move the RoI", ["x", "y"], key="slide_axis", horizontal=True,
               format_func={"x": "right (x)", "y": "down (y)"}.get)
    c[1].select_slider("by up to (cells)", options=[0.25, 0.5, 1.0, 2.0], key="slide_cells")
    c[2].number_input("Bin row", 0, ph - 1, step=1, key="focus_i")
    c[3].number_input("Bin column", 0, pw - 1, step=1, key="focus_j")
    png, text = slide_page(key, scene.rois[scene.active], scene.settings, scene.channel,
                           (int(s.focus_i), int(s.focus_j)), s.slide_axis, float(s.slide_cells), scene.pretrained, scene)
    st.image(png, width="stretch")
    st.markdown(text)


# ------------------------------------------------------------------------ the page
def main() -> None:
    init_state()
    s = st.session_state
    st.title("RoI pooling, step by step")
    st.markdown(
        "Draw a box on the photo and follow it through a real VGG16: onto the feature grid, "
        "snapped to whole cells, split into bins and max-pooled into a fixed-size tensor. "
        "Watch what is lost on the way."
    )
    key, data, label = sidebar_image()
    sidebar_settings()
    size = s.input_size
    if s.rois_size != size:  # keep the boxes on the same part of the picture
        set_rois(rois.rescale(s.rois, s.rois_size, size), s.active)
        s.rois_size = size

    try:
        img = decoded(key, data)
    except images.ImageError as exc:
        st.error(f"**{label}** could not be used: {exc} The sample photo is shown instead.")
        key, data = "sample:" + samples.DEFAULT_SAMPLE, sample_bytes(samples.DEFAULT_SAMPLE)
        img = decoded(key, data)
    for note in img.notes:
        st.info(note)
    inp, mapping, png = model_input(key, size, img)

    net = backbone()
    if not net.pretrained:
        st.warning(
            "**Untrained VGG16.** The ImageNet weights could not be loaded, so the features come from an "
            "untrained network with a fixed seed: every number is computed exactly, but the activations "
            "do not mean anything. To use the real weights, run `python -m roi_viz download-weights` once "
            "with internet, or set `ROI_VIZ_WEIGHTS` to a weights file.\n\n"
            + "\n".join(f"- {p}" for p in net.problems)
        )
    elif net.problems:
        st.info("\n".join(net.problems))
    layer = feats.LAYERS[s.layer]
    try:
        fm = feature_map(key, size, s.layer, inp)
    except (RuntimeError, MemoryError) as exc:  # out of memory, or a broken backend
        st.error(
            f"VGG16 could not run on this image at {size} × {size} ({type(exc).__name__}). "
            "Try a smaller model input size in the sidebar, or the sample photo."
        )
        return
    if fm.note:
        st.info(fm.note)
    st.caption(
        f"{layer.label} · weights: {'ImageNet, from ' + net.weights_source if net.pretrained else 'none (untrained)'} · "
        f"{fm.device} · forward {fm.seconds * 1000:.0f} ms"
    )

    draw_col, edit_col = st.columns([1, 1])
    with draw_col:
        st.markdown("**Drag on the photo to draw an RoI.**")
        draw_rois(png, size)
    with edit_col:
        roi_editor(size, mapping)
        if s.notice.startswith("⚠"):
            st.warning(s.notice)
        elif s.notice:
            st.info(s.notice)

    channel, mean = sidebar_channel(fm.values.shape[0])
    steps = STEP_SETS[s.method]
    s.step = min(int(s.step), len(steps) - 1)
    scene = build_scene(
        inp, fm.values, s.rois, s.active,
        stride=layer.stride, output_size=(int(s.out_h), int(s.out_w)), scheme=s.scheme,
        channel=channel, mean_view=mean, pretrained=net.pretrained, layer_label=layer.label,
        method=s.method, sampling_ratio=int(s.sampling_ratio), aligned=bool(s.aligned),
        align_mode=s.align_mode, warp_mode=s.warp_mode, focus=(s.focus_i, s.focus_j, s.focus_k),
    )
    clamp_focus(*scene.trace.output_size, getattr(scene.result, "points_per_bin", 1))
    st.radio("View", list(VIEWS), format_func=VIEWS.get, key="view", horizontal=True, label_visibility="collapsed")
    if s.view == "compare":
        st.subheader("Compare the methods")
        compare_view(scene, f"{key}|{size}|{s.layer}")
    elif s.view == "slide":
        st.subheader("Slide the box by fractions of a cell")
        slide_view(scene, f"{key}|{size}|{s.layer}")
    else:
        st.subheader(f"Walkthrough: {METHODS[s.method]}")
        walkthrough(scene, fm)


try:
    main()
except Exception as exc:  # a student never sees a traceback; the page stays usable
    st.error(
        "Something went wrong while drawing this step. Your settings are kept: try another RoI or step, "
        f"or press “Article example” in the sidebar. (Details: {type(exc).__name__}: {exc})"
    )

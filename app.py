"""roi-viz: how RoI pooling turns any box into a fixed-size tensor, step by step.

Run with ``streamlit run app.py``. This page only wires widgets to the
``roi_viz`` library. It reads top to bottom as the page does: the sidebar
(image, network, method), the photo with its boxes, then the lesson.

What reruns when (Streamlit fragments), so that a click costs what it shows:

- a sidebar change reruns the page;
- ``workspace`` (the canvas, the box editor and the lesson) reruns alone when a
  box is drawn, typed, added or deleted;
- ``lesson`` (steps, views, pickers) reruns alone for everything inside it:
  Previous, Next and a step cost one cached figure, not a redrawn page.

State has one owner each: the session's :class:`Page` (settings, the RoI
store, where the lesson is). Widgets show it and write it back in their
callbacks; their keys carry a revision, so a change made elsewhere (a preset,
Next, a box drawn) gives them fresh widgets instead of rewriting their keys.
"""
from __future__ import annotations

import functools
import hashlib
import io
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field

import streamlit as st
from streamlit.runtime.scriptrunner import add_script_run_ctx, get_script_run_ctx
from streamlit_drawable_canvas import boxes_to_drawing, st_canvas

from roi_viz.lesson import settings as presets
from roi_viz.lesson.numbers import exact, pct
from roi_viz.lesson.settings import MAX_OUTPUT, Settings
from roi_viz.model import images, loading, samples
from roi_viz.model.layers import LAYERS
from roi_viz.rois import RoIError, RoIStore, new_roi

CANVAS_PX = 512  # the drawing canvas is this wide; boxes are kept in input pixels
ACTIVE, OTHER = "#ffd400", "#00e5ff"  # the followed box and the others, on the canvas and in step 1
NEW_LABEL = "new"  # stamped on boxes drawn since the canvas was mounted; a changing label would reset the tool mid-drag
VIEWS = {"walk": "Walkthrough", "compare": "Compare the methods", "slide": "Slide the box", "quiz": "Quiz",
         "field": "What a cell sees", "head": "After pooling"}

TITLE = "roi-viz: RoI pooling, step by step"


def say(text: str, kind: str = "warning", where=None) -> None:
    """A notice whose words may come from a link, a file or a student: shown as plain text.

    ``st.warning`` and its kin read their body as Markdown, so a link's value
    could plant a clickable link, an outside image or coloured text in the
    page's own warning box. ``st.text`` interprets nothing; the box around it
    is the page's CSS (``page_style``), keyed by ``kind`` (warning, error, info).
    """
    box = (where or st).container(key=f"notice-{kind}-{hashlib.sha1(text.encode()).hexdigest()[:12]}")
    box.text(text)


def page_style(present: bool = False) -> str:
    """The page's own CSS: a tighter top, and a canvas that always fits its column.

    The canvas is 512 pixels wide (its coordinates, and so the boxes, are in those
    pixels); on a laptop its column is narrower, and at 150 % browser zoom more so.
    CSS ``zoom`` shrinks the canvas element as a whole, and Fabric.js maps the mouse
    through the element's on-screen size, so a drag still lands on the right input
    pixels. The factor is the smaller of two: the column's width (container queries,
    in 8-pixel steps) and the window's height (so that the photo, its box and the
    first step fit on a laptop's first screen).
    """
    width = "".join(
        f"@container photo (max-width: {w + 7}px) {{ .st-key-photo [class*=\"st-key-canvas-\"] {{ --roi-zoom-w: {w / CANVAS_PX:.4f}; }} }}\n"
        for w in range(CANVAS_PX - 8, 159, -8))
    height = "".join(
        f"@media (max-height: {h + 19}px) {{ :root {{ --roi-zoom-h: {max(h - CANVAS_ROOM_PX, 200) / CANVAS_PX:.4f}; }} }}\n"
        for h in range(CANVAS_ROOM_PX + CANVAS_PX - 20, 479, -20))
    return f"""<style>
[class*="st-key-notice-"] {{ padding: 0.6rem 0.9rem; border-radius: 0.5rem; border-left: 0.3rem solid; }}
[class*="st-key-notice-warning"] {{ background: #fff4d6; border-color: #8a5a00; color: #3d2a00; }}
[class*="st-key-notice-error"] {{ background: #fde8e8; border-color: #a61b1b; color: #4a0a0a; }}
[class*="st-key-notice-info"] {{ background: #e6f0fb; border-color: #1d5fa8; color: #0c2a4d; }}
[class*="st-key-notice-"] [data-testid="stText"] {{ white-space: pre-wrap; }}
[data-testid="stMainBlockContainer"] {{ padding-top: {"3.8rem" if present else "2.5rem"}; padding-bottom: 2rem; }}
[data-testid="stMainBlockContainer"] h2 {{ padding-top: 0; }}
.st-key-clicker-keys {{ display: none; }}
{"" if present else ".st-key-step-figure img { max-width: 720px !important; }  /* wide screens: the words stay in reach */"}
.st-key-photo {{ container-type: inline-size; container-name: photo; }}
.st-key-photo [class*="st-key-canvas-"] {{ zoom: min(var(--roi-zoom-w, 1), var(--roi-zoom-h, 1)); }}
{width}{height}</style>"""


def canvas_dims(dims: tuple[int, int]) -> tuple[int, int]:
    """The canvas for an input of ``dims``: its longer side CANVAS_PX pixels, the photo's proportions."""
    W, H = dims
    k = CANVAS_PX / max(W, H)
    return max(1, round(W * k)), max(1, round(H * k))


# Vertical room the canvas leaves for the page's top and the first step's figure on a short screen.
CANVAS_ROOM_PX = 430


# ----------------------------------------------------------------- heavy things, once
@st.cache_resource(max_entries=32, show_spinner=False)
def decoded(key: str, _data: bytes) -> images.DecodedImage:
    return images.decode_image(_data)


@st.cache_resource(max_entries=64, show_spinner=False)
def model_input(key: str, size: int, shape: str, _img: images.DecodedImage):
    """The resized input, its coordinate map, and the canvas background (a light JPEG)."""
    img, mapping = images.prepare_input(_img, size, shape)
    buf = io.BytesIO()
    img.resize(canvas_dims(img.size)).save(buf, format="JPEG", quality=88)
    return img, mapping, buf.getvalue()


@st.cache_resource(max_entries=64, show_spinner=False)
def feature_map(key: str, size: int, layer: str, _img):
    from roi_viz.model import features  # torch: imported once the photo is on the page

    fm = features.extract(loading.backbone(), _img, layer)
    print(f"[roi-viz] features computed: {key[:40]} {size} {layer} ({fm.seconds * 1000:.0f} ms)", file=sys.stderr, flush=True)
    return fm


@st.cache_resource(show_spinner=False)
def sample_bytes(name: str) -> bytes:
    return samples.get_sample(name).path.read_bytes()


@st.cache_data(max_entries=512, show_spinner=False)
def step_figure(key: str, _scene, _step, present: bool = False) -> tuple[bytes, str, tuple[int, int]]:
    """One step's figure, encoded, and its size in pixels; ``key`` names everything it is drawn from.

    For a projector (``present``) its text is larger and it is drawn at slide resolution.
    """
    from roi_viz.draw.kit import PAGE_DPI, for_projector, projector_image, to_jpeg, to_png

    fig = _step.figure(_scene)
    fmt = "JPEG" if _step.photo else "PNG"
    if present:  # larger text, and a canvas that holds all of it
        data, size = projector_image(for_projector(fig), fmt)
        return data, fmt, size
    w, h = (round(v * PAGE_DPI) for v in fig.get_size_inches())
    return (to_jpeg(fig, PAGE_DPI) if _step.photo else to_png(fig, PAGE_DPI)), fmt, (w, h)


@st.cache_data(max_entries=128, show_spinner=False)
def compare_page(key: str, _scene) -> tuple[bytes, str]:
    from roi_viz import methods
    from roi_viz.draw.compare import fig_compare
    from roi_viz.draw.kit import PAGE_DPI, to_png
    from roi_viz.lesson.words import compare_table

    traces = methods.run_all(_scene.features, _scene.rois[_scene.active], _scene.settings)
    table = compare_table(_scene, traces, methods.NAMES, methods.labels(traces))
    return to_png(fig_compare(_scene, traces, methods.METHODS), PAGE_DPI), table


@st.cache_data(max_entries=128, show_spinner=False)
def slide_page(key: str, _scene, bin: tuple, axis: str, cells: float) -> tuple[bytes, str]:
    from roi_viz import methods
    from roi_viz.draw.compare import fig_slide
    from roi_viz.draw.kit import PAGE_DPI, to_png
    from roi_viz.lesson.words import slide_text
    from roi_viz.ops.sliding import slide_roi

    s = _scene.settings
    slide = slide_roi(_scene.features, _scene.rois[_scene.active], methods.runners(s), stride=s.stride,
                      output_size=s.output_size, channel=_scene.channel, bin=bin, axis=axis, distance=cells)
    return to_png(fig_slide(_scene, slide, methods.METHODS), PAGE_DPI), slide_text(slide, methods.NAMES)


# ------------------------------------------------------------------- the session
@dataclass
class Page:
    """Everything one student has chosen. The only session state the page keeps."""

    settings: Settings = field(default_factory=Settings)
    store: RoIStore = field(default_factory=lambda: RoIStore([samples.ARTICLE_ROI], samples.ARTICLE_INPUT_SIZE))
    source: str = "sample"
    sample: str = samples.DEFAULT_SAMPLE
    view: str = "walk"
    step: int = 0
    focus: tuple[int, int, int] = (0, 0, 0)  # the bin (i, j) and point k of the close-ups
    slide_axis: str = "x"
    slide_cells: float = 1.0
    present: bool = False  # presenter mode: the step's figure and words, sized for a projector
    quiz_level: str = "starter"
    quiz_seed: int | None = None  # the question; drawn when the quiz is first opened
    quiz_pos: int = 0  # the ask shown
    quiz_tries: int = 0  # wrong tries at it so far
    quiz_grade: object = None  # the last grade of the ask shown (roi_viz.quiz.Grade)
    quiz_score: object = None  # roi_viz.quiz.Score of the session
    quiz_asked: str = ""  # the fingerprint of the question that pos, tries and grade belong to
    cell: tuple[int, int] | None = None  # "What a cell sees": the cell looked at (None: under the RoI's centre)
    cell_for: tuple = ()  # the (RoI, layer, input size) the cell was picked for
    dims: tuple[int, int] = (512, 512)  # (W, H) of the model input shown: the boxes are pixels of it
    last_upload: str = ""  # the upload shown last: a new one is shown with its proportions kept
    snap_boxes: bool = False  # the input changed shape: the boxes become whole pixels of the new one, as drawn boxes are
    erf_done: set = field(default_factory=set)  # effective fields asked for in this session (they are cached)
    redraw: bool = False  # the lesson changed the boxes: the photo's canvas must be drawn again
    upload_shown: bool = False  # the photo on the page is an upload (a link cannot carry it)
    image_title: str = ""  # the photo's name, for the handout
    made: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # export kind -> (what it shows, the file)
    making: str = ""  # the export asked for: made in the next run, with a progress bar
    widgets: int = 0  # bumped when a whole-page change (preset, method) redraws every widget afresh
    fresh: dict[str, int] = field(default_factory=dict)  # per widget: bumped when its value changed elsewhere
    notice: str = ""

    def set(self, **changes) -> None:
        self.settings = self.settings.with_(**changes)


def page() -> Page:
    """This session's state; a new session starts from the link it was opened with."""
    if "page" not in st.session_state:
        st.session_state["page"] = from_link()
    return st.session_state["page"]


def from_link() -> Page:
    """The page a link describes. What the link gets wrong is said once, in one notice per parameter."""
    from roi_viz import link

    params = {name: st.query_params.get_all(name) for name in st.query_params}
    shared, notices = link.from_params(params)
    s = shared.settings
    dims = link.dims(s, shared.sample)
    store = RoIStore(shared.rois, dims)
    store.active = shared.active
    p = Page(settings=s, store=store, dims=dims, sample=shared.sample, view=shared.view, step=shared.step, focus=shared.focus,
             slide_axis=shared.slide_axis, slide_cells=shared.slide_cells, present=shared.present,
             quiz_level=shared.quiz_level, quiz_seed=shared.quiz_seed)
    if notices:
        p.notice = "⚠ " + "\n".join(f"- {n}" for n in notices) if len(notices) > 1 else "⚠ " + notices[0]
    return p


def as_link(p: Page):
    from roi_viz.link import Link

    return Link(p.settings, p.sample, p.upload_shown, tuple(p.store.boxes(p.dims)), p.store.active,
                p.view, p.step, p.focus, p.slide_axis, p.slide_cells, p.present, p.quiz_level, p.quiz_seed)


def sync_link() -> dict:
    """Keep the address bar equal to the page, so that copying it at any moment copies this view.

    Called at the end of every run and fragment run (a fragment run changes
    only its part of the page, the step or the boxes, but the link holds all).
    Returns the parameters.
    """
    from roi_viz import link

    params = link.to_params(as_link(page()))
    shown = {name: st.query_params.get_all(name) for name in st.query_params}
    wanted = {k: v if isinstance(v, list) else [v] for k, v in params.items()}
    if shown != wanted:
        st.query_params.from_dict(params)
    return params


def callback(fn):
    """Callbacks run before the page is drawn: a failure becomes a notice, never Streamlit's error box."""
    @functools.wraps(fn)
    def run(*args, **kwargs):
        try:
            fn(*args, **kwargs)
        except (ValueError, RoIError) as exc:
            page().notice = f"⚠ {exc}"
        except Exception as exc:  # noqa: BLE001
            traceback.print_exc(file=sys.stderr)
            page().notice = f"⚠ That change could not be applied ({type(exc).__name__}); the page kept its state."
    return run


def wkey(name: str) -> str:
    """A widget key that changes whenever the state it shows was changed from elsewhere.

    A callback that runs inside a fragment refreshes only that fragment's
    widgets (:func:`refresh`): the others are not redrawn and keep their keys.
    """
    p = page()
    return f"{name}:{p.widgets}.{p.fresh.get(name, 0)}"


def refresh(*names: str) -> None:
    p = page()
    for name in names:
        p.fresh[name] = p.fresh.get(name, 0) + 1


@callback
def from_widget(key: str, write) -> None:
    """A widget's callback: hand its new value to ``write``.

    A widget drawn before the state changed elsewhere in the same click (a
    preset, Next) is stale: the other change wins and this value is dropped.
    """
    if key == wkey(key.rsplit(":", 1)[0]) and key in st.session_state:
        write(st.session_state[key])


def guarded(fn):
    """A student never sees a traceback: the server log gets it, the page a sentence."""
    @functools.wraps(fn)
    def run(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001  (any failure: the page must go on)
            if type(exc).__module__.startswith("streamlit"):
                raise  # Streamlit's own control flow (reruns, stops)
            traceback.print_exc(file=sys.stderr)
            say("Something went wrong while drawing this part of the page. Your settings are kept: try "
                f"another RoI or step, or press “Article example” in the sidebar. ({type(exc).__name__}: {exc})",
                "error")
    return run


# ------------------------------------------------------------------- callbacks
@callback
def apply_preset(changes: dict, rois=None, notice: str = "") -> None:
    p = page()
    p.settings = p.settings.with_(**changes)
    if rois is not None:  # the article's boxes, in pixels of its 512 x 512 input
        p.store.replace_all(rois, samples.ARTICLE_INPUT_SIZE)
    p.step, p.widgets, p.notice = 0, p.widgets + 1, notice


@callback
def set_method(key: str) -> None:
    """Switch method and stay on the same kind of step (the output stays the output)."""
    from roi_viz.methods import METHODS

    p = page()
    old = METHODS[p.settings.method].step_keys()
    new = METHODS[key].step_keys()
    here = old[min(p.step, len(old) - 1)]
    p.set(method=key)
    p.step = new.index(here) if here in new else min(p.step, len(new) - 1)
    p.widgets += 1


@callback
def go_to_step(target: int, last: int) -> None:
    p = page()
    p.step = min(max(int(target), 0), last)
    refresh("step")


@callback
def edit_box(roi_id: int, size: tuple[int, int], rev: int) -> None:
    """The x, y, w, h fields: the store cuts the box to the image (``size``: its W, H) or refuses it."""
    p = page()
    keys = [f"{k}-{roi_id}:{rev}:{size[0]}x{size[1]}" for k in "xywh"]
    index = p.store.index_of(roi_id)
    if rev != p.store.revision or index is None or not all(k in st.session_state for k in keys):
        # Fields drawn before the boxes last changed: that change wins. Without this, a rerun that still
        # carries old fields (the canvas reporting before the page caught up) typed the old box in again.
        return
    typed = tuple(st.session_state[k] for k in keys)
    try:
        p.store.move(index, typed, size)
    except RoIError as exc:
        p.store.notice = f"⚠ {exc} The RoI was left as it was."
        p.store.generation += 1  # the fields go back to the box that was kept
        p.store.revision += 1


@callback
def pick_box(rev: int) -> None:
    store, key = page().store, f"active:{rev}"
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
    page().store.merge_canvas(canvas_key, boxes, scale, size)


def set_shape(shape: str) -> None:
    """Square or the photo's proportions; the boxes keep their part of the photo, in whole pixels."""
    p = page()
    p.set(shape=shape)
    p.snap_boxes = True


# ----------------------------------------------------------------------- sidebar
def sidebar_image() -> tuple[str, bytes, str]:
    """The chosen picture: ``(key, file bytes, name)``."""
    p = page()
    sb = st.sidebar
    sb.header("1. Image")
    sources = {"sample": "Sample photo", "upload": "Upload my own"}
    sb.radio("Source", list(sources), index=list(sources).index(p.source), format_func=sources.get, horizontal=True,
             key=wkey("source"), on_change=from_widget, args=(wkey("source"), lambda v: setattr(p, "source", v)))
    if p.source == "upload":
        up = sb.file_uploader(f"PNG, JPEG, WebP, BMP, TIFF or GIF, up to {images.MAX_FILE_MB} MB",
                              type=list(images.UPLOAD_TYPES), key="upload", max_upload_size=images.MAX_FILE_MB)
        if up is not None:
            data = up.getvalue()  # kept in memory only, never written to disk
            key = "upload:" + hashlib.sha1(data).hexdigest()
            if key != p.last_upload:  # a new photo of one's own: as Fast R-CNN would see it, proportions kept
                p.last_upload = key
                if p.settings.shape != "aspect":
                    set_shape("aspect")
                    refresh("shape")
            return key, data, up.name
        sb.info("No file yet: the sample photo is shown until you upload one.")
    by_name = {s.name: s for s in samples.list_samples()}
    names = list(by_name)
    sb.selectbox("Sample", names, index=names.index(p.sample) if p.sample in names else 0,
                 format_func=lambda n: by_name[n].title, key=wkey("sample"),
                 on_change=from_widget, args=(wkey("sample"), lambda v: setattr(p, "sample", v)))
    chosen = by_name.get(p.sample, next(iter(by_name.values())))
    sb.caption(f"{chosen.title}. {chosen.source}. Licence: {chosen.licence}.")
    return "sample:" + chosen.name, sample_bytes(chosen.name), chosen.title


def sidebar_settings() -> Settings:
    """Network, method, output, channel and presets; returns the settings they make."""
    from roi_viz.methods import METHODS

    p, s, sb = page(), page().settings, st.sidebar
    sb.header("2. Network")
    sizes = list(images.INPUT_SIZES)
    sb.select_slider("Model input size (pixels)", sizes, value=s.input_size, key=wkey("input_size"),
                     help="The side of the square the image is resized to, or, with its proportions kept, its "
                          "shorter side.",
                     on_change=from_widget, args=(wkey("input_size"), lambda v: p.set(input_size=int(v))))
    shapes = {"square": "Square, S × S (the article)", "aspect": "Proportions kept, shorter side S (Fast R-CNN)"}
    sb.radio("Input shape", list(shapes), index=list(shapes).index(s.shape), format_func=shapes.get,
             key=wkey("shape"), on_change=from_widget, args=(wkey("shape"), set_shape),
             help="The article squashes every photo into a 512 × 512 square. Fast R-CNN keeps the photo's "
                  "proportions and scales its shorter side, so the feature map is not square either. An upload "
                  "starts with its proportions kept.")
    layers = list(LAYERS)
    sb.selectbox("Feature layer", layers, index=layers.index(s.layer), format_func=lambda k: LAYERS[k].label,
                 key=wkey("layer"), on_change=from_widget, args=(wkey("layer"), lambda v: p.set(layer=v)))
    sb.header("3. Method")
    keys = list(METHODS)
    sb.radio("How the RoI becomes a fixed-size tensor", keys, index=keys.index(s.method),
             format_func=lambda k: METHODS[k].name, key=wkey("method"),
             on_change=from_widget, args=(wkey("method"), set_method))
    reads = METHODS[s.method].options
    if "scheme" in reads:
        rules = {"article": "Article: round everything down", "fastrcnn": "Fast R-CNN code (torchvision)"}
        sb.radio("Rounding rule", list(rules), index=list(rules).index(s.scheme), format_func=rules.get,
                 key=wkey("scheme"), on_change=from_widget, args=(wkey("scheme"), lambda v: p.set(scheme=v)),
                 help="The article floors x, y, w and h separately and drops what the split leaves over. "
                 "Fast R-CNN's code rounds the corners to the nearest cell, keeps the end cell, and lets bins overlap.")
    if "sampling_ratio" in reads:
        sb.number_input("Sampling ratio (points per bin per axis; 0 = adaptive)", 0, 8, value=s.sampling_ratio, step=1,
                        key=wkey("sampling_ratio"), on_change=from_widget,
                        args=(wkey("sampling_ratio"), lambda v: p.set(sampling_ratio=int(v))),
                        help="torchvision's default is 2 here and in Detectron; 0 (or less) picks ⌈bin size⌉ "
                        "points per axis, about one per cell.")
    for mode in ("align_mode", "warp_mode"):
        if mode in reads:
            sb.radio("One value per bin", ["avg", "max"], index=["avg", "max"].index(getattr(s, mode)),
                     horizontal=True, format_func={"avg": "mean of the points", "max": "max of the points"}.get,
                     key=wkey(mode), on_change=from_widget, args=(wkey(mode), lambda v, m=mode: p.set(**{m: v})))
    if "aligned" in reads:
        sb.toggle("Aligned (−0.5 cell shift)", value=s.aligned, key=wkey("aligned"),
                  on_change=from_widget, args=(wkey("aligned"), lambda v: p.set(aligned=bool(v))),
                  help="On: points and bins sit exactly on the RoI (torchvision aligned=True). "
                  "Off: the legacy rule, which reads the map half a cell off.")
    c1, c2 = sb.columns(2)
    c1.number_input("Output rows", 1, MAX_OUTPUT, value=s.output_size[0], step=1, key=wkey("out_h"),
                    on_change=from_widget, args=(wkey("out_h"), lambda v: p.set(output_size=(int(v), p.settings.output_size[1]))))
    c2.number_input("Output columns", 1, MAX_OUTPUT, value=s.output_size[1], step=1, key=wkey("out_w"),
                    on_change=from_widget, args=(wkey("out_w"), lambda v: p.set(output_size=(p.settings.output_size[0], int(v)))))
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
    auto = sb.toggle("Strongest channel inside the RoI", value=s.channel is None, key=wkey("chan_auto"),
                     on_change=from_widget, args=(wkey("chan_auto"), lambda v: p.set(channel=None if v else 0)))
    if not auto:
        sb.number_input("Channel", 0, LAYERS[s.layer].channels - 1, value=s.channel or 0, step=1, key=wkey("chan"),
                        on_change=from_widget, args=(wkey("chan"), lambda v: p.set(channel=int(v))))
    sb.toggle("Step 2: mean over all channels", value=s.mean_view, key=wkey("chan_mean"),
              on_change=from_widget, args=(wkey("chan_mean"), lambda v: p.set(mean_view=bool(v))))
    return p.settings


# ------------------------------------------------------------ the photo and its boxes
def draw_boxes(key: str, png: bytes, size: tuple[int, int]) -> None:
    """The canvas: shows every RoI and turns a mouse drag into a new one.

    Mounted once per image, size and outside change; what the canvas itself
    draws never remounts or reloads it (that would drop a box drawn meanwhile).
    """
    store = page().store
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
    store = page().store
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
    shape = "" if page().settings.shape == "square" else ", its proportions kept"
    st.caption(f"Coordinates are pixels of the {size[0]} × {size[1]} model input{shape}. The original is {W} × {H}: "
               f"input x = original x × {sx:.4g}, input y = original y × {sy:.4g}. "
               f"This RoI in the original: ({ox:.1f}, {oy:.1f}, {ow:.1f}, {oh:.1f}).")
    if store.notice:
        say(store.notice, "warning" if store.notice.startswith("⚠") else "info")


# ------------------------------------------------------------------------ the lesson
def focus_pickers(scene, points: bool) -> None:
    """Pick the bin (and the sampling point) the close-up steps look at."""
    p = page()
    ph, pw = scene.trace.output_size
    i, j, k = scene.focus
    n = getattr(scene.result, "points_per_bin", 0)
    c = st.columns(3 if points else 2)
    c[0].number_input("Bin row", 0, ph - 1, value=i, step=1, key=wkey("focus_i"),
                      on_change=from_widget, args=(wkey("focus_i"), lambda v: setattr(p, "focus", (int(v), j, k))))
    c[1].number_input("Bin column", 0, pw - 1, value=j, step=1, key=wkey("focus_j"),
                      on_change=from_widget, args=(wkey("focus_j"), lambda v: setattr(p, "focus", (i, int(v), k))))
    if points and n:
        c[2].number_input(f"Point (1–{n})", 1, n, value=k + 1, step=1, key=wkey("focus_k"),
                          on_change=from_widget, args=(wkey("focus_k"), lambda v: setattr(p, "focus", (i, j, int(v) - 1))))


PRESENT_WORDS_PX = 22  # presenter mode: the words' size at 1920 x 1080 (the figures' smallest text is 20 px or more)
PREFETCH_DELAY_S = 0.3  # after the page has fetched the figure just shown: drawing holds the GIL
_prefetching = threading.Semaphore(1)  # one figure drawn ahead at a time per server


def prefetch(figure: str, scene, step, present: bool) -> None:
    """Draw a step's figure into the cache in the background, a moment after this run ends."""
    if not _prefetching.acquire(blocking=False):
        return  # the server is already drawing ahead for someone: this one will be drawn on demand

    def draw() -> None:
        try:
            time.sleep(PREFETCH_DELAY_S)
            step_figure(figure, scene, step, present)
        except Exception:  # noqa: BLE001  (a figure that fails will fail again, in the page, with a message)
            traceback.print_exc(file=sys.stderr)
        finally:
            _prefetching.release()

    thread = threading.Thread(target=draw, name="roi-viz-prefetch", daemon=True)
    add_script_run_ctx(thread, get_script_run_ctx())  # the cache needs the session's context
    thread.start()


def scene_key(scene, key: str, *more) -> str:
    """Everything a view of ``scene`` is drawn from (image ``key``, settings, RoIs), as one cache key."""
    return repr((key, scene.settings, scene.rois, scene.active, scene.pretrained, *more))


def figure_key(scene, step, key: str, present: bool) -> str:
    """A step's figure: the scene, the step, the bin or point it looks at if it picks one, page or projector."""
    return scene_key(scene, key, step.key, scene.focus if step.picks else None, present)


def step_controls(steps, last: int, present: bool) -> None:
    """Previous, the step picker and Next; ← and → press Previous and Next (a clicker can be set to send them)."""
    p = page()
    nav = st.columns([1, 1])  # the step picker goes under them: beside the photo the column is narrow
    prev, nxt = nav
    prev.button("◀ Previous", width="stretch", disabled=p.step == 0, on_click=go_to_step, args=(p.step - 1, last),
                shortcut="Left", key="prev-step")
    nxt.button("Next ▶", width="stretch", disabled=p.step == last, on_click=go_to_step, args=(p.step + 1, last),
               shortcut="Right", key="next-step")
    if present:  # a presentation clicker sends PageUp / PageDown; on the page those keys scroll, as a reader expects
        with st.container(key="clicker-keys"):  # hidden (page_style): the keys are all a clicker needs
            st.button("Previous step", disabled=p.step == 0, on_click=go_to_step, args=(p.step - 1, last),
                      shortcut="PageUp", key="prev-page")
            st.button("Next step", disabled=p.step == last, on_click=go_to_step, args=(p.step + 1, last),
                      shortcut="PageDown", key="next-page")
    st.radio(
        "Step", range(len(steps)), index=p.step, format_func=lambda i: f"{i + 1}. {steps[i].title}",
        horizontal=True, label_visibility="collapsed", key=wkey("step"),
        on_change=from_widget, args=(wkey("step"), lambda v: go_to_step(v, last)))


def walkthrough(scene, fm, key: str) -> None:
    """The steps of the chosen method. On a projector: the figure beside the controls and the words, on one screen."""
    from roi_viz.draw.kit import PRESENT_HEIGHT_PX, present_width
    from roi_viz.methods import METHODS

    p = page()
    present = p.present
    steps = METHODS[scene.method].steps
    last = len(steps) - 1
    p.step = min(p.step, last)
    if not present:
        step_controls(steps, last, present)
    step = steps[p.step]
    # Beside the photo the lesson's column is narrow: the words go under the figure; a projector has room for both.
    left, right = st.columns([3, 2]) if present else (st.container(), st.container())
    with left.container(key="step-figure"):
        data, fmt, (w, h) = step_figure(figure_key(scene, step, key, present), scene, step, present)
        st.image(data, width=present_width(w, h) if present else "stretch", output_format=fmt)
    with right:
        if present:
            teacher_tools(scene, fm, key)
            step_controls(steps, last, present)
        words = st.container(height=PRESENT_HEIGHT_PX - 120, border=False) if present else st.container()
    words.markdown(f"### Step {p.step + 1}: {step.title}")
    if step.picks and not present:
        with words:
            focus_pickers(scene, points=step.picks == "point")
    if present:  # read from the back of the room: the words as large as the figure's
        words.markdown(f'<div style="font-size: {PRESENT_WORDS_PX}px; line-height: 1.45">\n\n{step.words(scene)}\n\n</div>',
                       unsafe_allow_html=True)
    else:
        words.markdown(step.words(scene))
    if step.key == "features" and not present:
        words.caption(f"Forward pass: {fm.seconds * 1000:.0f} ms on {fm.device} (computed once per image and size).")
    if p.step < last:  # drawn while the student reads: Next then shows it at once
        prefetch(figure_key(scene, steps[p.step + 1], key, present), scene, steps[p.step + 1], present)


def compare_view(scene, key: str) -> None:
    png, table = compare_page(scene_key(scene, key), scene)
    st.image(png, width="stretch")
    st.markdown(table)
    st.caption("The sidebar's settings apply: rounding rule (RoI pooling, RoIWarp), sampling ratio and mode "
               "(RoIAlign, RoIWarp), aligned (RoIAlign, PrRoI), output size, channel.")


def slide_view(scene, key: str) -> None:
    p = page()
    ph, pw = scene.trace.output_size
    i, j, _ = scene.focus
    c = st.columns(4)
    c[0].radio("Move the RoI", ["x", "y"], index=["x", "y"].index(p.slide_axis), horizontal=True,
               format_func={"x": "right (x)", "y": "down (y)"}.get, key=wkey("slide_axis"),
               on_change=from_widget, args=(wkey("slide_axis"), lambda v: setattr(p, "slide_axis", v)))
    c[1].select_slider("by up to (cells)", options=[0.25, 0.5, 1.0, 2.0], value=p.slide_cells, key=wkey("slide_cells"),
                       on_change=from_widget, args=(wkey("slide_cells"), lambda v: setattr(p, "slide_cells", float(v))))
    c[2].number_input("Bin row", 0, ph - 1, value=i, step=1, key=wkey("focus_i"),
                      on_change=from_widget, args=(wkey("focus_i"), lambda v: setattr(p, "focus", (int(v), j, 0))))
    c[3].number_input("Bin column", 0, pw - 1, value=j, step=1, key=wkey("focus_j"),
                      on_change=from_widget, args=(wkey("focus_j"), lambda v: setattr(p, "focus", (i, int(v), 0))))
    png, text = slide_page(scene_key(scene, key), scene,
                           (i, j), p.slide_axis, p.slide_cells)
    st.image(png, width="stretch")
    st.markdown(text)


def glossary() -> None:
    """Every term the lesson uses, one line each, for a student who has read the article and nothing else."""
    from roi_viz.lesson.glossary import GLOSSARY

    with st.expander("Glossary: the words of this page"):
        st.markdown("\n".join(f"- **{term}**: {meaning}" for term, meaning in GLOSSARY.items()))


# ------------------------------------------------------------------------ the quiz
QUIZ_LEVEL_WORDS = {"starter": "Starter: the article's setting", "fastrcnn": "Fast R-CNN: conv5_3, 7 × 7",
                    "beyond": "Beyond: RoIAlign, RoIWarp, PrRoI"}


@st.cache_data(max_entries=64, show_spinner=False)
def quiz_picture(key: str, asked: str, _question, _image) -> bytes:
    """``asked``: the question's fingerprint (seed, level, settings, RoI): one picture per question."""
    from roi_viz.draw.kit import PAGE_DPI, to_jpeg
    from roi_viz.draw.quiz import question_figure

    q = _question
    S = q.input_size  # the quiz's input is the article's square
    image = _image if _image.size == (S, S) else _image.resize((S, S))
    return to_jpeg(question_figure(image, q), dpi=PAGE_DPI)


def the_question(seed: int, level: str, settings: Settings):
    from roi_viz import quiz

    return quiz.make_question(seed, level, settings)


def new_question(level: str | None = None) -> None:
    import random

    from roi_viz.link import MAX_SEED

    p = page()
    p.quiz_level = level or p.quiz_level
    p.quiz_seed = random.randint(0, MAX_SEED)
    p.quiz_pos, p.quiz_tries, p.quiz_grade = 0, 0, None


def fingerprint(q) -> str:
    """One question, whatever made it: the seed and level, and the settings and RoI they gave."""
    return hashlib.sha1(repr((q.seed, q.level, q.settings, q.roi)).encode()).hexdigest()[:12]


@callback
def check_answer(asked: str, ask_id: str, field_keys: tuple[str, ...], widget_prefix: str) -> None:
    from roi_viz import quiz

    p = page()
    q = the_question(p.quiz_seed, p.quiz_level, p.settings)
    ask = q.asks[p.quiz_pos]
    if fingerprint(q) != asked or ask.id != ask_id:  # a click from a question that has changed since
        return
    answers = {k: st.session_state.get(f"{widget_prefix}{k}", "") for k in field_keys}
    g = quiz.grade(ask, answers, p.quiz_tries)
    p.quiz_grade = g
    p.quiz_tries = g.tries
    # Every graded try counts (a wrong first try ends the streak at once); an unreadable one does not.
    p.quiz_score = quiz.update_score(p.quiz_score or quiz.Score(), g)


@callback
def next_ask(total: int) -> None:
    p = page()
    if p.quiz_pos + 1 < total:
        p.quiz_pos += 1
        p.quiz_tries, p.quiz_grade = 0, None
    else:
        new_question()


def walkthrough_link(q, ask) -> tuple[str, str]:
    """A link that opens the walkthrough at the step that explains ``ask``, on the question's RoI."""
    from urllib.parse import urlencode

    from roi_viz.link import Link, to_params
    from roi_viz.methods import METHODS

    p = page()
    steps = METHODS[q.method].steps
    index = METHODS[q.method].step_keys().index(ask.step)
    # The quiz's input is the article's square, whatever the sidebar's shape.
    state = Link(q.settings.with_(shape="square"), p.sample, False, (tuple(float(v) for v in q.roi),), 0, "walk",
                 index, ask.focus or (0, 0, 0))
    return f"Step {index + 1}: {steps[index].title}", "?" + urlencode(to_params(state), doseq=True)


def quiz_view(scene, key: str) -> None:
    """Predict, then check: a random RoI on this photo, one question at a time, graded at once."""
    from roi_viz import quiz

    p = page()
    level = st.radio("Level", quiz.LEVELS, index=quiz.LEVELS.index(p.quiz_level), format_func=QUIZ_LEVEL_WORDS.get,
                     horizontal=True, key=wkey("quiz_level"),
                     on_change=from_widget, args=(wkey("quiz_level"), lambda v: new_question(v)))
    if p.quiz_seed is None:
        new_question(level)
    q = the_question(p.quiz_seed, p.quiz_level, p.settings)
    asked = fingerprint(q)
    if p.quiz_asked != asked:  # another question (a new seed, or the sidebar changed it): start it afresh
        p.quiz_asked, p.quiz_pos, p.quiz_tries, p.quiz_grade = asked, 0, 0, None
    ask = q.asks[p.quiz_pos]
    score = p.quiz_score or quiz.Score()
    top = st.columns([3, 1], vertical_alignment="center")
    top[0].caption(f"Question {p.quiz_seed} ({quiz.LEVEL_TITLES[q.level]}). Score: {score.words}.")
    top[1].button("New question", width="stretch", on_click=callback(new_question), key="quiz-new")
    st.image(quiz_picture(key, asked, q, scene.image), width="stretch", output_format="JPEG")
    st.markdown(q.intro)
    st.markdown(f"**{p.quiz_pos + 1} of {len(q.asks)}.** {ask.text}")
    g = p.quiz_grade if p.quiz_grade is not None and p.quiz_grade.ask_id == ask.id else None
    prefix = f"quiz:{asked}:{p.quiz_pos}:"
    with st.form(key=f"quiz-form:{asked}:{p.quiz_pos}", border=False, enter_to_submit=True):
        cols = st.columns(min(len(ask.fields), 4))
        done = bool(g and g.done)
        typed = {v.key: v.value for v in g.fields} if done else {}
        for n, f in enumerate(ask.fields):
            unit = f" ({f.unit})" if f.unit else ""
            # Once answered, the fields show what was typed (as read), greyed: fresh keys, not rewritten ones.
            shown = {"value": exact(typed[f.key]) if typed.get(f.key) is not None else "", "key": prefix + f.key + ":done"} \
                if done else {"key": prefix + f.key}
            cols[n % len(cols)].text_input(f"{f.label}{unit}", disabled=done,
                                           help=f"Graded {f.tolerance_words}. Fractions such as 37/8 are read.", **shown)
        st.form_submit_button("Check", disabled=done,
                              on_click=check_answer, args=(asked, ask.id, tuple(f.key for f in ask.fields), prefix))
    if g is not None:
        # The messages quote what was typed: plain text.
        say(("✔ " if g.status == "right" else "✖ " if g.status == "wrong" else "⚠ ") + g.message,
            {"right": "info", "wrong": "error"}.get(g.status, "warning"))
        labels = {f.key: f.label for f in ask.fields}
        for v in g.fields:
            if v.message:
                st.text(f"{labels.get(v.key, v.key)}: {v.message}")
        if g.revealed:
            title, url = walkthrough_link(q, ask)
            where = ("on this RoI, on the sample photo: an upload cannot travel in a link" if p.upload_shown
                     else "on this RoI")
            st.markdown(f"**Why:** {g.reason}\n\nSee it explained: [{title}]({url}) (the walkthrough {where}, "
                        "in a new tab).")
        if g.done:
            last = p.quiz_pos + 1 == len(q.asks)
            st.button("New question ▶" if last else "Next question ▶", on_click=next_ask, args=(len(q.asks),),
                      key="quiz-next", type="primary")


# ------------------------------------------------------ what a cell sees, and the head


@st.cache_data(max_entries=32, show_spinner=False)
def field_pictures(key: str, size: int, layer: str, cell: tuple[int, int], roi, bins_read, _image) -> tuple[bytes, bytes]:
    from roi_viz import receptive
    from roi_viz.draw import receptive as fr
    from roi_viz.draw.kit import PAGE_DPI, to_jpeg

    field = receptive.receptive_field(layer)
    return (to_jpeg(fr.fig_cell_field(_image, field, cell), dpi=PAGE_DPI),
            to_jpeg(fr.fig_roi_field(_image, field, roi, bins_read), dpi=PAGE_DPI))


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
def effective_picture(key: str, size: int, layer: str, cell: tuple[int, int], _image) -> tuple[bytes, float, float]:
    from roi_viz import receptive
    from roi_viz.draw import receptive as fr
    from roi_viz.draw.kit import PAGE_DPI, to_jpeg

    field = receptive.receptive_field(layer)
    erf = effective_field(key, size, layer, cell, _image)
    shares = receptive.field_shares(erf, field, cell)
    return to_jpeg(fr.fig_effective(_image, erf, field, cell, shares.in_patch), dpi=PAGE_DPI), shares.in_patch, shares.in_field


def field_view(scene, key: str) -> None:
    """The stride a cell stands for against the pixels it depends on, in theory and by the gradient."""
    from roi_viz import receptive

    p = page()
    s = scene.settings
    field = receptive.receptive_field(s.layer)
    H, W = scene.features.shape[1:]
    roi = scene.rois[scene.active]
    where = (tuple(roi), s.layer, s.input_size)
    if p.cell is None or p.cell_for != where:  # a new box, layer or size: the cell under the box's centre again
        p.cell, p.cell_for = receptive.pick_cell(field, (H, W), roi), where
        refresh("cell_r", "cell_c")
    r, c = p.cell
    cols = st.columns(2)
    cols[0].number_input("Cell row", 0, H - 1, value=r, step=1, key=wkey("cell_r"),
                         on_change=from_widget, args=(wkey("cell_r"), lambda v: setattr(p, "cell", (int(v), c))))
    cols[1].number_input("Cell column", 0, W - 1, value=c, step=1, key=wkey("cell_c"),
                         on_change=from_widget, args=(wkey("cell_c"), lambda v: setattr(p, "cell", (r, int(v)))))
    result = scene.result  # the cells the chosen method reads: whole bins, or the cells around its points
    read = receptive.cells_read(result.cells_read() if hasattr(result, "cells_read") else result.bin_use)
    one, many = field_pictures(key, s.input_size, s.layer, (r, c), tuple(roi), read, scene.image)
    x0, y0, x1, y1 = field.span(r, c)
    st.image(one, width="stretch", output_format="JPEG")
    st.markdown(
        f"**The grid is not the field.** Cell ({r}, {c}) of {s.layer} sits on a {field.stride} × {field.stride} "
        f"square of the photo: that is the stride, the spacing of the grid. What the cell's value depends on is "
        f"much larger: **{field.size} × {field.size} pixels**, input columns [{x0}, {x1}) and rows [{y0}, {y1}) "
        f"(the field of column c starts at {field.stride}·c − {-field.offset}, rows likewise; computed from the "
        f"kernel, stride and padding of each of VGG16's layers up to {s.layer}, not typed in). Where the field "
        "leaves the photo, the network saw the zeros of its padding.")
    st.image(many, width="stretch", output_format="JPEG")
    if read is None:
        st.markdown(f"**The RoI reads no cell.** With these settings no bin of {scene.method_name} holds a cell "
                    "(the split is empty), so the output depends on no pixel at all: it is 0.")
    else:
        st.markdown(
            f"**The RoI looks further than its box.** {scene.method_name}'s output is read from the cells drawn in "
            "black; the union of their fields is drawn dash-dotted. Every output value of the RoI depends on "
            "pixels outside the box that was drawn.")
    st.markdown("**The effective field.** In theory every pixel of the square counts; in practice the gradient of "
                "the cell with respect to the input (one backward pass through VGG16) is concentrated near the "
                "centre (Luo et al., 2016).")
    asked = (key, s.input_size, s.layer, (r, c))
    if st.button("Compute the effective field (a backward pass, a few seconds)", key="erf-go",
                 disabled=asked in p.erf_done):
        p.erf_done.add(asked)
    pic = None
    if asked in p.erf_done:
        try:
            with st.spinner("Backward pass through VGG16 (once per image, size, layer and cell)…"):
                pic, in_patch, in_field = effective_picture(key, s.input_size, s.layer, (r, c), scene.image)
        except (RuntimeError, MemoryError) as exc:
            p.erf_done.discard(asked)  # not retried on every click: the button asks again
            st.error(f"The backward pass failed ({type(exc).__name__}). Try a smaller model input size.")
            return
    if pic is not None:
        st.image(pic, width="stretch", output_format="JPEG")
        st.markdown(f"{pct(in_patch)} of the gradient falls inside the cell's {field.stride} × {field.stride} "
                    f"square, {pct(in_field)} inside the {field.size} × {field.size} field (all of it, as the "
                    "architecture says: outside it the gradient is exactly zero)."
                    + ("" if scene.pretrained else " With the untrained network this is the architecture's field "
                       "alone: trained weights shape it further."))


@st.cache_resource(show_spinner=False)
def the_head():
    """VGG16's classifier (fc6, fc7, fc8: about 500 MB), loaded once per server, when first asked for."""
    from roi_viz import head

    h = head.load_head(backbone=loading.backbone())
    print(f"[roi-viz] VGG16 head loaded ({'pretrained' if h.pretrained else 'untrained'}, {h.load_seconds:.1f} s)",
          file=sys.stderr, flush=True)
    return h


@st.cache_data(max_entries=32, show_spinner=False)
def head_picture(key: str, size: int, scheme: str, rois: tuple, _conv53, pretrained: bool) -> tuple[bytes, list]:
    from roi_viz import head
    from roi_viz.draw.head import fig_head
    from roi_viz.draw.kit import PAGE_DPI, to_png

    results = head.classify_rois(the_head().model, _conv53, list(rois), scheme=scheme)
    return to_png(fig_head(results, pretrained), dpi=PAGE_DPI), [r.top for r in results]


@callback
def four_rois() -> None:
    from roi_viz import head

    p = page()
    p.redraw = True
    p.store.replace_all(list(head.FOUR_ROIS), samples.ARTICLE_INPUT_SIZE,  # boxes of the 512 x 512 sample
                        "The article's four RoIs: its worked example, the face, the helmet, and a strip across the "
                        "flag and the suit that does not make sense as an object. Each is classified all the same.")


def head_view(scene, key: str, inp) -> None:
    from roi_viz import head

    p = page()
    s = scene.settings
    st.markdown(
        f"Fast R-CNN pools conv5_3 to **7 × 7** because VGG16's first fully connected layer (fc6) was trained on "
        f"exactly 7 × 7 × 512 = {head.FC6_INPUTS:,} numbers. Here every RoI is pooled to 7 × 7 from conv5_3 "
        f"(stride 16) with the sidebar's rounding rule, all together as one batch, and sent through fc6 → fc7 → fc8 "
        "(1,000 ImageNet classes).")
    if not head.head_fits(s.output_size):
        st.info(head.head_sentence(s.output_size) + " This view therefore pools to 7 × 7 whatever the sidebar says.")
    st.button("Use the article's four RoIs", on_click=four_rois, key="four-rois",
              disabled=p.sample != head.FOUR_ROIS_SAMPLE or p.upload_shown,
              help="The article's worked example, two boxes around objects and one that makes no sense.")
    with st.spinner("Loading VGG16's classifier (once per server, about 500 MB)…"):
        h = the_head()
    with st.spinner("conv5_3 features of this image (once per image and size)…"):
        conv53 = feature_map(key, s.input_size, "conv5_3", inp)
    png, tops = head_picture(key, s.input_size, s.scheme, tuple(tuple(r) for r in scene.rois), conv53.values,
                             h.pretrained)
    if not h.pretrained:
        st.warning("**Untrained classifier:** without ImageNet weights these scores mean nothing; the pipeline is "
                   "the real one.")
    st.image(png, width="stretch")
    st.markdown(
        "**An RoI is not a bounding box.** A box that surrounds nothing in particular gets scores all the same: the "
        "head answers for whatever 7 × 7 × 512 numbers it is given. Fast R-CNN adds a \"background\" class and a "
        "box regressor to learn which proposals to keep.")
    st.caption("The bridge: on a 224 × 224 input, the whole image as the RoI gives 2 × 2-cell bins at stride 16, "
               "which is exactly VGG16's own pool5, so the head's scores equal VGG16's own (tested).")


@st.fragment
@guarded
def lesson(key: str, inp, fm, pretrained: bool, present: bool) -> None:
    """The view the student picked, on the RoI the store says is active. Reruns alone for its own widgets.

    ``present`` is presenter mode as the whole page was last drawn.
    """
    from roi_viz.methods import build_scene

    p = page()
    scene = build_scene(inp, fm.values, p.store.boxes(p.dims), p.store.active, p.settings,
                        pretrained=pretrained, focus=p.focus)
    if scene.focus != p.focus:  # a bin that no longer exists was moved inside the output
        p.focus = scene.focus
        refresh("focus_i", "focus_j", "focus_k")
    if p.present != present or p.redraw:  # presenter mode, or boxes changed here: the photo changes too
        p.redraw = False
        st.rerun(scope="app")
    if present:  # a projector shows the walkthrough; the view chosen before is kept for afterwards
        walkthrough(scene, fm, key)
        sync_link()
        return
    st.radio("View", list(VIEWS), index=list(VIEWS).index(p.view), format_func=VIEWS.get, horizontal=True,
             label_visibility="collapsed", key=wkey("view"),
             on_change=from_widget, args=(wkey("view"), lambda v: setattr(p, "view", v)))
    teacher_tools(scene, fm, key)
    if p.view == "compare":
        st.markdown("#### Compare the methods")
        compare_view(scene, key)
    elif p.view == "slide":
        st.markdown("#### Slide the box by fractions of a cell")
        slide_view(scene, key)
    elif p.view == "quiz":
        st.markdown("#### Quiz: predict, then check")
        quiz_view(scene, key)
    elif p.view == "field":
        st.markdown("#### What one cell really sees")
        field_view(scene, key)
    elif p.view == "head":
        st.markdown("#### After pooling: VGG16's own classifier, for every RoI")
        head_view(scene, key, inp)
    else:
        st.markdown(f"#### Walkthrough: {scene.method_name}")
        walkthrough(scene, fm, key)
    glossary()
    sync_link()


@st.fragment
@guarded
def workspace(key: str, inp, mapping, png) -> None:
    """The photo with its boxes and the lesson below: reruns alone when a box changes."""
    p = page()
    size = p.dims
    # The photo beside the lesson: on a laptop's first screen a student sees the box and its first step.
    photo_col, lesson_col = st.columns([2, 3], gap="medium")
    with photo_col:
        with st.container(key="photo"):
            draw_boxes(key, png, size)
        box_editor(size, mapping)
    with lesson_col:
        fm = features_of(key, inp)
        if fm is not None:
            lesson(key, inp, fm, loading.backbone().pretrained, p.present)
    sync_link()


def features_of(key: str, inp):
    """The feature map of the input at the chosen layer, or ``None`` with a message in the page."""
    p = page()
    size = p.settings.input_size
    try:
        with st.spinner("Running VGG16 on this image (once per image and size)…"):
            fm = feature_map(key, size, p.settings.layer, inp)
    except (RuntimeError, MemoryError) as exc:  # out of memory, or a broken backend
        st.error(f"VGG16 could not run on this image at {size} × {size} ({type(exc).__name__}). "
                 "Try a smaller model input size in the sidebar, or the sample photo.")
        return None
    if fm.note:
        say(fm.note, "info")
    return fm


# ------------------------------------------------------------------ the teacher's tools
@callback
def set_present(on: bool) -> None:
    p = page()
    p.present = bool(on)
    refresh("present")


def teacher_tools(scene, fm, key: str) -> None:
    """Presenter mode, the link to this view (for anyone who does not think of the address bar), exports."""
    p = page()
    toggle, share, files = st.columns([1, 1, 1], vertical_alignment="center")
    toggle.toggle("Present", value=p.present, key=wkey("present"),
                  on_change=from_widget, args=(wkey("present"), set_present),
                  help="Presenter mode: the step's figure and words on one 1920 × 1080 screen, text large enough for the back "
                  "of the room. ← and → move between steps (a presentation clicker can be set to send them).")
    with share.popover("Link", icon=":material/link:", width="stretch", help="A link to exactly this view"):
        share_link()
    with files.popover("Export", icon=":material/download:", width="stretch",
                       help="This figure, a PDF handout, animations and the numbers, for slides and notebooks"):
        exports(scene, fm, key)


EXPORTS = {  # kind: (what it is, file name, MIME type)
    "pdf": ("handout (PDF, every step)", "handout.pdf", "application/pdf"),
    "gif": ("walkthrough animation (GIF)", "walkthrough.gif", "image/gif"),
    "gif-slide": ("sliding-box animation (GIF)", "slide.gif", "image/gif"),
}


def exports(scene, fm, key: str) -> None:
    """Files that reproduce this page: the figure and the numbers at once, the longer ones made on request."""
    import json

    from roi_viz import export
    from roi_viz.methods import METHODS

    p = page()
    name = f"roi-viz-{scene.method}"
    if p.view == "walk" or p.present:
        step = min(p.step, len(METHODS[scene.method].steps) - 1)
        st.download_button(f"This figure: step {step + 1} (PNG, 150 dpi)", lambda: export.figure_png(scene, step),
                           file_name=f"{name}-step{step + 1}.png", mime="image/png", on_click="ignore",
                           icon=":material/image:", width="stretch")
    st.download_button("The numbers (JSON)",
                       lambda: json.dumps(export.numbers(scene, forward_ms=fm.seconds * 1000, device=fm.device),
                                          indent=2),
                       file_name=f"{name}-numbers.json", mime="application/json", on_click="ignore",
                       icon=":material/data_object:", width="stretch")
    made = scene_key(scene, key, p.image_title, p.slide_axis, p.slide_cells)
    for kind, (what, file_name, mime) in EXPORTS.items():
        shown = p.made.get(kind)
        if shown is None or shown[0] != made:
            if p.making != kind:
                st.button(f"Make the {what}", key=f"make-{kind}", width="stretch",
                          on_click=callback(lambda k=kind: setattr(p, "making", k)))
                continue
            p.making = ""
            bar = st.progress(0.0, text=f"Making the {what}…")
            data = make_export(kind, scene, lambda done, total: bar.progress(done / total, f"Making the {what}: "
                                                                             f"{done} of {total}"))
            bar.empty()
            p.made[kind] = shown = (made, data)
        st.download_button(f"Download the {what}, {len(shown[1]) / 2**20:.1f} MB", shown[1],
                           file_name=f"{name}-{file_name}", mime=mime, on_click="ignore", icon=":material/download:",
                           width="stretch", type="primary")
    st.caption("Each file shows this page's image, boxes, settings and numbers. The sliding-box animation follows "
               f"bin ({scene.focus[0]}, {scene.focus[1]}) of channel {scene.channel}, moving "
               f"{'right' if p.slide_axis == 'x' else 'down'} by {p.slide_cells:g} cell(s), as in “Slide the box”.")


def make_export(kind: str, scene, progress) -> bytes:
    from roi_viz import export

    p = page()
    if kind == "pdf":
        return export.handout_pdf(scene, title=p.image_title, progress=progress)
    if kind == "gif":
        return export.walkthrough_gif(scene, progress=progress)
    return export.slide_gif(scene, axis=p.slide_axis, cells=p.slide_cells, progress=progress)


def share_link() -> None:
    """The address of exactly this view: image, boxes, settings, step."""
    from urllib.parse import urlencode

    from roi_viz import link

    p = page()
    params = link.to_params(as_link(p))
    params.pop("present", None)  # the students' page: whoever presents turns it on for their own screen
    query = urlencode(params, doseq=True)
    base = st.context.url or ""
    st.code(base + ("?" + query if query else ""), language=None, wrap_lines=True)
    st.caption("Copy it with the button at the code's right: whoever opens it sees this image, these boxes and "
               "settings, and this step. The address bar holds the same link at every moment"
               + (", with `present=1`, which opens presenter mode." if p.present else "."))
    if p.upload_shown:
        st.warning("This page shows an uploaded photo, which cannot travel in a link: the link opens the "
                   "sample photo with these boxes and settings, and says so.")


def network_status(settings: Settings) -> None:
    net = loading.backbone()
    if not net.pretrained:  # one line on the first screen; the details in the sidebar, under the network
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
                "file.\n\n" + "\n".join(f"- {problem}" for problem in net.problems))
    elif net.problems:
        say("\n".join(net.problems), "info", sb)


# ------------------------------------------------------------------------ the page
@guarded
def main() -> None:
    loading.start()  # VGG16 is built in the background while the photo goes up
    p = page()
    # Presenter mode folds the sidebar away; its widgets are still drawn, so an upload survives the slides.
    st.set_page_config(page_title=TITLE, page_icon="🔲", layout="wide",
                       initial_sidebar_state="collapsed" if p.present else "auto")
    key, data, label = sidebar_image()
    p.upload_shown, p.image_title = key.startswith("upload:"), label
    settings = sidebar_settings()
    st.html(page_style(p.present))
    if not p.present:
        st.markdown("## RoI pooling, step by step")
        st.caption("Draw a box on the photo and follow it through a real VGG16: onto the feature grid, "
                   "snapped to whole cells, split into bins and max-pooled into a fixed-size tensor. "
                   "Watch what is lost on the way.")
    status = st.container()
    try:
        img = decoded(key, data)
    except images.ImageError as exc:
        say(f"“{label}” could not be used: {exc} The sample photo is shown instead.", "error")  # a file's name: plain
        key, data = "sample:" + samples.DEFAULT_SAMPLE, sample_bytes(samples.DEFAULT_SAMPLE)
        img = decoded(key, data)
        p.upload_shown, p.image_title = False, samples.get_sample(samples.DEFAULT_SAMPLE).title
    if not p.present:
        for note in img.notes:
            say(note, "info")
    if p.notice:  # a preset's summary, a value a widget could not take, what a link got wrong: plain text
        say(p.notice, "warning" if p.notice.startswith("⚠") else "info")
        p.notice = ""
    inp, mapping, png = model_input(key, settings.input_size, settings.shape, img)
    p.dims = inp.size  # the boxes are read and written in pixels of this input
    if p.snap_boxes:  # the input changed shape: its size is known only now
        p.snap_boxes = False
        p.store.snap(p.dims)
    if settings.shape != "square":  # every cache below is keyed by the image: this input is another one
        key = f"{key}|{settings.shape}"
    if p.present:  # no photo to draw on: the lesson alone, on the whole screen
        fm = features_of(key, inp)
        if fm is not None:
            lesson(key, inp, fm, loading.backbone().pretrained, True)
    else:
        workspace(key, inp, mapping, png)
        with status:
            network_status(settings)
    sync_link()


main()


"""The heavy things, computed once: decoded photos, model inputs, feature maps, figures, pictures.

Thin wrappers over the library, each cached by values: a ``key`` string names
the photo (and its input shape); arguments starting with ``_`` are not hashed
because the key already names them. The model is one per process
(``roi_viz.model.loading``), ResNet-50-FPN's too, when first asked for; features per image, input size and
layer (the pyramid's four maps per image and input size: moving the box to another level is only a pick);
a step's figure per scene, step and close-up.
"""
from __future__ import annotations

import io
import os
import sys
import threading
import time
import traceback

import streamlit as st
from streamlit.runtime.scriptrunner import add_script_run_ctx, get_script_run_ctx

from roi_viz import language
from roi_viz.state import uploads
from roi_viz.model import images, loading, samples



@st.cache_resource(max_entries=32, show_spinner=False)
def decoded(key: str, _data: bytes) -> images.DecodedImage:
    """A photo decoded; an upload's as the store keeps it (with its original's size, format and notes)."""
    if key.startswith("upload:"):
        return uploads.decode(_data)
    return images.decode_image(_data)


def uploads_store() -> uploads.UploadStore:
    """The store of uploaded photos the environment names (``ROI_VIZ_UPLOADS``), shared by every session."""
    return uploads.UploadStore.from_env()


@st.cache_resource(max_entries=64, show_spinner=False)
def model_input(key: str, size: int, shape: str, _img: images.DecodedImage):
    """The resized input, its coordinate map, and the board's photo (a light JPEG of the input, pixel for pixel)."""
    img, mapping = images.prepare_input(_img, size, shape)
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=85)
    return img, mapping, buf.getvalue()


def input_key(photo_key: str, shape: str) -> str:
    """The cache key of a photo's model input: every cache below the input is keyed by it (another shape, another input)."""
    return photo_key if shape == "square" else f"{photo_key}|{shape}"


@st.cache_resource(max_entries=64, show_spinner=False)
def feature_map(key: str, size: int, layer: str, _img):
    from roi_viz.model import features  # torch: imported once the photo is on the page

    fm = features.extract(loading.backbone(), _img, layer)
    print(f"[roi-viz] features computed: {key[:40]} {size} {layer} ({fm.seconds * 1000:.0f} ms)", file=sys.stderr, flush=True)
    return fm


@st.cache_resource(show_spinner=False)
def fpn_backbone():
    """ResNet-50-FPN (:mod:`roi_viz.model.pyramid`), loaded once per server when a page first asks for it: COCO weights
    where they are found, else the labelled untrained fallback."""
    from roi_viz.model import pyramid

    net = pyramid.load_fpn_backbone()
    print(f"[roi-viz] ResNet-50-FPN loaded ({'pretrained' if net.pretrained else 'untrained'}, "
          f"{net.load_seconds:.1f} s)", file=sys.stderr, flush=True)
    return net


@st.cache_resource(max_entries=16, show_spinner=False)
def pyramid_maps(key: str, size: int, _img):
    """P2..P5 of the input (:class:`roi_viz.model.pyramid.Pyramid`), once per image and size, whatever the box."""
    from roi_viz.model import pyramid

    pyr = pyramid.extract_pyramid(fpn_backbone(), _img)
    print(f"[roi-viz] pyramid computed: {key[:40]} {size} ({pyr.seconds * 1000:.0f} ms)", file=sys.stderr, flush=True)
    return pyr


def pretrained(settings) -> bool:
    """Whether the network ``settings`` name has trained weights (VGG16's ImageNet, or ResNet-50-FPN's COCO)."""
    return fpn_backbone().pretrained if settings.pyramid else loading.backbone().pretrained


@st.cache_resource(show_spinner=False)
def sample_bytes(name: str) -> bytes:
    return samples.get_sample(name).path.read_bytes()


def sample_photo(name: str) -> tuple[str, bytes]:
    """A sample photo as the page takes a picture: ``(key, file bytes)``, the key naming it in every cache."""
    return "sample:" + name, sample_bytes(name)


def scene_key(scene, key: str, *more) -> str:
    """Everything a view of ``scene`` is drawn from (image ``key``, settings, RoIs, and the language its words are
    in: the caches are shared by every session, one student's language must not reach another's page), as one
    cache key."""
    return repr((key, scene.settings, scene.rois, scene.active, scene.pretrained, language.current(), *more))


def figure_key(scene, step, key: str, present: bool) -> str:
    """A step's figure: the scene, the step, the bin or point it looks at if it picks one, page or projector."""
    return scene_key(scene, key, step.key, scene.focus if step.picks else None, present)


def step_drawing(key: str, scene, step, width: float, text: float, alt: str | None = None):
    """One step's figure described (:class:`roi_viz.picture.spec.Drawing`) ``width`` px wide, its smallest text
    ``text`` px, in the language of this run; ``key`` names everything it is drawn from (:func:`figure_key`).
    ``alt``: the text alternative the page gives it (the step's title and numbers), followed by the drawing's own
    when the step writes one. A drawing is never changed once made: every session asking for it in the same
    language shares the one object, so the page paints its SVG once (:func:`ui.figure.painted`)."""
    return _step_drawing(key, language.current(), scene, step, width, text, alt)


@st.cache_resource(max_entries=512, show_spinner=False)
def _step_drawing(key: str, lang: str, _scene, _step, width: float, text: float, alt: str | None):
    from dataclasses import replace

    # ``lang`` in the key: a figure's titles, legends and notes are words, described in ``lang`` here.
    with language.using(lang):
        d = _step.describe(_scene, width=width, text=text)
    return d if alt is None else replace(d, alt=alt + (d.alt if _step.own_alt else ""))


@st.cache_resource(show_spinner=False)
def the_head():
    """VGG16's classifier (fc6, fc7, fc8: about 500 MB), loaded once per server, when first asked for."""
    from roi_viz.study import head

    h = head.load_head(backbone=loading.backbone())
    print(f"[roi-viz] VGG16 head loaded ({'pretrained' if h.pretrained else 'untrained'}, {h.load_seconds:.1f} s)",
          file=sys.stderr, flush=True)
    return h


def features(key: str, inp, settings):
    """The feature map of the input at the chosen layer, or ``None`` with a message in the page.

    On the feature pyramid its ``values`` are the four maps, finest first: the scene picks the box's level
    (:func:`roi_viz.methods.build_scene`).
    """
    from .widgets import say

    size = settings.input_size
    if settings.pyramid:
        from roi_viz.model.features import FeatureMap

        try:
            with st.spinner(language._("Running ResNet-50-FPN on this image (once per image and size)…")):
                pyr = pyramid_maps(key, size, inp)
        except (RuntimeError, MemoryError) as exc:
            say(language._("ResNet-50-FPN could not run on this image at {size} × {size} ({error}). Try a smaller "
                           "model input size in the sidebar, or VGG16.").format(size=size, error=type(exc).__name__),
                "error")
            return None
        return FeatureMap(pyr.maps, "P2–P5", pyr.strides[0], size, pyr.seconds, pyr.device)
    try:
        with st.spinner(language._("Running VGG16 on this image (once per image and size)…")):
            fm = feature_map(key, size, settings.layer, inp)
    except (RuntimeError, MemoryError) as exc:  # out of memory, or a broken backend
        say(language._("VGG16 could not run on this image at {size} × {size} ({error}). Try a smaller model input "
                       "size in the sidebar, or the sample photo.").format(size=size, error=type(exc).__name__), "error")
        return None
    if fm.gpu_error:  # the sentence in the page's language; the loader's own error quoted as it came
        say(language._("The GPU forward failed ({error}); it ran on the CPU instead.").format(error=fm.gpu_error),
            "info")
    return fm


def prepare_first_view() -> threading.Thread | None:
    """Start making, in a thread of its own, what the first screen of a plain link waits for: torch and VGG16
    (:func:`roi_viz.model.loading.start`), the sample photo decoded and resized with the default settings, and its
    feature map, into the caches the page reads (the same keys). Called as the server starts (``serve.py``), so the
    first student finds them made, or waits only for the rest of the one being made (a cache makes a value once).
    Returns the thread, or ``None`` when ``ROI_VIZ_WARM_UP=0`` (the page as it was without warming).
    """
    if warming_off():
        return None

    def make() -> None:
        from roi_viz.state.settings import Settings

        loading.start()  # imports torch and builds VGG16 in the loader's own thread
        settings = Settings()
        key, data = sample_photo(samples.DEFAULT_SAMPLE)
        inp, _, _ = model_input(key, settings.input_size, settings.shape, decoded(key, data))
        feature_map(input_key(key, settings.shape), settings.input_size, settings.layer, inp)

    return in_background(make, "roi-viz-first-view")


def warming_off() -> bool:
    """``ROI_VIZ_WARM_UP=0``: nothing is made ahead (bench/bench_first_open.py: the page as it was without it)."""
    return os.environ.get("ROI_VIZ_WARM_UP") == "0"


def in_background(work, name: str, ctx=None, then=None) -> threading.Thread:
    """Run ``work()`` in a thread of its own; an error is printed to the server's log (the page makes the same
    things itself when asked, and says what went wrong), then ``then()`` runs whatever happened. ``ctx``: the
    script run's context, for work that calls Streamlit's caches with a session's run behind it.

    Not a daemon: a server stopped with Ctrl-C during a forward pass waits for it (a few seconds) rather than have
    torch abort the process as its threads are torn down; SIGTERM ends it at once (uvicorn raises it again)."""
    def run() -> None:
        try:
            work()
        except Exception:  # noqa: BLE001
            traceback.print_exc(file=sys.stderr)
        finally:
            if then is not None:
                then()

    thread = threading.Thread(target=run, name=name, daemon=False)
    if ctx is not None:
        add_script_run_ctx(thread, ctx)
    thread.start()
    return thread


WARM_DELAY_S = 2.0  # after the first screen is up: its own figure comes first
_warming = threading.Semaphore(1)  # one warm-up at a time per server
_warmed: set = set()


def warm_up(key: str, inp, settings, photo_key: str, img) -> None:
    """Load in the background what a class first asks for together, once the first screen is up: VGG16's head
    ("After pooling"), this input's conv5_3 map (its layer), and the conv5_3 map of the Fast R-CNN preset's input
    (proportions kept: another input, and another cache key, even for a square photo).

    ``key``/``inp``: the input on the page; ``photo_key``/``img``: the decoded photo it was made from.
    """
    if warming_off():
        return
    size = settings.input_size
    if settings.pyramid:  # the pyramid's four maps are all the page needs; VGG16's can wait until it is chosen
        return
    if (key, size) in _warmed or not _warming.acquire(blocking=False):
        return
    _warmed.add((key, size))

    def load() -> None:
        time.sleep(WARM_DELAY_S)
        the_head()
        feature_map(key, size, "conv5_3", inp)
        if settings.shape != "aspect":
            aspect, _, _ = model_input(photo_key, size, "aspect", img)
            feature_map(input_key(photo_key, "aspect"), size, "conv5_3", aspect)

    in_background(load, "roi-viz-warm-up", get_script_run_ctx(), then=_warming.release)

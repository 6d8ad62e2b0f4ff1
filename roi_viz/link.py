"""The page's state as a link: query parameters in, query parameters out.

A teacher copies the address bar and every student who opens it sees the same
image, boxes, settings and step. :func:`to_params` writes a :class:`Link` as
query parameters, only those that differ from the defaults, so the article's
own example is the bare address; :func:`from_params` reads them back and
answers each parameter it cannot use with one sentence naming it, using that
parameter's default instead. Nothing here knows Streamlit: the page maps its
session to a :class:`Link` and back.

The parameters (every one optional)::

    img=chelsea          a sample photo by name, or an uploaded photo by its name in the server's store
                         (64 hex characters, :mod:`roi_viz.state.uploads`); ``img=upload``: an upload the
                         server could not keep, which cannot travel
    size=224             model input size, a multiple of 32 from 224 to 1024
    shape=aspect         square (S x S, the article) | aspect (the photo's proportions, shorter side S)
    layer=conv5_3        pool5 | conv5_3
    method=align         pool | align | warp | prroi
    rule=fastrcnn        RoI pooling and RoIWarp rounding: article | fastrcnn
    ratio=0              RoIAlign and RoIWarp sampling ratio, 0 to 8 (0 = adaptive)
    align_mode=max       RoIAlign: avg | max;  warp_mode=avg  RoIWarp: likewise
    aligned=0            RoIAlign and PrRoI: 1 | 0
    out=7x7              output rows x columns (``out=7`` for 7 x 7), 1 to 14
    roi=296_192_200_145  an RoI, x_y_w_h in pixels of the model input; repeat for more
    active=2             the RoI the lesson follows, counted from 1
    view=compare         walk | compare | slide | quiz | field (what a cell sees) | head (after pooling)
                         | train (what the gradient reaches)
    step=4               the walkthrough's step, counted from 1
    channel=17           the channel shown (default: the strongest inside the RoI)
    mean=1               step 2 shows the mean over all channels
    bin=1_2              the bin looked at closely: row_column, counted from 0 as on the page
    point=3              its sampling point, counted from 1
    axis=y  cells=0.5    the sliding box: direction and distance
    present=1            presenter mode
    drawn=500 order=largest search=quality   the Proposals view: boxes drawn, their order, selective search's mode
    level=fastrcnn seed=42   the quiz: its level (starter | fastrcnn | beyond) and the question's seed,
                         so a whole class can get the same question

RoI numbers are separated by ``_`` because ``_`` is never escaped in a URL
(a comma becomes ``%2C``); commas, semicolons and spaces are read too, for
links typed by hand. The page's boxes are whole pixels of the input, so a link
read here gives whole pixels: a fractional coordinate (``296.6``, ``1600/7``)
is rounded as the page's store rounds a typed one
(:func:`roi_viz.state.rois.whole_roi`), with a sentence naming it. The writer still
writes any number exactly (``1600/7``), so a box from elsewhere is never
misquoted.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Mapping, Sequence

from .state import options
from .state.options import AXES, SLIDE_CELLS, QUIZ_LEVELS as LEVEL_CHOICES
from .state.settings import Settings
from .lesson.proposals import ORDERS as PROPOSAL_ORDERS
from .lesson.views import VIEWS as VIEW_LIST
from .study.proposals import MODES as SEARCH_MODES
from .methods import METHODS
from .model import samples
from .model.images import input_dims
from .state.uploads import is_name
from .ops import geometry as g
from .state.rois import WHOLE_PIXELS, RoIError, RoIStore, clip_roi, whole_roi

VIEWS = tuple(VIEW_LIST)  # the page's views, from the one list
QUIZ_LEVELS = tuple(LEVEL_CHOICES)  # roi_viz.quiz.LEVELS, without importing the quiz here
MAX_SEED = 2**31 - 1
MAX_ROIS = 50  # more boxes than a class can look at; a longer list is refused, not cut
MAX_VALUE = 200  # characters in one parameter value; a longer one is refused
UNKNOWN_NAMED = 5  # unknown parameters named one by one; past that, counted
# Streamlit (1.67: runtime/state/query_params.py) empties a query string past these limits,
# before the page runs, and says so only in the server's log.
QUERY_MAX_CHARS = 512 * 1024
QUERY_MAX_FIELDS = 1000
UPLOAD = "upload"


DRAWN = 40  # proposals drawn on the photo by default: the 20 that keep the least and the 20 that keep the most
MAX_PROPOSALS = 2000  # selective search keeps at most this many (roi_viz.study.proposals.selective_search)


@dataclass(frozen=True)
class Link:
    """Everything a link carries. Boxes are ``(x, y, w, h)`` in pixels of ``settings.input_size``."""

    settings: Settings = Settings()
    sample: str = samples.DEFAULT_SAMPLE
    upload: str = ""  # an uploaded photo: its name in the store, or UPLOAD for one the server could not keep
    rois: tuple[g.Box, ...] = (samples.ARTICLE_ROI,)
    active: int = 0
    view: str = "walk"
    step: int = 0
    focus: tuple[int, int, int] = (0, 0, 0)  # bin row, bin column, point (all from 0)
    slide_axis: str = "x"
    slide_cells: float = 1.0
    present: bool = False
    quiz_level: str = "starter"
    quiz_seed: int | None = None  # None: the page draws one when the quiz is opened
    proposals_drawn: int = DRAWN  # the Proposals view: how many boxes are drawn on the photo
    proposals_order: str = "ends"  # ... in which order (roi_viz.lesson.proposals.ORDERS)
    proposals_search: str = "fast"  # ... selective search's mode (roi_viz.study.proposals.MODES)


DEFAULT = Link()


# ------------------------------------------------------------------ writing
def number(v: float) -> str:
    """``296``, ``9.25``, ``1600/7``: short, and exact when the value is a simple fraction."""
    v = float(v)
    if v.is_integer():
        return str(int(v))
    short = repr(v)
    if len(short) <= 8:
        return short
    f = Fraction(v).limit_denominator(10_000)
    return f"{f.numerator}/{f.denominator}" if float(f) == v else short


def dims(settings: Settings, sample: str, original: tuple[int, int] | None = None) -> tuple[int, int]:
    """``(W, H)`` of the model input a link describes: its boxes are pixels of it.

    ``original``: the ``(W, H)`` of the uploaded photo the link names; ``None``: the sample's.
    """
    if settings.shape == "square":
        return settings.input_size, settings.input_size
    return input_dims(original or samples.original_size(sample), settings.input_size, settings.shape)


def _same_boxes(a: Sequence[g.Box], dims_a, b: Sequence[g.Box], dims_b) -> bool:
    """The same boxes as the page's store would read them: ``b`` (set in ``dims_b``) read in ``dims_a``, whole
    pixels in any other input (the article's box at 224 is still the article's box)."""
    return list(map(tuple, a)) == RoIStore(b, dims_b).boxes(dims_a)


def to_params(link: Link) -> dict[str, str | list[str]]:
    """The query parameters of ``link``: only those that differ from the defaults, in a fixed order."""
    s, d = link.settings, DEFAULT.settings
    out: dict[str, str | list[str]] = {}

    def put(name: str, value, default) -> None:
        if value != default:
            out[name] = value if isinstance(value, str) else str(value)

    put("img", link.upload or link.sample, DEFAULT.sample)
    out.update(options.to_texts(s, d))  # every setting, as its declaration writes it
    if is_name(link.upload) or not _same_boxes(link.rois, dims(s, link.sample), DEFAULT.rois, dims(d, DEFAULT.sample)):
        out["roi"] = ["_".join(number(v) for v in box) for box in link.rois]
    put("active", link.active + 1, 1)
    put("view", link.view, DEFAULT.view)
    put("step", link.step + 1, 1)
    i, j, k = link.focus
    put("bin", f"{i}_{j}", "0_0")
    put("point", k + 1, 1)
    put("axis", link.slide_axis, DEFAULT.slide_axis)
    put("cells", number(link.slide_cells), number(DEFAULT.slide_cells))
    put("present", int(link.present), 0)
    put("level", link.quiz_level, DEFAULT.quiz_level)
    put("drawn", link.proposals_drawn, DEFAULT.proposals_drawn)
    put("order", link.proposals_order, DEFAULT.proposals_order)
    put("search", link.proposals_search, DEFAULT.proposals_search)
    if link.quiz_seed is not None:
        out["seed"] = str(link.quiz_seed)
    return out


# ------------------------------------------------------------------ reading
def _shown(text: str) -> str:
    return repr(text if len(text) <= 24 else text[:21] + "...")


# Python's int() and float() also read "1_2" as 12 and other scripts' digits ("\u0661\u0662") as numbers;
# a link is read with ASCII digits only, so what a reader sees is what the page uses.
_WHOLE = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")


def _whole(text: str) -> int:
    """A whole number in ASCII digits with an optional sign (spaces around allowed); else ``ValueError``."""
    t = text.strip(" ")
    if not _WHOLE.fullmatch(t):
        raise ValueError(f"not a whole number: {text!r}")
    return int(t)


def _exact(text: str) -> Fraction:
    """``9.25``, ``1e3`` or ``1600/7`` in ASCII digits, exactly; else ``ValueError`` (never an OverflowError)."""
    parts = text.split("/")
    if len(parts) > 2 or not all(_DECIMAL.fullmatch(p) for p in parts):
        raise ValueError(f"not a number: {text!r}")
    try:
        return Fraction(parts[0]) / Fraction(parts[1]) if len(parts) == 2 else Fraction(parts[0])
    except ZeroDivisionError:
        raise ValueError(f"divides by zero: {text!r}") from None


def _numbers(text: str) -> list[float]:
    parts = [p for p in text.replace(",", "_").replace(";", "_").replace(" ", "_").split("_") if p]
    try:
        values = [float(_exact(p)) for p in parts]
    except OverflowError:  # 1e400 is a valid Fraction but no float
        raise ValueError("not finite") from None
    if not all(math.isfinite(v) for v in values):
        raise ValueError("not finite")
    return values


def dropped_query(query_string: str) -> str:
    """A sentence if Streamlit drops this whole query string before the page can read it; else ``""``.

    Streamlit empties a query string of more than :data:`QUERY_MAX_CHARS`
    characters or :data:`QUERY_MAX_FIELDS` parameters (it counts ``&`` + 1), so
    the page would open the article's example without a word. ``query_string``
    is the raw string from the browser, with or without its leading ``?``.

    The server never sees a dropped string (``st.context.url`` has no query,
    and the headers hold none), so the page reads it in the browser: the
    first navigation's address, ``new URL(performance.getEntriesByType(
    "navigation")[0].name).search``, which stays as opened after the page
    rewrites its own address. (A value of about 600 KB never reaches the
    page at all: the HTTP server refuses the request.)
    """
    q = query_string[1:] if query_string.startswith("?") else query_string
    if not q:
        return ""
    fields = q.count("&") + 1
    if len(q) > QUERY_MAX_CHARS:
        why = f"is {len(q):,} characters long (the server reads at most {QUERY_MAX_CHARS:,})"
    elif fields > QUERY_MAX_FIELDS:
        why = f"has {fields:,} parameters (the server reads at most {QUERY_MAX_FIELDS:,})"
    else:
        return ""
    return (f"This link {why}, so none of it could be read: the article's example is shown instead. "
            f"A link holds at most {MAX_ROIS} RoIs and {MAX_VALUE} characters per value.")


def from_params(params: Mapping[str, str | Sequence[str]],
                photos: Mapping[str, tuple[int, int]] | None = None) -> tuple[Link, list[str]]:
    """Read a link. Returns ``(link, notices)``: one sentence per parameter that could not be used.

    ``params`` maps a name to its value, or to all its values when it is
    repeated (``roi``). A parameter that cannot be used keeps its default; the
    others still apply, so one typo never costs the rest of the link.

    ``photos`` maps the names of the uploaded photos this server has to their
    original ``(W, H)`` (the page looks the link's ``img`` up in its store, once
    :func:`roi_viz.state.uploads.is_name` has said it is a name): a name it lacks gets a
    sentence and the sample photo, with the boxes read on the sample.
    """
    notices: list[str] = []
    values: dict[str, list[str]] = {}
    unknown: list[str] = []
    too_long: list[tuple[int, int]] = []  # RoIs refused for their length: (number from 1, characters)
    for name, raw in params.items():
        vals = [raw] if isinstance(raw, str) else [str(v) for v in raw]
        if name not in KNOWN:
            unknown.append(name)
            continue
        if name == "roi":  # one over-long box costs only itself, and keeps its place in the count
            too_long = [(n, len(v)) for n, v in enumerate(vals, 1) if len(v) > MAX_VALUE]
            if too_long and len(too_long) == len(vals):
                notices.append(f"The link's roi is too long ({max(map(len, vals)):,} characters); "
                               "the article's RoI was used.")
                continue
        elif any(len(v) > MAX_VALUE for v in vals):
            notices.append(f"The link's {name} is too long ({max(map(len, vals)):,} characters); its default was used.")
            continue
        if name != "roi" and len(vals) > 1:
            notices.append(f"The link gives {name} {len(vals)} times; the last one was used.")
        values[name] = vals
    if len(unknown) == 1:
        notices.append(f"The link's parameter {_shown(unknown[0])} is not one this page knows; it was ignored.")
    elif unknown:
        named = ", ".join(_shown(n) for n in unknown[:UNKNOWN_NAMED])
        more = f" and {len(unknown) - UNKNOWN_NAMED:,} more" if len(unknown) > UNKNOWN_NAMED else ""
        notices.append(f"The link has {len(unknown):,} parameters this page does not know ({named}{more}); "
                       "they were ignored.")

    def one(name: str) -> str | None:
        return values[name][-1] if name in values else None

    def bad(name: str, why: str) -> None:
        notices.append(f"The link's {name}={_shown(one(name) or '')} {why}; the default was used.")

    def choice(name: str, options, default):
        text = one(name)
        if text is None:
            return default
        if text in options:
            return text
        bad(name, f"is not one of {', '.join(map(str, options))}")
        return default

    def whole(name: str, low: int, high: int, default: int, *, shift: int = 0) -> int:
        """A whole number in ``[low, high]`` as the link counts it, minus ``shift``; else ``default``."""
        text = one(name)
        if text is None:
            return default
        try:
            v = _whole(text)
        except ValueError:
            bad(name, "is not a whole number")
            return default
        if not low <= v <= high:
            bad(name, f"is not between {low} and {high}")
            return default
        return v - shift

    def flag(name: str, default: bool) -> bool:
        text = one(name)
        if text is None:
            return default
        if text.lower() in ("1", "true", "yes", "on"):
            return True
        if text.lower() in ("0", "false", "no", "off"):
            return False
        bad(name, "is not 1 or 0")
        return default

    d = DEFAULT.settings
    # The image.
    names = [s.name for s in samples.list_samples()]
    img = one("img")
    sample, upload, original = DEFAULT.sample, "", None
    if img == UPLOAD:
        upload = UPLOAD
        notices.append("This link was made while an uploaded photo was shown that the server could not keep, so "
                       "the link cannot carry it: the sample photo is shown instead, with the same boxes and settings.")
    elif is_name(img):
        if img in (photos or {}):
            upload, original = img, tuple(photos[img])
        else:
            notices.append(f"The photo this link names (img={img[:12]}…) is not on this server: it may have been "
                           "removed to make room for newer ones, or the link was made on another server. The sample "
                           "photo is shown instead, with the same boxes and settings.")
    elif img is not None and img not in names:
        bad("img", "is neither a sample photo (" + ", ".join(names) + ") nor the name of an uploaded photo "
            "(64 characters 0-9 and a-f)")
    elif img is not None:
        sample = img

    # The settings: each read as its declaration says (roi_viz.state.options), a bad one named and defaulted.
    settings, problems = options.from_texts({o.link: one(o.link) for o in options.OPTIONS if one(o.link) is not None}, d)
    for name, why in problems.items():
        bad(name, why)
    shape, method, output = settings.shape, settings.method, settings.output_size

    # The boxes: in pixels of the link's input size, each cut to the image as a drawn box would be.
    W, H = dims(settings, sample, original)
    # The article's box as the page's store reads it in this input: whole pixels in any but its own.
    article = RoIStore(DEFAULT.rois, dims(DEFAULT.settings, DEFAULT.sample)).box(0, (W, H))
    rois: tuple[g.Box, ...] = (article,)
    # ``active`` counts the link's boxes, bad ones included: ``place`` maps that count to the kept list,
    # so a box that cannot be read never moves the lesson onto another one.
    total, place, dropped = 1, {1: 0}, set()
    if "roi" in values:
        texts = values["roi"]
        if len(texts) > MAX_ROIS:
            notices.append(f"The link has {len(texts):,} RoIs (roi); at most {MAX_ROIS} are read, so the "
                           "article's RoI was used.")
        else:
            kept, problems = [], []
            long = dict(too_long)
            for n, text in enumerate(texts, 1):
                if n in long:
                    problems.append(f"RoI {n} is too long ({long[n]:,} characters).")
                    dropped.add(n)
                    continue
                try:
                    nums, rounded = whole_roi(_numbers(text))  # the page's boxes are whole pixels
                    box, cut = clip_roi(nums, (W, H))
                except (ValueError, ZeroDivisionError) as exc:
                    problems.append(f"RoI {n} ({_shown(text)}): " + (str(exc) if isinstance(exc, RoIError)
                                                                    else "not four numbers x_y_w_h."))
                    dropped.add(n)
                    continue
                kept.append(box)
                if rounded:
                    notices.append(f"In the link's roi {n}, {rounded}; {WHOLE_PIXELS}.")
                if cut:
                    notices.append(f"The link's roi {n}: {cut}")
            if problems:
                notices.append("The link's roi could not all be used. " + " ".join(problems)
                               + (" The others were kept." if kept else " The article's RoI was used."))
            if kept:
                rois = tuple(kept)
                total = len(texts)
                place = {n: i for i, n in enumerate(n for n in range(1, total + 1) if n not in dropped)}
    active = 0
    n = whole("active", 1, total, 0) if one("active") is not None else 1  # 0: out of range, already said
    if n in place:
        active = place[n]
    elif n in dropped:
        notices.append(f"The RoI the link follows (RoI {n}) could not be used, so the first RoI kept is "
                       "followed instead.")

    # Where the lesson is.
    view = choice("view", VIEWS, DEFAULT.view)
    n_steps = len(METHODS[method].plan)
    step = whole("step", 1, n_steps, 0, shift=1)
    i = j = 0
    if one("bin") is not None:
        try:
            i, j = (_whole(p) for p in one("bin").replace(",", "_").split("_"))
            if not (0 <= i < output[0] and 0 <= j < output[1]):
                raise ValueError
        except ValueError:
            bad("bin", f"is not ROW_COLUMN inside the {output[0]} × {output[1]} output, counted from 0")
            i = j = 0
    # How many points a bin has depends on the method, the ratio and the box: the page clamps the point
    # once the scene is built and says so (roi_viz.state.scene.focus_notice).
    k = whole("point", 1, 64 * 64, 0, shift=1)
    axis = choice("axis", AXES, DEFAULT.slide_axis)
    cells = DEFAULT.slide_cells
    if one("cells") is not None:
        try:
            exact = _exact(one("cells").strip())
            if exact not in SLIDE_CELLS:  # compared as fractions: 1e400 never becomes a float
                raise ValueError
            cells = float(exact)
        except ValueError:
            bad("cells", f"is not one of {', '.join(number(c) for c in SLIDE_CELLS)}")
            cells = DEFAULT.slide_cells
    present = flag("present", DEFAULT.present)
    level = choice("level", QUIZ_LEVELS, DEFAULT.quiz_level)
    seed = whole("seed", 0, MAX_SEED, -1)
    drawn = whole("drawn", 1, MAX_PROPOSALS, DEFAULT.proposals_drawn)
    order = choice("order", list(PROPOSAL_ORDERS), DEFAULT.proposals_order)
    search = choice("search", SEARCH_MODES, DEFAULT.proposals_search)
    link = Link(settings, sample, upload, rois, active, view, step, (i, j, k), axis, cells, present,
                level, None if seed < 0 else seed, drawn, order, search)
    return link, notices


KNOWN = ("img", *(o.link for o in options.OPTIONS), "roi",
         "active", "view", "step", "bin", "point", "axis", "cells", "present", "level", "seed",
         "drawn", "order", "search")

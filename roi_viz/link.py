"""The page's state as a link: query parameters in, query parameters out.

A teacher copies the address bar and every student who opens it sees the same
image, boxes, settings and step. :func:`to_params` writes a :class:`Link` as
query parameters, only those that differ from the defaults, so the article's
own example is the bare address; :func:`from_params` reads them back and
answers each parameter it cannot use with one sentence naming it, using that
parameter's default instead. Nothing here knows Streamlit: the page maps its
session to a :class:`Link` and back.

The parameters (every one optional): ``img``, the photo (a sample by name, or an
uploaded photo by its name in the server's store, 64 hex characters,
:mod:`roi_viz.state.uploads`; ``img=upload``: an upload the server could not
keep, which cannot travel); every setting under its link name
(:data:`roi_viz.state.options.OPTIONS`); ``roi=x_y_w_h`` in pixels of the model
input, repeated for more; ``active``, the RoI the lesson follows, from 1; and
where the lesson is, each parameter declared once in :data:`NAVIGATION` (the
table in docs/library.md is made from it by :func:`docs_table`).

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
from dataclasses import dataclass, make_dataclass
from typing import Mapping, Sequence

from .state import options
from .state.options import Why, AXES, SLIDE_CELLS, QUIZ_LEVELS as LEVEL_CHOICES, Param, exact_number as _exact, number
from .state.settings import Settings
from .lesson.proposals import ORDERS as PROPOSAL_ORDERS
from .lesson.alt import joined
from .lesson.views import VIEWS as VIEW_LIST
from .language import LANGUAGES, _
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


# Where the lesson is: every navigation parameter of the link, declared once. The link's fields, its reading
# (from_params), its writing (to_params), KNOWN, the docs' table (docs_table) and the session's Place are all
# made from this table, in its order (which is also the order of Link's fields after ``active``): a new
# parameter is one more Param here. Defaults count from 0, as the page does; ``counted_from=1`` is the link's
# counting.
NAVIGATION: tuple[Param, ...] = (
    Param("view", "view", "walk", "the view shown, by its key in `roi_viz/lesson/views.py` (`walk`: the "
          "walkthrough)", "choice", lambda: VIEWS, type=str),
    Param("step", "step", 0, "the walkthrough's step, counted from 1", "whole", low=1,
          high=lambda s: len(METHODS[s.method].step_keys(s.network)), counted_from=1, type=int),
    Param("bin", "focus", (0, 0), "the bin looked at closely: ROW_COLUMN, counted from 0 as on the page", "bin",
          part=(0, 1)),
    # How many points a bin has depends on the method, the ratio and the box: the page clamps the point
    # once the scene is built and says so (roi_viz.state.scene.focus_notice).
    Param("point", "focus", 0, "its sampling point, counted from 1", "whole", low=1, high=64 * 64, counted_from=1,
          part=(2,)),
    Param("axis", "slide_axis", "x", "the sliding box's direction: " + ", ".join(AXES), "choice", lambda: AXES,
          type=str),
    Param("cells", "slide_cells", 1.0, "the sliding box's distance in cells: "
          + ", ".join(number(c) for c in SLIDE_CELLS), "cells", lambda: SLIDE_CELLS, type=float),
    Param("present", "present", False, "presenter mode: 1 or 0", "flag", type=bool),
    Param("level", "quiz_level", "starter", "the quiz's level: " + ", ".join(QUIZ_LEVELS), "choice",
          lambda: QUIZ_LEVELS, keep="quiz", kept_as="level", type=str),
    Param("seed", "quiz_seed", None, "the quiz question's seed, so a whole class gets the same question "
          "(default: drawn when the quiz is opened)", "whole", low=0, high=MAX_SEED, keep="quiz", kept_as="seed",
          optional=True, type=int | None),
    Param("drawn", "proposals_drawn", DRAWN, f"the Proposals view: how many boxes are drawn, 1 to {MAX_PROPOSALS}",
          "whole", low=1, high=MAX_PROPOSALS, type=int),
    Param("order", "proposals_order", "ends", "the Proposals view: the order boxes are drawn in: "
          + ", ".join(PROPOSAL_ORDERS), "choice", lambda: PROPOSAL_ORDERS, type=str),
    Param("search", "proposals_mode", "fast", "the Proposals view: selective search's mode: "
          + ", ".join(SEARCH_MODES), "choice", lambda: SEARCH_MODES, type=str),
    # Written only when the student chose it (the link or the sidebar): a link without it lets each browser choose.
    Param("lang", "language", None, "the page's language: " + ", ".join(f"{k} ({v})" for k, v in LANGUAGES.items())
          + " (default: the browser's language, else English)", "choice", lambda: tuple(LANGUAGES), optional=True,
          type=str | None),
)
NAV_BY_LINK = {p.link: p for p in NAVIGATION}


@dataclass(frozen=True)
class _Shown:
    """What a link shows: the photo, the settings and the boxes. Boxes are ``(x, y, w, h)`` in pixels of
    ``settings.input_size``; ``active`` is the box the lesson follows, from 0."""

    settings: Settings = Settings()
    sample: str = samples.DEFAULT_SAMPLE
    upload: str = ""  # an uploaded photo: its name in the store, or UPLOAD for one the server could not keep
    rois: tuple[g.Box, ...] = (samples.ARTICLE_ROI,)
    active: int = 0


def _link_class(params: tuple[Param, ...]) -> type:
    """:class:`Link`: what a link shows, then one field per field of ``params``, in their order."""
    # Keyword only: a field's place in the table is no part of how a link is built.
    return make_dataclass("Link", options.record_fields(params), bases=(_Shown,), frozen=True, kw_only=True,
                          namespace={"__doc__": "Everything a link carries: what it shows (the photo, the settings, "
                                                "the boxes), then where the lesson is, one field per field of "
                                                ":data:`NAVIGATION`. Build it by keyword.",
                                     "__module__": __name__})


Link = _link_class(NAVIGATION)
DEFAULT = Link()


# ------------------------------------------------------------------ writing
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
    for p in NAVIGATION:  # where the lesson is: each as its declaration writes it
        value = p.get(link)
        if p.optional and value is None:
            continue
        put(p.link, p.to_text(value), None if p.optional else p.to_text(p.default))
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


def _numbers(text: str) -> list[float]:
    parts = [p for p in text.replace(",", "_").replace(";", "_").replace(" ", "_").split("_") if p]
    try:
        values = [float(_exact(p)) for p in parts]
    except OverflowError:  # 1e400 is a valid Fraction but no float
        raise ValueError("not finite") from None
    if not all(math.isfinite(v) for v in values):
        raise ValueError("not finite")
    return values


def _refused(name: str, value: str, why: str, values: dict | None = None) -> str:
    """The notice for the link's ``name=value`` refused, one whole sentence per rule broken (``why``, as
    :class:`roi_viz.state.options.Refused` names it, with its ``values``), in the language in force."""
    said = dict(name=name, value=_shown(value), **(values or {}))
    if why == "whole":
        return _("The link's {name}={value} is not a whole number; the default was used.").format(**said)
    if why == "choice":
        return _("The link's {name}={value} is not one of {choices}; the default was used.").format(**said)
    if why == "flag":
        return _("The link's {name}={value} is not 1 or 0; the default was used.").format(**said)
    if why == "output":
        return _("The link's {name}={value} is not ROWSxCOLS with each between 1 and {most}; the default was "
                 "used.").format(**said)
    if why == "between":
        return _("The link's {name}={value} is not between {low} and {high}; the default was used.").format(**said)
    if why == "size":
        return _("The link's {name}={value} is not a multiple of 32; the default was used.").format(**said)
    if why == "bin":
        return _("The link's {name}={value} is not ROW_COLUMN inside the {rows} × {cols} output, counted from 0; "
                 "the default was used.").format(**said)
    if why == "img":
        return _("The link's {name}={value} is neither a sample photo ({samples}) nor the name of an uploaded "
                 "photo (64 characters 0-9 and a-f); the default was used.").format(**said)
    return _("The link's {name}={value} could not be used; the default was used.").format(**said)


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
    said = dict(chars=f"{len(q):,}", most_chars=f"{QUERY_MAX_CHARS:,}", fields=f"{fields:,}",
                most_fields=f"{QUERY_MAX_FIELDS:,}", rois=MAX_ROIS, value=MAX_VALUE)
    if len(q) > QUERY_MAX_CHARS:
        return _("This link is {chars} characters long (the server reads at most {most_chars}), so none of it could "
                 "be read: the article's example is shown instead. A link holds at most {rois} RoIs and {value} "
                 "characters per value.").format(**said)
    if fields > QUERY_MAX_FIELDS:
        return _("This link has {fields} parameters (the server reads at most {most_fields}), so none of it could "
                 "be read: the article's example is shown instead. A link holds at most {rois} RoIs and {value} "
                 "characters per value.").format(**said)
    return ""


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
                notices.append(_("The link's roi is too long ({n} characters); the article's RoI was used.").format(
                    n=f"{max(map(len, vals)):,}"))
                continue
        elif any(len(v) > MAX_VALUE for v in vals):
            notices.append(_("The link's {name} is too long ({n} characters); its default was used.").format(
                name=name, n=f"{max(map(len, vals)):,}"))
            continue
        if name != "roi" and len(vals) > 1:
            notices.append(_("The link gives {name} {n} times; the last one was used.").format(name=name, n=len(vals)))
        values[name] = vals
    if len(unknown) == 1:
        notices.append(_("The link's parameter {name} is not one this page knows; it was ignored.").format(
            name=_shown(unknown[0])))
    elif unknown:
        named = ", ".join(_shown(n) for n in unknown[:UNKNOWN_NAMED])
        said = dict(n=f"{len(unknown):,}", named=named, more=f"{len(unknown) - UNKNOWN_NAMED:,}")
        if len(unknown) > UNKNOWN_NAMED:
            notices.append(_("The link has {n} parameters this page does not know ({named} and {more} more); they "
                             "were ignored.").format(**said))
        else:
            notices.append(_("The link has {n} parameters this page does not know ({named}); they were "
                             "ignored.").format(**said))

    def one(name: str) -> str | None:
        return values[name][-1] if name in values else None

    def bad(name: str, why: str, values: dict | None = None) -> None:
        notices.append(_refused(name, one(name) or "", why, values))

    def whole(name: str, low: int, high: int, default: int, *, shift: int = 0) -> int:
        """A whole number in ``[low, high]`` as the link counts it, minus ``shift``; else ``default``."""
        text = one(name)
        if text is None:
            return default
        try:
            v = _whole(text)
        except ValueError:
            bad(name, "whole")
            return default
        if not low <= v <= high:
            bad(name, "between", dict(low=low, high=high))
            return default
        return v - shift

    d = DEFAULT.settings
    # The image.
    names = [s.name for s in samples.list_samples()]
    img = one("img")
    sample, upload, original = DEFAULT.sample, "", None
    if img == UPLOAD:
        upload = UPLOAD
        notices.append(_("This link was made while an uploaded photo was shown that the server could not keep, so "
                         "the link cannot carry it: the sample photo is shown instead, with the same boxes and "
                         "settings."))
    elif is_name(img):
        if img in (photos or {}):
            upload, original = img, tuple(photos[img])
        else:
            notices.append(_("The photo this link names (img={name}…) is not on this server: it may have been "
                             "removed to make room for newer ones, or the link was made on another server. The sample "
                             "photo is shown instead, with the same boxes and settings.").format(name=img[:12]))
    elif img is not None and img not in names:
        bad("img", "img", dict(samples=", ".join(names)))
    elif img is not None:
        sample = img

    # The settings: each read as its declaration says (roi_viz.state.options), a bad one named and defaulted.
    settings, problems = options.from_texts({o.link: one(o.link) for o in options.OPTIONS if one(o.link) is not None}, d)
    for name, why in problems.items():
        bad(name, why.why if isinstance(why, Why) else "", why.values if isinstance(why, Why) else None)

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
            notices.append(_("The link has {n} RoIs (roi); at most {most} are read, so the article's RoI was "
                             "used.").format(n=f"{len(texts):,}", most=MAX_ROIS))
        else:
            kept, problems = [], []
            long = dict(too_long)
            for n, text in enumerate(texts, 1):
                if n in long:
                    problems.append(_("RoI {n} is too long ({chars} characters).").format(n=n, chars=f"{long[n]:,}"))
                    dropped.add(n)
                    continue
                try:
                    nums, rounded = whole_roi(_numbers(text))  # the page's boxes are whole pixels
                    box, cut = clip_roi(nums, (W, H))
                except (ValueError, ZeroDivisionError) as exc:
                    if isinstance(exc, RoIError):
                        problems.append(_("RoI {n} ({text}): {reason}").format(n=n, text=_shown(text), reason=exc))
                    else:
                        problems.append(_("RoI {n} ({text}): not four numbers x_y_w_h.").format(n=n, text=_shown(text)))
                    dropped.add(n)
                    continue
                kept.append(box)
                if rounded:
                    notices.append(_("In the link's roi {n}, {rounded}; {why}.").format(n=n, rounded=rounded,
                                                                                       why=_(WHOLE_PIXELS)))
                if cut:
                    notices.append(_("The link's roi {n}: {cut}").format(n=n, cut=cut))
            if problems:
                notices.append(joined(_("The link's roi could not all be used."), *problems,
                                      _("The others were kept.") if kept else _("The article's RoI was used.")))
            if kept:
                rois = tuple(kept)
                total = len(texts)
                place = {n: i for i, n in enumerate(n for n in range(1, total + 1) if n not in dropped)}
    active = 0
    n = whole("active", 1, total, 0) if one("active") is not None else 1  # 0: out of range, already said
    if n in place:
        active = place[n]
    elif n in dropped:
        notices.append(_("The RoI the link follows (RoI {n}) could not be used, so the first RoI kept is "
                         "followed instead.").format(n=n))

    # Where the lesson is: each parameter read as its declaration says (NAVIGATION), a bad one named and defaulted.
    where: dict[str, object] = {}
    for p in NAVIGATION:
        text = one(p.link)
        if text is None:
            continue
        try:
            where[p.link] = p.parse(text, settings)
        except ValueError as exc:
            bad(p.link, getattr(exc, "why", ""), getattr(exc, "values", None))
    link = Link(settings=settings, sample=sample, upload=upload, rois=rois, active=active,
                **options.field_values(NAVIGATION, where))
    return link, notices


KNOWN = ("img", *(o.link for o in options.OPTIONS), "roi", "active", *(p.link for p in NAVIGATION))


def docs_table() -> str:
    """The docs' table of the link's navigation parameters (Markdown), made from :data:`NAVIGATION`."""
    rows = ["| parameter | default | what it says |", "|---|---|---|"]
    rows += [f"| `{p.link}` | `{p.words()}` | {p.help} |" for p in NAVIGATION]
    return "\n".join(rows)

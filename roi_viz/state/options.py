"""Every option of :class:`~roi_viz.state.settings.Settings`, declared once.

One :class:`Option` per field says everything the rest of the code needs: the
sidebar's label, choices and help, the link's parameter, the command line's
flag, and the handout's row. The page's sidebar (``ui/sidebar.py``), the link
(:mod:`roi_viz.link`), the CLI (:mod:`roi_viz.cli`) and the handout
(:mod:`roi_viz.export.handout`) all read :data:`OPTIONS`; a new option is one
more declaration here and a field of ``Settings``.

An option a method reads only (``per_method``) is shown, written and printed
only when the chosen method's record lists it in its ``options``; one that only
some networks have (``networks``: VGG16's layer) only on those.

Pure: no Streamlit, no Matplotlib, no torch.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field as dataclass_field
from fractions import Fraction
from typing import Any, Callable

from ..language import N_, _
from ..model.images import INPUT_SIZES, SHAPES
from ..model.layers import LAYERS, NETWORKS, VGG_LAYERS
from ..ops.sliding import AXES  # noqa: F401  (the op checks a slide's direction, so the list lives beside it)
from .settings import MAX_OUTPUT, MODES, Settings

MAX_RATIO = 8  # the sampling-ratio field stops here (the library takes up to 64)
_WHOLE = re.compile(r"[+-]?[0-9]+")  # ASCII digits only: "1_2" and other scripts' digits are not numbers here


class Refused(ValueError):
    """A value a link or the CLI gave that cannot be used. ``str()`` says why in English, ready to follow the
    parameter's name ("is not one of …"); ``why`` names the rule broken (``"whole"``, ``"choice"``, ``"flag"``,
    ``"output"``, ``"between"``, ``"size"``, ``"bin"``) and ``values`` what it needs (``choices``, ``low``,
    ``high``, ``most``, ``rows``, ``cols``), so the page says it as one whole translated sentence."""

    def __init__(self, text: str, why: str, **values) -> None:
        super().__init__(text)
        self.why, self.values = why, values


class Why(str):
    """Why a value was refused: the English text of the refusal (a ``str``, as it was), with its rule
    (``why``) and ``values`` when a :class:`Refused` gave them (else ``""`` and ``{}``)."""

    why: str
    values: dict

    def __new__(cls, exc: ValueError) -> "Why":
        self = super().__new__(cls, str(exc))
        self.why, self.values = getattr(exc, "why", ""), dict(getattr(exc, "values", {}))
        return self


def whole_number(text: str) -> int:
    """A whole number in ASCII digits with an optional sign (spaces around allowed); else ``ValueError``."""
    t = str(text).strip(" ")
    if not _WHOLE.fullmatch(t):
        raise Refused("is not a whole number", "whole")
    return int(t)



def read_choice(text: str, options) -> str:
    """``text`` if it is one of ``options``; else ``ValueError`` naming them ("is not one of …")."""
    options = list(options)
    if text in options:
        return text
    raise Refused(f"is not one of {', '.join(map(str, options))}", "choice", choices=", ".join(map(str, options)))


def read_flag(text: str) -> bool:
    """An on/off value as a link or the CLI writes it (1/0, true/false, yes/no, on/off)."""
    if text.lower() in ("1", "true", "yes", "on"):
        return True
    if text.lower() in ("0", "false", "no", "off"):
        return False
    raise Refused("is not 1 or 0", "flag")

@dataclass(frozen=True)
class Option:
    """One user setting, for every place that shows, reads or writes it.

    ``kind`` says how its value is written: ``choice`` (one of ``choices()``,
    value → words), ``whole`` (a whole number in ``[low, high]``), ``flag``
    (on/off), ``size`` (a model input size), ``output`` (rows × columns) or
    ``channel`` (a channel of the layer, or ``None`` for the strongest).
    """

    field: str  # the Settings field
    label: str  # the sidebar's label
    help: str  # the sidebar's help and the CLI's help
    link: str  # the link's parameter name
    cli: str  # the command line's flag
    handout: str  # the handout's row label
    kind: str
    choices: Callable[[], dict[str, str]] | None = None  # value -> words, for a choice
    low: int = 0
    high: int = 0
    per_method: bool = False  # read by some methods only (their record's ``options``)
    control: str = "radio"  # how the sidebar offers a choice: "radio", "radio-row" (one line) or "selectbox"
    networks: tuple[str, ...] = ()  # shown and printed only on these networks; () on every one

    # ---------------------------------------------------------------- words
    # ``label``, ``help`` and ``handout`` are stored in English (marked for the catalog); these say them in the
    # language in force, at the moment they are shown (the command line speaks English: it reads the fields).
    def shown_label(self) -> str:
        """The sidebar's label in the language in force."""
        return _(self.label)

    def shown_help(self) -> str:
        """The sidebar's help in the language in force."""
        return _(self.help)

    def shown_handout(self) -> str:
        """The handout's row label in the language in force."""
        return _(self.handout)

    def words(self, value: Any) -> str:
        """The value as the handout and the sidebar say it, in the language in force."""
        if self.kind == "choice":
            return self.choices().get(value, str(value))
        if self.kind == "flag":
            return _("on") if value else _("off")
        if self.kind == "output":
            return f"{value[0]} × {value[1]}"
        if self.kind == "channel":
            return _("the strongest inside the RoI") if value is None else str(value)
        if self.kind == "whole" and self.field == "sampling_ratio" and value <= 0:
            return _("adaptive")
        return str(value)

    # ---------------------------------------------------------------- the link
    def to_text(self, value: Any) -> str:
        """The value as the link writes it."""
        if self.kind == "flag":
            return str(int(bool(value)))
        if self.kind == "output":
            rows, cols = value
            return f"{rows}x{cols}" if rows != cols else str(rows)
        if self.kind == "channel":
            return "auto" if value is None else str(value)
        return str(value)

    def parse(self, text: str, settings: Settings | None = None) -> Any:
        """The value a link's (or the CLI's) ``text`` means; else ``ValueError`` whose message says why,
        ready to follow the parameter's name ("is not one of …").

        ``settings``: what was read before this option (a channel depends on the layer).
        """
        t = str(text)
        if self.kind == "choice":
            return read_choice(t, self.choices())
        if self.kind == "flag":
            return read_flag(t)
        if self.kind == "output":
            try:
                parts = [whole_number(p) for p in t.lower().split("x")]
            except ValueError:
                parts = []
            rows, cols = parts if len(parts) == 2 else (parts[0], parts[0]) if len(parts) == 1 else (0, 0)
            if not (1 <= rows <= MAX_OUTPUT and 1 <= cols <= MAX_OUTPUT):
                raise Refused(f"is not ROWSxCOLS with each between 1 and {MAX_OUTPUT}", "output", most=MAX_OUTPUT)
            return rows, cols
        if self.kind == "channel":
            if t == "auto":
                return None
            high = (settings or Settings()).channels - 1
            v = whole_number(t)
            if not 0 <= v <= high:
                raise Refused(f"is not between 0 and {high}", "between", low=0, high=high)
            return v
        v = whole_number(t)  # whole, size
        low, high = (INPUT_SIZES[0], INPUT_SIZES[-1]) if self.kind == "size" else (self.low, self.high)
        if not low <= v <= high:
            raise Refused(f"is not between {low} and {high}", "between", low=low, high=high)
        if self.kind == "size" and v not in INPUT_SIZES:
            raise Refused("is not a multiple of 32", "size")
        return v

    def applies(self, method_options, network: str | None = None) -> bool:
        """Whether this option matters for a method that reads ``method_options`` (on ``network``, if given)."""
        on_network = network is None or not self.networks or network in self.networks
        return on_network and (not self.per_method or self.field in method_options)


# Each method's name by key. The records sit above the settings, so they fill this in themselves
# (roi_viz.methods.NAMES is this dict, and its register() adds a new record here too).
METHOD_NAMES: dict[str, str] = {}


def _methods() -> dict[str, str]:
    return {k: _(name) for k, name in METHOD_NAMES.items()}  # the records mark their names (N_)


MODE_WORDS = {"avg": N_("mean of the points"), "max": N_("max of the points")}


def _modes() -> dict[str, str]:
    return {m: _(MODE_WORDS[m]) for m in MODES}

OPTIONS: tuple[Option, ...] = (
    # First: the layer and the channel are read against it.
    Option("network", N_("Network"),
           N_("VGG16 gives one map (pool5 or conv5_3), as the article and Fast R-CNN. ResNet-50 with a feature "
              "pyramid (torchvision's Faster R-CNN backbone) gives four, P2 to P5 at strides 4, 8, 16 and 32, and "
              "each box is pooled from the level its size picks: √(w·h) = 224 px goes to P4, each halving one level "
              "finer."),
           "net", "--network", N_("Network"), "choice", lambda: {k: _(v.label) for k, v in NETWORKS.items()}),
    Option("input_size", N_("Model input size (pixels)"),
           N_("The side of the square the image is resized to, or, with its proportions kept, its shorter side. "
              "Fast R-CNN's paper used 600 (the longer side at most 1,000); sizes here are multiples of 32, and 576 "
              "is one of the paper's multi-scale sizes (480, 576, 688, 864, 1200)."),
           "size", "--size", N_("Input size"), "size"),
    Option("shape", N_("Input shape"),
           N_("The article squashes every photo into a 512 × 512 square. Fast R-CNN keeps the photo's proportions "
              "and scales its shorter side (to 600 pixels in its paper), so the feature map is not square either. An "
              "upload starts with its proportions kept."),
           "shape", "--shape", N_("Input shape"), "choice",
           lambda: {"square": _("Square, S × S (the article)"),
                    "aspect": _("Proportions kept, shorter side S (Fast R-CNN)")}),
    Option("layer", N_("Feature layer"),
           N_("Where VGG16 is cut: pool5 (stride 32) or conv5_3 and its ReLU (stride 16)."),
           "layer", "--layer", N_("Layer"), "choice", lambda: {k: _(LAYERS[k].label) for k in VGG_LAYERS},
           control="selectbox", networks=("vgg16",)),
    Option("method", N_("How the RoI becomes a fixed-size tensor"), N_("The method the walkthrough follows."),
           "method", "--method", N_("Method"), "choice", _methods),
    Option("scheme", N_("Rounding rule"),
           N_("The article floors x, y, w and h separately and drops what the split leaves over. Fast R-CNN's code "
              "rounds the corners to the nearest cell, keeps the end cell (Caffe's pixel boxes count both ends: the "
              "+1), and lets bins overlap."),
           "rule", "--scheme", N_("Rounding"), "choice",
           lambda: {"article": _("the article's: round everything down"),
                    "fastrcnn": _("Fast R-CNN's code (torchvision)")},
           per_method=True),
    Option("sampling_ratio", N_("Sampling ratio (points per bin per axis; 0 = adaptive)"),
           N_("Adaptive (0 here) picks ⌈bin size⌉ points per axis, about one per cell. torchvision's roi_align "
              "defaults to adaptive (sampling_ratio=-1); its Faster and Mask R-CNN use 2 (through "
              "MultiScaleRoIAlign); detectron2 defaults to 0, adaptive. This page starts at 2."),
           "ratio", "--sampling-ratio", N_("Sampling ratio"), "whole", low=0, high=MAX_RATIO, per_method=True),
    Option("align_mode", N_("One value per bin"),
           N_("RoIAlign: the mean (torchvision) or the maximum of a bin's points."),
           "align_mode", "--align-mode", N_("Per bin"), "choice", _modes, per_method=True, control="radio-row"),
    Option("warp_mode", N_("One value per bin"),
           N_("RoIWarp: the mean or the maximum (the paper's) of a bin's points."),
           "warp_mode", "--warp-mode", N_("Per bin"), "choice", _modes, per_method=True, control="radio-row"),
    Option("aligned", N_("Aligned (−0.5 cell shift)"),
           N_("On: points and bins sit exactly on the RoI (torchvision's aligned=True; detectron2's ROIAlignV2). "
              "Off: the legacy rule, which reads the map half a cell off: torchvision's roi_align default, kept by "
              "its Faster and Mask R-CNN, and the rule of PrRoI's authors' code (PrRoI is not in torchvision)."),
           "aligned", "--aligned", N_("Half-cell shift"), "flag", per_method=True),
    Option("output_size", N_("Output size"), N_("Rows × columns of the output, each from 1 to 14."),
           "out", "--output", N_("Output"), "output"),
    Option("channel", N_("Channel"), N_("The channel shown; by default the strongest inside the RoI."),
           "channel", "--channel", N_("Channel"), "channel"),
    Option("mean_view", N_("Step 2: mean over all channels"),
           N_("Step 2 shows the mean of all channels instead of one."),
           "mean", "--mean", N_("Step 2 shows"), "flag"),
)
BY_FIELD = {o.field: o for o in OPTIONS}
BY_LINK = {o.link: o for o in OPTIONS}


def from_texts(texts: dict[str, str], base: Settings | None = None) -> tuple[Settings, dict[str, str]]:
    """Settings from ``{link name: text}``. Returns the settings and ``{link name: why}`` for each text
    that could not be used (its default kept): ``why`` is a :class:`Why`, English text that also names the
    rule broken. Options are read in :data:`OPTIONS` order."""
    values: dict[str, Any] = {}
    problems: dict[str, str] = {}
    cur = base or Settings()
    for o in OPTIONS:
        if o.link not in texts:
            continue
        try:
            values[o.field] = o.parse(texts[o.link], cur.with_(**values))
        except ValueError as exc:
            problems[o.link] = Why(exc)
    return cur.with_(**values), problems


def to_texts(settings: Settings, default: Settings | None = None) -> dict[str, str]:
    """``{link name: text}`` for every option that differs from ``default``."""
    d = default or Settings()
    return {o.link: o.to_text(getattr(settings, o.field)) for o in OPTIONS
            if o.to_text(getattr(settings, o.field)) != o.to_text(getattr(d, o.field))}


# ---------------------------------------------------------------- the lists the page, the link and the CLI offer
# Each list is read by the widget that offers it (ui/), by the link that carries it (roi_viz.link) and,
# where there is one, by the CLI flag; the quiz's roi_viz.quiz.LEVELS is QUIZ_LEVELS' keys.
# The quiz's levels, in the order the page offers them: key (what a link carries, ``level=fastrcnn``)
# to (the radio button's label, the title above a question).
# The words are marked for the catalog (N_) and translated where the quiz shows them.
QUIZ_LEVELS: dict[str, tuple[str, str]] = {
    "starter": (N_("Starter: the article's setting"),
                N_("Starter: the article's setting (512 × 512, pool5, 3 × 3, rounded down)")),
    "fastrcnn": (N_("Fast R-CNN: conv5_3, 7 × 7"), N_("Fast R-CNN: conv5_3, 7 × 7, the rounding of its code")),
    "beyond": (N_("Beyond: RoIAlign, RoIWarp, PrRoI"), N_("Beyond: RoIAlign, RoIWarp and Precise RoI Pooling")),
}

# How the page names each of AXES, the directions the box slides in.
AXIS_WORDS = {"x": N_("right (x)"), "y": N_("down (y)")}

SLIDE_CELLS = (0.25, 0.5, 1.0, 2.0)  # the distances the page and a link offer, in cells
MAX_SLIDE_CELLS = 16.0  # the CLI and the GIF take any distance up to this, in cells


# ---------------------------------------------------------------- where the lesson is: the link's navigation
# The settings above say what is computed; these say where the lesson looks. Each navigation parameter of the
# link is one Param; the table itself (roi_viz.link.NAVIGATION) sits above the method records, because a
# step's range is the method's and a view is the lesson's. From it come the link's fields, its reading, its
# writing, its list of known names, its documentation and the session's Place.
_DECIMAL = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")


def exact_number(text: str) -> Fraction:
    """``9.25``, ``1e3`` or ``1600/7`` in ASCII digits, exactly; else ``ValueError`` (never an OverflowError)."""
    parts = text.split("/")
    if len(parts) > 2 or not all(_DECIMAL.fullmatch(p) for p in parts):
        raise ValueError(f"not a number: {text!r}")
    try:
        return Fraction(parts[0]) / Fraction(parts[1]) if len(parts) == 2 else Fraction(parts[0])
    except ZeroDivisionError:
        raise ValueError(f"divides by zero: {text!r}") from None


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


@dataclass(frozen=True)
class Param:
    """One navigation parameter of the link, for every place that reads, writes, keeps or documents it.

    ``kind`` says how its text is read: ``choice`` (one of ``choices()``),
    ``whole`` (a whole number in ``[low, high]`` as the link counts it; ``high``
    may depend on the settings read before it), ``flag`` (1 | 0), ``cells``
    (one of ``choices()``, numbers compared exactly) or ``bin`` (``ROW_COLUMN``
    inside the settings' output, counted from 0).

    ``field`` is the attribute of the link (and of the session record that
    keeps it) that holds the value; ``part`` names the items of a tuple field
    that this parameter carries (``bin``: items 0 and 1 of ``focus``), so two
    parameters can share one field. ``keep`` is the session record that keeps
    it (``"place"`` or ``"quiz"``), under ``kept_as`` (default: ``field``).
    ``optional``: the default is ``None``, never written.
    """

    link: str  # the link's parameter name
    field: str
    default: Any  # in the page's counting (from 0), as the field holds it
    help: str  # for the docs' table of link parameters
    kind: str
    choices: Callable[[], Any] | None = None
    low: int = 0
    high: int | Callable[[Settings], int] = 0
    counted_from: int = 0  # 1: the link counts from 1 what the page counts from 0
    part: tuple[int, ...] = ()
    keep: str = "place"
    kept_as: str = ""
    optional: bool = False
    type: Any = Any  # the field's type, for the records made from the table

    @property
    def attr(self) -> str:
        """Its attribute in the session record that keeps it."""
        return self.kept_as or self.field

    def get(self, record: Any) -> Any:
        """This parameter's value in ``record`` (a link or a session record with its ``field``)."""
        v = getattr(record, self.field if hasattr(record, self.field) else self.attr)
        if not self.part:
            return v
        return v[self.part[0]] if len(self.part) == 1 else tuple(v[i] for i in self.part)

    def to_text(self, value: Any) -> str:
        """The value as the link writes it."""
        if self.kind == "flag":
            return str(int(bool(value)))
        if self.kind == "cells":
            return number(value)
        if self.kind == "bin":
            return "_".join(str(v) for v in value)
        if self.kind == "whole":
            return str(value + self.counted_from)
        return str(value)

    def parse(self, text: str, settings: Settings) -> Any:
        """The value a link's ``text`` means, in the page's counting; else ``ValueError`` whose message says
        why, ready to follow ``name=value`` ("is not one of …"). ``settings``: what the link set."""
        t = str(text)
        if self.kind == "choice":
            return read_choice(t, self.choices())
        if self.kind == "flag":
            return read_flag(t)
        if self.kind == "cells":
            options = tuple(self.choices())
            try:
                exact = exact_number(t.strip())  # compared as fractions: 1e400 never becomes a float
            except ValueError:
                exact = None
            if exact is None or exact not in options:
                listed = ", ".join(number(c) for c in options)
                raise Refused(f"is not one of {listed}", "choice", choices=listed)
            return float(exact)
        if self.kind == "bin":
            rows, cols = settings.output_size
            try:
                i, j = (whole_number(p) for p in t.replace(",", "_").split("_"))
                if not (0 <= i < rows and 0 <= j < cols):
                    raise ValueError
            except ValueError:
                raise Refused(f"is not ROW_COLUMN inside the {rows} × {cols} output, counted from 0", "bin",
                              rows=rows, cols=cols) from None
            return i, j
        v = whole_number(t)  # whole
        high = self.high(settings) if callable(self.high) else self.high
        if not self.low <= v <= high:
            raise Refused(f"is not between {self.low} and {high}", "between", low=self.low, high=high)
        return v - self.counted_from

    def words(self) -> str:
        """Its default as the link would write it, for the docs (``—`` when it is never written)."""
        return "—" if self.optional else self.to_text(self.default)


def field_defaults(params: tuple[Param, ...]) -> dict[str, Any]:
    """``{field: default}`` of the fields ``params`` fill, a shared tuple field put together from its parts."""
    out: dict[str, Any] = {}
    for p in params:
        if not p.part:
            out[p.field] = p.default
            continue
        cur = dict(enumerate(out.get(p.field, ())))
        cur.update(zip(p.part, p.default if len(p.part) > 1 else (p.default,)))
        out[p.field] = tuple(cur[i] for i in sorted(cur))
    return out


def field_values(params: tuple[Param, ...], values: dict[str, Any]) -> dict[str, Any]:
    """``{field: value}`` from ``{link name: value}`` (each param's default where it has none)."""
    out = field_defaults(params)
    for p in params:
        if p.link not in values:
            continue
        v = values[p.link]
        if p.part:
            cur = list(out[p.field])
            for i, x in zip(p.part, v if len(p.part) > 1 else (v,)):
                cur[i] = x
            v = tuple(cur)
        out[p.field] = v
    return out


def record_fields(params: tuple[Param, ...], keep: str | None = None) -> list[tuple[str, Any, Any]]:
    """``(name, type, dataclasses.field)`` of the fields ``params`` fill (those a ``keep`` record keeps, named
    as it keeps them, when given), in order: for :func:`dataclasses.make_dataclass`."""
    defaults = field_defaults(params)
    out: dict[str, tuple[str, Any, Any]] = {}
    for p in params:
        if keep is not None and p.keep != keep:
            continue
        name = p.field if keep is None else p.attr
        out.setdefault(name, (name, p.type if not p.part else tuple, dataclass_field(default=defaults[p.field])))
    return list(out.values())

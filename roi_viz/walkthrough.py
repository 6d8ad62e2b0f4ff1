"""The walkthrough: each method's steps, as a title, a figure and its words.

A method's record (:mod:`roi_viz.methods`) lists its steps' keys in order
(:attr:`~roi_viz.methods.Method.plan`); this module says how each step is drawn
and told. A step shared by several methods is written once in :data:`STEPS`;
where a step reads differently for a kind of method (the feature map's note,
the output), the record's traits pick the version, never its name. A method
with a step of its own registers it with :func:`register`.

Both functions of a step take the same :class:`~roi_viz.state.scene.Scene`,
so a figure and its text are always computed from the same numbers.

A step's figure is *described* (:mod:`roi_viz.figures`): ``step.describe(scene, width=, text=)``
is a :class:`~roi_viz.picture.spec.Drawing` the page paints as SVG; ``step.figure(scene)`` is the
same drawing painted by Matplotlib, for files (the handout, ``explain --figures``, the GIFs).

Usage::

    for step in steps(scene.method):
        drawing, text = step.describe(scene), step.words(scene)
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:  # a file's figure only: the page never imports Matplotlib (it paints SVG)
    from matplotlib.figure import Figure

from .figures import detectors as ddt
from .figures import sampling as dsa
from .figures import steps as ds
from .language import N_, _
from .picture.spec import Drawing
from .lesson import detector_words, sampling_words, words
from .state.scene import Scene
from .methods import LEVEL_STEP, Method, method
from .model.layers import NETWORKS


# A file's figure: a drawing this wide (8 inches at 100 px an inch), its smallest text this large.
FILE = dict(width=800.0, text=15.0)


@dataclass(frozen=True)
class Step:
    key: str
    name: str  # its title in English, marked for the catalog (N_); :attr:`title` says it in the language in force
    describe: Callable[..., Drawing]  # (scene, *, width, text) -> the step's figure described
    words: Callable[[Scene], str]
    photo: bool = False  # mostly a photograph: a file of it is a JPEG, not a PNG
    picks: str = ""  # "bin" or "point": the close-up the student steers with pickers
    own_alt: bool = False  # its figure's own text alternative says what it shows (not the pooling's numbers)

    @property
    def title(self) -> str:
        """The step's title in the language in force (looked up when shown, never at import)."""
        return _(self.name)

    def figure(self, scene: Scene) -> Figure:
        """The step's figure painted by Matplotlib, for files (:data:`FILE` px wide)."""
        from .picture import mpl

        return mpl.paint(self.describe(scene, **FILE))


def describe_level(scene: Scene, *, width: float = ddt.WIDTH, text: float = ddt.TEXT) -> Drawing:
    """The pyramid's level step: which level the active RoI's size picks, and why (on a feature pyramid only)."""
    return ddt.describe_level(scene.rois[scene.active], input_size=scene.input_dims,
                              strides=NETWORKS[scene.settings.network].strides, width=width, text=text)


STEPS: dict[str, Step] = {
    s.key: s
    for s in (
        Step("image", N_("Image and RoIs"), ds.describe_image, words.step_image, photo=True),
        Step(LEVEL_STEP, N_("Which level of the pyramid"), describe_level, detector_words.step_level, own_alt=True),
        Step("quantize", N_("Quantization"), ds.describe_quantize, words.step_quantize),
        Step("bins", N_("Split into bins"), ds.describe_bins, words.step_bins),
        Step("pool", N_("Max pooling"), ds.describe_pool, words.step_pool),
        Step("sampling", N_("Bins and sampling points"), dsa.describe_sampling, sampling_words.step_sampling, picks="point"),
        Step("bilinear", N_("One point, four cells"), dsa.describe_bilinear, sampling_words.step_bilinear, picks="point"),
        Step("combine", N_("One value per bin"), dsa.describe_combine, sampling_words.step_combine),
        Step("integrate", N_("Integrate each bin"), dsa.describe_integrate, sampling_words.step_integrate, picks="bin"),
    )
}
# A step told otherwise on a feature pyramid, whatever the method (VGG16's words name its layer and its field).
ON_PYRAMID: dict[str, Step] = {
    "image": Step("image", N_("Image and RoIs"), ds.describe_image, detector_words.step_image, photo=True),
}
# A method's own version of a step, keyed by (method key, step key); filled by register().
OWN: dict[tuple[str, str], Step] = {}


def _features(rec: Method) -> Step:
    """Step 2 adds a note on what the method does with the fractions it sees."""
    if rec.whole_cell_bins:
        text = words.step_features
    else:
        text = partial(words.step_features, note=words.snaps_first if rec.snaps_to_cells else words.keeps_fractions)
    return Step("features", N_("Feature map and projection"), ds.describe_features, text)


def _output(rec: Method) -> Step:
    """Whole-cell bins end on RoI pooling's output and its losses; the others on their own bins' coverage."""
    if rec.whole_cell_bins:
        return Step("output", N_("Output and coverage"), ds.describe_output, words.step_output)
    return Step("output", N_("Output and coverage"), dsa.describe_output, sampling_words.output_between_cells)


_BY_TRAITS = {"features": _features, "output": _output}


def step(method_key: str, step_key: str) -> Step:
    """How step ``step_key`` of method ``method_key`` is drawn and told."""
    rec = method(method_key)
    if (rec.key, step_key) in OWN:
        return OWN[rec.key, step_key]
    if step_key in _BY_TRAITS:
        return _BY_TRAITS[step_key](rec)
    if step_key in STEPS:
        return STEPS[step_key]
    raise ValueError(f"{rec.name} has a step {step_key!r} that the walkthrough cannot draw; register it first.")


def steps(method_key: str, network: str = "vgg16") -> tuple[Step, ...]:
    """Every step of ``method_key``'s walkthrough, in the order of its record's plan (on a feature pyramid
    (``network``), with the level step before the feature map)."""
    on_pyramid = ON_PYRAMID if NETWORKS[network].pyramid else {}
    return tuple(on_pyramid.get(k) or step(method_key, k) for k in method(method_key).step_keys(network))


def register(method_key: str, *own: Step) -> None:
    """Give method ``method_key`` its own version of the steps ``own`` (matched by their keys)."""
    for s in own:
        OWN[method_key, s.key] = s


# Position-sensitive RoIAlign (roi_viz.methods.PSROI): RoIAlign's points, then each bin's own channel, its output.
from .figures import psroi as dps  # noqa: E402  (kept beside the steps it draws)
from .lesson import psroi_words  # noqa: E402

register(
    "psroi",
    Step("sampling", N_("Bins and sampling points"), dps.describe_sampling, psroi_words.step_sampling, picks="point"),
    Step("bilinear", N_("One point, four cells"), dps.describe_bilinear, psroi_words.step_bilinear, picks="point"),
    Step("groups", N_("Each bin reads its own channel"), dps.describe_groups, psroi_words.step_groups, own_alt=True),
    Step("output", N_("Output and coverage"), dps.describe_output, psroi_words.step_output),
)

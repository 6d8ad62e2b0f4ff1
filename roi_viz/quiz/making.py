"""Making a question: a level's settings, a seeded random RoI, and the bin, point or cell asked about.

A question depends only on ``(seed, level, settings)``: the RoI and the choices
come from Python's :class:`random.Random` seeded with a string built from them,
whose sequence Python keeps stable across versions, so a seed in a link gives
the same question anywhere.
"""
from __future__ import annotations

import random

import numpy as np

from ..state.options import QUIZ_LEVELS
from ..state.settings import ARTICLE, FAST_RCNN, Settings
from ..methods import METHODS, method
from .asks import asks_for, interior
from .model import Question
from .run import run_method

LEVELS = tuple(QUIZ_LEVELS)  # "starter", "fastrcnn", "beyond": the one list, in state.options
LEVEL_TITLES = {key: title for key, (_, title) in QUIZ_LEVELS.items()}


def beyond_methods() -> tuple[str, ...]:
    """The methods of the level "beyond": those whose bins are not whole cells, in the registry's order."""
    return tuple(k for k, m in METHODS.items() if not m.whole_cell_bins)


def level_settings(level: str, settings: Settings | None = None, rng: random.Random | None = None) -> Settings:
    """The settings a level's questions use.

    - ``starter``: the article's setting, whatever the page shows (that is the point of it);
    - ``fastrcnn``: Fast R-CNN's preset at the page's input size;
    - ``beyond``: the page's settings when its method is RoIAlign, RoIWarp or PrRoI
      (its layer, output size and options are what the student is looking at);
      otherwise one of the three, picked by ``rng`` (RoIAlign without it).

    Fields that do not change any number asked (channel, mean view) are reset, so
    they do not change the question either.
    """
    check_level(level)
    base = settings or Settings()
    if level == "starter":
        return Settings(**ARTICLE)
    if level == "fastrcnn":
        return Settings(input_size=base.input_size, **FAST_RCNN)
    # The quiz asks about one map: VGG16's, whatever network the page shows (its questions name a layer's grid).
    base = base.with_(channel=None, mean_view=False, network="vgg16")
    beyond = beyond_methods()
    if base.method in beyond:
        return base
    return base.with_(method=rng.choice(beyond) if rng else beyond[0])


def make_question(seed: int, level: str, settings: Settings | None = None) -> Question:
    """A random RoI for ``level`` and the asks about it. Same arguments, same question.

    Args:
        seed: a whole number ``>= 0`` (the page puts it in the link).
        level: one of :data:`LEVELS`.
        settings: the page's current settings; see :func:`level_settings` for what each level takes from them.

    The RoI is whole pixels, inside the image and at least two cells a side. The
    starter level keeps at least as many cells as bins on each side after rounding
    down (so the split is never empty), and sometimes puts an edge on the grid (a
    whole projected number) or makes the box divide evenly (nothing dropped).
    Fast R-CNN's level sometimes puts a corner on a half cell (halves round away
    from zero), makes the box narrower than the bins (bins overlap), or lets it
    touch the right or bottom edge (the end cell lies past the map).
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"The seed must be a whole number of 0 or more; got {seed!r}.")
    check_level(level)
    # Seeded with a string: Python hashes it the same way in every version.
    rng = random.Random(f"roi-viz quiz {level} {int(seed)}")
    s = level_settings(level, settings, rng)
    draw = {"starter": _starter_roi, "fastrcnn": _fastrcnn_roi, "beyond": _beyond_roi}[level]
    for _ in range(100):
        roi = draw(rng, s)
        picks = _pick(rng, roi, s)
        if picks is not None:
            return Question(int(seed), level, s, roi, asks_for(roi, s, **picks))
    raise RuntimeError(f"No usable RoI for seed {seed} at {s.input_size} px; this is a bug.")  # pragma: no cover


def check_level(level: str) -> str:
    if level not in LEVELS:
        raise ValueError(f"The level must be one of {', '.join(LEVELS)}; got {level!r}.")
    return level


def _starter_roi(rng: random.Random, s: Settings) -> tuple[int, int, int, int]:
    S, st = s.input_size, s.stride
    ph, pw = s.output_size
    kind = rng.choices(("any", "grid", "even"), weights=(6, 2, 2))[0]

    def side(p: int) -> int:
        if kind == "even":  # whole cells a multiple of the bins: nothing is dropped by the split
            cells = p * rng.randint(1, (S // st) // p)
            return min(cells * st + rng.randrange(st), S)
        return rng.randint(p * st, min(S, 12 * st))  # at least p whole cells after rounding down

    w, h = side(pw), side(ph)
    x, y = rng.randint(0, S - w), rng.randint(0, S - h)
    if kind == "grid":  # an edge on a cell boundary: that number projects to a whole one, nothing lost there
        x = st * (x // st)
        if rng.random() < 0.5:
            y = st * (y // st)
    return x, y, w, h


def _fastrcnn_roi(rng: random.Random, s: Settings) -> tuple[int, int, int, int]:
    S, st = s.input_size, s.stride
    kind = rng.choices(("any", "half", "narrow", "edge"), weights=(5, 2, 2, 1))[0]
    top = 6 * st if kind == "narrow" else min(S, 16 * st)  # narrow: fewer cells than bins, so bins overlap
    w, h = rng.randint(3 * st, top), rng.randint(3 * st, top)
    x, y = rng.randint(0, S - w), rng.randint(0, S - h)
    if kind == "half" and S - w >= st:  # the corner projects to k + 0.5, which rounds up (away from zero)
        x = st * (x // st) + st // 2
        x = x if x <= S - w else x - st
    if kind == "edge":  # the far corner on the edge: its cell is the map's width, cut off
        x, y = (S - w, y) if rng.random() < 0.5 else (x, S - h)
    return x, y, w, h


def _beyond_roi(rng: random.Random, s: Settings) -> tuple[int, int, int, int]:
    S, st = s.input_size, s.stride
    w, h = rng.randint(2 * st, max(2 * st, 3 * S // 4)), rng.randint(2 * st, max(2 * st, 3 * S // 4))
    return rng.randint(0, S - w), rng.randint(0, S - h), w, h


def _pick(rng: random.Random, roi, s: Settings) -> dict | None:
    """The bin, point or cell an ask is about; ``None`` when this RoI has none worth asking."""
    ph, pw = s.output_size
    rec = method(s.method)
    if rec.whole_cell_bins:
        if s.scheme == "article":
            return {}
        t = run_method(roi, s)
        bins = [(i, j) for i in range(ph) for j in range(pw) if not t.empty_bins[i, j]]
        return {"focus": (*rng.choice(bins), 0)} if bins else None
    t = run_method(roi, s)
    i, j = rng.randrange(ph), rng.randrange(pw)
    if rec.integrates:
        share = t.weight_map(i, j)
        # A cell that counts for something: at least half as much as the cell that counts most.
        cells = [tuple(int(v) for v in rc) for rc in np.argwhere(share >= 0.5 * share.max())] if share.max() > 0 else []
        return {"focus": (i, j, 0), "cell": rng.choice(cells)} if cells else None
    points = [k for k in range(t.points_per_bin) if interior(t, i, j, k)]
    return {"focus": (i, j, rng.choice(points))} if points else None

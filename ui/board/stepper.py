"""Previous / Next / the step picker as one small component that keeps the step in the browser.

Each click or key sends the *target step* as a state value (not a trigger), so quick
clicks are never lost when Streamlit folds reruns: five Next clicks 33 ms apart land five
steps on. Keys: ← and → anywhere on the page (not while typing in a field); with
``presenter=True`` also PageUp / PageDown, which a presentation clicker sends.

The exchange mirrors the board's (see :mod:`ui.board`): Python passes the step it shows
and a ``revision``; the stepper adopts that step only when the revision changes (a link,
a new method), and its value is used only when it was made on the current revision.
Steps are numbered from 1.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Sequence

import streamlit as st

from roi_viz.language import _

from .wire import UNPACK_JS, packed

HERE = Path(__file__).resolve().parent


def words() -> dict:
    """Every word the stepper's script shows or announces, in the language shown; ``{n}``, ``{steps}`` and
    ``{title}`` are filled in by the script."""
    return {"group": _("Steps of the lesson"), "previous": _("◀ Previous"), "previous_label": _("Previous step"),
            "next": _("Next ▶"), "next_label": _("Next step"), "picker": _("Step"), "option": _("Step {n}"),
            "option_titled": _("Step {n}: {title}"), "status": _("Step {n} of {steps}")}


@lru_cache(maxsize=1)
def _component():
    return st.components.v2.component(
        "roi_viz.stepper", css=(HERE / "stepper.css").read_text(), js=UNPACK_JS + (HERE / "stepper.js").read_text()
    )


def stepper(
    step: int,
    steps: int,
    *,
    titles: Sequence[str] | None = None,
    revision: int = 0,
    presenter: bool = False,
    picker: bool = True,
    key: str = "roi_stepper",
) -> int:
    """Show the step controls; return the step the student asked for (``1..steps``).

    Args:
        step: the step Python shows, ``1..steps``.
        steps: how many steps the lesson has.
        titles: optional ``steps`` titles for the picker ("Step 3: Quantize").
        revision: bump it to make the stepper adopt ``step``.
        presenter: PageUp / PageDown step too.
        picker: show the stepper's own step picker (off where the page has one).
        key: the Streamlit key.

    Raises:
        ValueError: a sentence naming the bad argument.
    """
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 1:
        raise ValueError(f"The number of steps must be a whole number of at least 1; got {steps!r}.")
    if isinstance(step, bool) or not isinstance(step, int) or not 1 <= step <= steps:
        raise ValueError(f"The step must be a whole number from 1 to {steps}; got {step!r}.")
    if titles is not None and len(titles) != steps:
        raise ValueError(f"There must be one title per step: {steps} steps, {len(titles)} titles.")
    data = {"key": key, "step": step, "steps": steps, "titles": list(titles or []), "revision": revision, "presenter": bool(presenter),
            "picker": bool(picker), "words": words()}
    raw = _component()(key=key, data=packed(data), on_step_change=lambda: None).get("step")
    if isinstance(raw, dict) and raw.get("revision") == revision and isinstance(raw.get("step"), int):
        return min(max(raw["step"], 1), steps)
    return step

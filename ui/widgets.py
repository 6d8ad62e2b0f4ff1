"""How widgets write the state, and how the page speaks when something goes wrong.

The rule for widget keys: a widget's key carries its revision (:func:`wkey`).
When its value is changed from elsewhere (a preset, Next, a box drawn), the
revision is bumped (:func:`refresh`), so the widget is drawn afresh with the new
value instead of having its key rewritten under it. A callback from a widget
drawn before such a change is stale and is dropped (:func:`from_widget`).

Nothing a student does shows a traceback: callbacks turn failures into a notice
(:func:`callback`), drawing code into a sentence (:func:`guarded`). Notices may
quote a link, a file's name or a typed answer, so they are plain text (:func:`say`).
"""
from __future__ import annotations

import functools
import hashlib
import html
import sys
import traceback

import streamlit as st

from roi_viz.language import _
from roi_viz.state.rois import RoIError

from .session import session


# What a screen reader does with a notice (WCAG 2.1, 4.1.3): a warning or an error interrupts ("alert"),
# information waits for a pause ("status"). Both are live regions: the notice is read out when it appears.
ROLES = {"error": "alert", "warning": "alert", "info": "status"}


def notice_html(text: str, kind: str) -> str:
    """The notice's element: ``text`` escaped, so every character is shown as itself and none is markup.

    One ``<div>`` with the notice's role and nothing else inside it but the text: a ``<`` in a link's
    value arrives as ``&lt;`` and is displayed as "<", never read as a tag (DOMPurify, which Streamlit
    runs on ``st.html``, would be a second net, not the first).
    """
    return f'<div class="roi-notice" role="{ROLES.get(kind, "status")}">{html.escape(text, quote=True)}</div>'


def say(text: str, kind: str = "warning", where=None) -> None:
    """A notice whose words may come from a link, a file or a student: shown as plain text, announced.

    ``st.warning`` and its kin read their body as Markdown, so a link's value
    could plant a clickable link, an outside image or coloured text in the
    page's own warning box; and ``st.text``, which interprets nothing, cannot
    carry a role, so a screen reader never heard it. The notice is therefore
    its own escaped element (:func:`notice_html`) with ``role="alert"``
    (warning, error) or ``role="status"`` (info); the box around it is the
    page's CSS (``ui.style``), keyed by ``kind``.
    """
    box = (where or st).container(key=f"notice-{kind}-{hashlib.sha1(text.encode()).hexdigest()[:12]}")
    box.html(notice_html(text, kind))


def callback(fn):
    """Callbacks run before the page is drawn: a failure becomes a notice, never Streamlit's error box."""
    @functools.wraps(fn)
    def run(*args, **kwargs):
        try:
            fn(*args, **kwargs)
        except (ValueError, RoIError) as exc:
            session().notice = f"⚠ {exc}"
        except Exception as exc:  # noqa: BLE001
            traceback.print_exc(file=sys.stderr)
            session().notice = "⚠ " + _("That change could not be applied ({error}); the page kept its state.").format(
                error=type(exc).__name__)
    return run


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
            # The button is named as the sidebar shows it; the error's name and text stay as Python wrote them.
            say(_("Something went wrong while drawing this part of the page. Your settings are kept: try another "
                  "RoI or step, or press “{button}” in the sidebar. ({error}: {detail})").format(
                    button=_("↺ Article example"), error=type(exc).__name__, detail=exc), "error")
    return run


def wkey(name: str) -> str:
    """A widget key that changes whenever the state it shows was changed from elsewhere.

    A callback that runs inside a fragment refreshes only that fragment's
    widgets (:func:`refresh`): the others are not redrawn and keep their keys.
    """
    r = session().revisions
    return f"{name}:{r.widgets}.{r.fresh.get(name, 0)}"


def refresh(*names: str) -> None:
    fresh = session().revisions.fresh
    for name in names:
        fresh[name] = fresh.get(name, 0) + 1


def redraw_all() -> None:
    """A whole-page change (a preset, another method): every widget is drawn afresh."""
    session().revisions.widgets += 1


@callback
def from_widget(key: str, write) -> None:
    """A widget's callback: hand its new value to ``write``.

    A widget drawn before the state changed elsewhere in the same click (a
    preset, Next) is stale: the other change wins and this value is dropped.
    """
    if key == wkey(key.rsplit(":", 1)[0]) and key in st.session_state:
        write(st.session_state[key])


def bound(name: str, write) -> dict:
    """The keyword arguments that tie a widget to the state: its revised key and its callback."""
    key = wkey(name)
    return {"key": key, "on_change": from_widget, "args": (key, write)}

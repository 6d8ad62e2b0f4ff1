"""The page's language: chosen per student, switched in the sidebar, said to the browser.

Which language a run speaks (:func:`shown`): the student's choice, kept in the session's
:class:`~ui.session.Place` (the link's ``lang=``, or the sidebar's switch), else the browser's language
(``navigator.language``, which Streamlit reports as ``st.context.locale``, then the request's
``Accept-Language``), else English. The library's :func:`roi_viz.language._` asks :func:`shown` for every
word drawn in a Streamlit run (this module registers it on import), so every thread, that is every
student, speaks its own language.

A choice is written into the link only when the student made one (``lang=`` or the switch): a link with
no ``lang`` lets each reader's browser choose.

Streamlit's page says ``<html lang="en">`` whatever it shows; :func:`mark_page` sets the attribute to the
language shown from a tiny component (``st.components.v2``, no iframe), so a screen reader reads Chinese
with a Chinese voice and a browser offers no translation into the language already shown.
"""
from __future__ import annotations

import threading
from functools import lru_cache

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from roi_viz import language
from roi_viz.language import LANGUAGES, TAGS, _

from .session import KEY, session
from .widgets import bound, redraw_all


BROWSER_KEY = "roi-viz-browser-language"  # st.session_state: the browser's answer, read once per session


def browser() -> str | None:
    """The language offered that this student's browser asks for, or ``None``."""
    if BROWSER_KEY in st.session_state:
        return st.session_state[BROWSER_KEY]
    accept = st.context.headers.get("Accept-Language") if st.context.headers else None
    found = language.from_browser(st.context.locale, accept)
    if st.context.locale is not None:  # the browser has spoken: every later word of the session asks no further
        st.session_state[BROWSER_KEY] = found
    return found


def shown() -> str:
    """The language this run speaks: the student's choice, else the browser's, else English."""
    s = st.session_state.get(KEY)
    chosen = s.place.language if s is not None else None
    return chosen or browser() or language.SOURCE


# Per script thread: the run last answered (its context's ``cursors``, a dict Streamlit makes anew at every run),
# the student's session and the browser's answer. Reading ``st.session_state`` costs tens of microseconds, and a run
# asks for a few hundred words; the choice itself is read from the session at every word, so a switch or a link's
# ``lang`` read in the middle of a run is heard at once.
_this_run = threading.local()


def _in_a_run() -> str | None:
    # Asked for every word: outside a Streamlit run (a test, the command line) this module knows nothing. A widget's
    # format_func may be called outside the run (AppTest does): its words are looked up while the run draws it.
    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is None:
        return None
    seen = getattr(_this_run, "seen", None)
    if seen is None or seen[0] is not ctx.cursors:
        s = st.session_state.get(KEY)
        if s is None:  # no session yet (its link is being read): ask again at the next word
            return shown()
        seen = _this_run.seen = (ctx.cursors, s, browser())
    return seen[1].place.language or seen[2] or language.SOURCE


language.set_resolver(_in_a_run)


def choose(lang: str) -> None:
    """The student chose ``lang``: kept in the session and the link, every widget drawn afresh in it."""
    session().place.language = lang
    redraw_all()


def switch() -> str:
    """The sidebar's language switch (English / 中文, each named in itself); returns the language shown."""
    lang = shown()
    keys = list(LANGUAGES)
    st.sidebar.radio(_("Language"), keys, index=keys.index(lang), format_func=LANGUAGES.get, horizontal=True,
                     help=_("The page's words, in English or in Chinese. The link keeps the choice."),
                     **bound("language", choose))
    return lang


JS = """
export default function (component) {
  // The page's own <html>: the component is no iframe, so this is the document the student reads.
  if (document.documentElement.lang !== component.data.lang) {
    document.documentElement.lang = component.data.lang;
  }
}
"""


@lru_cache(maxsize=1)
def _component():
    return st.components.v2.component("roi_viz.lang", js=JS)


def mark_page() -> None:
    """Say the language shown in ``<html lang>`` (BCP 47: ``en``, ``zh-Hans``).

    Mounted in the sidebar: in the lesson's column even an empty element takes a row's gap, which pushed
    presenter mode's figures past the bottom of a 1080-px screen. The sidebar is drawn (folded) on a slide too."""
    language.set_resolver(_in_a_run)  # every run: whatever another caller set, the page reads its student's choice
    with st.sidebar:
        _component()(key="page-lang", data={"lang": TAGS[shown()]})

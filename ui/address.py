"""What the address bar said before Streamlit read it: a link too long for the server.

Streamlit empties a query string of more than 1,000 parameters (or 512 KiB) before
the page runs, so such a link would open the article's example without a word. The
server never sees what was dropped; the browser still has it: the first navigation's
address (``performance.getEntriesByType("navigation")``), which stays as opened after
the page rewrites its own address. A tiny component (``st.components.v2``, no iframe)
sends it back, only when it is over the limits, as a state value; the library's
:func:`roi_viz.link.dropped_query` turns it into a sentence.
"""
from __future__ import annotations

from functools import lru_cache

import streamlit as st

from roi_viz.link import QUERY_MAX_CHARS, QUERY_MAX_FIELDS, dropped_query

JS = """
const asked = new WeakSet(); // one look per mounted probe: the address is read once

export default function (component) {
  const { data, setStateValue, parentElement } = component;
  if (asked.has(parentElement)) return;
  asked.add(parentElement);
  const nav = performance.getEntriesByType("navigation")[0];
  const search = nav ? new URL(nav.name).search : window.location.search;
  const q = search.startsWith("?") ? search.slice(1) : search;
  // Only a link the server could not read is sent: an ordinary one costs nothing.
  if (q.length > data.max_chars || q.split("&").length > data.max_fields) {
    setStateValue("query", q);
  }
}
"""


@lru_cache(maxsize=1)
def _component():
    return st.components.v2.component("roi_viz.address", js=JS)


def dropped_link_sentence() -> str:
    """A sentence if the link this page was opened with was too long for the server to read; else ``""``."""
    result = _component()(key="address-probe", data={"max_chars": QUERY_MAX_CHARS, "max_fields": QUERY_MAX_FIELDS},
                          on_query_change=lambda: None)
    raw = result.get("query")
    return dropped_query(raw) if isinstance(raw, str) else ""


def page_address() -> str:
    """The page's address as this browser opened it, without its query string (``http://host:port/path``);
    ``""`` before the browser has said it. Students reach the server by this name only if they are on the
    same network under the same name: ``localhost`` on a laptop is not it (see ``roi_viz.state.share``)."""
    return st.context.url or ""

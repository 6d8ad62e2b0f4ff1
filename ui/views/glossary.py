"""The glossary under every view: each term the lesson uses, one line each."""
from __future__ import annotations

import streamlit as st


def render() -> None:
    """For a student who has read the article and nothing else."""
    from roi_viz.language import _
    from roi_viz.lesson.glossary import entries

    with st.expander(_("Glossary: the words of this page")):
        # TRANSLATORS: one line of the glossary (Markdown: the term in bold); Chinese takes a full-width colon.
        line = _("**{term}**: {meaning}")
        st.markdown("\n".join("- " + line.format(term=term, meaning=meaning) for term, meaning in entries()))

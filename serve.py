"""roi-viz's server: ``streamlit run serve.py`` serves the page (``app.py``) as ``streamlit run app.py`` does, and
two things more, for a class arriving at once:

- as it starts, it makes what the first screen waits for: torch imported, VGG16 built, the sample photo's feature
  map computed (:func:`ui.cache.prepare_first_view`). A teacher who starts the server before the class arrives, or
  a server restarted, has them ready; ``ROI_VIZ_WARM_UP=0`` leaves them to the first visit;
- Streamlit's own page files go out from memory and gzipped (:mod:`ui.page_files`): 1.6 MB a student instead of
  3.6 MB on the school's Wi-Fi, and a third of the server's time per student opening the page.

Streamlit's ``st.App`` runs ``app.py`` as a script, as ever; its lifespan and middleware are the hooks a server has.
"""
from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware

from ui.page_files import PageFiles


@asynccontextmanager
async def lifespan(_app):
    from ui import cache

    cache.prepare_first_view()  # in a thread: the server answers at once
    yield


app = st.App(Path(__file__).with_name("app.py"), lifespan=lifespan, middleware=[Middleware(PageFiles)])

"""The board and the stepper in the language the link names, for the browser tests of their words.

Query parameters: ``lang`` (``en`` or ``zh``, default en), ``method`` (default pool), ``scheme`` (article,
fastrcnn), ``aligned=1``, ``pyramid=1`` (ResNet-50-FPN's levels of the 512 x 512 photo), ``box`` (``x,y,w,h``,
default the article's), ``read_only=1`` (the quiz's board). The language is set with
:func:`roi_viz.language.using` around the whole run, as the page's resolver sets it for a student.
"""
import io

import numpy as np
import streamlit as st
from PIL import Image

from roi_viz.language import LANGUAGES, using
from ui.board import board, pyramid_of
from ui.board.stepper import stepper

st.set_page_config(page_title="board words", layout="wide")
q = st.query_params
lang = q.get("lang", "en")


@st.cache_data
def picture() -> bytes:
    """A 512 x 512 gradient: a photo the board can draw on."""
    yy, xx = np.mgrid[0:512, 0:512]
    arr = np.stack([xx // 2, yy // 2, (xx + yy) % 256], -1).astype(np.uint8)
    buf = io.BytesIO()
    Image.fromarray(arr, "RGB").save(buf, format="PNG")
    return buf.getvalue()


ss = st.session_state
ss.setdefault("boxes", [[int(v) for v in q.get("box", "296,192,200,145").split(",")]])
ss.setdefault("seq", None)
ss.setdefault("step", 1)
ss.setdefault("runs", 0)
ss.runs += 1

with using(lang if lang in LANGUAGES else "en"):
    left, right = st.columns([2, 3])
    with left:
        value = board(picture(), boxes=ss.boxes, active=0, revision=0, method=q.get("method", "pool"),
                      scheme=q.get("scheme", "article"), aligned=q.get("aligned") == "1",
                      pyramid=pyramid_of((512, 512)) if q.get("pyramid") == "1" else None,
                      read_only="(fixed)" if q.get("read_only") == "1" else "",
                      key="words_board")
        if value is not None and value.seq != ss.seq:
            ss.boxes, ss.seq = [list(b) for b in value.boxes], value.seq
    with right:
        ss.step = stepper(ss.step, 4, titles=["one", "two", "three", "four"])
        st.text(f"RUNS {ss.runs}")

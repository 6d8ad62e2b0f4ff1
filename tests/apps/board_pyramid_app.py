"""The board on a feature pyramid (``pyramid=pyramid_of(...)``), for the browser tests of its live level.

Query parameters: ``method`` (default align), ``out`` (bins per side, default 7), ``ratio`` (default 2: as
torchvision's Faster R-CNN pools), ``box`` (``x,y,w,h`` of the one box shown first, default ``20,20,60,60``),
``size`` (``WxH`` of the photo, default 512x512). It prints what Python holds (``PY {...}``) and the level
Python's rule gives the followed box (``LEVEL P3 8``: name and stride, from :func:`roi_viz.ops.fpn_level`).
"""
import io
import json

import numpy as np
import streamlit as st
from PIL import Image, ImageDraw

from roi_viz.ops import fpn_level
from ui.board import board, pyramid_of

st.set_page_config(page_title="board on a pyramid", layout="wide")
q = st.query_params
W, H = (int(v) for v in q.get("size", "512x512").split("x"))
out = int(q.get("out", "7"))


@st.cache_data
def picture(w: int, h: int) -> bytes:
    """A photo-like PNG: a gradient, a disc and a bar."""
    yy, xx = np.mgrid[0:h, 0:w]
    arr = np.stack([xx * 255 // max(w - 1, 1), yy * 255 // max(h - 1, 1), (xx + yy) % 256], -1).astype(np.uint8)
    img = Image.fromarray(arr, "RGB")
    d = ImageDraw.Draw(img)
    d.ellipse((w * 0.55, h * 0.35, w * 0.9, h * 0.75), fill=(240, 230, 220))
    d.rectangle((w * 0.1, h * 0.1, w * 0.3, h * 0.8), fill=(40, 60, 90))
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


ss = st.session_state
ss.setdefault("boxes", [[int(v) for v in q.get("box", "20,20,60,60").split(",")]])
ss.setdefault("active", 0)
ss.setdefault("seq", None)
ss.setdefault("runs", 0)
ss.runs += 1

st.title("The board on a feature pyramid")
pyramid = pyramid_of((W, H))
left, right = st.columns([2, 3])
with left:
    value = board(picture(W, H), boxes=ss.boxes, active=ss.active, revision=0, output_size=(out, out),
                  method=q.get("method", "align"), sampling_ratio=int(q.get("ratio", "2")), pyramid=pyramid,
                  key="pyramid_board")
    if value is not None and value.seq != ss.seq:
        ss.boxes, ss.active, ss.seq = [list(b) for b in value.boxes], value.active, value.seq
with right:
    _, _, w, h = ss.boxes[ss.active]
    k = fpn_level(w, h)
    i = pyramid["levels"].index(k)
    st.text("PY " + json.dumps({"boxes": ss.boxes, "active": ss.active, "seq": ss.seq}))
    st.text(f"LEVEL {pyramid['names'][i]} {pyramid['strides'][i]}")
    st.text(f"RUNS {ss.runs}")

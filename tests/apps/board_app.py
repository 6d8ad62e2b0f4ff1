"""A tiny page around the board and the stepper, for the browser tests and the bench.

Query parameters: ``method`` (pool, align, warp, prroi), ``scheme`` (article, fastrcnn),
``size`` (``WxH`` of the photo, default 512x512), ``stride``, ``out``, ``presenter=1``.
It prints what Python holds (``PY {...}``, ``STEP n``) so a test can read it.
"""
import json

import numpy as np
import streamlit as st
from PIL import Image, ImageDraw

from ui.board import board
from ui.board.stepper import stepper

st.set_page_config(page_title="board test", layout="wide")
q = st.query_params
W, H = (int(v) for v in q.get("size", "512x512").split("x"))
out = int(q.get("out", "3"))


@st.cache_data
def picture(w: int, h: int) -> bytes:
    """A photo-like PNG with structure: a gradient, a disc and a bar."""
    yy, xx = np.mgrid[0:h, 0:w]
    arr = np.stack([xx * 255 // max(w - 1, 1), yy * 255 // max(h - 1, 1), (xx + yy) % 256], -1).astype(np.uint8)
    img = Image.fromarray(arr, "RGB")
    d = ImageDraw.Draw(img)
    d.ellipse((w * 0.55, h * 0.35, w * 0.9, h * 0.75), fill=(240, 230, 220))
    d.rectangle((w * 0.1, h * 0.1, w * 0.3, h * 0.8), fill=(40, 60, 90))
    import io
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


ss = st.session_state
ss.setdefault("boxes", [[296, 192, 200, 145]] if (W, H) == (512, 512) else [[W // 3, H // 3, W // 4, H // 4]])
ss.setdefault("active", 0)
ss.setdefault("rev", 0)
ss.setdefault("seq", None)
ss.setdefault("step", 1)
ss.setdefault("runs", 0)
ss.runs += 1

left, right = st.columns([2, 3])
with right:
    if st.button("Preset: the article's box"):
        ss.boxes, ss.active, ss.rev = [[296, 192, 200, 145]], 0, ss.rev + 1
with left:
    value = board(picture(W, H), boxes=ss.boxes, active=ss.active, revision=ss.rev,
                  stride=int(q.get("stride", "32")), output_size=(out, out), method=q.get("method", "pool"),
                  scheme=q.get("scheme", "article"), sampling_ratio=int(q.get("ratio", "2")),
                  aligned=q.get("aligned") == "1")
    if value is not None and value.seq != ss.seq:
        ss.boxes, ss.active, ss.seq = [list(b) for b in value.boxes], value.active, value.seq
with right:
    ss.step = stepper(ss.step, 8, titles=[f"part {k}" for k in range(1, 9)], presenter=q.get("presenter") == "1")
    st.text("PY " + json.dumps({"boxes": ss.boxes, "active": ss.active, "seq": ss.seq, "rev": ss.rev}))
    st.text(f"STEP {ss.step}")
    st.text(f"RUNS {ss.runs}")

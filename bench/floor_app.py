"""The floor page for ``bench/bench_page.py``: the least a Streamlit page can do for one click.

    streamlit run bench/floor_app.py

A title, a "Next ▶" button and one 600 x 600 PNG inside ``st.container(key="step-figure")``,
as the real page shows its step figure. Six different PNGs are made once per process, at
import; each click shows the next one, so the browser loads a new image per click, like the
real page does. What a click costs here (a rerun, a websocket round trip, one image load)
is the floor no page can go under; the bench compares the real page's actions to it.
"""
from __future__ import annotations

import io

import numpy as np
import streamlit as st
from PIL import Image, ImageDraw

SIZE = 600
N_IMAGES = 6


@st.cache_resource(show_spinner=False)
def pngs() -> list[bytes]:
    """Six different 600 x 600 PNGs, made once per process: coloured noise in 20 px blocks and a number.

    Blocks, not pixel noise: the PNGs weigh tens of kB, as the real page's line-art figures do,
    rather than a megabyte that would make the floor slower than any real figure.
    """
    rng = np.random.default_rng(0)
    out = []
    for k in range(N_IMAGES):
        blocks = rng.integers(0, 256, (SIZE // 20, SIZE // 20, 3), dtype=np.uint8)
        img = Image.fromarray(blocks.repeat(20, axis=0).repeat(20, axis=1), "RGB")
        ImageDraw.Draw(img).text((SIZE // 2 - 20, SIZE // 2 - 20), str(k + 1), fill=(255, 255, 255),
                                 font_size=96)
        buf = io.BytesIO()
        img.save(buf, format="PNG")
        out.append(buf.getvalue())
    return out


IMAGES = pngs()  # at import: the first page view does not pay for them


def next_image() -> None:
    st.session_state.shown = (st.session_state.get("shown", 0) + 1) % N_IMAGES


st.title("Floor page")
st.button("Next ▶", on_click=next_image)
with st.container(key="step-figure"):
    st.image(IMAGES[st.session_state.get("shown", 0)], width=SIZE)

"""The protocol client's settings: timeouts, pace, and what marks a step, a figure and its container."""
from __future__ import annotations

import os
import re
from pathlib import Path


STATIC_DIR = Path(__import__("streamlit").__file__).resolve().parent / "static"

TRACE = os.environ.get("ROI_VIZ_PROTO_TRACE")  # a file: every message of every session, for debugging
TIMEOUT_S = float(os.environ.get("ROI_VIZ_LOAD_TIMEOUT_MS", 120_000)) / 1000
MACHINE_GAP_S = 0.030  # --machine-pace: the gap between two clicks
IDLE_QUIET_S = 0.030  # after the heartbeat's ack, no run may start for this long
IDLE_GRACE_S = 2.0  # a rerun sent, acknowledged, and still no run: the server dropped it
REST_RATE = 0.015  # server CPU seconds per second below which it is at rest between rounds
HTTP_CONNECTIONS = 6  # per session, as a browser per origin
NEXT_CLICKS = 5
FLOOR_IMAGES = 6  # bench/floor_app.py's N_IMAGES
FIRST_STEP, LAST_STEP = 1, 1 + NEXT_CLICKS
BROWSER_CONTEXT = dict(timezone="UTC", timezone_offset=0, locale="en-US", is_embedded=False, color_scheme="light")
# Element types whose code the frontend loads lazily under another name than CamelCase(type).
LAZY_ALIASES = {"imgs": "ImageList"}
HEADING = re.compile(r"^### Step (\d+):")
IMG_SRC = re.compile(r'<img\b[^>]*\bsrc="([^"]*)"')
FIGURE_MARK = 'class="roi-figure"'  # ui/figure.py show: a figure not described yet, an <img> of this class in st.html
FIGURE_COMPONENT = "roi_viz.figure"  # ui/figure.py show_drawing: a described figure, inline SVG in this component
STEP_FIGURE_KEY = "-step-figure"  # the walkthrough's container of the step figure: its block id ends with its key
DRAW_WINDOW_S = 3.0  # --case draw: every student draws once within this many seconds of the others
# Distinct x values for all sessions of a run, so that no student finds another's figures in the
# cache (st.cache_data): x in [100, 312] (the 200 px wide box stays inside the 512 px input), not
# 296 (the default box), and not 200 + 3k (the values bench_load's students type).
X_VALUES = [x for x in range(100, 313) if x % 3 != 2]

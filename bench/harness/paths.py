"""Where the benches find the repository, the floor page and the profiling launcher."""
from __future__ import annotations

from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent
ROOT = BENCH.parent
FLOOR_APP = BENCH / "floor_app.py"  # the least a Streamlit click can cost: a button and a PNG
PROFILE_SERVER = BENCH / "profile_server.py"  # runs ``streamlit`` with cProfile in every thread

"""The page (``app.py``), or the board's test page (``?page=board``: ``board_app.py``), with a twin of each
method registered: the key ``"twin" + key`` (``twinpool``, ``twinalign``, ...), named "Twin of <name>", its
record the original's with a new key and name. Nothing else of the library or the page is changed, so whatever
the page shows for a twin it read from the record.
"""
import dataclasses
import runpy
from pathlib import Path

import streamlit as st

from roi_viz import methods

HERE = Path(__file__).resolve().parent
for key in ("pool", "align", "warp", "prroi"):
    if "twin" + key not in methods.METHODS:  # once per server: the records outlive a run
        rec = methods.METHODS[key]
        methods.register(dataclasses.replace(rec, key="twin" + key, name=f"Twin of {rec.name}",
                                             short=f"Twin {rec.short}"))

script = HERE / "board_app.py" if st.query_params.get("page") == "board" else HERE.parents[1] / "app.py"
runpy.run_path(str(script), run_name="__main__")

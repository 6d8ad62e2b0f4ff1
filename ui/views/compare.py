"""Compare the methods: all four on the followed RoI, side by side, with a table of their numbers."""
from __future__ import annotations

import streamlit as st

from .. import figure
from ..cache import scene_key


@st.cache_data(max_entries=128, show_spinner=False)
def compare_page(key: str, _scene, dpi: float) -> tuple[bytes, str]:
    """The comparison's figure and table at ``dpi`` (:func:`ui.figure.dpi`)."""
    from roi_viz import methods
    from roi_viz.draw.compare import fig_compare
    from roi_viz.draw.kit import to_png
    from roi_viz.lesson.words import compare_table

    traces = methods.run_all(_scene.features, _scene.rois[_scene.active], _scene.settings)
    table = compare_table(_scene, traces, methods.NAMES, methods.labels(traces))
    return to_png(fig_compare(_scene, traces, methods.METHODS), dpi), table


def render(scene, key: str) -> None:
    png, table = compare_page(scene_key(scene, key), scene, figure.dpi())
    figure.show(png, "PNG", "The four methods side by side on RoI "
                f"({', '.join(f'{v:g}' for v in scene.rois[scene.active])}): what each reads from the map, and its "
                "output for the channel shown. The table below gives every number of the figure.")
    st.markdown(table)
    st.caption("The sidebar's settings apply: rounding rule (RoI pooling, RoIWarp), sampling ratio and mode "
               "(RoIAlign, RoIWarp), aligned (RoIAlign, PrRoI), output size, channel.")

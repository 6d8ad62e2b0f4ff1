"""roi-viz: how RoI pooling turns an arbitrary box into a fixed-size tensor, and what it loses.

Packages, in the order the data flows (each imports only those above it):

- ``ops``: the arithmetic of the four methods, pure NumPy (``roi_viz.pooling`` re-exports it);
- ``model``: decoding images, the VGG16 weights and its feature map;
- ``receptive``: what one cell sees, its receptive field from VGG16's layers (and by a backward pass);
- ``lesson``: the user's settings, the scene a step is drawn from, the words of each step, the glossary;
- ``methods``: one record per method, pure (names, options, ``run``, labels, traits, the keys of its steps);
- ``quiz``: questions on a random RoI and their grading, from the methods' ``run`` (no drawing);
- ``draw``: the figures (Matplotlib), one function per step, and those of the quiz and the views below;
- ``walkthrough``: each method's steps as a title, a figure and its words;
- ``head``: after pooling, VGG16's own classifier for every RoI;
- ``rois``: the user's boxes (checks and the store the page keeps them in);
- ``export``: files for slides and handouts (PNG, PDF, GIF) and the numbers as JSON;
- ``cli``; the Streamlit page is ``app.py`` beside the package.
"""
from .pooling import AlignTrace, PoolTrace, PrRoITrace, prroi_pool, roi_align, roi_pool, roi_warp

__all__ = ["PoolTrace", "AlignTrace", "PrRoITrace", "roi_pool", "roi_align", "roi_warp", "prroi_pool"]

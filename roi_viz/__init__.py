"""roi-viz: how RoI pooling turns an arbitrary box into a fixed-size tensor, and what it loses.

The package in layers, bottom to top; a module imports only from its own layer or those below it, never above,
and no import goes round a loop (``tests/lib/test_layers.py`` reads every import and holds this):

- ground, ``ops``, ``model``, ``picture``, ``language``: the methods' arithmetic (NumPy), VGG16 and images, figures as
  data and their painters, the words' catalogs and the language in force;
- ``state``: what the page holds: settings, options and the lists offered, the scene, the boxes, uploads, share codes;
- ``methods``: one record per method, data only (names, options, ``run``, traits, the keys of its steps);
- ``study``: what the methods are studied with: the backward pass, the receptive field, the head, the proposals;
- ``lesson``: the words: of each step, the glossary, numbers as written, alt texts, training's and proposals' words;
- ``figures``: each figure described once as a drawing, from a scene and the words;
- ``walkthrough``: each method's steps as a title, a figure and its words;
- ``quiz``, ``export``, ``link``, ``cli``: questions and grading, files, the page's address, the command line;
- ``ui`` and ``app.py``, beside the package: the Streamlit page, on top.

This module re-exports the four methods from ``ops``.
"""
from .ops import AlignTrace, PoolTrace, PrRoITrace, prroi_pool, roi_align, roi_pool, roi_warp

__all__ = ["PoolTrace", "AlignTrace", "PrRoITrace", "roi_pool", "roi_align", "roi_warp", "prroi_pool"]

"""Each figure of the lesson described once, as a :class:`roi_viz.picture.spec.Drawing`.

A description decides everything a figure shows (what is drawn, where, in which marks,
with which words) from plain data, and imports no painting library; ``roi_viz.picture.svg``
paints it on the page and ``roi_viz.picture.mpl`` into files.

Every figure is described here: the walkthrough's steps (``steps``, ``sampling``), the
methods side by side and the sliding box (``compare``), the quiz's picture (``quiz``), what
a cell sees (``receptive``), after pooling (``head``), what the gradient reaches
(``training``) and the proposals (``proposals``); ``frame`` and ``look`` are their kit.
"""

"""Each figure of the lesson described once, as a :class:`roi_viz.picture.spec.Drawing`.

A description decides everything a figure shows (what is drawn, where, in which marks,
with which words) from plain data, and imports no painting library; ``roi_viz.picture.svg``
paints it on the page and ``roi_viz.picture.mpl`` into files.

So far: ``proposals`` (the worst and the best proposals on the photo) and ``compare`` (the
methods side by side, and the sliding box). The other figures are still drawn by
``roi_viz.draw`` with Matplotlib and move here one by one.
"""

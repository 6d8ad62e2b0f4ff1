"""Figures as data, and the two painters of that data.

- ``spec``: the vocabulary: a :class:`~roi_viz.picture.spec.Drawing` of panels, each of
  marks (photo, rectangles, lines, texts) in its own data coordinates;
- ``fonts``: the one font both painters use, measured without drawing (so a figure can
  decide whether a label fits when it is described);
- ``place``: where a mark lands in the drawing's pixels, the arithmetic both painters share;
- ``svg``: the page's painter (inline SVG: sharp at any zoom, every text a text element,
  a hover title on what has one, ``role="img"`` with the text alternative);
- ``mpl``: the files' painter (Matplotlib: PNG, PDF, GIF frames).

A figure of the lesson is *described* once (``roi_viz.figures``) and painted by either.
Nothing here knows a lesson, and nothing but ``mpl`` imports a painting library.
"""

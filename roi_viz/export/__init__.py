"""Exports for slides and handouts: one scene in, the bytes of a file out.

Every function takes a :class:`~roi_viz.state.scene.Scene` (built by
:func:`roi_viz.methods.build_scene`) and returns bytes that the page offers as
a download and the CLI writes to disk (``python -m roi_viz explain --pdf ...``).
Nothing here imports Streamlit or pyplot; figures are ``matplotlib.figure.Figure``.

What each file contains:

- :func:`figure_png`: one step's figure, as on the page, at slide resolution
  (150 dpi by default; the dpi is recorded in the PNG so slide software sizes
  it right).
- :func:`handout_pdf`: an A4 landscape PDF. Page 1: the settings that matter
  for the method (image, input size, layer and stride, method and its options,
  output size, every RoI, channel) and the key numbers (projected and quantized
  box, areas lost and gained, coverage of RoI pooling and of the method, the
  output for the channel), all taken from :func:`numbers`. Then one page per
  step of the method: its title, its figure and its words.
- :func:`walkthrough_gif`: an animated GIF, one frame per step of the method,
  each frame the step's figure under a band that says "Step k/n: title".
- :func:`slide_gif`: the sliding box as an animated GIF: the page's slide
  figure (:func:`~roi_viz.figures.compare.describe_slide`, painted: the followed output value,
  bin ``scene.focus[:2]``, channel ``scene.channel``, of every method, and its
  coverage) marked at each position in turn, with the values and coverages
  there printed. The numbers come from :func:`~roi_viz.ops.sliding.slide_roi`,
  as in the page's slide view.
- :func:`numbers`: the JSON of ``explain --json`` as a dict.

Functions that draw several frames or pages take ``progress(done, total)``,
called after each one (the page drives a progress bar with it).

Words: every file's words (the handout's, the GIFs' bands, the figures' text) are in
the language in force when it is made (:func:`roi_viz.language.current`: the
command line's ``--lang``, a page run's student's); :func:`figure_png`,
:func:`handout_pdf`, :func:`walkthrough_gif` and :func:`slide_gif` also take
``lang=`` for a file made outside the run that asked for it. The JSON's keys stay
English. Chinese is drawn in the project's CJK font (no tofu), and embedded in the
PDF as TrueType, searchable.

The package, one idea per module: :mod:`.numbers_json` (the JSON), :mod:`.render`
(a step's PNG, and drawing a figure to pixels), :mod:`.handout` (the PDF and its
typesetting), :mod:`.animations` (the GIFs).

Limits: every GIF is under 5 MB (:data:`MAX_GIF_BYTES`) and made in under
5 s on a 2-core CPU with the defaults, for the article's scene (512 input,
pool5, 3 x 3), Fast R-CNN's setting (conv5_3, 7 x 7, its rounding) and
RoIAlign. Measured: the walkthrough (60 dpi) 0.6-1.0 s and 0.2-0.35 MB, the
sliding box (16 frames of 12 x 8 inches at 64 dpi) 1.7-2.3 s and 0.10-0.11 MB,
the handout 1.1-1.4 s and 0.9-1.2 MB. ``tests/lib/test_export.py`` checks the
sizes and the frame and page counts; the times are measured, not tested.
"""
from __future__ import annotations

from .animations import MAX_GIF_BYTES, slide_gif, walkthrough_gif
from .handout import PAGE, handout_pdf
from .numbers_json import numbers
from .render import figure_png

__all__ = ["numbers", "figure_png", "handout_pdf", "walkthrough_gif", "slide_gif", "MAX_GIF_BYTES", "PAGE"]

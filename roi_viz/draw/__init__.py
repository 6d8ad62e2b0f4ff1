"""What is left of the Matplotlib figures, until each one is described (:mod:`roi_viz.figures`).

- ``kit``: type sizes, the projector's sizes and the PNG/JPEG encoders the files use;
- ``compare``: the comparison and the sliding box, painted from their descriptions for files;
- the views not yet described (the proposals' charts).
"""

"""The figures: a scene in, a Matplotlib figure out (no pyplot, no global state).

- ``kit``: type sizes, colours that read in greyscale, the cell grid, zoom windows, encoders;
- ``steps``: the steps of RoI pooling (and the two every method shares);
- ``sampling``: the steps of RoIAlign, RoIWarp and Precise RoI Pooling;
- ``compare``: every method side by side, and the sliding box.

Drawing never imports the words (``roi_viz.lesson.words``): a figure and its
text meet only in a method's record.
"""

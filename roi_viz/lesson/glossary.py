"""The words of the lesson, each explained in one line.

Written for a student who has read the article on RoI pooling and nothing
else. :data:`GLOSSARY` is the whole list (the page can show it in an
expander); :data:`INLINE` holds the short explanations the steps put in
brackets where a term first appears (:mod:`roi_viz.lesson.words` uses them
verbatim, and ``tests/lib/test_words_figures.py`` checks that they are there).

Terms and meanings are written in English and marked for the catalog (:mod:`roi_viz.language`); the
page shows them through :func:`entries`, in the language in force. A term that is a name in code or in
the papers (``pool5``, ``aligned=True``, ``RoIAlign``) is the same in every language and is not marked.
"""
from __future__ import annotations

from ..language import N_, _

GLOSSARY: dict[str, str] = {
    N_("RoI"): N_("Region of Interest: a box (x, y, w, h in pixels) that an earlier stage proposes as possibly holding an object."),
    N_("feature map"): N_("What the network makes of the image: a grid of cells, each holding one number per channel (512 for VGG16's last layers)."),
    N_("channel"): N_("One of the feature map's 512 grids; each responds to its own kind of pattern, and the steps show one at a time."),
    N_("cell"): N_("One position of the feature map's grid: a vector of 512 numbers, one per channel."),
    N_("order of numbers"): N_("A point is (x, y) and a box (x, y, w, h), across then down; a cell or bin is (row, column); a block of cells or bins is rows × columns (2 × 4: 2 rows of 4); a picture is width × height pixels."),
    N_("stride"): N_("How many input pixels lie between two neighbouring cells: 32 at pool5, 16 at conv5_3. It is the grid's spacing, not what a cell sees."),
    N_("receptive field"): N_("Every input pixel that can change a cell: about 212 × 212 pixels for a pool5 cell (196 × 196 at conv5_3), far more than its 32 × 32 square."),
    "pool5": N_("VGG16's fifth and last max-pooling layer, after its 13 convolutions: the article cuts the network there (stride 32)."),
    "conv5_3 + ReLU": N_("VGG16's last convolution and the ReLU after it (negatives become 0), just before pool5: Fast R-CNN cuts there (stride 16)."),
    N_("project"): N_("Divide the RoI's pixel numbers by the stride, to place it on the feature map's grid in cells; fractions stay."),
    N_("quantize"): N_("Snap a number to a whole cell (round it). RoI pooling does it twice: to the box, then to the bins' sizes."),
    N_("bin"): N_("One of the ph × pw pieces the box is cut into; each gives one output value per channel."),
    N_("max pooling"): N_("Keep the largest value inside a window (here: a bin), separately for each channel."),
    N_("empty bin"): N_("A bin with no cell in it: under the article's rule when the box is smaller than the output, under Fast R-CNN's rule only off the map. torchvision and Caffe write 0."),
    N_("coverage"): N_("The share of the RoI's area that lies inside some bin, so that it can reach the output at all."),
    N_("bilinear interpolation"): N_("Reading the map between cell centres: a weighted mean of the four nearest cells, nearer cells weighing more."),
    N_("sampling point"): N_("A place inside a bin where RoIAlign or RoIWarp reads the map by bilinear interpolation."),
    N_("sampling ratio"): N_("How many sampling points RoIAlign puts in each bin along each side (2 means 2 × 2); 0 or less lets the bin's size decide."),
    "aligned=True": N_("torchvision's RoIAlign option for the half-cell shift (here PrRoI has it too): a cell's value belongs to its centre, so half a cell is subtracted first."),
    N_("RoI pooling"): N_("Fast R-CNN's layer: snap the box to whole cells, split it into bins of whole cells, keep each bin's maximum."),
    "RoIAlign": N_("Mask R-CNN's fix for RoI pooling: no rounding at all; each bin is read at a few points by bilinear interpolation."),
    "Mask R-CNN": N_("The paper (He et al., 2017) that introduced RoIAlign; it allows either the mean or the maximum of a bin's points."),
    "RoIWarp": N_("MNC's layer (Dai et al., 2016): snap the box to whole cells, read it at points; it back-propagates the points' slope to the box, the rounding ignored."),
    N_("Precise RoI Pooling"): N_("PrRoI (Jiang et al., 2018): no rounding and no points; each bin's value is the exact average of the interpolated map over the bin."),
    N_("pyramid"): N_("A feature pyramid (FPN): one map per level, each half as fine as the last; torchvision's Faster R-CNN pools from P2 to P5 (strides 4 to 32)."),
    N_("level"): N_("One map of a pyramid: level k has stride 2^k px (P2: 4, P5: 32); a box is pooled from the level its size picks."),
    N_("regression target"): N_("The four numbers (tx, ty, tw, th) that move a proposal onto its ground-truth box; the box head learns to predict them."),
    N_("position-sensitive"): N_("R-FCN's pooling (Dai et al., 2016): channels come in one group per bin position, and each bin reads only its own group's channel, averaged; here VGG16's first channels stand in."),
}

# Where a term first appears in a step's words, this follows it in brackets.
INLINE: dict[str, str] = {  # marked for the catalog: the steps translate them where they are shown
    "pool5": N_("VGG16's fifth and last max-pooling layer, where the article cuts the network"),
    "conv5_3 + ReLU": N_("VGG16's last convolution and the ReLU after it, which turns negatives into 0; "
                         "Fast R-CNN cuts the network there, one pooling earlier than the article"),
    "sampling ratio": N_("the number of points per bin along each side"),
    "aligned=True": N_("the switch for this half-cell shift, named after torchvision's RoIAlign option"),
    "Mask R-CNN": N_("the paper that introduced RoIAlign"),
}


def entries() -> list[tuple[str, str]]:
    """Every ``(term, meaning)`` of :data:`GLOSSARY`, in its order, in the language in force."""
    return [(_(term), _(meaning)) for term, meaning in GLOSSARY.items()]

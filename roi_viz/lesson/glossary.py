"""The words of the lesson, each explained in one line.

Written for a student who has read the article on RoI pooling and nothing
else. :data:`GLOSSARY` is the whole list (the page can show it in an
expander); :data:`INLINE` holds the short explanations the steps put in
brackets where a term first appears (:mod:`roi_viz.lesson.words` uses them
verbatim, and ``tests/lib/test_words_figures.py`` checks that they are there).
"""
from __future__ import annotations

GLOSSARY: dict[str, str] = {
    "RoI": "Region of Interest: a box (x, y, w, h in pixels) that an earlier stage proposes as possibly holding an object.",
    "feature map": "What the network makes of the image: a grid of cells, each holding one number per channel (512 for VGG16's last layers).",
    "channel": "One of the feature map's 512 grids; each responds to its own kind of pattern, and the steps show one at a time.",
    "cell": "One position of the feature map's grid: a vector of 512 numbers, one per channel.",
    "order of numbers": "A point is (x, y) and a box (x, y, w, h), across then down; a cell or bin is (row, column); a block of cells or bins is rows × columns (2 × 4: 2 rows of 4); a picture is width × height pixels.",
    "stride": "How many input pixels lie between two neighbouring cells: 32 at pool5, 16 at conv5_3. It is the grid's spacing, not what a cell sees.",
    "receptive field": "Every input pixel that can change a cell: about 212 × 212 pixels for a pool5 cell (196 × 196 at conv5_3), far more than its 32 × 32 square.",
    "pool5": "VGG16's fifth and last max-pooling layer, after its 13 convolutions: the article cuts the network there (stride 32).",
    "conv5_3 + ReLU": "VGG16's last convolution and the ReLU after it (negatives become 0), just before pool5: Fast R-CNN cuts there (stride 16).",
    "project": "Divide the RoI's pixel numbers by the stride, to place it on the feature map's grid in cells; fractions stay.",
    "quantize": "Snap a number to a whole cell (round it). RoI pooling does it twice: to the box, then to the bins' sizes.",
    "bin": "One of the ph × pw pieces the box is cut into; each gives one output value per channel.",
    "max pooling": "Keep the largest value inside a window (here: a bin), separately for each channel.",
    "empty bin": "A bin with no cell in it: under the article's rule when the box is smaller than the output, under Fast R-CNN's rule only off the map. torchvision and Caffe write 0.",
    "coverage": "The share of the RoI's area that lies inside some bin, so that it can reach the output at all.",
    "bilinear interpolation": "Reading the map between cell centres: a weighted mean of the four nearest cells, nearer cells weighing more.",
    "sampling point": "A place inside a bin where RoIAlign or RoIWarp reads the map by bilinear interpolation.",
    "sampling ratio": "How many sampling points RoIAlign puts in each bin along each side (2 means 2 × 2); 0 or less lets the bin's size decide.",
    "aligned=True": "torchvision's RoIAlign option for the half-cell shift (here PrRoI has it too): a cell's value belongs to its centre, so half a cell is subtracted first.",
    "RoI pooling": "Fast R-CNN's layer: snap the box to whole cells, split it into bins of whole cells, keep each bin's maximum.",
    "RoIAlign": "Mask R-CNN's fix for RoI pooling: no rounding at all; each bin is read at a few points by bilinear interpolation.",
    "Mask R-CNN": "The paper (He et al., 2017) that introduced RoIAlign; it allows either the mean or the maximum of a bin's points.",
    "RoIWarp": "MNC's layer (Dai et al., 2016): snap the box to whole cells, read it at points; it back-propagates the points' slope to the box, the rounding ignored.",
    "Precise RoI Pooling": "PrRoI (Jiang et al., 2018): no rounding and no points; each bin's value is the exact average of the interpolated map over the bin.",
    "pyramid": "A feature pyramid (FPN): one map per level, each half as fine as the last; torchvision's Faster R-CNN pools from P2 to P5 (strides 4 to 32).",
    "level": "One map of a pyramid: level k has stride 2^k px (P2: 4, P5: 32); a box is pooled from the level its size picks.",
    "regression target": "The four numbers (tx, ty, tw, th) that move a proposal onto its ground-truth box; the box head learns to predict them.",
    "position-sensitive": "R-FCN's pooling (Dai et al., 2016): the channels come in one group per bin position, and each bin reads only its own group's channel, averaged; here VGG16's first channels stand in for the score maps R-FCN trains.",
}

# Where a term first appears in a step's words, this follows it in brackets.
INLINE: dict[str, str] = {
    "pool5": "VGG16's fifth and last max-pooling layer, where the article cuts the network",
    "conv5_3 + ReLU": "VGG16's last convolution and the ReLU after it, which turns negatives into 0; "
    "Fast R-CNN cuts the network there, one pooling earlier than the article",
    "sampling ratio": "the number of points per bin along each side",
    "aligned=True": "the switch for this half-cell shift, named after torchvision's RoIAlign option",
    "Mask R-CNN": "the paper that introduced RoIAlign",
}

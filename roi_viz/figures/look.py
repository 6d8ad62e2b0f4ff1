"""One look for every figure: the colours, hatches and line styles that carry a meaning.

Declared once and read by every description (and so by both painters), so that the
lost area is the same dark blue with the same rising hatch in step 3, step 6 and the
handout. Each kind that may share a figure with another is told apart by a mark (a
hatch, a dash, a shape) as well as by its colour, so a greyscale projector or a
colour-blind student loses nothing (``tests/lib/test_colour_vision.py`` checks the
contrasts). Colours are ``#rrggbb``; widths and dashes are CSS px of the drawing.
"""
from __future__ import annotations

from ..lesson.shown import ROI_FOLLOWED, ROI_OTHER
from ..language import N_, _
from ..picture.spec import Stroke

# The RoI as projected onto the map: orange, dashed, outlined in black so that it reads on any colour.
ROI = "#ff7f0e"
ROI_STROKE = Stroke(ROI, 3.0, (7.0, 4.0), "#000000", 5.0)
# The quantized region (whole cells): black, solid.
REGION = "#111111"
REGION_STROKE = Stroke(REGION, 3.0)
# Boxes on the photo: the followed one solid and thick, the others dashed (the board draws them alike).
FOLLOWED_STROKE = Stroke(ROI_FOLLOWED, 3.5, (), "#000000", 6.0)
OTHER_STROKE = Stroke(ROI_OTHER, 2.5, (6.0, 3.0), "#000000", 4.5)
FOLLOWED_TAG, OTHER_TAG = ROI_FOLLOWED, ROI_OTHER

# Where the RoI's area goes. Each is a fill, a hatch and the hatch's colour.
LOST = ("#1f3b8c", "/", "#9db0e6")  # dark blue, rising light lines: cut off by quantization
GAINED = ("#2ca02c", "\\", "#000000")  # green, falling black lines: taken in by quantization
DROPPED = ("#3c6cc0", "x", "#0b2e6e")  # mid blue, crossed dark lines: in the region but in no bin
SHARED = (None, ".", "#333333")  # dots: read by two bins or more
COVERED = ("#e0e0e0", "", "#000000")  # light grey, plain: reaches the output
EMPTY = (None, "/", "#ffffff")  # an empty output bin: white lines over its value's colour

ARGMAX = "#d62728"  # red outline round a bin's maximum
ARGMAX_STROKE = Stroke(ARGMAX, 3.0)
BIN_STROKE = Stroke("#000000", 2.5, (), "#ffffff", 5.0)  # a bin's edge: black in a white frame, clear on any cell
BIN_FACES = ("#f4f4f4", "#cfcfcf")  # neighbouring bins alternate, so each one stands apart
# A sampling point: white with a black ring; a point more than a cell off the map (it reads 0): a red cross.
SAMPLE_FILL, SAMPLE_STROKE = "#ffffff", Stroke("#000000", 1.2)
OFF_MAP = "#d62728"
OFF_MAP_AREA = ("#ffffff", "-", "#b0b0b0")  # where a view reaches past the map's edge: white, grey level lines
BADGE, BADGE_TEXT = "#b00020", N_("UNTRAINED VGG16: features are random")  # shown as _(BADGE_TEXT)
# The badge names the network whose features are random (roi_viz.model.layers.NETWORKS' keys), each sentence whole.
BADGE_TEXTS = {"vgg16": BADGE_TEXT, "resnet50_fpn": N_("UNTRAINED ResNet-50-FPN: features are random")}


def badge_text(network: str = "vgg16") -> str:
    """The untrained badge's words for ``network``, in the language in force."""
    return _(BADGE_TEXTS.get(network, BADGE_TEXT))

# Cell lines over a map: light on dark colours (viridis), grey on light ones (a channel in greys).
CELL_ON_DARK = Stroke("#ffffff", 0.6)
CELL_ON_LIGHT = Stroke("#9a9a9a", 0.6)
# The stride grid over a photo: a light line on a dark edge, so that it reads over sky and shadow alike.
GRID_ON_PHOTO = Stroke("#ffffff", 0.9, (), "#3a3a3a", 2.2)

# Bars of a chart of shares (the head's classes): the first darkest; a bar's length and its printed share carry
# the meaning, not its colour.
BAR_FIRST, BAR = "#111111", "#4d4d4d"


# How each kind of area is named in words (the board's legend; a figure's legend shows the swatch itself).
# Stored for the catalog, translated where shown (a module-level _() would freeze the language at import).
WORDS = {"lost": N_("dark blue with rising lines"), "gained": N_("green with falling lines"),
         "dropped": N_("blue with crossed lines"), "shared": N_("dots")}


def for_board() -> dict:
    """The areas the live board draws (lost, gained, dropped), as its script reads them: fill, hatch, the hatch's
    colour and the words its legend uses, in the language in force. The board and the figures draw each in the same
    marks."""
    kinds = {"lost": LOST, "gained": GAINED, "dropped": DROPPED}
    return {k: {"fill": v[0], "hatch": v[1], "lines": v[2], "words": _(WORDS[k])} for k, v in kinds.items()}


def fill(kind: tuple) -> dict:
    """A kind of area above as the keyword arguments of a :class:`~roi_viz.picture.spec.Rect`."""
    colour, hatch, lines = kind
    return {"fill": colour, "hatch": hatch, "hatch_colour": lines}


# What a cell sees, on the photo (each outlined in black so it reads on any photo): the patch a cell stands for
# on the grid (yellow, solid, thick), its theoretical field (cyan, dashed), the union of the fields of the cells
# an RoI reads (purple, dash-dot) and those cells (black in a white frame); outside the image, the zeros of the
# padding (light grey, rising grey lines).
PATCH_STROKE = Stroke("#ffd400", 3.5, (), "#000000", 6.0)
FIELD_STROKE = Stroke("#00c8ff", 3.0, (9.0, 4.0), "#000000", 5.5)
UNION_STROKE = Stroke("#bb00ff", 3.0, (10.0, 4.0, 3.0, 4.0), "#000000", 5.5)
READ_STROKE = Stroke("#111111", 3.0, (), "#ffffff", 5.5)
PADDING = ("#e6e6e6", "/", "#9a9a9a")
PHOTO_EDGE = Stroke("#000000", 1.2)
# A gradient on the map's cells (reds, darker = more) and a bin's edge over it; the bin followed, thick black.
GRADIENT_SCALE, GRADIENT_CELL = "reds", Stroke("#999999", 0.6)
GRADIENT_BIN_EDGE = Stroke("#444444", 1.2)
FOLLOWED_BIN = Stroke("#000000", 3.5)
# The derivative's plot: where it does not exist (a jump) and where it turns (a kink).
JUMP_STROKE = Stroke("#333333", 1.8, (4.0, 3.0))
KINK_STROKE = Stroke("#333333", 1.8, (1.5, 3.0))
UNDEFINED_FILL, UNDEFINED_STROKE = "#ffffff", Stroke("#000000", 2.2)

# Every proposal at once: a box on the photo is outlined in the viridis colour of the share it keeps (its lightness
# rises with the share, so it reads in greyscale); the histograms' bars grey, each median a dashed black line, half
# a box a faint grey one; in the scatter an all-zero output is a filled black marker, the others open ones.
COVERAGE_SCALE = "viridis"
HIST_BAR, HIST_BAR_EDGE = "#7a7a7a", Stroke("#ffffff", 0.8)
MEDIAN_STROKE = Stroke("#111111", 2.0, (6.0, 3.0))
HALF_STROKE = Stroke("#b0b0b0", 1.0)
ALL_EMPTY = "#000000"
SIZE_LINE = Stroke("#000000", 1.5, (6.0, 3.0))  # the output's smaller side, on the scatter of coverage by size

# Today's detectors (roi_viz.figures.detectors). The pyramid's number line: its level boundaries dark grey, the
# box's own size an orange diamond ringed in black; the chosen level's grid framed thick and black, the others thin
# grey. The box head's regression: the proposal as the RoI is drawn (dashed orange), the target solid blue (Okabe
# and Ito's), the box decoded from the four numbers a white dashed line on a black edge, laid over the target.
LEVEL_BOUNDARY = Stroke("#333333", 1.5)
LEVEL_AXIS = Stroke("#111111", 2.0)
LEVEL_CHOSEN_FRAME, LEVEL_OTHER_FRAME = Stroke("#000000", 3.0), Stroke("#9a9a9a", 1.0)
SIDE_MARK = ROI
PROPOSAL_STROKE = ROI_STROKE
TARGET = "#0072b2"
TARGET_STROKE = Stroke(TARGET, 3.5, (), "#000000", 5.5)
DECODED_STROKE = Stroke("#ffffff", 1.4, (4.0, 3.0), "#000000", 2.6)
SHIFT_STROKE = Stroke("#111111", 1.5, (3.0, 2.0))
# Where a bin reads: its true centre a small white ring; the segment to where it reads in the method's colour.
CENTRE_FILL, CENTRE_STROKE = "#ffffff", Stroke("#000000", 1.0)
READS_NOTHING = ("#ffffff", "-", "#b0b0b0")  # a bin that reads no cell: white, grey level lines (as off the map)

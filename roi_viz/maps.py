"""A feature map as cells and as a bilinear surface: the old import path of :mod:`roi_viz.ops.maps`.

The module moved into :mod:`roi_viz.ops` with the other pure arithmetic; this
file keeps ``from roi_viz.maps import ...`` working. Read :mod:`roi_viz.ops.maps`
for the half cell between cell coordinates and the kernels' value coordinates.
"""
from .ops.maps import VALUE_TO_CELL, as_numpy_map, bilinear_weights, hat_integrals, interpolate

__all__ = ["VALUE_TO_CELL", "as_numpy_map", "bilinear_weights", "hat_integrals", "interpolate"]

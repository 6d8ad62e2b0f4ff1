"""The numbers of a scene as JSON-able values: what ``explain --json`` prints.

Every value is a list, a number, a string, a boolean or ``None``; the chosen
method adds what only it has through its trace's ``details()``.
"""
from __future__ import annotations

from dataclasses import fields

from ..state.scene import Scene


def numbers(scene: Scene, *, forward_ms=None, device=None, roi_clip_message: str = "", figures=()) -> dict:
    """Everything ``explain --json`` prints: the settings, every RoI and the numbers of the active one.

    ``forward_ms`` and ``device`` describe the VGG16 forward pass (``None`` when
    unknown); ``figures`` lists the files written beside it. Every value is
    JSON-able (lists, numbers, strings, booleans, ``None``).
    """
    t = scene.pooled
    return {
        "roi": list(t.roi),
        "roi_clip_message": roi_clip_message,
        "input_size": scene.input_size,
        "input_shape": scene.settings.shape,
        "input_dims": list(scene.input_dims),
        "network": scene.settings.network,
        "layer": scene.settings.layer,  # on the pyramid, the level the box's size picked (P2..P5)
        "stride": t.stride,
        "feature_map": list(scene.features.shape),
        "pretrained": scene.pretrained,
        "scheme": t.scheme,
        "projected": list(t.projected),
        "quantized": list(t.quantized),
        "region": {"rows": list(t.region[:2]), "cols": list(t.region[2:])},
        "areas": {
            "projected": t.projected_area,
            "quantized": t.region_area,
            "overlap": t.overlap_area,
            "lost": t.lost_area,
            "gained": t.gained_area,
            "covered": t.covered_area,
        },
        "bin_size": list(t.bin_size),
        "bins": [[list(b) for b in row] for row in t.bins],
        "dropped_cells": t.dropped_cells,
        "shared_cells": t.shared_cells,
        "coverage": t.coverage,
        "output_shape": [*t.output_size, t.channels],
        "channel": scene.channel,
        "output_channel": t.output[scene.channel].tolist(),
        "argmax_channel": t.argmax[scene.channel].tolist(),
        "method": scene.method,
        "method_output_channel": scene.chosen.output[scene.channel].tolist(),
        "method_coverage": scene.chosen.coverage,
        **scene.chosen.details(),  # every trace says what it has beyond the output
        "forward_ms": forward_ms,
        "device": device,
        "figures": [str(f) for f in figures],
        "settings": _settings_json(scene.settings),
        "rois": [list(r) for r in scene.rois],
    }


def _settings_json(settings) -> dict:
    out = {f.name: getattr(settings, f.name) for f in fields(settings)}
    out["output_size"] = list(settings.output_size)
    return out

"""The page paints its figures as SVG in the browser: no view imports Matplotlib, which is for files only, and
the first screen imports no pandas (a component's nested data crosses the wire as JSON, ui.board.wire).

Importing Matplotlib (and the export package, which imports it) in a page's first run cost a cold server's
first figure a third of a second, for pictures the page never paints. Checked in a fresh interpreter (this
test process may have imported Matplotlib for other tests): every view is opened, on the page and on a slide,
its figure is there, and Matplotlib is still not imported; then a file is asked for, and only then is it.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = r"""
import json, sys, traceback
first = {}
class Watch:
    def find_spec(self, name, path=None, target=None):
        if name == "matplotlib" and "matplotlib" not in first:
            first["matplotlib"] = [l.strip().splitlines()[0] for l in traceback.format_stack() if "/roi_viz/" in l
                                   or "/ui/" in l or "app.py" in l][-3:]
        return None
sys.meta_path.insert(0, Watch())
from streamlit.testing.v1 import AppTest
from roi_viz.lesson.views import VIEWS
sys.path.insert(0, "tests")
from helpers import figures as figures_of
seen = []
for present in ("", "1"):
    for view in VIEWS:
        at = AppTest.from_file("app.py", default_timeout=300)
        at.query_params["view"] = view
        if present:
            at.query_params["present"] = present
        at.run()
        figures = figures_of(at)
        seen.append({"view": view, "present": bool(present), "exception": bool(at.exception),
                     "figures": len(figures), "matplotlib": "matplotlib" in sys.modules,
                     "pandas": "pandas" in sys.modules or "pyarrow" in sys.modules})
print(json.dumps({"seen": seen, "first": first.get("matplotlib")}))
"""


def test_no_view_imports_matplotlib_until_a_file_is_made():
    env = dict(os.environ, ROI_VIZ_OFFLINE="1")
    run = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=900)
    assert run.returncode == 0, run.stderr[-3000:]
    out = json.loads(run.stdout.strip().splitlines()[-1])
    seen = out["seen"]
    assert len(seen) >= 2 * 9
    assert not [s for s in seen if s["exception"]], seen
    assert all(s["figures"] >= 1 for s in seen), [s for s in seen if not s["figures"]]
    imported = [s for s in seen if s["matplotlib"]]
    assert not imported, f"Matplotlib imported by {imported[0]} from {out['first']}"
    # The first screen (the walkthrough, opened first) sends no table: pandas and pyarrow wait for a view that does.
    assert seen[0]["view"] == "walk" and not seen[0]["pandas"], seen[0]


def test_a_components_data_crosses_the_wire_unchanged():
    """What the board's, the stepper's and a figure's script read is the data Python built (ui.board.wire)."""
    import json

    from ui.board.wire import packed, unpacked

    data = {"key": "k", "step": 3, "ok": True, "none": None, "scale": 0.5, "boxes": [[1, 2, 3, 4]],
            "words": {"a": "“quoted” 中文"}, "fonts": ({"family": "DejaVu Sans", "weight": 700},)}
    wire = packed(data)
    assert all(v is None or isinstance(v, (str, int, float, bool)) for v in wire.values())
    assert unpacked(json.loads(json.dumps(wire))) == json.loads(json.dumps(data))
    assert packed({"key": "k"}) == {"key": "k"}


def test_a_file_is_still_painted_by_matplotlib():
    """The other half: the step's PNG download comes from Matplotlib, imported when the file is made."""
    import io

    from PIL import Image

    from roi_viz.methods import build_scene
    from roi_viz.model import features, images, samples
    from roi_viz.state.settings import Settings
    from ui.teacher import figure_file

    img, _ = images.prepare_input(images.load_file(samples.get_sample("astronaut").path), 512)
    fm = features.extract(features.load_backbone(), img).values
    scene = build_scene(img, fm, [samples.ARTICLE_ROI], 0, Settings())
    png = figure_file(scene, 2, "en")
    assert "matplotlib" in sys.modules
    with Image.open(io.BytesIO(png)) as im:
        assert im.format == "PNG" and im.size[0] >= 800

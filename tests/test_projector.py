"""Presenter mode: every figure of every method, enlarged for a projector, has text at least 18 px high at 1080p."""
import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from roi_viz.draw import kit
from roi_viz.lesson.settings import ARTICLE, FAST_RCNN, Settings
from roi_viz.methods import METHODS, build_scene
from roi_viz.model import images, samples

MIN_PX = 18


@pytest.fixture(scope="module")
def image():
    return images.prepare_input(images.load_file(samples.get_sample("astronaut").path), 512)[0]


@pytest.mark.parametrize("preset", [ARTICLE, FAST_RCNN], ids=["article", "fastrcnn"])
@pytest.mark.parametrize("method", list(METHODS))
def test_every_projector_figure_is_readable_from_the_back(image, preset, method):
    settings = Settings().with_(**preset).with_(method=method)
    side = 512 // settings.stride
    features = np.random.default_rng(0).random((512, side, side), dtype=np.float32)
    scene = build_scene(image, features, [samples.ARTICLE_ROI], 0, settings, pretrained=False)
    for step in METHODS[method].steps:
        plain = step.figure(scene)
        FigureCanvasAgg(plain).draw()
        fig = kit.for_projector(step.figure(scene))
        FigureCanvasAgg(fig).draw()
        w, h = fig.get_size_inches() * kit.SLIDE_DPI
        shown = kit.present_width(w, h)
        assert shown * h / w <= kit.PRESENT_HEIGHT_PX + 1, "the figure fits the height presenter mode gives it"
        smallest = kit.smallest_text_px(fig, shown)
        assert smallest >= MIN_PX, f"{method} {step.key}: smallest text {smallest:.1f} px"
        # Every text was enlarged, not only some.
        assert smallest > kit.smallest_text_px(plain, shown)

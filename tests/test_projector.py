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
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
        drawn = fig.get_tightbbox(canvas.get_renderer())  # inches: everything drawn, text included
        _, (w, h) = kit.projector_image(fig)  # what the page shows
        # Nothing is cut: the picture holds every text (the larger titles passed the figure's edge before).
        assert w >= drawn.width * kit.SLIDE_DPI - 2 and h >= drawn.height * kit.SLIDE_DPI - 2, (method, step.key)
        shown = kit.present_width(w, h)
        assert shown * h / w <= kit.PRESENT_HEIGHT_PX + 1, "the figure fits the height presenter mode gives it"
        # A point of the figure is SLIDE_DPI / 72 pixels of the picture, shown at shown / w of its size.
        sizes = [t.get_fontsize() for t in fig.findobj(kit.Text) if t.get_visible() and t.get_text().strip()]
        smallest = min(sizes) / 72 * kit.SLIDE_DPI * shown / w
        assert smallest >= MIN_PX, f"{method} {step.key}: smallest text {smallest:.1f} px"
        # Every text was enlarged, not only some.
        assert smallest > kit.smallest_text_px(plain, shown)

"""Presenter mode: every step of every method, described for a projector, fits the screen below the view's
controls, is shown at least 400 px wide, and has every text enlarged, not only the smallest, on the sample photo
with VGG16's 512 channels.

That no text is under 18 px where it is shown, none overlaps another and none leaves the figure is checked for
every step, preset and output size by ``tests/lib/test_walkthrough_figures.py``; this file keeps what that one does
not: the height and width the drawing is shown at, and that its titles grow with its smallest text.
"""
import numpy as np
import pytest

from roi_viz.state.settings import ARTICLE, FAST_RCNN, Settings
from roi_viz.methods import METHODS, build_scene
from roi_viz.model import images, samples
from roi_viz.picture.spec import Text
from roi_viz import walkthrough

MIN_PX = 18
LEAST_SHOWN = 400  # CSS px of a 1920-px screen's width


@pytest.fixture(scope="module")
def image():
    return images.prepare_input(images.load_file(samples.get_sample("astronaut").path), 512)[0]


def px(d, shown: float, kind: str | None = None) -> list[float]:
    """The sizes of a drawing's texts (of one kind if given) in CSS px where it is shown ``shown`` px wide."""
    return [m.size * shown / d.width for _, m in d.marks(Text) if m.text.strip() and (kind is None or m.kind == kind)]


@pytest.mark.parametrize("preset", [ARTICLE, FAST_RCNN], ids=["article", "fastrcnn"])
@pytest.mark.parametrize("method", list(METHODS))
def test_every_projector_figure_fits_the_screen_and_grows_every_text(image, preset, method):
    from ui.figure import PAGE_TEXT, PAGE_WIDTH, for_projector
    from ui.style import PRESENT_CONTROLS_REM

    tallest = 1080 - PRESENT_CONTROLS_REM * 16  # a 1080p screen less presenter mode's controls
    settings = Settings().with_(**preset).with_(method=method)
    side = 512 // settings.stride
    features = np.random.default_rng(0).random((512, side, side), dtype=np.float32)
    scene = build_scene(image, features, [samples.ARTICLE_ROI], 0, settings, pretrained=False)
    for step in walkthrough.steps(method):
        page = step.describe(scene, width=PAGE_WIDTH, text=PAGE_TEXT)
        d, shown = for_projector(lambda f: step.describe(scene, width=PAGE_WIDTH, text=PAGE_TEXT * f))
        assert shown * d.height / d.width <= tallest + 1, f"{method} {step.key}: taller than the screen gives it"
        # A figure, not a strip down the middle of the slide: a tall one's 18-px text must not be bought by
        # shrinking it to a third of the screen (a grid that kept its height as its text grew did that).
        assert shown >= LEAST_SHOWN, f"{method} {step.key}: shown {shown:.0f} px wide"
        assert min(px(d, shown)) >= MIN_PX, f"{method} {step.key}: smallest text {min(px(d, shown)):.1f} px"
        # Every text was enlarged, the titles and the red label too, not only the smallest.
        on_page = PAGE_WIDTH if PAGE_WIDTH <= 528 else 528  # the lesson column of a 1366 x 768 laptop
        for kind in ("title", "badge"):
            if px(page, on_page, kind):
                assert min(px(d, shown, kind)) > max(px(page, on_page, kind)), (method, step.key, kind)
        assert min(px(d, shown)) > min(px(page, on_page)), (method, step.key)

"""A button's label is read whole: in a narrow column (the Proposals view's four downloads side by side at
1366 x 768) Streamlit would cut it with an ellipsis, "带候选框的…" for "带候选框的照片（JPEG）"; the page's style
wraps it onto a second line instead, in English and in Chinese. In presenter mode an input's value is as large as
its label."""
import pytest

from helpers import figures_shown

CLIPPED = """() => [...document.querySelectorAll('[data-testid="stMain"] button')].flatMap(b => {
    const box = b.querySelector('[data-testid="stMarkdownContainer"]');
    if (!box || b.getBoundingClientRect().width === 0) return [];
    return box.scrollWidth > box.clientWidth + 1 ? [b.innerText] : [];
})"""
LABELS = """() => [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stDownloadButton"] button')]
    .filter(b => b.getBoundingClientRect().width > 0).map(b => b.innerText)"""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_download_labels_are_whole_in_a_narrow_column(server, browser, lang):
    pg = browser.new_page(viewport={"width": 1366, "height": 768})
    pg.goto(f"{server}/?lang={lang}&view=proposals")
    figures_shown(pg)
    try:  # the downloads come with the view's last figure; a loaded machine may show a first figure well before
        pg.wait_for_function(f"({LABELS})().length >= 4", timeout=120_000)
    except Exception:
        pass  # the assertion below says what is there
    labels = pg.evaluate(LABELS)
    assert len(labels) >= 4, f"the Proposals view's downloads: {labels}"
    clipped = pg.evaluate(CLIPPED)
    pg.close()
    assert not clipped, f"buttons whose label is cut: {clipped}"


def test_a_presented_views_inputs_are_read_as_large_as_their_labels(server, browser):
    """Presenter mode: the sliding box's row, column and distance are read from the back of the room at the size
    of their labels (the value was 14 px under a 22 px label)."""
    from ui.style import PRESENT_WORDS_PX

    pg = browser.new_page(viewport={"width": 1920, "height": 1080})
    pg.goto(f"{server}/?lang=zh&view=slide&present=1")
    figures_shown(pg)
    sizes = pg.evaluate("""() => [...document.querySelectorAll('[class*="st-key-view-"] [data-testid="stNumberInput"] input,'
        + '[class*="st-key-view-"] [data-testid="stSliderThumbValue"]')].map(e => [e.value || e.innerText,
        parseFloat(getComputedStyle(e).fontSize)])""")
    pg.close()
    assert len(sizes) >= 3, f"the sliding box's inputs: {sizes}"
    small = [(v, s) for v, s in sizes if s < PRESENT_WORDS_PX]
    assert not small, f"values smaller than the {PRESENT_WORDS_PX} px words: {small}"

"""A button's label is read whole: in a narrow column (the Proposals view's four downloads side by side at
1366 x 768) Streamlit would cut it with an ellipsis, "带候选框的…" for "带候选框的照片（JPEG）"; the page's style
wraps it onto a second line instead, in English and in Chinese."""
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
    labels = pg.evaluate(LABELS)
    assert len(labels) >= 4, f"the Proposals view's downloads: {labels}"
    clipped = pg.evaluate(CLIPPED)
    pg.close()
    assert not clipped, f"buttons whose label is cut: {clipped}"

"""The methods' names as Chromium shows them on a Chinese page: the comparison's column heads and the sliding box's
legend, jump note and hovers are drawn inside the figure component's shadow root, and each name there is the
Chinese catalog's (``RoI 池化 (RoI pooling)``), never the record's bare English short name (they printed
``RoI pooling`` beside Chinese words). The page's own text is checked the same way. Screenshots go to
``artifacts/screenshots/``."""
import pytest

from helpers import SHOTS, figures_shown, idle
from roi_viz.language import _, using
from roi_viz.methods import METHODS

# Every text a person can read in the figures: the <text> drawn and the <title> a hover shows, in each shadow root.
FIGURE_TEXT_JS = """() => {
  const out = [];
  const walk = (root) => {
    for (const e of root.querySelectorAll('*')) {
      if (!e.shadowRoot) continue;
      for (const s of e.shadowRoot.querySelectorAll('svg'))
        out.push([...s.querySelectorAll('text, title')].map(t => t.textContent).join(' '));
      walk(e.shadowRoot);
    }
  };
  walk(document);
  return out.join('\\n');
}"""


def names_zh() -> dict[str, str]:
    """Each English name or short name that the Chinese catalog translates, to its translation."""
    found = {}
    with using("zh"):
        for m in METHODS.values():
            for english in (m.name, m.short):
                if _(english) != english:
                    found[english] = _(english)
    return found


def english_left(text: str, names: dict[str, str]) -> list[str]:
    """The English names in ``text`` once the Chinese names (which keep the English in brackets) are taken out."""
    for zh in sorted(set(names.values()), key=len, reverse=True):
        text = text.replace(zh, " ")
    return sorted(e for e in names if e in text)


@pytest.mark.parametrize("view, method", [("compare", "psroi"), ("slide", "align")])
def test_the_figures_name_the_methods_in_chinese(server, browser, view, method):
    names = names_zh()
    assert "RoI pooling" in names  # the catalog translates the phrase; the check below has something to find
    pg = browser.new_page(viewport={"width": 1366, "height": 768})
    pg.set_default_timeout(180_000)
    pg.goto(f"{server}/?lang=zh&method={method}&view={view}")
    figures_shown(pg)
    # The view's figure is painted once its SVG names the methods (RoIAlign is the same word in both languages).
    pg.wait_for_function(f"() => ({FIGURE_TEXT_JS})().includes('RoIAlign')", timeout=180_000)
    idle(pg)
    pg.screenshot(path=str(SHOTS / f"zh-method-names-{view}-1366.png"))
    drawn = pg.evaluate(FIGURE_TEXT_JS)
    body = pg.evaluate("() => document.body.innerText")
    pg.close()
    assert english_left(drawn, names) == [], f"English method names drawn in the {view} figure: {drawn[:600]!r}"
    assert names["RoI pooling"] in drawn, f"the {view} figure does not name RoI pooling in Chinese"
    assert english_left(body, names) == [], f"English method names in the {view} page's text"

"""The page as Chromium shows it: viewport, timeouts, and the scripts that find the board and the step figure.

A step figure is inline SVG in the ``roi_viz.figure`` component's shadow root once the step is described, an
``<img class=roi-figure>`` before; both sit in the walkthrough's ``.st-key-step-figure`` container.
"""
from __future__ import annotations




VIEWPORT = {"width": 1366, "height": 768}
ACTION_TIMEOUT_MS = 60_000
FIRST_VIEW_TIMEOUT_MS = 180_000  # the first view runs VGG16 on a 2-core CPU
IDLE_PAUSE_S = 0.8  # the page is left alone this long before each action
CPU_TAIL_S = 1.0  # CPU is still counted this long after the figure changed
IDLE_RATE_S = 3.0  # the server's idle CPU rate is measured over this long
COLD_STARTS = 3


LIVE_VIEWPORTS = [(1366, 768), (1920, 1080)]
LIVE_METHODS = {  # link parameters of the page
    "RoI pooling, article": "",
    "RoI pooling, Fast R-CNN": "?rule=fastrcnn",
    "RoIAlign": "?method=align",
    "RoIWarp": "?method=warp",
    "PrRoI": "?method=prroi",
}
BOARD = '[data-testid="roi-board"]'
# The board has drawn: its live geometry is written and the photo is on its canvas (not the grey it starts on).
BOARD_USABLE_JS = """
(el) => {
  const c = el.querySelector('canvas');
  if (!el.dataset.live || !c || !c.width) return false;
  const d = c.getContext('2d').getImageData(Math.floor(c.width * 0.1), Math.floor(c.height * 0.9), 1, 1).data;
  return !(d[0] === 51 && d[1] === 51 && d[2] === 51);
}
"""

# The figures in the "step-figure" container, in page order: each an <img> (a figure not described yet) or an
# <svg class="roi-figure"> painted by the roi_viz.figure component inside its shadow root (document.querySelector
# does not look into shadow roots, so they are walked). One is expected; more means the page shows old figures too.
STEP_FIGURES_JS = """
() => {
  const out = [];
  const walk = (root) => {
    for (const el of root.querySelectorAll('*')) {
      if (el.matches('img, svg.roi-figure')) out.push(el);
      else if (el.shadowRoot) walk(el.shadowRoot);
    }
  };
  const keyed = document.querySelector('.st-key-step-figure');
  if (keyed) walk(keyed);
  return out;
}
"""
# The step figure: the last figure of the container (the newest, should it hold more than one). The fallback
# (the first image of the main area, not the sidebar) is for pages without the "step-figure" container; the
# bench says when it used it.
FIND_FIGURE_JS = f"""
() => {{
  const figs = ({STEP_FIGURES_JS})();
  if (figs.length) return figs[figs.length - 1];
  const main = document.querySelector('[data-testid="stMain"]');
  return main ? main.querySelector('[data-testid="stImage"] img') : null;
}}
"""
STEP_FIGURE_COUNT_JS = f"() => ({STEP_FIGURES_JS})().length"
# What names the figure shown, and changes when it does: an img's src; an SVG's text alternative, its markup's
# length and a hash of the markup (a new box may print numbers of the same length). null: no figure.
FIGURE_SRC_JS = f"""
() => {{
  const fig = ({FIND_FIGURE_JS})();
  if (!fig) return null;
  if (fig.tagName.toLowerCase() !== 'svg') return fig.src;
  const text = fig.outerHTML;
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return 'svg:' + (fig.getAttribute('aria-label') || '') + ':' + text.length + ':' + (h >>> 0).toString(16);
}}
"""
# "svg" or "img": the form of the step figure shown (null: none).
FIGURE_FORM_JS = f"""
() => {{
  const fig = ({FIND_FIGURE_JS})();
  return fig ? (fig.tagName.toLowerCase() === 'svg' ? 'svg' : 'img') : null;
}}
"""
# The figure is another than ``before`` and shown: an img loaded (complete, a natural width); an SVG at once
# (nothing to fetch), once it has a size on the page.
FIGURE_LOADED_JS = f"""
(before) => {{
  const fig = ({FIND_FIGURE_JS})();
  if (!fig || ({FIGURE_SRC_JS})() === before) return false;
  if (fig.tagName.toLowerCase() === 'svg') return fig.getBoundingClientRect().width > 0;
  return fig.complete && fig.naturalWidth > 0;
}}
"""
# The same, but an error box of Streamlit's (an uncaught exception) also ends the wait: "error".
FIGURE_OR_ERROR_JS = f"""
(before) => {{
  if (document.querySelector('[data-testid="stException"]')) return "error";
  return ({FIGURE_LOADED_JS})(before) ? "changed" : false;
}}
"""
HAS_KEYED_FIGURE_JS = f"() => ({STEP_FIGURES_JS})().length > 0"
IDLE_JS = "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"

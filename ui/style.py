"""The page's own CSS: a tighter top, plain-text notices, contrast, a photo that fits the first screen, and a phone's layout."""
from __future__ import annotations

# Vertical room the photo leaves for the page's top and the first step's figure on a short screen.
PHOTO_ROOM_PX = 430
PRESENT_WORDS_PX = 22  # presenter mode: the words' size at 1920 x 1080 (the figures' smallest text is 20 px or more)
PRESENT_CAPTION_PX = 18  # presenter mode: a caption (a figure's fine print) read from the back of the room
# Presenter mode: the height a view's controls (views, Present, Link, Export, the heading, one row of inputs) take
# above its figure, so that the figure below them is whole on the first screen.
PRESENT_CONTROLS_REM = 21


# A phone (Streamlit stacks the columns below 640 px): a table of numbers fits the screen's width instead of
# pushing the page sideways (the comparison's five columns) or scrolling in a box of its own that a keyboard
# cannot reach (the 7 x 7 output of the Fast R-CNN preset): tighter cells, text no smaller than 12 px. A finger's
# targets (a radio option is 22 px high, a help mark 16 px) are 24 px at least.
PHONE = """
@media (max-width: 800px) {  /* up to 768 px Streamlit's header is opaque, 60 px: the page's title starts below it */
  [data-testid="stMainBlockContainer"] { padding-top: 4.5rem; }
}
@media (max-width: 640px) {
  /* the comparison's six columns (a bin and five methods): 12 px, and a long name in a heading ("Position-sensitive
     RoIAlign") may break inside a word rather than push the table past the screen; a number never breaks */
  [data-testid="stMarkdownContainer"] th, [data-testid="stMarkdownContainer"] td { padding: 0.3rem 0.3rem; font-size: 0.75rem; }
  [data-testid="stMarkdownContainer"] th { overflow-wrap: anywhere; }
  /* !important: over Streamlit's own cells; 12 px lets "column 0" ... "column 6" share 335 px */
  [data-testid="stTable"] th, [data-testid="stTable"] td { padding: 0.2rem 0.25rem !important; font-size: 0.75rem !important; }
  [data-testid="stExpanderDetails"] { padding-left: 0.4rem; padding-right: 0.4rem; }
}
@media (pointer: coarse) {
  [data-testid="stMain"] [data-testid="stRadio"] label { min-height: 24px; }
  [data-testid="stTooltipIcon"] button {
    min-width: 24px; min-height: 24px; display: inline-flex; align-items: center; justify-content: center;
  }
}
"""

# Presenter mode, every view but the walkthrough (which has its own slide): the words at the walkthrough slide's
# size. (Each figure's size for the screen is written on the figure itself: ui.figure.show.)
PRESENT_VIEWS = f"""
[class*="st-key-view-"] [data-testid="stMarkdownContainer"] p,
[class*="st-key-view-"] [data-testid="stMarkdownContainer"] li {{ font-size: {PRESENT_WORDS_PX}px; line-height: 1.45; }}
[class*="st-key-view-"] [data-testid="stCaptionContainer"],
[class*="st-key-view-"] [data-testid="stCaptionContainer"] p {{ font-size: {PRESENT_CAPTION_PX}px; }}
[class*="st-key-view-"] [data-testid="stNumberInput"] input,
[class*="st-key-view-"] [data-testid="stTextInput"] input,
[class*="st-key-view-"] [data-testid="stSliderThumbValue"] {{ font-size: {PRESENT_WORDS_PX}px; }}  /* as their labels */
"""


def page_style(present: bool = False) -> str:
    """The page's CSS: plain-text notices (``ui.widgets.say``) in a box keyed by kind, captions and links
    at AA contrast, a tighter top; the board's size is set beside it (:func:`photo_fits`)."""
    return f"<style>{page_css(present)}</style>"


def page_css(present: bool = False) -> str:
    """:func:`page_style`'s rules, without their tag: the board brings them too (:func:`ui.photo.draw_boxes`)."""
    return f"""
[class*="st-key-notice-"] {{ padding: 0.6rem 0.9rem; border-radius: 0.5rem; border-left: 0.3rem solid; }}
[class*="st-key-notice-warning"] {{ background: #fff4d6; border-color: #8a5a00; color: #3d2a00; }}
[class*="st-key-notice-error"] {{ background: #fde8e8; border-color: #a61b1b; color: #4a0a0a; }}
[class*="st-key-notice-info"] {{ background: #e6f0fb; border-color: #1d5fa8; color: #0c2a4d; }}
[class*="st-key-notice-"] .roi-notice {{ white-space: pre-wrap; overflow-wrap: anywhere; }}
/* WCAG 2.1 AA: captions and help text at 4.5 : 1 or more on white and on the sidebar's grey. */
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p {{ color: #555452; opacity: 1; }}
[data-testid="stMarkdownContainer"] blockquote, [data-testid="stMarkdownContainer"] blockquote * {{ color: #3d3b39; opacity: 1; }}
[data-testid="stSidebar"] [data-testid="stCaptionContainer"] a, [data-testid="stMarkdownContainer"] a {{ color: #1551a0; }}
[data-testid="stMainBlockContainer"] {{ padding-top: {"3.8rem" if present else "2.5rem"}; padding-bottom: 2rem; }}
[data-testid="stMainBlockContainer"] h2 {{ padding-top: 0; }}
/* A click on a blank part of a slide focuses its container: no ring for the mouse, as for the keyboard it stays. */
[data-testid="stMain"] :focus:not(:focus-visible) {{ outline: none; }}
.st-key-clicker-keys {{ display: none; }}
/* A stretched button in a narrow column (four downloads side by side) would cut its label with an ellipsis,
   "带候选框的…": it wraps onto a second line instead, so the label is read whole in every language. */
[data-testid="stMain"] button .stMarkdownEllipsis, [data-testid="stMain"] button .stMarkdownEllipsis p {{
  white-space: normal; overflow: visible; text-overflow: clip;
}}
{PHONE}
{PRESENT_VIEWS if present else ".st-key-step-figure img { max-width: 720px !important; }  /* wide screens: the words stay in reach */"}
"""


def photo_fits(dims: tuple[int, int]) -> str:
    """The board as wide as its column, but no taller than the screen leaves room for (a laptop's first
    screen shows the photo, its box and the top of the first step). ``dims``: the input's (W, H)."""
    return f"<style>{photo_css(dims)}</style>"


def photo_css(dims: tuple[int, int]) -> str:
    """:func:`photo_fits`'s rule, without its tag."""
    W, H = dims
    return (f".st-key-photo .roi-board {{ max-width: max(240px, calc((100vh - {PHOTO_ROOM_PX}px) * "
            f"{W / H:.4f})); margin: 0 auto; }}")

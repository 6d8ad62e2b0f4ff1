"""The page's own CSS: a tighter top, plain-text notices, and a canvas that always fits its column."""
from __future__ import annotations

CANVAS_PX = 512  # the drawing canvas is this wide; boxes are kept in input pixels
# Vertical room the canvas leaves for the page's top and the first step's figure on a short screen.
CANVAS_ROOM_PX = 430
PRESENT_WORDS_PX = 22  # presenter mode: the words' size at 1920 x 1080 (the figures' smallest text is 20 px or more)


def canvas_dims(dims: tuple[int, int]) -> tuple[int, int]:
    """The canvas for an input of ``dims`` (W, H): its longer side CANVAS_PX pixels, the photo's proportions."""
    W, H = dims
    k = CANVAS_PX / max(W, H)
    return max(1, round(W * k)), max(1, round(H * k))


def page_style(present: bool = False) -> str:
    """The page's CSS.

    The canvas is 512 pixels wide (its coordinates, and so the boxes, are in those
    pixels); on a laptop its column is narrower, and at 150 % browser zoom more so.
    CSS ``zoom`` shrinks the canvas element as a whole, and Fabric.js maps the mouse
    through the element's on-screen size, so a drag still lands on the right input
    pixels. The factor is the smaller of two: the column's width (container queries,
    in 8-pixel steps) and the window's height (so that the photo, its box and the
    first step fit on a laptop's first screen).

    Notices (``ui.widgets.say``) are plain text in a box of this CSS, keyed by kind.
    """
    width = "".join(
        f"@container photo (max-width: {w + 7}px) {{ .st-key-photo [class*=\"st-key-canvas-\"] {{ --roi-zoom-w: {w / CANVAS_PX:.4f}; }} }}\n"
        for w in range(CANVAS_PX - 8, 159, -8))
    height = "".join(
        f"@media (max-height: {h + 19}px) {{ :root {{ --roi-zoom-h: {max(h - CANVAS_ROOM_PX, 200) / CANVAS_PX:.4f}; }} }}\n"
        for h in range(CANVAS_ROOM_PX + CANVAS_PX - 20, 479, -20))
    return f"""<style>
[class*="st-key-notice-"] {{ padding: 0.6rem 0.9rem; border-radius: 0.5rem; border-left: 0.3rem solid; }}
[class*="st-key-notice-warning"] {{ background: #fff4d6; border-color: #8a5a00; color: #3d2a00; }}
[class*="st-key-notice-error"] {{ background: #fde8e8; border-color: #a61b1b; color: #4a0a0a; }}
[class*="st-key-notice-info"] {{ background: #e6f0fb; border-color: #1d5fa8; color: #0c2a4d; }}
[class*="st-key-notice-"] [data-testid="stText"] {{ white-space: pre-wrap; }}
/* WCAG 2.1 AA: captions and help text at 4.5 : 1 or more on white and on the sidebar's grey. */
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p {{ color: #555452; opacity: 1; }}
[data-testid="stSidebar"] [data-testid="stCaptionContainer"] a, [data-testid="stMarkdownContainer"] a {{ color: #1551a0; }}
[data-testid="stMainBlockContainer"] {{ padding-top: {"3.8rem" if present else "2.5rem"}; padding-bottom: 2rem; }}
[data-testid="stMainBlockContainer"] h2 {{ padding-top: 0; }}
.st-key-clicker-keys {{ display: none; }}
{"" if present else ".st-key-step-figure img { max-width: 720px !important; }  /* wide screens: the words stay in reach */"}
.st-key-photo {{ container-type: inline-size; container-name: photo; }}
.st-key-photo [class*="st-key-canvas-"] {{ zoom: min(var(--roi-zoom-w, 1), var(--roi-zoom-h, 1)); }}
{width}{height}</style>"""

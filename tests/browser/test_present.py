"""A teacher in Chromium: a presenter link on a 1920 × 1080 projector, stepped with the keyboard.

Also: the address bar follows the page, and an arrow key typed into a number
field moves the cursor, not the lesson. Screenshots go to ``artifacts/screenshots/``.
"""
import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from playwright.sync_api import expect

from helpers import SHOTS, STEP_FIGURE, figure_content, step_figure
from roi_viz import walkthrough



def heading(pg, n: int, title: str = ""):
    return pg.get_by_role("heading", name=f"Step {n}: {title}")


def wait_idle(pg):
    """Until Streamlit's running indicator is gone: the rerun is over."""
    pg.wait_for_function("!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=120_000)


def figure_box(pg):
    fig = step_figure(pg)
    expect(fig).to_be_visible()
    if fig.evaluate("(e) => e.tagName.toLowerCase()") == "img":  # a picture: once it has loaded
        pg.wait_for_function("() => { const i = document.querySelector('.st-key-step-figure img');"
                             " return i && i.complete && i.naturalWidth > 0; }")
    return fig.bounding_box()


SMALLEST_TEXT_JS = """(svg) => { const k = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  return Math.min(...[...svg.querySelectorAll('text')].filter((t) => t.textContent.trim())
    .map((t) => parseFloat(t.getAttribute('font-size')) * k)); }"""


def smallest_text_px(pg) -> float:
    """The smallest text of the step's figure, in CSS px as the screen shows it (its size times the SVG's scale)."""
    fig = step_figure(pg)
    expect(fig).to_be_visible()
    return fig.evaluate(SMALLEST_TEXT_JS)


def step_titles(method: str = "pool") -> list[str]:
    from roi_viz.methods import METHODS

    return [s.title for s in walkthrough.steps(method)]


def expect_step_shown(pg, n: int, title: str, previous_src: str | None = None) -> str:
    """What a class sees is step ``n``: the heading, the figure (its text alternative names the step it draws)
    and the picker all say ``n. title``, and the figure is another picture than the last step's.

    Returns what the figure shows (an SVG's markup, a picture's ``src``), to compare with the next step's.
    """
    expect(pg.get_by_role("heading", name=f"Step {n}: {title}", exact=True)).to_be_visible()
    figs = pg.locator(STEP_FIGURE)
    expect(figs).to_have_count(1)
    lead = f"Step {n}: {title}. "  # an SVG's aria-label, or a picture's alt
    expect(pg.locator(f'.st-key-step-figure svg.roi-figure[aria-label^="{lead}"], '
                      f'.st-key-step-figure img.roi-figure[alt^="{lead}"]')).to_have_count(1)
    img = figs.first
    picked = pg.get_by_role("radiogroup", name="Step", exact=True).locator("label:has(input:checked)")
    expect(picked).to_have_text(f"{n}. {title}")
    expect(pg.get_by_text(f"Step {n} of ", exact=False).first).to_be_attached()
    src = figure_content(img)
    assert src != previous_src, f"step {n} shows the previous step's figure"
    return src


def test_presenter_link_stepped_with_the_keyboard(server, browser):
    """Every step reached with →, ←, PageUp, PageDown and the Next button shows its own heading, figure and
    picker title (the lag this test missed: the counter moved, the heading and the figure stayed a step behind)."""
    titles = step_titles()
    pg = browser.new_page(viewport={"width": 1920, "height": 1080})
    pg.set_default_timeout(120_000)
    pg.goto(server + "/?present=1")
    src = expect_step_shown(pg, 1, titles[0])
    sidebar = pg.locator('[data-testid="stSidebar"]')
    assert sidebar.bounding_box()["width"] < 10, "the sidebar is folded away on a projector"
    pg.screenshot(path=str(SHOTS / "present-1920-step1.png"))
    for n in range(2, len(titles) + 1):
        wait_idle(pg)
        pg.keyboard.press("ArrowRight")  # a person, or a clicker, on the right-arrow key
        src = expect_step_shown(pg, n, titles[n - 1], src)
        wait_idle(pg)
        least = smallest_text_px(pg)
        assert least >= 18 - 0.05, f"step {n}: a text of the figure is {least:.1f} px on the projector"
        if n in (3, len(titles)):
            figure_box(pg)
            wait_idle(pg)
            pg.screenshot(path=str(SHOTS / f"present-1920-step{n}.png"))
    last = len(titles)
    box = figure_box(pg)
    assert box["y"] >= 0 and box["y"] + box["height"] <= 1080, f"the figure needs scrolling: {box}"
    assert box["x"] >= 0 and box["x"] + box["width"] <= 1920
    assert pg.evaluate("window.scrollY") == 0
    words = heading(pg, last).bounding_box()
    assert words["y"] + words["height"] <= 1080
    assert parse_qs(urlparse(pg.url).query) == {"present": ["1"], "step": [str(last)]}
    wait_idle(pg)
    pg.keyboard.press("ArrowRight")  # past the last step: it stays
    pg.wait_for_timeout(500)
    wait_idle(pg)
    src = expect_step_shown(pg, last, titles[last - 1])
    pg.keyboard.press("ArrowLeft")
    src = expect_step_shown(pg, last - 1, titles[last - 2], src)
    # A presentation clicker sends PageUp / PageDown.
    for n in (last - 2, last - 3):
        wait_idle(pg)
        pg.keyboard.press("PageUp")
        src = expect_step_shown(pg, n, titles[n - 1], src)
    for n in (last - 2, last - 1):
        wait_idle(pg)
        pg.keyboard.press("PageDown")
        src = expect_step_shown(pg, n, titles[n - 1], src)
    wait_idle(pg)
    pg.get_by_role("button", name="Next step").click()  # the teacher's mouse on Next
    expect_step_shown(pg, last, titles[last - 1], src)
    wait_idle(pg)
    assert parse_qs(urlparse(pg.url).query) == {"present": ["1"], "step": [str(last)]}
    assert pg.evaluate("window.scrollY") == 0
    pg.close()


def test_presenter_every_method_reaches_its_last_step(server, browser):
    """Each method's slides, stepped to the end with PageDown (a clicker), show that method's last step."""
    from roi_viz.methods import METHODS

    pg = browser.new_page(viewport={"width": 1920, "height": 1080})
    pg.set_default_timeout(120_000)
    for method in METHODS:
        titles = step_titles(method)
        pg.goto(server + f"/?present=1&method={method}")
        src = expect_step_shown(pg, 1, titles[0])
        for n in range(2, len(titles) + 1):
            wait_idle(pg)
            pg.keyboard.press("PageDown")
            src = expect_step_shown(pg, n, titles[n - 1], src)
    pg.close()


def test_arrows_in_a_number_field_stay_in_the_field_and_the_address_follows(server, browser):
    pg = browser.new_page(viewport={"width": 1366, "height": 768})
    pg.set_default_timeout(120_000)
    pg.goto(server + "/?step=2")
    expect(heading(pg, 2, "Feature map and projection")).to_be_visible()
    wait_idle(pg)
    field = pg.get_by_label("x", exact=True)
    field.click()
    field.press("End")
    field.press("ArrowLeft")
    field.press("ArrowRight")
    pg.wait_for_timeout(1500)
    wait_idle(pg)
    expect(heading(pg, 2)).to_be_visible()  # the arrows moved the cursor, not the lesson
    field.fill("100")
    field.press("Enter")
    expect(pg.get_by_text("100 / 32 = 3.125")).to_be_visible()
    wait_idle(pg)
    field.evaluate("e => e.blur()")  # out of the field, as a click elsewhere on the page would
    pg.keyboard.press("ArrowRight")
    expect(heading(pg, 3, "Quantization")).to_be_visible()
    wait_idle(pg)
    query = parse_qs(urlparse(pg.url).query)
    assert query["step"] == ["3"] and query["roi"] == ["100_192_200_145"]
    # The link opened elsewhere shows the same step and box.
    other = browser.new_page(viewport={"width": 1366, "height": 768})
    other.goto(pg.url)
    expect(heading(other, 3, "Quantization")).to_be_visible()
    expect(other.locator("strong").filter(has_text="RoI 1: (100, 192, 200, 145)")).to_be_visible()  # the box list
    other.close()
    pg.close()


def test_exports_from_the_page_reproduce_the_page(server, browser, tmp_path):
    """Each export downloaded through the real page, opened, and checked against what the page shows."""
    import json

    from PIL import Image

    pg = browser.new_page(viewport={"width": 1366, "height": 768}, accept_downloads=True)
    pg.set_default_timeout(120_000)
    pg.goto(server + "/?step=3&roi=100_192_200_145&out=2x4")
    expect(heading(pg, 3, "Quantization")).to_be_visible()
    # Any rerun still under way gives every download button a new file: a click on the old one, in that
    # instant, finds no file. Wait until the page is at rest.
    pg.wait_for_timeout(1500)
    wait_idle(pg)

    def download(button_name: str) -> Path:
        with pg.expect_download() as d:
            pg.get_by_role("button", name=button_name).click()
        path = tmp_path / d.value.suggested_filename
        d.value.save_as(path)
        return path

    pg.get_by_role("button", name="Export").click()
    png = download("This figure: step 3 (PNG, 150 dpi)")
    assert png.name == "roi-viz-pool-step3.png"
    with Image.open(png) as im:
        assert im.width >= 8 * 150 and round(im.info["dpi"][0]) == 150
    numbers = json.loads(download("The numbers (JSON)").read_text())
    assert numbers["roi"] == [100, 192, 200, 145] and numbers["projected"] == [3.125, 6.0, 6.25, 4.53125]
    assert numbers["settings"]["output_size"] == [2, 4] and numbers["output_shape"] == [2, 4, 512]
    for what, check in (("handout (PDF, every step)", "pdf"), ("walkthrough animation (GIF)", "gif"),
                        ("sliding-box animation (GIF)", "slide")):
        pg.get_by_role("button", name=f"Make the {what}").click()
        path = download(re.compile(f"Download the {re.escape(what)}"))
        data = path.read_bytes()
        assert len(data) < 5 * 2**20
        if check == "pdf":
            assert data.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page\b", data)) == 1 + 6
        else:
            with Image.open(path) as im:
                assert im.format == "GIF" and im.n_frames == (6 if check == "gif" else 16)
    pg.close()

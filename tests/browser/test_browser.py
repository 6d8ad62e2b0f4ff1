"""A person in Chromium: upload a photo, drag a new RoI with the mouse, walk to the last step.

Starts the real Streamlit server on loopback and drives Debian's Chromium with
Playwright. Screenshots go to ``artifacts/screenshots/``.
"""
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from helpers import CHROMIUM, FLAGS, SHOTS, drag_on, live, number, photo, settle, the_canvas
from roi_viz.model import images


@pytest.fixture(scope="module")
def page(server):
    assert Path(CHROMIUM).exists(), f"Chromium is needed at {CHROMIUM} (apt-get install -y chromium)"
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        pg = browser.new_page(viewport={"width": 1500, "height": 1900})
        pg.set_default_timeout(120_000)
        pg.goto(server)
        expect(pg.get_by_text("Step 1: Image and RoIs")).to_be_visible()
        yield pg
        browser.close()


def test_first_screen_teaches(page):
    expect(page.get_by_text("x = 296, y = 192, size w = 200 × h = 145")).to_be_visible()
    expect(page.get_by_test_id("stAlertContentWarning").get_by_text("Untrained VGG16:")).to_be_visible()
    assert number(page, "x") == 296
    page.screenshot(path=str(SHOTS / "01-first-screen.png"))


def test_upload_draw_and_walk_through(page, tmp_path):
    img = tmp_path / "street.png"
    photo(640, 427, seed=5).save(img)
    page.get_by_text("Upload my own").click()
    settle(page)
    page.locator('input[type="file"]').set_input_files(str(img))
    expect(page.get_by_text("The original is 640 × 427", exact=False)).to_be_visible()
    # An upload keeps its proportions, as Fast R-CNN builds its input: shorter side 512.
    W, H = images.input_dims((640, 427), 512, "aspect")
    assert (W, H) == (767, 512)
    expect(page.get_by_text(f"pixels of the {W} × {H} model input, its proportions kept", exact=False)).to_be_visible()
    settle(page)

    canvas = the_canvas(page)
    box = canvas.bounding_box()
    assert box and box["width"] > 300
    assert abs(box["width"] / box["height"] - W / H) < 0.02  # the board has the photo's proportions
    drag_on(page, canvas, (W, H), (60, 80), (180, 150))  # a person's drag: many small moves, not a jump
    drawn = live(page)  # the board's own answer, before any server round trip
    assert drawn["count"] == 2 and drawn["active"] == 1, drawn
    assert all(abs(a - b) <= 3 for a, b in zip(drawn["box"], (60, 80, 180, 150))), drawn
    expect(page.get_by_text("of 2: top-left corner", exact=False)).to_be_visible()  # RoI 2 of 2 is followed
    settle(page)
    x, y, w, h = (number(page, n) for n in "xywh")
    assert abs(x - 60) <= 3 and abs(y - 80) <= 3 and abs(w - 180) <= 4 and abs(h - 150) <= 4
    page.screenshot(path=str(SHOTS / "02-drawn.png"))

    page.get_by_text("2. Feature map and projection").click()
    settle(page)
    from roi_viz.lesson.numbers import exact

    expect(page.get_by_text(f"{exact(x)} / 32 = {exact(x / 32)}", exact=False)).to_be_visible()  # the projection, exact
    page.screenshot(path=str(SHOTS / "03-step2.png"))
    for _ in range(4):
        page.get_by_role("button", name="Next step").click()
        settle(page)
    expect(page.get_by_text("Step 6: Output and coverage")).to_be_visible()
    expect(page.get_by_text("reach the output", exact=False).first).to_be_visible()
    assert page.get_by_role("button", name="Next step").is_disabled()
    page.screenshot(path=str(SHOTS / "04-last-step.png"))


def test_broken_upload_shows_a_message_and_the_page_goes_on(page, tmp_path):
    bad = tmp_path / "holiday.jpg"
    bad.write_bytes(b"%PDF-1.4 this is a PDF renamed to .jpg")
    page.locator('input[type="file"]').set_input_files(str(bad))
    expect(page.get_by_text("not an image we can read", exact=False)).to_be_visible()
    expect(page.get_by_text("Walkthrough: RoI pooling")).to_be_visible()
    assert page.get_by_text("Traceback").count() == 0
    page.screenshot(path=str(SHOTS / "05-broken-upload.png"))


def test_methods_compare_view_and_sliding_plot(page):
    page.get_by_role("button", name="↺ Article example").click()
    settle(page)
    page.get_by_text("RoIAlign", exact=True).first.click()  # the method, in the sidebar
    settle(page)
    expect(page.get_by_text("Walkthrough: RoIAlign")).to_be_visible()
    page.get_by_text("4. One point, four cells").click()
    settle(page)
    expect(page.get_by_text("Bilinear interpolation.", exact=True)).to_be_visible()
    page.screenshot(path=str(SHOTS / "06-align-bilinear.png"))

    page.get_by_text("Compare the methods", exact=True).first.click()
    settle(page)
    expect(page.get_by_text("Every bin, side by side.")).to_be_visible()
    expect(page.get_by_text("RoIWarp (max, ratio 2)")).to_be_visible()
    page.screenshot(path=str(SHOTS / "07-compare.png"), full_page=True)

    page.get_by_text("Slide the box", exact=True).first.click()
    settle(page)
    expect(page.get_by_text("moved right in 60 equal moves", exact=False)).to_be_visible()
    page.get_by_text("down (y)").click()
    settle(page)
    expect(page.get_by_text("moved down in 60 equal moves", exact=False)).to_be_visible()
    assert page.get_by_text("Traceback").count() == 0
    page.screenshot(path=str(SHOTS / "08-slide.png"), full_page=True)


def test_a_file_over_the_upload_limit_is_refused_by_the_page(page, tmp_path):
    """Streamlit's own limit (config.toml, 25 MB) stops the file in the browser, before any Python sees it."""
    big = tmp_path / "phone-photo.jpg"
    big.write_bytes(b"\xff\xd8\xff\xe0" + os.urandom(26 * 1024 * 1024))
    if page.locator('input[type="file"]').count() == 0:  # run alone, the page starts on the sample
        page.get_by_text("Upload my own").click()
        settle(page)
    page.locator('input[type="file"]').set_input_files(str(big))
    chip = page.get_by_test_id("stFileChip").filter(has_text="phone-photo.jpg")
    expect(chip.get_by_test_id("stFileChipIconError")).to_be_visible()
    page.get_by_test_id("stTooltipErrorHoverTarget").filter(has_text="phone-photo.jpg").hover()
    expect(page.get_by_text("File must be 25.0MB or smaller.")).to_be_visible()
    settle(page)
    # The page goes on, with whichever method an earlier test of this module chose: its heading names it.
    expect(page.get_by_role("heading", name=re.compile(r"^(RoI pooling|RoIAlign|RoIWarp|Precise RoI Pooling), step by "
                                                       r"step$"))).to_be_visible()
    assert page.get_by_text("Something went wrong").count() == 0 and page.get_by_text("Traceback").count() == 0
    page.screenshot(path=str(SHOTS / "09-over-the-limit.png"))

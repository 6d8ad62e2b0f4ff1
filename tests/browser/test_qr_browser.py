"""A class joins by a QR code, in Chromium: the presenter opens “Students: scan to open this page” on a
1920 × 1080 projector, and the code on the screen, read back from a screenshot by OpenCV's QR detector,
is the students' link (no presenter mode, the same step and box), at least 400 px tall, axe clean;
an address typed in the panel makes a new code. Screenshots go to ``artifacts/screenshots/``.
"""
import os
import re
from urllib.parse import parse_qs, urlsplit

import cv2
import numpy as np
import pytest
from playwright.sync_api import expect

from helpers import SHOTS, figures_shown, idle

axe_module = pytest.importorskip("axe_playwright_python.sync_playwright",
                                 reason="pip install axe-playwright-python (the test extras)")
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PRESENTER = "/?present=1&step=3&roi=100_192_200_145"
STUDENTS = "/?roi=100_192_200_145&step=3"  # the same view, less present=1, in the page's own order
QR = "Students: scan to open this page"
# The server of this module (conftest's ``server`` fixture) starts from the browser's own address; the variable's
# own tests are in tests/page/test_qr_panel.py.
os.environ.pop("ROI_VIZ_PUBLIC_URL", None)


def open_page(browser, url):
    pg = browser.new_page(viewport={"width": 1920, "height": 1080})
    pg.set_default_timeout(120_000)
    pg.goto(url)
    figures_shown(pg)
    return pg


def code_shown(pg, previous: str | None = None):
    """The QR image in the open dialog, once loaded (and other than ``previous``, a code shown before)."""
    dialog = pg.get_by_role("dialog", name=QR)
    expect(dialog).to_be_visible()
    img = dialog.locator("img.roi-qr")
    expect(img).to_have_count(1)
    pg.wait_for_function("(p) => { const i = document.querySelector('img.roi-qr');"
                         " return i && i.complete && i.naturalWidth > 0 && i.alt !== p; }", arg=previous or "")
    idle(pg)
    return dialog, img


def read_screen(pg, name: str) -> str:
    """What a phone would read off the projector: the whole 1920 × 1080 screen, decoded by OpenCV.

    OpenCV's classic finder misses some codes that a phone reads (it locks onto the wrong squares; seen on a
    run where the code was whole and sharp); its ArUco-based detector, another reader, is asked then.
    """
    path = SHOTS / name
    png = pg.screenshot(path=str(path))
    img = cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_GRAYSCALE)
    for reader in (cv2.QRCodeDetector(), cv2.QRCodeDetectorAruco()):
        text, points, _ = reader.detectAndDecode(img)
        if points is not None and text:
            return text
    raise AssertionError(f"no QR code read from the screenshot {path.name}")


def violations(pg) -> list[str]:
    result = axe_module.Axe().run(pg, options={"runOnly": {"type": "tag", "values": TAGS}})
    return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
            for v in result.response["violations"]]


def test_the_projector_shows_a_qr_code_of_the_students_link(server, browser):
    pg = open_page(browser, server + PRESENTER)
    pg.get_by_role("button", name=QR).click()
    dialog, img = code_shown(pg)
    want = server + STUDENTS
    assert read_screen(pg, "qr-present-1920.png") == want
    # Large enough for the back of the room, square, whole on the screen, with words a person can type.
    box = img.bounding_box()
    assert box["height"] >= 400 and abs(box["width"] - box["height"]) < 1, box
    assert box["y"] >= 0 and box["y"] + box["height"] <= 1080 and box["x"] >= 0 and box["x"] + box["width"] <= 1920
    expect(img).to_have_attribute("alt", "QR code: " + want)
    printed = dialog.locator(".roi-qr-address")
    expect(printed).to_have_text(want)
    below = printed.bounding_box()
    assert below["y"] >= box["y"] + box["height"] and below["y"] + below["height"] <= 1080
    assert parse_qs(urlsplit(want).query) == {"roi": ["100_192_200_145"], "step": ["3"]}
    found = violations(pg)
    assert not found, "the QR panel:\n" + "\n".join(found)

    # The teacher types the address students reach the server by: a new code, read off the screen again.
    field = dialog.get_by_role("textbox", name="Address students use")
    field.fill("https://class.example.org/roi")
    field.press("Enter")
    dialog, img = code_shown(pg, previous="QR code: " + want)
    public = "https://class.example.org/roi" + STUDENTS
    assert read_screen(pg, "qr-present-1920-public.png") == public
    expect(dialog.locator(".roi-qr-address")).to_have_text(public)
    assert img.bounding_box()["height"] >= 400

    # Something that is not an address: a sentence and no code, the text shown as typed.
    field.fill("<b>class</b> javascript:alert(1)")
    field.press("Enter")
    expect(dialog.get_by_role("alert")).to_have_text(re.compile(r"^The address students use .*\.$"))
    expect(dialog.locator("img.roi-qr")).to_have_count(0)
    expect(dialog.locator("b")).to_have_count(0)
    found = violations(pg)
    assert not found, "the QR panel with a notice:\n" + "\n".join(found)

    # Closed, the slide is as it was: presenter mode on step 3, the address bar unchanged.
    pg.keyboard.press("Escape")
    expect(pg.get_by_role("dialog", name=QR)).to_have_count(0)
    expect(pg.get_by_role("heading", name=re.compile("^Step 3:"))).to_be_visible()
    assert parse_qs(urlsplit(pg.url).query) == {"present": ["1"], "step": ["3"], "roi": ["100_192_200_145"]}
    pg.close()


def test_the_typed_address_also_makes_the_link_and_stays_for_the_session(server, browser):
    pg = open_page(browser, server + PRESENTER)
    pg.get_by_role("button", name=QR).click()
    dialog, _ = code_shown(pg)
    field = dialog.get_by_role("textbox", name="Address students use")
    field.fill("http://10.0.0.5:8501")
    field.press("Enter")
    code_shown(pg, previous="QR code: " + server + STUDENTS)
    # Arrows typed in the field move its cursor, not the lesson (the slide's keys are ← and →).
    field.press("ArrowLeft")
    field.press("ArrowRight")
    field.press("PageDown")
    idle(pg)
    expect(dialog.locator(".roi-qr-address")).to_have_text("http://10.0.0.5:8501" + STUDENTS)
    pg.keyboard.press("Escape")
    expect(pg.get_by_role("dialog", name=QR)).to_have_count(0)
    idle(pg)
    pg.get_by_role("button", name="Link").click()
    expect(pg.get_by_text("http://10.0.0.5:8501" + STUDENTS, exact=True)).to_be_visible()
    pg.keyboard.press("Escape")
    pg.get_by_role("button", name=QR).click()
    code_shown(pg)
    assert read_screen(pg, "qr-present-1920-reopened.png") == "http://10.0.0.5:8501" + STUDENTS
    pg.close()


def test_the_page_offers_the_code_in_the_link_popover(server, browser):
    pg = open_page(browser, server + "/?view=compare&roi=100_192_200_145")
    assert pg.get_by_role("button", name=QR).count() == 0  # the tools row has it in presenter mode only
    pg.get_by_role("button", name="Link").click()
    pg.get_by_role("button", name="QR code of this link").click()
    dialog, img = code_shown(pg)
    assert read_screen(pg, "qr-page-1920.png") == server + "/?roi=100_192_200_145&view=compare"
    assert img.bounding_box()["height"] >= 400
    expect(pg.locator('[data-testid="stPopoverBody"]')).to_be_hidden()  # not drawn over the dialog
    found = violations(pg)
    assert not found, "the QR panel over the page:\n" + "\n".join(found)
    pg.close()

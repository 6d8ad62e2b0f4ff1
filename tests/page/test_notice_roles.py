"""A notice is heard, not only seen: warnings and errors are alerts, information is a status (WCAG 2.1, 4.1.3).

A notice can quote a link, a file's name or a typed answer, so it stays plain
text (``ui.widgets.say``, tests/page/test_plain_text.py); here its element carries the
role a screen reader announces: ``role="alert"`` for a warning or an error,
``role="status"`` for information. Chromium opens a bad link (a warning),
uploads a broken file (an error) and a two-frame GIF (information), and finds
each sentence by its role; axe-core checks the page with its notices.
"""
from __future__ import annotations

from html import unescape
from html.parser import HTMLParser

import pytest
from playwright.sync_api import expect
from streamlit.testing.v1 import AppTest

from helpers import APP, SHOTS, encode, notices, photo, settle
from roi_viz import link
from roi_viz.model import images
from ui.widgets import ROLES, notice_html

HOSTILE = ['<img src=x onerror=alert(1)>', '"><script>alert(1)</script>', "[Log in](http://x.invalid) & <b>b</b>",
           "</div><div role=\"alert\">forged</div>", "line one\nline two ⚠ “quoted”"]


class _Elements(HTMLParser):
    """Every start tag (with its attributes) and every piece of text of an HTML fragment."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.text = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


@pytest.mark.parametrize("kind", ["warning", "error", "info"])
@pytest.mark.parametrize("text", HOSTILE)
def test_a_notice_is_one_element_with_its_role_holding_the_text_as_text(kind, text):
    parsed = _Elements()
    parsed.feed(notice_html(text, kind))
    role = "status" if kind == "info" else "alert"
    assert ROLES[kind] == role
    assert parsed.tags == [("div", {"class": "roi-notice", "role": role})]  # nothing from the text became a tag
    assert "".join(parsed.text) == text  # every character shown as itself


def test_a_bad_links_warning_is_an_alert_on_the_page():
    """AppTest: the link's sentence is in the warning box, as the element with role alert (helpers.notices)."""
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params["step"] = "99"
    at.run()
    assert not at.exception
    sentence = link.from_params({"step": ["99"]})[1][0]
    box = [e for e in at.get("html") if 'class="roi-notice"' in e.proto.body]
    assert any(b.proto.body.startswith('<div class="roi-notice" role="alert">') and sentence in unescape(b.proto.body)
               for b in box), [b.proto.body for b in box]
    assert any(sentence in n for n in notices(at, "warning")), notices(at)


# ------------------------------------------------------------------ in Chromium
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def violations(pg) -> list[str]:
    """axe-core's WCAG 2.1 A/AA findings on the page, as tests/browser/test_accessibility.py runs it."""
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright",
                                     reason="pip install axe-playwright-python (the test extras)")
    result = axe_module.Axe().run(pg, options={"runOnly": {"type": "tag", "values": TAGS}})
    return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
            for v in result.response["violations"]]


def test_a_bad_links_warning_is_announced_as_an_alert_and_axe_is_clean(server, browser):
    sentence = link.from_params({"method": ["nope"]})[1][0]
    pg = browser.new_page(viewport={"width": 1366, "height": 768})
    pg.goto(f"{server}/?method=nope&view=nowhere")
    alert = pg.get_by_role("alert").filter(has_text=sentence)
    expect(alert).to_have_count(1, timeout=120_000)
    both = link.from_params({"method": ["nope"], "view": ["nowhere"]})[1]
    # Two problems, one notice: one line each, as plain text (the box keeps the line breaks).
    assert alert.inner_text().strip() == "⚠ " + "\n".join(f"- {n}" for n in both)
    assert alert.evaluate("e => e.closest('[class*=\"st-key-notice-warning\"]') !== null")  # in the warning box
    assert alert.evaluate("e => e.children.length") == 0  # text only: nothing inside it is an element
    pg.locator(".roi-figure").first.wait_for(timeout=120_000)  # a described figure: inline SVG
    settle(pg)
    pg.locator('[class*="st-key-notice-warning"]').first.screenshot(path=str(SHOTS / "notice-warning-alert.png"))
    found = violations(pg)
    pg.close()
    assert not found, "\n".join(found)


def test_a_broken_file_is_an_alert_and_a_note_on_a_photo_is_a_status(server, browser, tmp_path):
    bad = tmp_path / "holiday.jpg"
    bad.write_bytes(b"%PDF-1.4 this is a PDF renamed to .jpg")
    with pytest.raises(images.ImageError) as why:
        images.decode_image(bad.read_bytes())
    gif = tmp_path / "two frames.gif"
    frames = [photo(96, 64, seed=1), photo(96, 64, seed=2)]
    gif.write_bytes(encode(frames[0], "GIF", save_all=True, append_images=frames[1:]))
    notes = images.decode_image(gif.read_bytes()).notes
    assert notes, "a two-frame GIF gets a note"

    pg = browser.new_page(viewport={"width": 1366, "height": 768})
    pg.goto(server + "/")
    pg.locator(".roi-figure").first.wait_for(timeout=120_000)  # a described figure: inline SVG
    pg.get_by_text("Upload my own").click()
    settle(pg)
    pg.locator('input[type="file"]').set_input_files(str(bad))
    error = f"“{bad.name}” could not be used: {why.value}"
    alert = pg.get_by_role("alert").filter(has_text=error)
    expect(alert).to_have_count(1, timeout=120_000)
    assert alert.evaluate("e => e.closest('[class*=\"st-key-notice-error\"]') !== null")
    assert pg.get_by_role("status").filter(has_text=error).count() == 0

    pg.locator('input[type="file"]').set_input_files(str(gif))
    for note in notes:
        status = pg.get_by_role("status").filter(has_text=note)
        expect(status).to_have_count(1, timeout=120_000)
        assert status.inner_text().strip() == note
        assert status.evaluate("e => e.closest('[class*=\"st-key-notice-info\"]') !== null")
        assert status.evaluate("e => e.getAttribute('role')") == "status"
    pg.locator(".roi-figure").first.wait_for(timeout=120_000)  # a described figure: inline SVG
    settle(pg)
    pg.screenshot(path=str(SHOTS / "notice-error-and-status.png"), full_page=True)
    found = violations(pg)
    pg.close()
    assert not found, "\n".join(found)

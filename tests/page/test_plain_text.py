"""What comes from a link, a file or a student is shown as plain text, never as Markdown or HTML.

Every channel gets payloads that would, if interpreted, plant a link, an outside
image, HTML or a Streamlit directive (colour, icon) in the page: every link
parameter (and an unknown one), an uploaded file's name, a typed quiz answer.
The test reads every element that interprets Markdown (markdown, captions,
alerts, toasts) and checks no payload reached one; the notices carry it as text.
Chromium then opens a hostile link and looks at the DOM itself.
"""
import re
from urllib.parse import urlsplit

import pytest
from streamlit.testing.v1 import AppTest

from helpers import APP, notices, widget
from roi_viz import link


PAYLOADS = {
    "link": "[Log in](http://example.invalid)",
    "image": "![x](http://example.invalid/p.png)",
    "html": "<img src=http://example.invalid/h.png onerror=alert(1)>",
    "colour": ":red[**ALARM**] :material/warning: $x^2$",
}
# What would show that a payload was interpreted, or reached an interpreting element at all.
MARKERS = ("example.invalid", "<img", ":red[", ":material/")


def interpreting(at) -> list[str]:
    """The text of every element that reads Markdown: nothing from outside may reach them."""
    kinds = ("markdown", "caption", "warning", "error", "info", "success", "toast", "title", "header", "subheader",
             "exception")
    return [str(e.value) for kind in kinds for e in at.get(kind)]


def assert_only_text(at) -> None:
    assert not at.exception
    for value in interpreting(at):
        for marker in MARKERS:
            assert marker not in value, f"{marker!r} reached an element that interprets Markdown: {value[:200]!r}"
    # HTML elements: a notice is one element holding escaped text (nothing in it can be a tag); no other one
    # (the page's style, the figures) carries anything from outside.
    for e in at.get("html"):
        body = e.proto.body
        if 'class="roi-notice"' in body:
            assert re.fullmatch(r'<div class="roi-notice" role="(alert|status)">[^<>]*</div>', body, re.S), body[:200]
        else:
            assert "invalid" not in body and ":red[" not in body, body[:200]


@pytest.mark.parametrize("name", list(PAYLOADS))
def test_every_link_parameter_is_shown_as_text(name):
    payload = PAYLOADS[name]
    at = AppTest.from_file(APP, default_timeout=180)
    for param in link.KNOWN:
        at.query_params[param] = payload
    at.query_params[payload] = "1"  # an unknown parameter whose name is the payload
    at.run()
    assert_only_text(at)
    said = "\n".join(notices(at, "warning"))
    assert "view" in said and "level" in said, said  # the bad values are named...
    assert "example.invalid" in said or "..." in said  # ...and quoted as text (long ones shortened)


@pytest.mark.parametrize("param", ["view", "level", "method", "img", "out", "roi"])
def test_a_short_hostile_value_is_quoted_whole_as_text(param):
    payload = "[Log in](http://x.invalid)"[:24]  # short enough to be quoted whole
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params[param] = payload
    at.run()
    assert not at.exception
    assert any(payload in n for n in notices(at, "warning")), notices(at)
    assert all(payload not in v for v in interpreting(at))


@pytest.mark.parametrize("name", list(PAYLOADS))
def test_an_uploaded_files_name_is_shown_as_text(name):
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    widget(at, "radio", "Source").set_value("upload").run()
    filename = PAYLOADS[name] + ".png"
    at.file_uploader(key="upload").set_value((filename, b"not an image", "image/png")).run()
    assert_only_text(at)
    assert any(filename in n for n in notices(at, "error")), notices(at)


@pytest.mark.parametrize("name", list(PAYLOADS))
def test_a_typed_quiz_answer_is_shown_as_text(name):
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params["view"] = "quiz"
    at.query_params["seed"] = "3"
    at.run()
    fields = [t for t in at.text_input if not t.disabled]
    assert fields
    for f in fields:
        f.set_value(PAYLOADS[name][:20])
    widget(at, "button", "Check").click().run()
    assert_only_text(at)
    quoted = PAYLOADS[name][:20].strip()
    assert any(quoted[:10] in n for n in notices(at)), notices(at)


def test_a_hostile_link_in_chromium_plants_nothing(server, browser):
    pg = browser.new_page(viewport={"width": 1366, "height": 768})
    outside = []
    pg.on("request", lambda r: outside.append(r.url) if (urlsplit(r.url).hostname or "").endswith(".invalid") else None)
    query = ("level=%5BLog%20in%5D(http%3A%2F%2Fexample.invalid)"
             "&view=!%5Bx%5D(http%3A%2F%2Fexample.invalid%2Fp.png)"
             "&method=%3Ared%5B**ALARM**%5D&img=%3Cb%3Ebold%3C%2Fb%3E")
    pg.goto(f"{server}/?{query}")
    notice = pg.locator('[class*="st-key-notice-warning"]').first
    notice.get_by_role("alert").wait_for(timeout=120_000)  # the notice's own element, with its text
    text = notice.inner_text()
    assert "[Log in](http://examp" in text and ":red[**ALARM**]" in text, text  # quoted, shortened
    assert "<b>bold</b>" in text
    assert notice.get_by_role("alert").inner_text() == text  # announced: the text is the alert's own
    assert pg.locator('a[href*="example.invalid"]').count() == 0
    assert pg.locator('img[src*="example.invalid"]').count() == 0
    assert notice.locator("b, strong, a, img, span[class*='color'], em").count() == 0
    assert outside == [], outside
    pg.close()


def test_a_link_too_long_for_the_server_is_named_not_dropped_silently(server, browser):
    """Streamlit empties a query of over 1,000 parameters before the page runs; the page reads it in the browser."""
    pg = browser.new_page(viewport={"width": 1366, "height": 768})
    pg.goto(server + "/?" + "&".join(f"roi={i}_{i}_40_40" for i in range(1001)))
    notice = pg.locator('[class*="st-key-notice-warning"]').filter(has_text="1,001 parameters")
    notice.wait_for(timeout=120_000)
    assert "none of it could be read" in notice.inner_text()
    pg.goto(server + "/?view=compare")  # an ordinary link: no such notice
    pg.wait_for_selector('img.roi-figure, [data-testid="roi-figure"] svg', timeout=120_000)
    assert pg.locator('[class*="st-key-notice-"]').filter(has_text="parameters").count() == 0
    pg.close()

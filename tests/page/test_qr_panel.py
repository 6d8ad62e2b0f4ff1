"""The QR panel's contents (``ui.teacher.qr_panel``) in AppTest: which address it starts from, what a typed
address does, and that whatever is typed is shown as plain text, never interpreted.

The panel opens in a dialog from the teacher's tools; Chromium tests the dialog itself
(tests/browser/test_qr_browser.py). Here the panel's function runs on a page of its own, with the
lesson's state read from the link as the app reads it.
"""
import base64
import html
import re

import cv2
import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from helpers import notices, page_text

STUDENT_QUERY = "roi=100_192_200_145&step=3"


def panel_page():
    from ui import teacher

    teacher.qr_panel()


@pytest.fixture
def at(monkeypatch):
    monkeypatch.delenv("ROI_VIZ_PUBLIC_URL", raising=False)
    app = AppTest.from_function(panel_page, default_timeout=60)
    for name, value in (("present", "1"), ("step", "3"), ("roi", "100_192_200_145")):
        app.query_params[name] = value
    return app


def shown_qr(at) -> tuple[str, str, str] | None:
    """The QR code on the panel: ``(what it decodes to, its alt text, the address printed under it)``."""
    bodies = [e.proto.body for e in at.get("html") if 'class="roi-qr"' in e.proto.body]
    if not bodies:
        return None
    assert len(bodies) == 1
    body = bodies[0]
    data = base64.b64decode(re.search(r'src="data:image/png;base64,([^"]+)"', body).group(1))
    img = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_GRAYSCALE)
    decoded = cv2.QRCodeDetector().detectAndDecode(img)[0]
    alt = html.unescape(re.search(r'alt="([^"]*)"', body).group(1))
    printed = html.unescape(re.search(r'<p class="roi-qr-address"[^>]*>([^<]*)</p>', body).group(1))
    return decoded, alt, printed


def field(at):
    found = [t for t in at.text_input if t.label == "Address students use"]
    assert len(found) == 1
    return found[0]


def test_the_environment_variable_sets_the_address(at, monkeypatch):
    monkeypatch.setenv("ROI_VIZ_PUBLIC_URL", "https://class.example.org/roi")
    at.run()
    assert not at.exception
    assert field(at).value == "https://class.example.org/roi"
    want = "https://class.example.org/roi/?" + STUDENT_QUERY
    assert shown_qr(at) == (want, "QR code: " + want, want)
    assert "From the ROI_VIZ_PUBLIC_URL environment variable." in page_text(at)
    assert notices(at) == []


def test_a_typed_address_replaces_it_and_a_cleared_field_goes_back(at, monkeypatch):
    monkeypatch.setenv("ROI_VIZ_PUBLIC_URL", "https://class.example.org/roi")
    at.run()
    field(at).input("http://10.0.0.5:8501").run()
    want = "http://10.0.0.5:8501/?" + STUDENT_QUERY
    assert shown_qr(at) == (want, "QR code: " + want, want)
    at.run()  # the typed address stays for the session
    assert field(at).value == "http://10.0.0.5:8501" and shown_qr(at)[0] == want
    field(at).input("").run()
    assert shown_qr(at)[0] == "https://class.example.org/roi/?" + STUDENT_QUERY


def test_without_any_address_the_panel_asks_for_one(at):
    at.run()  # no variable, and AppTest has no browser to tell the page its address
    assert not at.exception
    assert shown_qr(at) is None
    assert field(at).value == ""
    assert notices(at, "warning") == ["The address students use is empty: type one such as http://10.0.0.5:8501."]


@pytest.mark.parametrize("typed", [
    "javascript:alert(1)",
    "<img src=x onerror=alert(1)>",
    "[click me](http://evil.example)",
    "**bold** http://x",
    "http://teacher:secret@10.0.0.5:8501",
    "http://10.0.0.5:8501/?present=1",
    "file:///etc/passwd",
])
def test_an_address_students_cannot_use_gets_a_sentence_and_no_code(at, typed):
    at.run()
    field(at).input(typed).run()
    assert not at.exception
    assert shown_qr(at) is None
    said = notices(at, "warning")
    assert len(said) == 1 and said[0].startswith("The address students use ") and said[0].endswith(".")
    assert typed not in said[0]  # the sentence names the fault; the field shows the text as typed
    assert field(at).value == typed


def test_a_bad_environment_variable_is_named_not_used(at, monkeypatch):
    monkeypatch.setenv("ROI_VIZ_PUBLIC_URL", "class.example.org:8501")
    at.run()
    assert shown_qr(at) is None
    assert notices(at, "warning") == ["The address students use must start with http:// or https://, for example "
                                      "http://10.0.0.5:8501."]
    field(at).input("https://class.example.org:8501").run()
    assert shown_qr(at)[0] == "https://class.example.org:8501/?" + STUDENT_QUERY


def test_the_teachers_own_computer_is_named_as_such(at):
    at.run()
    field(at).input("http://localhost:8501").run()
    assert shown_qr(at)[0] == "http://localhost:8501/?" + STUDENT_QUERY  # still shown: a student may sit at it
    (said,) = notices(at, "warning")
    assert "names the computer it is opened on" in said

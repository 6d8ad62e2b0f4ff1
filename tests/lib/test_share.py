"""The students' link and its QR code (``roi_viz.state.share``): the address built from a base and the page's state,
bad bases refused with a sentence, and the rendered QR code read back by OpenCV's detector to the exact link."""
from dataclasses import replace
from urllib.parse import parse_qs, urlsplit

import cv2
import numpy as np
import pytest

from roi_viz import link
from roi_viz.state import share


def decode(png: bytes) -> str:
    """What a phone's camera would read: OpenCV's QR detector on the PNG's pixels, as shown on the page."""
    img = cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_GRAYSCALE)
    assert img is not None, "the QR code is not a readable PNG"
    text, points, _ = cv2.QRCodeDetector().detectAndDecode(img)
    assert points is not None, "no QR code found in the image"
    return text


STATES = {
    "article": link.DEFAULT,
    "presenter step 3": replace(link.DEFAULT, rois=((100.0, 192.0, 200.0, 145.0),), step=2, present=True),
    "compare, two boxes": replace(link.DEFAULT, view="compare", rois=((10.0, 20.0, 100.0, 50.0),
                                                                     (200.0, 40.0, 64.0, 64.0)), active=1),
    "quiz": replace(link.DEFAULT, view="quiz", quiz_level="starter", quiz_seed=12345, present=True),
}
BASES = {  # as typed -> the root of every link built on it
    "http://10.0.0.5:8501": "http://10.0.0.5:8501/",
    "http://10.0.0.5:8501/": "http://10.0.0.5:8501/",
    "  https://Class.Example.ORG/roi  ": "https://class.example.org/roi/",
    "https://class.example.org/roi/": "https://class.example.org/roi/",
    "https://class.example.org/roi//": "https://class.example.org/roi/",
    "https://class.example.org/a/b": "https://class.example.org/a/b/",
    "HTTP://[::1]:8501": "http://[::1]:8501/",
    "https://bücher.example/klasse": "https://xn--bcher-kva.example/klasse/",
}


@pytest.mark.parametrize("state", list(STATES))
@pytest.mark.parametrize("typed", list(BASES))
def test_the_students_link_is_the_base_and_the_page_without_presenter_mode(typed, state):
    params = link.to_params(STATES[state])
    url = share.student_link(typed, params)
    root = BASES[typed]
    assert url == root or url.startswith(root + "?"), url
    got = parse_qs(urlsplit(url).query, keep_blank_values=True)
    wanted = {k: v if isinstance(v, list) else [v] for k, v in params.items() if k != "present"}
    assert got == wanted
    assert "present" not in got and "present" not in url
    # The link opens the same state, less presenter mode, and nothing is said to be wrong with it.
    opened, notices = link.from_params(got)
    assert notices == []
    assert opened == replace(STATES[state], present=False)


def test_the_article_example_is_the_bare_base():
    assert share.student_link("http://10.0.0.5:8501", link.to_params(link.DEFAULT)) == "http://10.0.0.5:8501/"
    assert share.student_link("http://h/roi", {"present": "1"}) == "http://h/roi/"


def test_a_repeated_parameter_keeps_its_order():
    url = share.student_link("http://h", {"roi": ["1_2_3_4", "5_6_7_8"], "step": "2", "present": "1"})
    assert url == "http://h/?roi=1_2_3_4&roi=5_6_7_8&step=2"


@pytest.mark.parametrize("bad, says", [
    ("", "empty"),
    ("   ", "empty"),
    ("10.0.0.5:8501", "http:// or https://"),
    ("javascript:alert(1)", "http:// or https://"),
    ("ftp://class.example.org", "http:// or https://"),
    ("data:text/html,<b>hi</b>", "http:// or https://"),
    ("<a href='http://x'>x</a>", "spaces"),
    ("<b>http://x</b>", "http:// or https://"),
    ("http://x/{a}", "not allowed in an address"),
    ("http://x/<script>", "not allowed in an address"),
    ("[class](http://evil.example)", "http:// or https://"),
    ("http://", "no host"),
    ("http:///roi", "no host"),
    ("http://teacher:secret@10.0.0.5", "user name or password"),
    ("http://10.0.0.5:8501/?present=1", "leave out"),
    ("http://10.0.0.5:8501/#top", "leave out"),
    ("http://10.0.0.5:99999", "port"),
    ("http://10.0.0.5:0", "port"),
    ("http://10.0.0.5:abc", "port"),
    ("http://class example.org", "spaces"),
    ("http://class.example.org/\nroi", "spaces"),
    ("http://-class-.example.org", "not a valid name"),
    ("http://a_b.example.org", "not a valid name"),
    ("http://class.example.org\\roi", "backslash"),
    ("http://" + "a" * 600, "characters long"),
])
def test_a_base_students_could_not_use_is_refused_with_a_sentence(bad, says):
    with pytest.raises(share.BadBase) as refused:
        share.student_link(bad, {"step": "3"})
    sentence = str(refused.value)
    assert says in sentence and sentence.endswith(".") and "\n" not in sentence
    assert "Traceback" not in sentence


def test_loopback_names_the_teachers_own_computer():
    for base in ("http://localhost:8501/", "http://127.0.0.1:8501/", "http://[::1]:8501/", "http://app.localhost/"):
        assert share.names_this_computer(share.check_base(base)), base
    for base in ("http://10.0.0.5:8501/", "https://class.example.org/roi/", "http://192.168.1.20/"):
        assert not share.names_this_computer(share.check_base(base)), base


URLS = [
    "http://10.0.0.5:8501/",
    "http://10.0.0.5:8501/?roi=100_192_200_145&step=3",
    "https://class.example.org/roi/?view=compare&roi=10_20_100_50&roi=200_40_64_64&active=2",
    share.student_link("http://192.168.100.200:8501", {"roi": [f"{i}_{2 * i}_{30 + i}_{40 + i}" for i in range(40)],
                                                        "method": "align", "step": "5"}),
]


@pytest.mark.parametrize("url", URLS, ids=lambda u: f"{len(u)} chars")
def test_the_qr_code_reads_back_to_the_exact_link(url):
    """Rendered at the size the page shows it (``ui.teacher.QR_PX``), dark on white, with its quiet zone."""
    from ui.teacher import QR_PX

    png = share.qr_png(url, QR_PX)
    img = cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_GRAYSCALE)
    side = share.modules(url)
    scale = QR_PX // side
    assert img.shape == (side * scale, side * scale) and img.shape[0] > QR_PX * 0.8
    assert set(np.unique(img)) == {0, 255}, "pure black on pure white"
    # The quiet zone: four modules of white on every side.
    zone = share.QUIET_ZONE * scale
    for edge in (img[:zone], img[-zone:], img[:, :zone], img[:, -zone:]):
        assert edge.min() == 255
    assert decode(png) == url


def test_the_qr_code_at_a_small_size_still_reads_back():
    url = URLS[1]
    png = share.qr_png(url, 120)
    assert decode(png) == url


def test_a_link_longer_than_any_qr_code_gets_a_sentence():
    url = share.student_link("http://10.0.0.5:8501", {"roi": [f"{i}_{i}_{i + 100}_{i + 100}" for i in range(400)]})
    assert len(url) > 3000
    with pytest.raises(share.TooLong) as refused:
        share.qr_png(url)
    assert "more than a QR code holds" in str(refused.value)

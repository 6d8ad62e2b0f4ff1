"""Every bad input a class produces, in the page: a clear message, then the same session goes on.

Files arrive through the real upload widget (AppTest), each followed by a good
photo in the same session. RoIs are typed into the number inputs.
"""
import builtins
import io
import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from helpers import APP, encode, figures, notices, page_state, page_text, photo, png_header_only, widget
from roi_viz.model import images




def png16() -> bytes:
    arr = (np.linspace(0, 65535, 64 * 48).reshape(48, 64)).astype(np.uint16)
    return encode(Image.fromarray(arr), "PNG")


def animated_gif() -> bytes:
    frames = [Image.new("RGB", (40, 30), c) for c in ((255, 0, 0), (0, 255, 0), (0, 0, 255))]
    buf = io.BytesIO()
    frames[0].save(buf, format="GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    return buf.getvalue()


def exif_rotated() -> bytes:
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to display"
    return encode(photo(80, 40), "JPEG", exif=exif.tobytes())


# (name, file name, bytes, what the page must say: an error for bad files, a note or nothing for odd good ones)
BAD = [
    ("empty", "empty.png", b"", "empty"),
    ("truncated-jpeg", "cut.jpg", encode(photo(), "JPEG")[:300], "damaged"),
    ("text-renamed", "notes.png", b"shopping list: eggs, milk\n" * 30, "not an image we can read"),
    ("svg", "drawing.png", b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>', "not an image we can read"),
    ("pdf-renamed", "scan.jpg", b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n", "not an image we can read"),
    ("bomb-20000x20000", "huge.png", png_header_only(20_000, 20_000), "megapixels"),
    ("over-the-limit", "phone.png", b"\x89PNG\r\n\x1a\n" + b"\0" * (images.MAX_FILE_MB * 1024 * 1024 + 1), "limit"),
]
ODD_BUT_GOOD = [
    ("one-pixel", "dot.png", encode(Image.new("RGB", (1, 1), (200, 10, 10)), "PNG"), "The original is 1 × 1"),
    ("16-bit-png", "deep.png", png16(), "16-bit"),
    ("cmyk-jpeg", "print.jpg", encode(photo().convert("CMYK"), "JPEG"), "CMYK"),
    ("animated-gif", "anim.gif", animated_gif(), "the first one is used"),
    ("exif-rotated", "phone.jpg", exif_rotated(), "EXIF orientation was applied"),
]
GOOD = ("good.jpg", encode(photo(320, 240, seed=3), "JPEG"), "image/jpeg")



@pytest.fixture
def uploading():
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    widget(at, "radio", "Source").set_value("upload").run()
    assert not at.exception
    return at


def then_a_good_photo_works(at):
    at.file_uploader(key="upload").set_value(GOOD).run()
    assert not at.exception and not notices(at, "error")
    assert "The original is 320 × 240" in page_text(at)
    widget(at, "radio", "Step").set_value(5).run()
    assert figures(at) and "Step 6: Output and coverage" in page_text(at)


@pytest.mark.parametrize("name, filename, data, words", BAD, ids=[b[0] for b in BAD])
@pytest.mark.slow
def test_bad_file_gets_a_message_and_the_session_goes_on(uploading, name, filename, data, words):
    at = uploading
    at.file_uploader(key="upload").set_value((filename, data, "image/png")).run()
    assert not at.exception
    errors = " ".join(notices(at, "error"))
    assert filename in errors and words in errors, errors
    assert "Traceback" not in page_text(at) and figures(at)  # the sample is shown instead
    then_a_good_photo_works(at)


@pytest.mark.parametrize("name, filename, data, words", ODD_BUT_GOOD, ids=[b[0] for b in ODD_BUT_GOOD])
@pytest.mark.slow
def test_unusual_but_valid_file_is_used(uploading, name, filename, data, words):
    at = uploading
    at.file_uploader(key="upload").set_value((filename, data, "image/png")).run()
    assert not at.exception and not notices(at, "error")
    assert words in page_text(at)
    then_a_good_photo_works(at)


@pytest.mark.parametrize("field, value, words", [
    ("x", -50.0, "cut"),  # negative: the part outside is cut away
    ("x", 600.0, "outside"),  # entirely outside the 512 x 512 input
    ("w", 0.0, "positive"),  # zero size
    ("h", -5.0, "positive"),  # negative size
    ("w", 2000.0, "cut"),  # larger than the image
])
def test_bad_roi_numbers_get_a_message_and_the_page_goes_on(field, value, words):
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    widget(at, "number_input", field).set_value(value).run()
    assert not at.exception and not notices(at, "error")
    notes = " ".join(notices(at))
    assert words in notes, notes
    x, y, w, h = page_state(at).store.boxes(512)[0]
    assert 0 <= x and x + w <= 512 and 0 <= y and y + h <= 512 and w > 0 and h > 0
    widget(at, "radio", "Step").set_value(5).run()
    assert figures(at) and not at.error


@pytest.mark.parametrize("roi", ["a,b,c,d", "1,2,3"])
def test_roi_that_is_not_four_numbers_is_refused_by_the_cli(roi, capsys):
    from roi_viz.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["explain", "--roi", roi])
    assert exc.value.code == 2 and "--roi takes four numbers" in capsys.readouterr().err


def test_roi_with_nan_is_refused_with_a_sentence(capsys):
    from roi_viz.cli import main

    assert main(["explain", "--roi", "nan,0,10,10"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error:") and "NaN" in err


def test_uploaded_files_are_written_only_into_the_store(uploading, monkeypatch, tmp_path):
    """Watch every file opened for writing while a photo is uploaded and walked through: only the store's."""
    store = tmp_path / "store"
    monkeypatch.setenv("ROI_VIZ_UPLOADS", str(store))
    written = []
    real_open, real_os_open = builtins.open, os.open

    def watching_open(file, mode="r", *args, **kwargs):
        if any(c in mode for c in "wax+"):
            written.append(str(file))
        return real_open(file, mode, *args, **kwargs)

    def watching_os_open(path, flags, *args, **kwargs):
        if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            written.append(str(path))
        return real_os_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", watching_open)
    monkeypatch.setattr(os, "open", watching_os_open)
    at = uploading
    at.file_uploader(key="upload").set_value(("private.jpg", encode(photo(300, 200, seed=9), "JPEG"), "image/jpeg")).run()
    widget(at, "radio", "Step").set_value(2).run()
    monkeypatch.setattr(builtins, "open", real_open)
    monkeypatch.setattr(os, "open", real_os_open)
    assert not at.exception and "The original is 300 × 200" in page_text(at)
    assert written, "the photo was not stored"
    assert all(Path(w).resolve().parent == store.resolve() for w in written), written
    stored = page_state(at).photo.stored
    assert [p.name for p in store.iterdir()] == [stored + ".png"]


def test_the_upload_limit_is_said_on_the_page(uploading):
    label = uploading.file_uploader(key="upload").label
    assert f"up to {images.MAX_FILE_MB} MB" in label

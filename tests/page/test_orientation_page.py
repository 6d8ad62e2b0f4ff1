"""A photo whose orientation tag is invalid, uploaded through the page: shown as stored, and the notice says so.

The files are real JPEGs with the tag written by Pillow, in EXIF or in XMP (Pillow read XMP's
value by its first digit: "255" flipped the photo and "65535" turned it, while the notice said
"EXIF orientation was applied").
"""
from __future__ import annotations


import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from helpers import APP, encode, notices, page_text, photo, widget, xmp_with_orientation



def jpeg(where: str, value: int) -> bytes:
    if where == "EXIF":
        exif = Image.Exif()
        exif[0x0112] = value
        return encode(photo(80, 40), "JPEG", exif=exif.tobytes())
    return encode(photo(80, 40), "JPEG", xmp=xmp_with_orientation(str(value)))


@pytest.fixture(scope="module")
def uploading():
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    widget(at, "radio", "Source").set_value("upload").run()
    assert not at.exception
    return at


@pytest.mark.parametrize("where, value", [("EXIF", 0), ("EXIF", 65535), ("XMP", 9), ("XMP", 255), ("XMP", 65535)])
@pytest.mark.slow
def test_the_notice_says_the_tag_was_ignored(uploading, where, value):
    at = uploading
    at.file_uploader(key="upload").set_value((f"tag{value}.jpg", jpeg(where, value), "image/jpeg")).run()
    assert not at.exception and not notices(at, "error")
    said = [n for n in notices(at) if "orientation" in n]
    assert said == [f"The file's {where} orientation ({value}) is not a valid value (1 to 8), so it was ignored "
                    "and the photo is shown as stored."], notices(at)
    text = page_text(at)
    assert "applied" not in " ".join(notices(at)) and "The original is 80 × 40" in text  # not turned

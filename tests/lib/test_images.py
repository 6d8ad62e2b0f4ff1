"""Real decoding with Pillow: every format and mode we promise, and clear refusals."""
import io

import numpy as np
import pytest
from PIL import Image

from roi_viz.model import images
from roi_viz.model.images import ImageError, decode_image, prepare_input

from helpers import encode, photo, png_header_only, xmp_with_orientation


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP", "BMP", "TIFF", "GIF"])
def test_formats_decode_to_rgb(fmt):
    d = decode_image(encode(photo(), fmt))
    assert d.image.mode == "RGB" and d.original_size == (64, 48) and d.format == fmt
    top_left = np.asarray(d.image)[2, 2]
    assert top_left[0] > 180 and top_left[1] < 80  # the red block survived


def test_animated_gif_uses_the_first_frame():
    frames = [Image.new("RGB", (20, 20), c) for c in ((255, 0, 0), (0, 0, 255), (0, 255, 0))]
    buf = io.BytesIO()
    frames[0].save(buf, format="GIF", save_all=True, append_images=frames[1:], duration=100)
    d = decode_image(buf.getvalue())
    assert tuple(np.asarray(d.image)[5, 5]) == (255, 0, 0)
    assert any("3 frames" in n for n in d.notes)


def test_exif_orientation_is_honoured():
    img = photo(40, 20)  # stored landscape, red block top-left
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 degrees clockwise to display"
    d = decode_image(encode(img, "JPEG", exif=exif.tobytes(), quality=95))
    assert d.original_size == (20, 40) and d.image.size == (20, 40)
    arr = np.asarray(d.image)
    assert arr[2, -3, 0] > 180 and arr[2, -3, 1] < 90  # the red block is now top-right
    assert any("orientation" in n for n in d.notes)


@pytest.mark.parametrize("mode", ["L", "P", "1", "CMYK", "RGBA", "LA"])
def test_modes_become_rgb(mode):
    fmt = "JPEG" if mode == "CMYK" else "PNG"
    d = decode_image(encode(photo().convert(mode), fmt))
    assert d.image.mode == "RGB" and d.image.size == (64, 48)


def test_transparency_is_laid_on_white():
    img = Image.new("RGBA", (10, 10), (0, 0, 0, 0))
    d = decode_image(encode(img, "PNG"))
    assert tuple(np.asarray(d.image)[5, 5]) == (255, 255, 255)


def test_16_bit_png_is_scaled_not_clipped():
    ramp = np.linspace(0, 65535, 64 * 48).reshape(48, 64).astype(np.uint16)
    d = decode_image(encode(Image.fromarray(ramp), "PNG"))
    arr = np.asarray(d.image)[..., 0]
    assert arr.min() == 0 and arr.max() == 255
    assert 100 < arr[24, 32] < 160  # the middle of the ramp is mid-grey, not white
    assert any("16-bit" in n for n in d.notes)


def test_one_pixel_image_works():
    d = decode_image(encode(Image.new("RGB", (1, 1), (9, 9, 9)), "PNG"))
    img, mapping = prepare_input(d, 512)
    assert img.size == (512, 512) and mapping.scale == (512, 512)



@pytest.mark.parametrize(
    "data, words",
    [
        (b"", "empty"),
        (encode(photo(), "JPEG")[:300], "damaged"),
        (b"hello, this is a text file\n" * 20, "not an image"),
        (b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>', "not an image"),
        (b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n", "not an image"),
        (png_header_only(20_000, 20_000), "megapixels"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * (images.MAX_FILE_MB * 1024 * 1024 + 1), "limit"),
    ],
    ids=["empty", "truncated-jpeg", "text", "svg", "pdf", "bomb", "too-large"],
)
def test_bad_files_get_a_clear_message(data, words):
    with pytest.raises(ImageError, match=words):
        decode_image(data)


def test_input_mapping_round_trip():
    d = decode_image(encode(photo(640, 427), "PNG"))
    img, m = prepare_input(d, 512)
    assert img.size == (512, 512)
    assert m.scale == (512 / 640, 512 / 427)
    box = (100.0, 50.0, 200.0, 100.0)
    assert m.to_original(m.to_input(box)) == pytest.approx(box)


@pytest.mark.parametrize("size", [223, 500, 1056, 0])
def test_input_size_must_be_a_multiple_of_32_in_range(size):
    d = decode_image(encode(photo(), "PNG"))
    with pytest.raises(ValueError, match="multiple of 32"):
        prepare_input(d, size)


def test_samples_ship_with_licences():
    from roi_viz.model.samples import list_samples

    found = list_samples()
    assert len(found) >= 3
    for s in found:
        assert s.licence and s.source
        assert decode_image(s.path.read_bytes()).image.mode == "RGB"


# ------------------------------------------------------------------ invalid orientation tags
INVALID_ORIENTATIONS = [0, 9, 255, 65535]


def assert_shown_as_stored(d, src: Image.Image, value) -> None:
    """Unturned, unflipped, and a note that says the tag was ignored, never that it was applied."""
    assert d.image.size == src.size and d.original_size == src.size
    diff = np.abs(np.asarray(d.image, np.int16) - np.asarray(src, np.int16)).mean()
    assert diff < 3, diff  # JPEG's loss only: a flip or a turn of this picture differs by far more
    text = " ".join(d.notes)
    assert "applied" not in text and "upright" not in text, d.notes
    said = [n for n in d.notes if "orientation" in n]
    assert len(said) == 1 and f"({value})" in said[0] and "not a valid value" in said[0] \
        and "ignored" in said[0] and "as stored" in said[0], d.notes


def smooth(w: int = 80, h: int = 40) -> Image.Image:
    arr = np.asarray(photo(w, h)).copy()
    arr[..., 2] = 128  # no noise, so JPEG's loss stays small and a wrong turn shows
    return Image.fromarray(arr)


@pytest.mark.parametrize("value", INVALID_ORIENTATIONS)
def test_an_invalid_exif_orientation_in_a_jpeg_is_ignored_and_said_so(value):
    src = smooth()
    exif = Image.Exif()
    exif[0x0112] = value
    d = decode_image(encode(src, "JPEG", exif=exif.tobytes(), quality=95))
    assert_shown_as_stored(d, src, value)


@pytest.mark.parametrize("element", [False, True], ids=["attribute", "element"])
@pytest.mark.parametrize("value", INVALID_ORIENTATIONS)
def test_an_invalid_xmp_orientation_in_a_jpeg_is_ignored_and_said_so(value, element):
    """Pillow reads XMP's orientation by its first digit: "255" flipped the photo, "65535" turned it."""
    src = smooth()
    d = decode_image(encode(src, "JPEG", xmp=xmp_with_orientation(str(value), element), quality=95))
    assert_shown_as_stored(d, src, value)


@pytest.mark.parametrize("fmt", ["PNG", "TIFF", "WEBP"])
@pytest.mark.parametrize("value", [255, 65535])
def test_an_invalid_xmp_orientation_in_other_formats_is_ignored(fmt, value):
    from PIL import PngImagePlugin

    src = smooth()
    xmp = xmp_with_orientation(str(value))
    if fmt == "PNG":
        info = PngImagePlugin.PngInfo()
        info.add_itxt("XML:com.adobe.xmp", xmp.decode())
        data = encode(src, "PNG", pnginfo=info)
    elif fmt == "TIFF":
        data = encode(src, "TIFF", tiffinfo={700: xmp})  # the TIFF reader turns the photo while loading it
    else:
        data = encode(src, "WEBP", xmp=xmp, lossless=True)
    assert_shown_as_stored(decode_image(data), src, value)


@pytest.mark.parametrize("value, turn", [(6, Image.Transpose.ROTATE_270), (3, Image.Transpose.ROTATE_180)])
def test_a_valid_xmp_orientation_is_applied_and_said_so(value, turn):
    src = smooth()
    d = decode_image(encode(src, "JPEG", xmp=xmp_with_orientation(str(value)), quality=95))
    want = src.transpose(turn)
    assert d.image.size == want.size and d.original_size == want.size
    assert np.abs(np.asarray(d.image, np.int16) - np.asarray(want, np.int16)).mean() < 3
    assert any("XMP orientation" in n and "applied" in n for n in d.notes), d.notes


def test_exif_wins_over_xmp_as_in_pillow():
    """A valid EXIF tag beside a broken XMP one: the EXIF one is applied, as every viewer does."""
    src = smooth()
    exif = Image.Exif()
    exif[0x0112] = 2
    d = decode_image(encode(src, "JPEG", exif=exif.tobytes(), xmp=xmp_with_orientation("65535"), quality=95))
    want = src.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    assert d.image.size == want.size
    assert np.abs(np.asarray(d.image, np.int16) - np.asarray(want, np.int16)).mean() < 3
    assert any("EXIF orientation was applied" in n for n in d.notes) and not any("valid" in n for n in d.notes)


def test_a_malformed_orientation_tag_is_a_sentence_not_a_warning(recwarn):
    """An orientation with two values: Pillow warns ("Metadata Warning, tag 274 ..."); we say it in words."""
    import struct

    entry = struct.pack("<HHI", 0x0112, 3, 2) + struct.pack("<HH", 9, 6)
    raw = b"Exif\x00\x00II" + struct.pack("<HI", 42, 8) + struct.pack("<H", 1) + entry + struct.pack("<I", 0)
    d = decode_image(encode(smooth(), "JPEG", exif=raw, quality=95))
    assert not [w for w in recwarn.list if "Metadata" in str(w.message)], "the warning reached the caller"
    assert any("metadata" in n and "malformed" in n for n in d.notes), d.notes

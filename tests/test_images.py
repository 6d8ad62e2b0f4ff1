"""Real decoding with Pillow: every format and mode we promise, and clear refusals."""
import io

import numpy as np
import pytest
from PIL import Image

from roi_viz.model import images
from roi_viz.model.images import ImageError, decode_image, prepare_input

from conftest import encode, photo, png_header_only


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

"""From a file's bytes to the RGB model input, and the map between their coordinates.

Decoding is Pillow's. What this module adds is the classroom's guard rails
(formats we accept, a pixel limit, clear messages) and the conversions a
network needs: the orientation tag (EXIF's, else XMP's) applied when it is
valid and ignored, with a note, when it is not; any mode turned into 8-bit
RGB; the first frame of an animation. What Pillow warns about while reading
the picture becomes a note too, never a warning printed on a terminal.

Coordinates: the model input is the original image squashed to ``S x S``
(as in the article, where every photo becomes 512 x 512). A point ``(x, y)``
of the original lands at ``(x * S / W, y * S / H)`` in the input.
"""
from __future__ import annotations

import io
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from ..language import _

FORMATS = ("PNG", "JPEG", "WEBP", "BMP", "TIFF", "GIF")
UPLOAD_TYPES = ("png", "jpg", "jpeg", "webp", "bmp", "tif", "tiff", "gif")
MAX_FILE_MB = 25
MAX_PIXELS = 50_000_000  # a 12 MP phone photo fits; a 20,000 x 20,000 bomb does not
INPUT_SIZES = tuple(range(224, 1025, 32))
DEFAULT_INPUT_SIZE = 512
# Decode large JPEGs at a reduced scale: no input size needs more than this.
_DRAFT_SIZE = (max(INPUT_SIZES), max(INPUT_SIZES))


class ImageError(ValueError):
    """An image we cannot use; the message is meant for the student who uploaded it."""


@dataclass(frozen=True)
class DecodedImage:
    """An upright 8-bit RGB image and what we know of the file it came from."""

    image: Image.Image  # RGB; may be smaller than the original for huge JPEGs
    original_size: tuple[int, int]  # (W, H) of the upright original, in pixels
    format: str
    notes: tuple[str, ...] = ()  # conversions a student may want to know about


SHAPES = ("square", "aspect")
MAX_LONG_SIDE = 2048  # pixels: a panorama's long side is capped here (its short side then ends below S)
MIN_SHORT_SIDE = 32  # pixels of the input: one cell of pool5, the least an RoI can land on
# A photo longer than this many times its width leaves, with the proportions kept, a short side under one
# pool5 cell at every input size (2048 / 32): no setting can help, only cropping.
MAX_ASPECT = MAX_LONG_SIDE // MIN_SHORT_SIDE
ORIENTATIONS = range(1, 9)  # EXIF's valid values; 1 is upright as stored


def input_dims(original_size: tuple[int, int], size: int, shape: str = "square") -> tuple[int, int]:
    """``(W', H')`` of the model input for an original of ``(W, H)`` pixels.

    ``"square"``: ``S x S``, as the article does (the photo is stretched to a square).
    ``"aspect"``: as Fast R-CNN builds its input: the photo keeps its proportions and
    its shorter side becomes ``S`` (the longer side at most :data:`MAX_LONG_SIDE`), so
    the feature map is not square either.
    """
    if shape not in SHAPES:
        raise ValueError(f"The input shape must be one of {', '.join(SHAPES)}; got {shape!r}.")
    if shape == "square":
        return size, size
    W, H = original_size
    k = min(size / min(W, H), MAX_LONG_SIDE / max(W, H))
    dims = max(1, round(W * k)), max(1, round(H * k))
    if min(dims) < MIN_SHORT_SIDE:
        raise ValueError(f"A {W:,} × {H:,} photo with its proportions kept is {dims[0]} × {dims[1]} pixels, less "
                         f"than one feature cell across: crop it, or use the square input.")
    return dims


@dataclass(frozen=True)
class InputMapping:
    """Scale factors between the original image and the model input (``S x S``, or ``W' x H'``)."""

    original_size: tuple[int, int]  # (W, H)
    input_size: int | tuple[int, int]  # S, or (W', H')

    @property
    def input_dims(self) -> tuple[int, int]:
        return (self.input_size, self.input_size) if isinstance(self.input_size, int) else tuple(self.input_size)

    @property
    def scale(self) -> tuple[float, float]:
        W, H = self.original_size
        w, h = self.input_dims
        return w / W, h / H

    def to_input(self, box):
        sx, sy = self.scale
        x, y, w, h = box
        return x * sx, y * sy, w * sx, h * sy

    def to_original(self, box):
        sx, sy = self.scale
        x, y, w, h = box
        return x / sx, y / sy, w / sx, h / sy


def decode_image(data: bytes, *, max_pixels: int = MAX_PIXELS) -> DecodedImage:
    """Decode an uploaded file into an upright RGB image, or raise :class:`ImageError`."""
    if not data:
        raise ImageError(_("The file is empty."))
    if len(data) > MAX_FILE_MB * 1024 * 1024:
        raise ImageError(_("The file is {size} MB; the limit is {limit} MB.").format(
            size=f"{len(data) / 2**20:.1f}", limit=MAX_FILE_MB))
    try:
        with warnings.catch_warnings(record=True) as heard:
            warnings.simplefilter("always")
            # We apply our own, lower pixel limit below; Pillow's warning would only echo it.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data), formats=FORMATS)
    except Image.DecompressionBombError:
        raise ImageError(_("The image has too many pixels to open safely (the limit is {limit} megapixels). "
                           "Please use a smaller copy.").format(limit=f"{max_pixels / 1e6:.0f}")) from None
    except UnidentifiedImageError:
        raise ImageError(_("This file is not an image we can read. Use PNG, JPEG, WebP, BMP, TIFF or GIF "
                           "(a PDF or SVG renamed to .jpg or .png will not work).")) from None
    except Exception as exc:  # Pillow raises many kinds of error on broken headers
        raise ImageError(_("The image file is damaged and could not be opened ({error}).").format(error=exc)) from None

    W, H = img.size
    if W * H > max_pixels:
        raise ImageError(_("The image is {W} x {H} pixels ({size} megapixels); the limit is {limit} megapixels. "
                           "Please use a smaller copy.").format(W=f"{W:,}", H=f"{H:,}", size=f"{W * H / 1e6:.0f}",
                                                                limit=f"{max_pixels / 1e6:.0f}"))
    if min(W, H) < 1:
        raise ImageError(_("The image has no pixels."))
    if max(W, H) > MAX_ASPECT * min(W, H):
        raise ImageError(_("The image is {W} × {H} pixels: one side is more than {ratio} times the other, so with "
                           "its proportions kept it is thinner than one feature cell, and squashed to a square it is "
                           "mostly smear. Crop it to the part you want to look at (a shape closer to a photo's) and "
                           "upload that.").format(W=f"{W:,}", H=f"{H:,}", ratio=MAX_ASPECT))
    notes: list[str] = []
    fmt = img.format or "image"
    with warnings.catch_warnings():
        # Counting frames reads the later ones, which are never shown: what Pillow says of them is
        # not about the picture (a cut one is named in the note below).
        warnings.simplefilter("ignore")
        try:
            frames = getattr(img, "n_frames", 1)
        except Exception:  # a later frame is cut short; counting them read it. The first may still be whole.
            frames = 0
            img = Image.open(io.BytesIO(data), formats=FORMATS)
    if frames > 1:
        notes.append(f"The file has {frames} frames; the first one is used.")
    elif frames == 0:
        notes.append("The file holds more than one frame, and a later one is damaged; the first one is used.")
    try:
        with warnings.catch_warnings(record=True) as decoding:
            warnings.simplefilter("always")
            # Reading EXIF can load a PNG's pixels (its eXIf chunk may follow them), so a cut file fails here too.
            orientation, source = _orientation(img)
            if fmt == "JPEG":
                img.draft("RGB", _DRAFT_SIZE)
            img.load()
            before = img.size
            img = ImageOps.exif_transpose(img)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Pillow's advice to programmers on converting modes; to_rgb notes what it did
            rgb, note = to_rgb(img)
    except ImageError:
        raise
    except Exception as exc:
        raise ImageError(_("The image file is damaged or cut short and could not be decoded ({error}).").format(
            error=exc)) from None
    # The size is taken from what was done, not from the tag: Pillow's TIFF reader already turns the
    # photo upright while opening it, and a JPEG's draft may decode it smaller.
    if img.size != before and img.size == before[::-1]:
        W, H = H, W
    if _is_orientation(orientation) and orientation != 1:
        notes.append("The camera's EXIF orientation was applied, so the photo is upright." if source == "EXIF" else
                     "The file's XMP orientation (tiff:Orientation) was applied, so the photo is upright.")
    elif not _is_orientation(orientation):
        notes.append(f"The file's {source} orientation ({_short(orientation)}) is not a valid value (1 to 8), so "
                     "it was ignored and the photo is shown as stored.")
    notes += _warning_notes(heard + decoding)
    if note:
        notes.append(note)
    return DecodedImage(rgb, (W, H), fmt, tuple(notes))


_ORIENTATION_TAG = 0x0112
# XMP's tiff:Orientation, as an attribute (tiff:Orientation="6") or an element (<tiff:Orientation>6<...).
_XMP_ORIENTATION = re.compile(rb'tiff:Orientation(?:="|>)\s*([^"<]*?)\s*["<]')


def _orientation(img: Image.Image) -> tuple[object, str]:
    """The orientation the file states and where: ``(value, "EXIF")``, ``(value, "XMP")`` or ``(1, "")``.

    EXIF's tag comes first; XMP's ``tiff:Orientation`` counts only when EXIF has none, as in Pillow.
    Pillow reads only the first digit of XMP's value ("255" as 2, "65535" as 6), so a broken tag
    would flip or turn the photo while we called it valid. The whole value is read here and written
    back into the EXIF that Pillow transposes by (``exif_transpose``, and the TIFF reader while
    loading); an invalid value is removed from it, so nothing turns the photo.
    """
    exif = img.getexif()
    value, source = _exif_block_orientation(img), "EXIF"
    if value is None:
        xmp = _xmp_orientation(img.info)
        value, source = (xmp, "XMP") if xmp is not None else (1, "")
    if _is_orientation(value):
        exif[_ORIENTATION_TAG] = value
    else:
        exif.pop(_ORIENTATION_TAG, None)
    return value, source


def _is_orientation(value) -> bool:
    """One of EXIF's eight values, as a whole number (a rational 6/1 or a text "6" is a malformed tag)."""
    return type(value) is int and value in ORIENTATIONS


def _exif_block_orientation(img: Image.Image):
    """The Orientation tag of the file's EXIF block itself (a TIFF's first directory), or ``None``."""
    raw = img.info.get("exif")
    if raw is None and "Raw profile type exif" in img.info:  # ImageMagick's PNG text chunk, as Pillow reads it
        raw = bytes.fromhex("".join(img.info["Raw profile type exif"].split("\n")[3:]))
    if isinstance(raw, bytes):
        block = Image.Exif()
        try:
            block.load(raw)
        except Exception:  # a block Pillow cannot parse holds no tag it could act on
            return None
        return block.get(_ORIENTATION_TAG)
    tags = getattr(img, "tag_v2", None)  # TIFF: the EXIF tags are the image's own
    return tags.get(_ORIENTATION_TAG) if tags is not None else None


def _xmp_orientation(info: dict):
    """XMP's ``tiff:Orientation``, whole: an ``int`` when it is a number, else its text; ``None`` if absent."""
    for key in ("XML:com.adobe.xmp", "xmp"):
        xmp = info.get(key)
        if not xmp:
            continue
        found = _XMP_ORIENTATION.search(xmp.encode("utf-8", "replace") if isinstance(xmp, str) else bytes(xmp))
        if found:
            text = found.group(1).decode("utf-8", "replace")
            return int(text) if text.isascii() and text.isdigit() else text
    return None


def _warning_notes(heard) -> list[str]:
    """What Pillow warned about while reading the picture we use, as sentences (each said once)."""
    notes: list[str] = []
    for w in heard:
        text = " ".join(str(w.message).split())
        if "EXIF" in text or text.startswith("Metadata Warning"):
            note = ("Part of the file's metadata (its EXIF or TIFF tags) is damaged or malformed; what could be "
                    "read was used and the rest ignored.")
        else:
            note = f"The image decoder warned: {_short(text, 200)}"
        if note not in notes:
            notes.append(note)
    return notes


def _short(value, limit: int = 20) -> str:
    text = str(value)
    return text if len(text) <= limit else text[:limit - 3] + "..."


def to_rgb(img: Image.Image) -> tuple[Image.Image, str]:
    """Any Pillow mode to 8-bit RGB. Returns ``(image, note)``; the note may be empty.

    Transparent pixels are laid on white, the way a browser shows them.
    16-bit and float images are scaled, not clipped (clipping turns most of a
    16-bit photo white).
    """
    mode = img.mode
    if mode.startswith("I") or mode == "F":
        arr = np.asarray(img, dtype=np.float64)
        if mode == "F":
            # One NaN or infinity would make the whole range NaN or infinite (an all-black picture):
            # the range is that of the finite pixels, and the others are shown at its ends.
            finite = np.isfinite(arr)
            if not finite.any():
                raise ImageError(_("The floating-point image has no finite pixel values (all NaN or infinity)."))
            lo, hi = float(arr[finite].min()), float(arr[finite].max())
            bad = int(arr.size - finite.sum())
            arr = np.where(finite, arr, np.where(arr == np.inf, hi, lo))
            arr = (arr - lo) / (hi - lo or 1.0) * 255.0
            note = "A floating-point image was scaled to 8 bits."
            if bad:
                note += (f" {bad:,} pixel{'s' if bad != 1 else ''} {'were' if bad != 1 else 'was'} not finite "
                         "(NaN or infinity) and shown black (+infinity: white).")
        else:
            arr = arr / 257.0 if arr.max() > 255 else arr
            note = "A 16-bit image was scaled to 8 bits."
        gray = Image.fromarray(np.clip(np.rint(arr), 0, 255).astype(np.uint8), "L")
        return gray.convert("RGB"), note
    has_alpha = mode in ("RGBA", "LA", "PA", "RGBa", "La") or (
        mode == "P" and "transparency" in img.info
    )
    if has_alpha:
        rgba = img.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB"), "Transparent areas are shown on white."
    if mode == "RGB":
        return img, ""
    names = {"L": "grayscale", "1": "black-and-white", "P": "palette", "CMYK": "CMYK"}
    note = f"The {names[mode]} image was converted to RGB." if mode in names else ""
    return img.convert("RGB"), note


def prepare_input(decoded: DecodedImage, size: int = DEFAULT_INPUT_SIZE,
                  shape: str = "square") -> tuple[Image.Image, InputMapping]:
    """Resize to the model input (see :func:`input_dims`); return it and the coordinate map."""
    check_input_size(size)
    dims = input_dims(decoded.original_size, size, shape)
    resized = decoded.image.resize(dims, Image.Resampling.BILINEAR, reducing_gap=3.0)
    return resized, InputMapping(decoded.original_size, size if shape == "square" else dims)


def check_input_size(size: int) -> int:
    if size not in INPUT_SIZES:
        raise ValueError(
            f"The model input must be a multiple of 32 from {INPUT_SIZES[0]} to "
            f"{INPUT_SIZES[-1]} pixels; got {size!r}."
        )
    return size


def load_file(path: str | Path) -> DecodedImage:
    """Decode an image file from disk (samples, the CLI)."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ImageError(f"Could not read {path}: {exc.strerror or exc}.") from None
    return decode_image(data)

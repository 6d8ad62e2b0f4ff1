"""Uploaded photos kept on disk by their content, so that a link can name them.

A teacher's photo travels in a link as ``img=NAME``: every server that shares
the store finds the same photo under that name, and a server restarted
mid-lesson still has it. Nothing here knows Streamlit.

Layout of the store (one flat directory)::

    $ROI_VIZ_UPLOADS/                 default: $XDG_CACHE_HOME/roi-viz/uploads, else ~/.cache/roi-viz/uploads
        <NAME>.png                    NAME: sha256 of the file's bytes, 64 lowercase hex characters
        .tmp-<random>.png             a file being written; renamed into place when whole

Each ``NAME.png`` is the photo as the page uses it: decoded and checked as any
upload (:func:`roi_viz.model.images.decode_image`: formats, size and pixel
limits, orientation applied, 8-bit RGB), then written afresh as a PNG from its
pixels alone, so nothing of the original file's metadata (EXIF with its GPS
position, XMP, ICC profile, comments) is kept. The PNG holds one text chunk of
our own, ``roi-viz``: the original's size, its format and what the decoder
noted (a JSON object), so a student's page says what the teacher's said.

The name is the hash of the stored bytes (256 bits): nobody can guess another
class's photo, and the same photo uploaded twice, on any server, gets the same
name. A name from a link is checked against :data:`NAME` before any path is
made from it, and the path is always ``directory / (NAME + ".png")``.

Writing goes to a temporary file in the same directory, renamed over the final
name with :func:`os.replace` (atomic), so a reader never sees half a file and two
server processes pointed at one directory share it safely (they write the same
bytes under the same name). Caps: a stored file at most :data:`MAX_FILE_BYTES`
(the upload limit); all files together at most ``ROI_VIZ_UPLOADS_MAX_MB``
megabytes (:data:`DEFAULT_MAX_MB`), the least recently used removed first
(reading a photo touches its modification time).
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import re
import secrets
import time
from dataclasses import dataclass, replace
from pathlib import Path

from PIL import Image, PngImagePlugin

from ..language import _
from ..model import images

ENV_DIR = "ROI_VIZ_UPLOADS"
ENV_MAX_MB = "ROI_VIZ_UPLOADS_MAX_MB"
DEFAULT_MAX_MB = 500
MAX_FILE_BYTES = images.MAX_FILE_MB * 1024 * 1024  # the upload limit holds for a stored file too
NAME = re.compile(r"[0-9a-f]{64}")  # sha256, hex: 256 bits
SUFFIX = ".png"
TEMP_PREFIX = ".tmp-"
STALE_TEMP_S = 600  # a temporary file this old was left by a process that stopped while writing
CHUNK = "roi-viz"  # our own text chunk: the original's size, format and the decoder's notes
MAX_NOTES = 12


class StoreError(OSError):
    """The photo could not be kept (disk full, no permission, too large to keep); the message is a sentence."""


def is_name(text: object) -> bool:
    """Whether ``text`` is a store name: exactly 64 lowercase hex characters, nothing else."""
    return isinstance(text, str) and NAME.fullmatch(text) is not None


def default_directory() -> Path:
    """``$ROI_VIZ_UPLOADS``, else ``$XDG_CACHE_HOME/roi-viz/uploads``, else ``~/.cache/roi-viz/uploads``."""
    if os.environ.get(ENV_DIR):
        return Path(os.environ[ENV_DIR]).expanduser()
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "roi-viz" / "uploads"


def max_total_bytes() -> int:
    """``ROI_VIZ_UPLOADS_MAX_MB`` in bytes (a positive number of megabytes), else :data:`DEFAULT_MAX_MB`."""
    try:
        mb = float(os.environ.get(ENV_MAX_MB, DEFAULT_MAX_MB))
    except ValueError:
        mb = DEFAULT_MAX_MB
    if not (mb > 0 and mb < 1e9):  # NaN, zero, negative or absurd: the default
        mb = DEFAULT_MAX_MB
    return int(mb * 1024 * 1024)


@dataclass(frozen=True)
class Kept:
    """A photo as stored: its ``name``, the PNG's bytes, and the photo decoded as the page uses it."""

    name: str
    png: bytes
    decoded: images.DecodedImage  # upright RGB; original size, format and notes are the upload's


# ------------------------------------------------------------------ the file's content (no disk)
def encode(decoded: images.DecodedImage) -> bytes:
    """The PNG of ``decoded``'s pixels and our one text chunk: no byte of the original's metadata."""
    img = decoded.image
    fresh = Image.frombytes("RGB", img.size, img.convert("RGB").tobytes())  # pixels only: no info, EXIF or ICC
    about = PngImagePlugin.PngInfo()
    about.add_text(CHUNK, json.dumps({"size": list(decoded.original_size), "format": decoded.format,
                                      "notes": list(decoded.notes)}, ensure_ascii=True))
    buf = io.BytesIO()
    fresh.save(buf, format="PNG", pnginfo=about)
    return buf.getvalue()


def prepare(data: bytes) -> Kept:
    """An upload's file as it would be stored, without touching the disk; :class:`images.ImageError` if refused."""
    decoded = images.decode_image(data)
    png = encode(decoded)
    return Kept(hashlib.sha256(png).hexdigest(), png, decoded)


def decode(png: bytes) -> images.DecodedImage:
    """A stored file decoded as the page uses it: checked as any upload, then given back the original's
    size, format and notes from our text chunk (an unreadable chunk leaves the PNG's own)."""
    decoded = images.decode_image(png)
    try:
        with Image.open(io.BytesIO(png), formats=("PNG",)) as header:
            about = json.loads(header.info.get(CHUNK, "{}"))
        W, H = (int(v) for v in about["size"])
        fmt, notes = str(about["format"])[:20], tuple(str(n)[:400] for n in about["notes"][:MAX_NOTES])
    except Exception:  # noqa: BLE001  (a file without our chunk is still the photo)
        return decoded
    w, h = decoded.image.size
    if not (w <= W <= 64 * w and h <= H <= 64 * h):  # the original can only be larger (a JPEG's draft)
        return decoded
    return replace(decoded, original_size=(W, H), format=fmt, notes=notes)


# ------------------------------------------------------------------ the store on disk
def touch(path: Path) -> None:
    """Mark ``path`` as used now, to the nanosecond: a new file's own time is the kernel's coarse clock, which
    would give photos stored within the same few milliseconds the same age."""
    now = time.time_ns()
    os.utime(path, ns=(now, now))


class UploadStore:
    """The directory of stored photos; every method is safe with other processes using the same directory."""

    def __init__(self, directory: str | Path | None = None, max_total: int | None = None,
                 max_file: int = MAX_FILE_BYTES):
        self.directory = Path(directory) if directory is not None else default_directory()
        self.max_total = max_total if max_total is not None else max_total_bytes()
        self.max_file = max_file

    @classmethod
    def from_env(cls) -> "UploadStore":
        """The store the environment names (read afresh each time, so a test or a restart can change it)."""
        return cls()

    def path(self, name: str) -> Path:
        """Where ``name`` lives. ``ValueError`` for anything but a name: no path is ever made from other text."""
        if not is_name(name):
            raise ValueError("not a photo's name (64 lowercase hex characters)")
        return self.directory / (name + SUFFIX)

    def put(self, data: bytes) -> Kept:
        """Decode, check and store an upload; returns it as stored.

        :class:`images.ImageError` if the file cannot be used (nothing is written);
        :class:`StoreError` if it can be used but not kept (the caller may still show it).
        """
        kept = prepare(data)
        self.save(kept)
        return kept

    def save(self, kept: Kept) -> None:
        """Write ``kept`` under its name (atomically), then keep the store under its cap."""
        size = len(kept.png)
        if size > min(self.max_file, self.max_total):
            limit = min(self.max_file, self.max_total) / 2**20
            # A phrase the page puts in its sentence about the photo (ui.sidebar), in the student's language.
            raise StoreError(_("the photo is {size} MB as stored, more than the {limit} MB a stored photo may take")
                             .format(size=f"{size / 2**20:.1f}", limit=f"{limit:.1f}"))
        final = self.path(kept.name)
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            if final.exists():  # the same photo, from this class or another server: it is used again
                touch(final)
                return
            temp = self.directory / f"{TEMP_PREFIX}{secrets.token_hex(8)}{SUFFIX}"
            try:
                with open(temp, "xb") as f:
                    f.write(kept.png)
                    f.flush()
                    os.fsync(f.fileno())
                touch(temp)
                os.replace(temp, final)
            finally:
                temp.unlink(missing_ok=True)
        except OSError as exc:
            raise StoreError(_("the server could not write it ({reason})").format(
                reason=exc.strerror or type(exc).__name__)) from None
        self.evict(keep=kept.name)

    def refresh(self, name: str, png: bytes) -> None:
        """A photo still in use (a teacher's page shows it): marked as used, or written back if it was removed
        meanwhile, so the link the teacher hands out keeps working. ``png`` is the stored file's bytes."""
        path = self.path(name)
        try:
            touch(path)
            return
        except FileNotFoundError:
            pass
        except OSError:
            return
        self.save(Kept(name, png, None))

    def load(self, name: str) -> Kept | None:
        """The photo stored as ``name``, or ``None`` when the store does not have it (removed to make room,
        another server's, a typo). ``ValueError`` for a ``name`` that is not a name, before any disk access."""
        path = self.path(name)
        try:
            png = path.read_bytes()
        except OSError:  # not there, or removed by another process a moment ago
            return None
        if hashlib.sha256(png).hexdigest() != name:  # damaged on disk: not the photo the link names
            return None
        try:
            decoded = decode(png)
        except images.ImageError:
            return None
        try:
            touch(path)  # used: the last to be removed
        except OSError:
            pass
        return Kept(name, png, decoded)

    def names(self) -> list[str]:
        """The stored photos' names, oldest (least recently used) first."""
        return [p.name[:-len(SUFFIX)] for p, __ in self._files()]

    def total_bytes(self) -> int:
        """The bytes all stored photos take."""
        return sum(st.st_size for __, st in self._files())

    def _files(self) -> list[tuple[Path, os.stat_result]]:
        found = []
        try:
            entries = list(os.scandir(self.directory))
        except OSError:
            return []
        for e in entries:
            if e.name.endswith(SUFFIX) and is_name(e.name[:-len(SUFFIX)]):
                try:
                    found.append((Path(e.path), e.stat()))
                except OSError:  # removed meanwhile
                    continue
        found.sort(key=lambda f: (f[1].st_mtime_ns, f[0].name))
        return found

    def evict(self, keep: str = "") -> list[str]:
        """Remove the least recently used photos until the store fits its cap (never ``keep``); returns their
        names. Temporary files older than :data:`STALE_TEMP_S` (a writer that stopped) are removed too."""
        files = self._files()
        total = sum(st.st_size for __, st in files)
        gone = []
        for path, st in files:
            if total <= self.max_total:
                break
            if path.name == keep + SUFFIX:
                continue
            try:
                path.unlink()
            except FileNotFoundError:  # another server removed it first
                pass
            except OSError:
                continue
            total -= st.st_size
            gone.append(path.name[:-len(SUFFIX)])
        now = time.time()
        try:
            temps = [e for e in os.scandir(self.directory) if e.name.startswith(TEMP_PREFIX)]
        except OSError:
            temps = []
        for e in temps:
            try:
                if now - e.stat().st_mtime > STALE_TEMP_S:
                    os.unlink(e.path)
            except OSError:
                pass
        return gone

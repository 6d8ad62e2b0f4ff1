"""Uploads in the page (AppTest): stored without their metadata, named in the link, and every hostile link refused.

- a phone's JPEG with a GPS position goes into the store as a PNG with no EXIF, and the link names it;
- a photo taken with the camera goes the same way;
- a link naming ``../x``, ``/etc/passwd``, a 10 KB name, a name that is not hex or a hash never uploaded gets one
  sentence and the sample photo, never a traceback; no file outside the store is opened, none is written;
- a 50 MB upload is refused with a sentence and nothing is stored.
"""
from __future__ import annotations

import builtins
import hashlib
import io
import os
from pathlib import Path

import pytest
from PIL import Image

from helpers import encode, figures, notices, open_page, page_state, page_text, photo, widget
from roi_viz.state import uploads



@pytest.fixture
def store(monkeypatch, tmp_path) -> Path:
    """The page's store, a directory of this test's own."""
    directory = tmp_path / "store"
    monkeypatch.setenv(uploads.ENV_DIR, str(directory))
    return directory


def gps_jpeg() -> bytes:
    exif = Image.Exif()
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (48.0, 51.0, 29.99), 3: "E", 4: (2.0, 17.0, 40.2)})
    data = encode(photo(300, 200, seed=7), "JPEG", exif=exif.tobytes())
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825)
    return data


def test_an_upload_is_stored_without_its_location_and_named_in_the_link(store):
    at = open_page()
    widget(at, "radio", "Source").set_value("upload").run()
    at.file_uploader(key="upload").set_value(("class.jpg", gps_jpeg(), "image/jpeg")).run()
    assert not at.exception and not notices(at, "error") and "The original is 300 × 200" in page_text(at)
    files = list(store.iterdir())
    assert len(files) == 1 and files[0].suffix == ".png"
    name = files[0].stem
    assert at.query_params["img"] == name and hashlib.sha256(files[0].read_bytes()).hexdigest() == name
    kept = Image.open(files[0])
    assert not kept.getexif() and set(kept.info) == {uploads.CHUNK} and b"GPS" not in files[0].read_bytes()
    assert not any("cannot travel" in n or "could not keep" in n for n in notices(at)), notices(at)


def test_a_photo_taken_with_the_camera_goes_into_the_store_and_the_link(store):
    at = open_page()
    widget(at, "radio", "Source").set_value("camera").run()
    assert [c.label for c in at.camera_input] == ["Take a photo of today's example: it goes into the link like an upload"]
    assert "No photo yet" in page_text(at)
    at.camera_input[0].set_value(("photo.jpg", encode(photo(640, 480, seed=2), "JPEG"), "image/jpeg")).run()
    assert not at.exception and not notices(at, "error")
    assert "The original is 640 × 480" in page_text(at)
    name = page_state(at).photo.stored
    assert at.query_params["img"] == name and [p.name for p in store.iterdir()] == [name + ".png"]
    again = open_page(dict(at.query_params))
    assert page_state(again).photo.upload[1] == (store / (name + ".png")).read_bytes()
    assert "The original is 640 × 480" in page_text(again)


NEVER = hashlib.sha256(b"never uploaded").hexdigest()
HOSTILE = [("dot-dot", "../x", "is neither a sample photo"),
           ("absolute", "/etc/passwd", "is neither a sample photo"),
           ("10-kb", "a" * 10_240, "is too long (10,240 characters)"),
           ("not-hex", "z" * 64, "is neither a sample photo"),
           ("never-uploaded", NEVER, "is not on this server")]


@pytest.mark.parametrize("kind, name, words", HOSTILE, ids=[h[0] for h in HOSTILE])
def test_a_hostile_img_gets_a_sentence_and_the_sample(store, monkeypatch, kind, name, words):
    store.mkdir()
    (store.parent / "x").write_bytes(b"outside the store")  # what ../x would reach from the store
    opened, written = [], []
    real_open, real_os_open = builtins.open, os.open

    def watching_open(file, mode="r", *args, **kwargs):
        opened.append(str(file))
        if any(c in mode for c in "wax+"):
            written.append(str(file))
        return real_open(file, mode, *args, **kwargs)

    def watching_os_open(path, flags, *args, **kwargs):
        opened.append(str(path))
        if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            written.append(str(path))
        return real_os_open(path, flags, *args, **kwargs)

    for owner in (builtins, io):
        monkeypatch.setattr(owner, "open", watching_open)
    monkeypatch.setattr(os, "open", watching_os_open)
    at = open_page({"img": name, "roi": "10_10_100_100", "step": "2"})
    for owner in (builtins, io):
        monkeypatch.setattr(owner, "open", real_open)
    monkeypatch.setattr(os, "open", real_os_open)

    said = notices(at, "warning")
    assert len(said) == 1 and "img" in said[0] and words in said[0] and len(said[0]) < 400, said
    assert "Traceback" not in page_text(at) and not at.error
    state = page_state(at)
    assert not state.photo.upload_shown and state.photo.sample == "astronaut" and figures(at)
    assert state.store.boxes(state.photo.dims) == [(10.0, 10.0, 100.0, 100.0)] and state.place.step == 1
    assert "img" not in at.query_params  # the page shows the sample: its own link says so
    assert written == [], written
    looked = [p for p in opened if str(store) in p or "passwd" in p or p.endswith("/x") or name[:40] in p]
    if kind == "never-uploaded":
        assert looked == [str(store / (NEVER + ".png"))], looked  # the one path the store makes from a name
    else:
        assert looked == [], looked


def test_a_50_mb_upload_is_refused_with_a_sentence(store):
    at = open_page()
    widget(at, "radio", "Source").set_value("upload").run()
    at.file_uploader(key="upload").set_value(("huge.png", b"\x89PNG\r\n\x1a\n" + bytes(50 * 2**20), "image/png")).run()
    assert not at.exception
    errors = notices(at, "error")
    assert len(errors) == 1 and "“huge.png” could not be used: The file is 50.0 MB; the limit is 25 MB." in errors[0]
    assert "Traceback" not in page_text(at) and figures(at)  # the sample is shown instead
    assert not store.exists() or not any(store.iterdir())
    assert "img" not in at.query_params

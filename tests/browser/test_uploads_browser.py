"""A teacher's photo in Chromium: uploaded, sent as a link, opened by a student, and still there after a restart.

- upload a photo, draw a second box, step on; the address bar names the photo (``img=`` its hash in the store);
- a fresh browser context opens that link: the same board (photo and boxes, pixel for pixel), box and step;
- the server is stopped and a new one started on the same port and the same store: reloading the page, and a
  fresh context, give back the photo, the boxes, the view and the step;
- a photo taken with Chromium's fake camera goes into the store and the link.

These tests start servers of their own (``helpers.start_server``), each pointed at a store of the test's.
"""
from __future__ import annotations

import io
import os
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import expect, sync_playwright

import helpers
from helpers import (CHROMIUM, FLAGS, ROOT, SHOTS, assert_clean_log, drag_on, live, number, photo, settle,
                      start_server, the_canvas)
from roi_viz.state import uploads

LOGS = ROOT / "artifacts"
VIEW = {"viewport": {"width": 1500, "height": 1900}}


@pytest.fixture(scope="module")
def chromium():
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        yield p


def serve(monkeypatch, store: Path, log: str, port: int | None = None):
    """The real app on loopback with ``ROI_VIZ_UPLOADS=store``: ``(process, url)``; on ``port`` if given."""
    monkeypatch.setenv(uploads.ENV_DIR, str(store))
    if port is not None:  # a restart: the same address, as a class's links name it
        monkeypatch.setattr(helpers, "free_port", lambda: port)
    proc, url = start_server(LOGS / log)
    monkeypatch.undo()
    return proc, url


def stop(proc, log: str) -> None:
    proc.terminate()
    proc.wait(30)
    assert_clean_log(LOGS / log)


def board_picture(pg) -> np.ndarray:
    """The board as a person sees it (the photo and every box), as pixels."""
    pg.mouse.move(0, 0)  # no hover mark on a box
    pg.wait_for_timeout(300)
    return np.asarray(Image.open(io.BytesIO(the_canvas(pg).screenshot())).convert("RGB"), dtype=np.int16)


def opened(pg, url: str) -> None:
    pg.set_default_timeout(120_000)
    pg.goto(url)
    expect(pg.get_by_text("The original is 640 × 427", exact=False)).to_be_visible()
    settle(pg)


def what_is_shown(pg) -> dict:
    """The followed box (the number fields and the board's own), the board's pixels; the step is the link's."""
    expect(pg.get_by_text("Step 3: Quantization")).to_be_visible()
    return {"box": [number(pg, n) for n in "xywh"], "live": {k: live(pg)[k] for k in ("count", "active", "box")},
            "board": board_picture(pg)}


def same(a: dict, b: dict) -> None:
    assert a["box"] == b["box"] and a["live"] == b["live"], (a, b)
    assert a["board"].shape == b["board"].shape
    assert np.abs(a["board"] - b["board"]).mean() < 1.0, "another picture on the board"


def test_an_uploaded_photo_travels_in_the_link_and_survives_a_restart(chromium, monkeypatch, tmp_path):
    store = tmp_path / "store"
    log = "server-uploads-1.log"
    proc, url = serve(monkeypatch, store, log)
    port = urlparse(url).port
    browser = chromium.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
    try:
        teacher = browser.new_context(**VIEW).new_page()
        teacher.set_default_timeout(120_000)
        teacher.goto(url)
        expect(teacher.get_by_text("Step 1: Image and RoIs")).to_be_visible()
        sample_board = board_picture(teacher)
        teacher.get_by_text("Upload my own").click()
        settle(teacher)
        image = tmp_path / "class.png"
        photo(640, 427, seed=5).save(image)
        teacher.locator('input[type="file"]').set_input_files(str(image))
        expect(teacher.get_by_text("The original is 640 × 427", exact=False)).to_be_visible()
        settle(teacher)
        drag_on(teacher, the_canvas(teacher), (767, 512), (60, 80), (180, 150))
        expect(teacher.get_by_text("of 2: top-left corner", exact=False)).to_be_visible()
        settle(teacher)
        teacher.get_by_text("3. Quantization").first.click()
        expect(teacher.get_by_text("Step 3: Quantization")).to_be_visible()
        settle(teacher)
        expect(teacher.get_by_text("cannot travel", exact=False)).to_have_count(0)
        link = teacher.url
        query = parse_qs(urlparse(link).query)
        name = query["img"][0]
        assert uploads.is_name(name) and [p.name for p in store.iterdir()] == [name + ".png"], (link, list(store.iterdir()))
        assert len(query["roi"]) == 2 and query["step"] == ["3"] and query["active"] == ["2"], query
        shown = what_is_shown(teacher)
        assert shown["board"].shape != sample_board.shape  # the upload's 767 x 512 input, not the sample's square
        teacher.screenshot(path=str(SHOTS / "uploads-01-teacher.png"))

        student = browser.new_context(**VIEW).new_page()  # a fresh context: no cookie, no session
        opened(student, link)
        same(what_is_shown(student), shown)
        expect(student.get_by_text("The photo this link carries is shown", exact=False)).to_be_visible()
        student.screenshot(path=str(SHOTS / "uploads-02-student.png"))

        stop(proc, log)  # mid-lesson, the server restarts
        log = "server-uploads-2.log"
        proc, again = serve(monkeypatch, store, log, port=port)
        assert again == url
        student.reload()
        expect(student.get_by_text("The original is 640 × 427", exact=False)).to_be_visible()
        settle(student)
        same(what_is_shown(student), shown)
        late = browser.new_context(**VIEW).new_page()
        opened(late, link)
        same(what_is_shown(late), shown)
        late.screenshot(path=str(SHOTS / "uploads-03-after-restart.png"))
    finally:
        browser.close()
        if proc.poll() is None:
            stop(proc, log)


def test_a_photo_taken_with_the_camera_enters_the_store_and_the_link(chromium, monkeypatch, tmp_path):
    store = tmp_path / "store"
    proc, url = serve(monkeypatch, store, "server-uploads-camera.log")
    browser = chromium.chromium.launch(executable_path=CHROMIUM, args=FLAGS + [
        "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"])
    try:
        context = browser.new_context(**VIEW)
        context.grant_permissions(["camera"], origin=url)
        pg = context.new_page()
        pg.set_default_timeout(120_000)
        pg.goto(url)
        expect(pg.get_by_text("Step 1: Image and RoIs")).to_be_visible()
        pg.get_by_text("Take a photo").click()
        settle(pg)
        take = pg.get_by_role("button", name="Take Photo")
        expect(take).to_be_enabled()
        pg.wait_for_timeout(1500)  # the fake camera's first frames
        take.click()
        try:
            pg.wait_for_function("() => new URLSearchParams(location.search).get('img')", timeout=120_000)
        finally:
            pg.screenshot(path=str(SHOTS / "uploads-04-camera.png"))
        settle(pg)
        name = parse_qs(urlparse(pg.url).query).get("img", [""])[0]
        assert uploads.is_name(name), pg.url
        assert [p.name for p in store.iterdir()] == [name + ".png"]
        kept = uploads.UploadStore(store).load(name)
        assert kept is not None and min(kept.decoded.original_size) >= 100  # a camera frame, not an empty picture
        W, H = kept.decoded.original_size
        expect(pg.get_by_text(f"The original is {W} × {H}", exact=False)).to_be_visible()
        student = browser.new_context(**VIEW).new_page()
        student.set_default_timeout(120_000)
        student.goto(pg.url)
        expect(student.get_by_text(f"The original is {W} × {H}", exact=False)).to_be_visible()
    finally:
        browser.close()
        stop(proc, "server-uploads-camera.log")

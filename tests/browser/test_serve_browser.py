"""The server the README starts (``streamlit run serve.py``) makes what the first screen waits for as it starts,
before anyone opens the page: torch, VGG16 and the sample photo's feature map. The first student's page then
shows step 1 with its figure, drawn from that map: made once, not again for the visit. The next student's browser
gets Streamlit's page files gzipped, from memory (``ui.page_files``), and the same page.
``ROI_VIZ_WARM_UP=0`` turns it off: then nothing is made until a page asks.
"""
from __future__ import annotations

import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from ui.page_files import MIN_GZIP_BYTES
from helpers import assert_clean_log, expect_step, settle, start_server, step_figure

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
FIRST_MAP = "[roi-viz] features computed: sample:astronaut 512 pool5"  # the plain link's first screen's map


def stop(proc) -> None:
    proc.terminate()
    proc.wait(60)


def test_the_server_makes_the_first_screen_before_the_first_visit(browser):
    log = ROOT / "artifacts" / "server-test_serve_browser.log"
    proc, url = start_server(log, "serve.py")
    try:
        deadline = time.monotonic() + 120
        while FIRST_MAP not in log.read_text(errors="replace"):  # nobody has opened the page yet
            assert time.monotonic() < deadline, "no feature map before the first visit:\n" + log.read_text()
            time.sleep(0.2)
        ctx = browser.new_context(viewport={"width": 1366, "height": 768})
        pg = ctx.new_page()
        pg.set_default_timeout(120_000)
        first = set()
        pg.on("response", lambda r: first.add(r.url) if "/static/js/" in r.url else None)
        pg.goto(url)
        expect(step_figure(pg)).to_be_visible()
        settle(pg)
        expect_step(pg, 1, "Image and RoIs")
        pg.get_by_role("button", name="Next step").click()  # step 2 is the map itself, and says what it cost
        expect_step(pg, 2, "Feature map and projection")
        expect(pg.get_by_text("Forward pass:", exact=False)).to_be_visible()
        ctx.close()

        # The next student: Streamlit's page files come from memory, gzipped, and the page works as before.
        ctx = browser.new_context(viewport={"width": 1366, "height": 768})
        pg = ctx.new_page()
        pg.set_default_timeout(120_000)
        encodings = {}
        pg.on("response", lambda r: encodings.__setitem__(r.url, r.headers.get("content-encoding"))
              if "/static/js/" in r.url else None)
        pg.goto(url)
        expect(step_figure(pg)).to_be_visible()
        settle(pg)
        expect_step(pg, 1, "Image and RoIs")
        sizes = dict(pg.evaluate("performance.getEntriesByType('resource').filter(e => e.name.includes('/static/'))"
                                 ".map(e => [e.name, [e.transferSize, e.decodedBodySize]])"))
        ctx.close()
        # A script the first visit fetched has been kept: gzipped now, unless too small to gain from it.
        again = {u: e for u, e in encodings.items() if u in first and sizes[u][1] >= MIN_GZIP_BYTES}
        assert len(again) > 20 and all(e == "gzip" for e in again.values()), again
        sent, decoded = sum(t for t, _ in sizes.values()), sum(d for _, d in sizes.values())
        assert sent < 0.6 * decoded, f"{sent} bytes sent for {decoded} bytes of page files"
    finally:
        stop(proc)
    text = log.read_text(errors="replace")
    assert text.count(FIRST_MAP) == 1, "the page made the first screen's map again:\n" + text
    assert_clean_log(log)


def test_without_warming_nothing_is_made_before_a_visit():
    log = ROOT / "artifacts" / "server-test_serve_browser-cold.log"
    proc, url = start_server(log, "serve.py", ROI_VIZ_WARM_UP="0")
    try:
        time.sleep(8)  # more than the warmed server above needs on this machine
    finally:
        stop(proc)
    assert FIRST_MAP not in log.read_text(errors="replace")
    assert_clean_log(log)

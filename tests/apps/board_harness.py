"""What the board's browser tests share: Chromium (or a clear skip), a Streamlit test app on loopback."""
from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

try:
    from helpers import CHROMIUM, FLAGS, free_port, tracebacks
except ModuleNotFoundError:  # the board bench, run as a module from the repository root
    from tests.helpers import CHROMIUM, FLAGS, free_port, tracebacks

ROOT = Path(__file__).resolve().parents[2]
APPS = Path(__file__).resolve().parent
ARTIFACTS = ROOT / "artifacts"
GEOMETRY_JS = ROOT / "ui" / "board" / "geometry.js"


def need_chromium() -> None:
    """Skip, saying how to get it, where there is no Chromium (or no Playwright)."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"These tests drive a real Chromium, and there is none at {CHROMIUM}: "
                    "run `apt-get install -y chromium` (or set ROI_VIZ_CHROMIUM).")
    pytest.importorskip("playwright", reason="Playwright is needed: pip install -r requirements-dev.txt")


@contextmanager
def chromium():
    need_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def streamlit_app(script: Path, log_name: str):
    """Run ``script`` with Streamlit on a free loopback port; yield ``(url, log_path)``.

    The log is read for tracebacks when the server stops.
    """
    port = free_port()
    log = ARTIFACTS / f"server-{log_name}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, ROI_VIZ_OFFLINE="1", PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true",
         "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=open(log, "wb"), stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                if urllib.request.urlopen(url + "/_stcore/health", timeout=1).status == 200:
                    break
            except OSError:
                time.sleep(0.25)
        else:
            pytest.fail("the Streamlit test app did not start:\n" + log.read_text(errors="replace"))
        yield url, log
    finally:
        proc.terminate()
        proc.wait(10)
    found = tracebacks(log.read_text(errors="replace"))
    assert not found, "the test app's server log has a traceback:\n" + found[-1]

"""Shared fixtures and hooks (the helpers they use are in helpers.py). The tests are in three folders: lib/
(the library: no page, no browser), page/ (the app in AppTest) and browser/ (Chromium against the real server,
marked ``browser``). Tests never download: the network path is tested with hosts that cannot answer."""
import os
import subprocess
from pathlib import Path

import pytest

# The app and CLI under test must not try the internet; tests of that path opt back in.
os.environ.setdefault("ROI_VIZ_OFFLINE", "1")
os.environ.pop("ROI_VIZ_WEIGHTS", None)
# Uploads are kept in a store on disk (roi_viz.state.uploads): the tests' go to a directory of their own, not the user's cache.
if not os.environ.get("ROI_VIZ_UPLOADS"):
    import tempfile

    os.environ["ROI_VIZ_UPLOADS"] = tempfile.mkdtemp(prefix="roi-viz-test-uploads-")

from helpers import FLAGS, ROOT, SHOTS, assert_clean_log, chromium_or_skip, start_server  # noqa: E402


@pytest.fixture(scope="session")
def backbone():
    from roi_viz.model import features

    return features.load_backbone("cpu")


@pytest.fixture(scope="session")
def astronaut_input():
    from roi_viz.model import images, samples

    decoded = images.load_file(samples.get_sample("astronaut").path)
    return images.prepare_input(decoded, 512)[0]


@pytest.fixture(scope="session")
def features_512(backbone, astronaut_input):
    from roi_viz.model import features

    return features.extract(backbone, astronaut_input, "pool5")


BROWSER_TESTS = Path(__file__).resolve().parent / "browser"


def pytest_collection_modifyitems(config, items):
    """Marks ``browser`` every test that drives Chromium, so ``-m "not browser"`` is the fast lane: all of
    tests/browser/, and a test elsewhere that takes the ``browser`` fixture (one browser check in a file of page
    or library tests); a test that starts Chromium another way carries the mark itself."""
    for item in items:
        if BROWSER_TESTS in item.path.parents or "browser" in item.fixturenames:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Every test that drives a browser needs Chromium: checked once, before its fixtures start."""
    if (item.get_closest_marker("browser") or getattr(item.module, "sync_playwright", None) is not None
            or {"browser", "page"} & set(item.fixturenames)):
        chromium_or_skip()


@pytest.fixture(scope="module")
def server(request):
    """The real app for one test module, started as the README starts it (``serve.py``), its log
    ``artifacts/server-<module>.log``, read for tracebacks at the end."""
    log = ROOT / "artifacts" / f"server-{request.module.__name__}.log"
    proc, url = start_server(log, "serve.py")
    yield url
    proc.terminate()
    try:
        proc.wait(60)  # a busy machine may take a while to close its sessions
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(10)
    assert_clean_log(log)


@pytest.fixture(scope="module")
def browser():
    """One Chromium per module (modules may define their own)."""
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_or_skip(), args=FLAGS)
        yield b
        b.close()

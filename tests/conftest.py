"""Shared fixtures. Tests never download: the network path is tested with hosts that cannot answer."""
import io
import os
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

# The app and CLI under test must not try the internet; tests of that path opt back in.
os.environ.setdefault("ROI_VIZ_OFFLINE", "1")
os.environ.pop("ROI_VIZ_WEIGHTS", None)

ARTICLE_ROI = (296.0, 192.0, 200.0, 145.0)


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


def encode(img: Image.Image, fmt: str, **kw) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format=fmt, **kw)
    return buf.getvalue()


def photo(w: int = 64, h: int = 48, seed: int = 0) -> Image.Image:
    """A small RGB image with structure (a gradient plus a red block), not a flat colour."""
    rng = np.random.default_rng(seed)
    arr = np.zeros((h, w, 3), np.uint8)
    arr[..., 0] = np.linspace(0, 255, w, dtype=np.uint8)[None, :]
    arr[..., 1] = np.linspace(0, 255, h, dtype=np.uint8)[:, None]
    arr[..., 2] = rng.integers(0, 255, (h, w))
    arr[: h // 3, : w // 3] = (255, 0, 0)
    return Image.fromarray(arr, "RGB")


def png_header_only(w: int, h: int) -> bytes:
    """A PNG that claims w x h pixels: a decompression bomb's header, without the memory."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 10)) + chunk(b"IEND", b"")


def page_text(at) -> str:
    """Everything an AppTest page says in words: markdown, errors, warnings, notes, captions, plain text."""
    parts = [m.value for m in at.markdown] + [e.value for e in at.error] + [w.value for w in at.warning]
    parts += [i.value for i in at.info] + [c.value for c in at.caption] + [t.value for t in at.text]
    return "\n".join(parts)


def figures(at) -> list[str]:
    """The figures an AppTest page shows (``ui.figure.show``: an ``<img>`` with its text alternative): their alts."""
    import html
    import re

    found = []
    for e in at.get("html"):
        body = e.proto.body
        if 'class="roi-figure"' in body:
            found.append(html.unescape(re.search(r'alt="([^"]*)"', body).group(1)))
    return found


def notices(at, kind: str | None = None) -> list[str]:
    """The page's notices, as plain text: each is ``st.text`` in a box keyed ``notice-KIND-...``.

    ``kind``: ``"warning"``, ``"error"`` or ``"info"``; ``None`` for all of them.
    """
    found: list[str] = []

    def walk(node, inside: bool) -> None:
        key = getattr(node, "key", None) or ""
        here = inside or key.startswith(f"notice-{kind}-" if kind else "notice-")
        if here and getattr(node, "type", None) == "text":
            found.append(node.value)
        for child in getattr(node, "children", {}).values():
            walk(child, here)

    walk(at.main, False)
    walk(at.sidebar, False)
    return found


def widget(at, kind: str, label: str):
    """The AppTest widget of ``kind`` (``"radio"``, ``"number_input"``, ...) labelled ``label``.

    Found by its label, as a person finds it: the page's widget keys carry a
    revision (see ui/widgets.py), so they change as the state does.
    """
    items = list(getattr(at, kind))
    found = [w for w in items if w.label == label] or [w for w in items if w.label.startswith(label)]
    assert found, f"no {kind} labelled {label!r}; there are {[w.label for w in items]}"
    return found[0]


def page_state(at):
    """The session's state, through the page's one accessor's key: a ``ui.session.Session``
    (settings, the RoI store, the photo, the lesson's place, the quiz)."""
    from ui.session import KEY

    return at.session_state[KEY]

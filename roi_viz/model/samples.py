"""The sample photos shipped in ``assets/``, each with a licence file beside it.

A sample ``NAME.png`` (or ``.jpg``) has ``NAME.license.txt`` next to it with
``Title:``, ``Source:`` and ``Licence:`` lines; an image without one is not offered.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

ASSETS = Path(__file__).resolve().parents[2] / "assets"
DEFAULT_SAMPLE = "astronaut"  # already 512 x 512, so the article's RoI maps one to one
# The article's worked example: (x, y, w, h) on a 512 x 512 input.
ARTICLE_ROI = (296.0, 192.0, 200.0, 145.0)
ARTICLE_INPUT_SIZE = 512


@dataclass(frozen=True)
class Sample:
    name: str
    path: Path
    title: str
    source: str
    licence: str


@functools.cache  # the assets do not change while the server runs; every rerun asks
def list_samples(folder: Path = ASSETS) -> tuple[Sample, ...]:
    samples = []
    for lic in sorted(folder.glob("*.license.txt")):
        name = lic.name[: -len(".license.txt")]
        images = [p for p in folder.glob(name + ".*") if p.suffix.lower() in (".png", ".jpg", ".jpeg")]
        if not images:
            continue
        fields = dict(
            line.split(":", 1) for line in lic.read_text(encoding="utf-8").splitlines() if ":" in line
        )
        samples.append(
            Sample(
                name,
                images[0],
                fields.get("Title", name).strip(),
                fields.get("Source", "").strip(),
                fields.get("Licence", "").strip(),
            )
        )
    samples.sort(key=lambda s: (s.name != DEFAULT_SAMPLE, s.name))
    return tuple(samples)


def get_sample(name: str) -> Sample:
    for s in list_samples():
        if s.name == name:
            return s
    raise KeyError(f"No sample image called {name!r}.")


@functools.cache
def original_size(name: str) -> tuple[int, int]:
    """``(W, H)`` of a sample photo, read from its header (a link's boxes are checked against it)."""
    from PIL import Image

    with Image.open(get_sample(name).path) as img:
        return img.size

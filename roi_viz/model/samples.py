"""The sample photos shipped in ``assets/``, each with a licence file beside it.

A sample ``NAME.png`` (or ``.jpg``) has ``NAME.license.txt`` next to it with
``Title:``, ``Source:`` and ``Licence:`` lines; an image without one is not offered.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from ..language import N_, _

ASSETS = Path(__file__).resolve().parents[2] / "assets"
DEFAULT_SAMPLE = "astronaut"  # already 512 x 512, so the article's RoI maps one to one
# The article's worked example: (x, y, w, h) on a 512 x 512 input.
ARTICLE_ROI = (296.0, 192.0, 200.0, 145.0)
ARTICLE_INPUT_SIZE = 512


# The photos' titles as their licence files write them, marked for the catalog: a student reads the title in
# the page's language. The source and licence lines stay as written: they quote where the photo came from.
TITLES = (N_("Astronaut Eileen Collins"), N_("Chelsea the cat"), N_("Coffee cup"), N_("Falcon 9 launching DSCOVR"))


@dataclass(frozen=True)
class Sample:
    name: str
    path: Path
    original_title: str  # as the licence file writes it (English)
    source: str
    licence: str

    @property
    def title(self) -> str:
        """The photo's title in the language in force (a title the catalog does not hold, as written)."""
        return _(self.original_title) if self.original_title in TITLES else self.original_title


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

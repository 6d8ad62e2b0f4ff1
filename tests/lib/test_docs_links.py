"""The README and docs/ lead somewhere: every relative link names a file that exists, every
anchor names a heading of its page, and the README stays short enough to read in two minutes.

The README was split into pages under docs/; a heading renamed or a page moved would leave a
reader on a dead link that no other test sees. Anchors are matched the way GitHub writes a
heading's id (lower case, punctuation dropped, spaces to hyphens, ``-1``, ``-2`` for repeats).
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README_MAX_LINES = 150
SCREENSHOT_MAX_BYTES = 400 * 1024

# [text](target) and ![alt](target); the target ends at the first space (an optional title
# follows) or at the closing bracket.
LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
FENCE = re.compile(r"^\s*(```|~~~)")
INLINE_CODE = re.compile(r"`[^`]*`")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


def doc_files(root: Path) -> list[Path]:
    return [root / "README.md", *sorted((root / "docs").glob("*.md"))]


def prose_lines(text: str, keep_code: bool = False) -> list[tuple[int, str]]:
    """(line number, line) outside fenced code blocks; inline code spans blanked out unless
    ``keep_code``, since a bracket inside code (``a[0](x)``) is not a link, while a heading's
    code is part of its id."""
    out, fenced = [], False
    for number, line in enumerate(text.splitlines(), 1):
        if FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            out.append((number, line if keep_code else INLINE_CODE.sub("", line)))
    return out


def slug(heading: str) -> str:
    """GitHub's id for a heading's text: links keep their words, code keeps its text."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)
    text = text.replace("`", "").strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    seen: dict[str, int] = {}
    ids = set()
    for _, line in prose_lines(path.read_text(encoding="utf-8"), keep_code=True):
        match = HEADING.match(line)
        if not match:
            continue
        base = slug(match.group(2))
        count = seen.get(base, 0)
        seen[base] = count + 1
        ids.add(base if count == 0 else f"{base}-{count}")
    # explicit anchors written as HTML
    ids |= set(re.findall(r"<a\s+(?:name|id)=\"([^\"]+)\"", path.read_text(encoding="utf-8")))
    return ids


def links(path: Path) -> list[tuple[int, str]]:
    return [(n, m.group(1)) for n, line in prose_lines(path.read_text(encoding="utf-8"))
            for m in LINK.finditer(line)]


def broken_links(root: Path) -> list[str]:
    """Every relative link of README.md and docs/*.md under ``root`` that leads nowhere, as
    'file:line: target (why)'."""
    problems = []
    for page in doc_files(root):
        if not page.exists():
            continue
        for number, target in links(page):
            if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I) or target.startswith("//"):
                continue  # http:, https:, mailto: ... are not files of this repository
            where = f"{page.relative_to(root)}:{number}: {target}"
            file_part, _, anchor = target.partition("#")
            dest = (page.parent / file_part).resolve() if file_part else page
            if not dest.exists():
                problems.append(f"{where} (no such file)")
                continue
            if anchor and dest.suffix == ".md" and anchor not in anchors(dest):
                problems.append(f"{where} (no heading with this anchor in {dest.name})")
    return problems


def test_readme_is_short():
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= README_MAX_LINES, f"README.md has {len(lines)} lines"


def test_every_relative_link_and_anchor_resolves():
    pages = doc_files(ROOT)
    assert len(pages) > 1 and all(p.exists() for p in pages)
    assert sum(len(links(p)) for p in pages) > 10  # the checker did read links
    assert broken_links(ROOT) == []


def test_readme_shows_a_screenshot_that_exists_and_is_small():
    images = [t for _, t in links(ROOT / "README.md")
              if t.lower().endswith(".png") and "://" not in t]
    assert images, "the README shows no screenshot"
    for target in images:
        path = ROOT / target
        assert path.exists(), target
        assert path.stat().st_size <= SCREENSHOT_MAX_BYTES, f"{target}: {path.stat().st_size} bytes"


def test_the_checker_catches_a_missing_file_and_a_missing_anchor(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "README.md").write_text(
        "# Title\n\n[ok](docs/a.md#a-heading-with-code-and-punctuation) [self](#title)\n"
        "[gone](docs/missing.md) [bad anchor](docs/a.md#no-such-heading)\n"
        "```\n[in code](nowhere.md)\n```\n`[inline](nowhere.md)` [web](https://example.org/x)\n",
        encoding="utf-8")
    (tmp_path / "docs" / "a.md").write_text(
        "# A page\n\n## A heading, with `code` and punctuation!\n\n[up](../README.md#title)\n",
        encoding="utf-8")
    problems = broken_links(tmp_path)
    assert len(problems) == 2, problems
    assert any("docs/missing.md (no such file)" in p for p in problems)
    assert any("docs/a.md#no-such-heading (no heading" in p for p in problems)


@pytest.mark.parametrize("heading, expected", [
    ("Weights: real ImageNet weights, or a labelled fallback",
     "weights-real-imagenet-weights-or-a-labelled-fallback"),
    ("Beyond the article: what a cell sees, and what happens after pooling",
     "beyond-the-article-what-a-cell-sees-and-what-happens-after-pooling"),
    ("The `roi_viz` package", "the-roi_viz-package"),
])
def test_slug_follows_github(heading, expected):
    assert slug(heading) == expected

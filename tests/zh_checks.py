"""What the Chinese-words tests share: a function's result in both languages, and the English left in a text."""
from __future__ import annotations

import re

from roi_viz.language import using

HAN = re.compile(r"[\u4e00-\u9fff]")


def both(fn):
    """``fn()`` in English and in Chinese."""
    with using("en"):
        en = fn()
    with using("zh"):
        zh = fn()
    return en, zh


def english_left(text: str, kept) -> list[str]:
    """English words of three letters or more left in ``text`` once the ``kept`` names (longest first) are out."""
    for name in sorted(kept, key=len, reverse=True):
        text = text.replace(name, " ")
    return re.findall(r"[A-Za-z]{3,}", text)

"""Which language the words are shown in, and each word looked up in its GNU gettext catalog.

Every sentence a person reads is written in English in the code, marked, and looked up at the
moment it is shown:

- ``_("The box is {w} px wide").format(w=...)``: a sentence translated whole, its numbers as named
  placeholders (``{name}``), never glued from pieces, so a translation may put them in its own order;
- ``ngettext("{n} cell", "{n} cells", n).format(n=n)``: the form a number takes (Chinese has one);
- ``N_("…")`` marks a sentence that is stored (a table, a constant) and translated later, where it is
  shown, with ``_(stored)``.

The catalogs are ``roi_viz/locale/<lang>/LC_MESSAGES/roi_viz.po`` (the translators' files, made from the
template ``roi_viz/locale/roi_viz.pot`` that Babel extracts from the code) and their compiled ``.mo``,
read here with the standard library's :mod:`gettext`. English is the code itself.

The language is per person, not per process: Streamlit runs each student's page in its own thread, so
the language in force is a :class:`~contextvars.ContextVar` set with :func:`using` (the command line,
the exports, the tests), else what the page's resolver says for the run in this thread
(:func:`set_resolver`: the page registers one that reads the student's session), else English.

A sentence with no translation is shown in English (gettext's rule), so a missing one is found by the
catalog test (``tests/lib/test_language.py``: every message of the template has its translation), not
on the page.

The commands, from the repository's root (Babel: ``requirements.txt``); the tests say which one is due::

    pybabel extract -F babel.cfg -c TRANSLATORS: --no-location --sort-output --project=roi-viz \\
        --copyright-holder="the roi-viz authors" -o roi_viz/locale/roi_viz.pot .
    pybabel update -i roi_viz/locale/roi_viz.pot -d roi_viz/locale -D roi_viz --no-fuzzy-matching \\
        --ignore-obsolete --width=120
    # ... translate the new sentences in roi_viz/locale/zh/LC_MESSAGES/roi_viz.po, then:
    pybabel compile -d roi_viz/locale -D roi_viz --statistics

(a new language: ``pybabel init -i roi_viz/locale/roi_viz.pot -d roi_viz/locale -D roi_viz -l <code>``, and
its name in :data:`LANGUAGES`). The compiled ``.mo`` is committed beside its ``.po``, so a fresh clone
runs with no build step; a character the figures' Chinese font lacks is added by
:mod:`roi_viz.picture.font_subset`.

This module is in the ground layer, beside ``picture``: every layer that speaks (the options'
labels in ``state``, the lesson's words, the figures, the page, the command line) imports it from below.
"""
from __future__ import annotations

import gettext
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterator

DOMAIN = "roi_viz"  # the catalogs' file name: roi_viz.po, roi_viz.mo
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"
SOURCE = "en"  # the language the code is written in: no catalog
# Each language offered, named in itself (a reader looking for their language reads it in their own script).
LANGUAGES: dict[str, str] = {"en": "English", "zh": "中文"}
# The attribute <html lang> and a figure's xml:lang carry (BCP 47): Simplified Chinese written in Han script.
TAGS: dict[str, str] = {"en": "en", "zh": "zh-Hans"}

# The catalog's three commands (see above), for the tests to quote when one of them is due.
EXTRACT = ('pybabel extract -F babel.cfg -c TRANSLATORS: --no-location --sort-output --project=roi-viz '
           '--copyright-holder="the roi-viz authors" -o roi_viz/locale/roi_viz.pot .')
UPDATE = ("pybabel update -i roi_viz/locale/roi_viz.pot -d roi_viz/locale -D roi_viz --no-fuzzy-matching "
          "--ignore-obsolete --width=120")
COMPILE = "pybabel compile -d roi_viz/locale -D roi_viz --statistics"

_chosen: ContextVar[str | None] = ContextVar("roi_viz_language", default=None)
_resolver: Callable[[], str | None] | None = None


def N_(message: str) -> str:
    """Mark ``message`` for the catalog without translating it now (it is stored, and translated where shown)."""
    return message


def po_file(lang: str) -> Path:
    """The translators' catalog of ``lang``."""
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_file(lang: str) -> Path:
    """The compiled catalog of ``lang`` that :func:`catalog` reads."""
    return po_file(lang).with_suffix(".mo")


@lru_cache(maxsize=len(LANGUAGES))
def catalog(lang: str) -> gettext.NullTranslations:
    """The compiled catalog of ``lang`` (English: none, the code's own words). A language offered without
    its compiled catalog is an error here, not English in disguise."""
    if lang == SOURCE:
        return gettext.NullTranslations()
    if lang not in LANGUAGES:
        raise ValueError(f"{lang!r} is not one of {', '.join(LANGUAGES)}")
    with open(mo_file(lang), "rb") as f:
        return gettext.GNUTranslations(f)


def set_resolver(resolver: Callable[[], str | None] | None) -> None:
    """Register the function that says the language of the run in this thread (``None``: it does not know).

    The page registers one that reads the student's session; it is asked only when no :func:`using` is in force.
    """
    global _resolver
    _resolver = resolver


def current() -> str:
    """The language in force here: :func:`using`'s, else the resolver's, else English."""
    lang = _chosen.get()
    if lang is None and _resolver is not None:
        lang = _resolver()
    return lang if lang in LANGUAGES else SOURCE


@contextmanager
def using(lang: str) -> Iterator[str]:
    """Speak ``lang`` inside the ``with`` block, in this thread only (the command line, an export, a test)."""
    if lang not in LANGUAGES:
        raise ValueError(f"{lang!r} is not one of {', '.join(LANGUAGES)}")
    token = _chosen.set(lang)
    try:
        yield lang
    finally:
        _chosen.reset(token)


def _(message: str) -> str:
    """``message`` in the language in force (English when the catalog has no translation for it)."""
    return catalog(current()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a sentence about ``n`` things in the language in force."""
    return catalog(current()).ngettext(singular, plural, n)


def from_browser(locale: str | None = None, accept_language: str | None = None) -> str | None:
    """The language offered that a browser asks for, or ``None``.

    ``locale``: ``navigator.language`` (``"zh-CN"``); ``accept_language``: the request's header
    (``"zh-CN,zh;q=0.9,en;q=0.8"``), read in the order of its weights. Any Chinese (``zh``,
    ``zh-CN``, ``zh-TW``, ``zh-Hans``) is answered with the Simplified Chinese catalog, the one there is.
    """
    wanted: list[str] = [locale] if locale else []
    if accept_language:
        ranked = []
        for i, part in enumerate(accept_language.split(",")):
            tag, _sep, q = part.strip().partition(";q=")
            try:
                weight = float(q) if q else 1.0
            except ValueError:
                weight = 0.0
            ranked.append((-weight, i, tag.strip()))
        wanted += [tag for weight, _i, tag in sorted(ranked) if weight < 0]
    for tag in wanted:
        primary = tag.split("-")[0].split("_")[0].lower()
        if primary in LANGUAGES:
            return primary
    return None

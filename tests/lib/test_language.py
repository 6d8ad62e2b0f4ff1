"""The words' catalogs: every marked sentence is in the template, translated in Chinese, compiled, and shown.

The chain is Babel's: ``pybabel extract`` reads the marked sentences (``_``, ``ngettext``, ``N_``) from
the code into ``roi_viz/locale/roi_viz.pot``; ``pybabel update`` carries them into
``roi_viz/locale/zh/LC_MESSAGES/roi_viz.po``, where they are translated; ``pybabel compile`` writes the
``.mo`` the page reads (:mod:`roi_viz.language`). gettext shows English for a sentence with no
translation, so these tests are where a missing one is found: a sentence added to the code and not to
the template, one left untranslated or fuzzy, a placeholder lost in translation, a ``.mo`` older than its
``.po``, each fails here and says which.
"""
from __future__ import annotations

import gettext
import re
import shlex
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from roi_viz import language
from roi_viz.language import LANGUAGES, TEMPLATE, _, mo_file, po_file, using
from roi_viz.lesson import glossary, views

ROOT = Path(__file__).resolve().parents[2]
TRANSLATED = [lang for lang in LANGUAGES if lang != language.SOURCE]
HAN = re.compile(r"[\u4e00-\u9fff]")


def read(path: Path):
    with open(path, "rb") as f:
        return read_po(f)


def ids(catalog) -> set:
    return {m.id for m in catalog if m.id}


def untranslated(catalog, template) -> list[str]:
    """The template's sentences that ``catalog`` does not translate: absent, empty (any plural form) or fuzzy."""
    out = []
    for m in template:
        if not m.id:
            continue
        t = catalog.get(m.id)
        strings = t.string if t is not None and isinstance(t.string, tuple) else (t.string if t else "",)
        if t is None or t.fuzzy or not all(strings):
            out.append(m.id if isinstance(m.id, str) else m.id[0])
    return out


def placeholders(text) -> list[str]:
    """The named placeholders of a sentence, ``{name}`` and ``%(name)s``, sorted."""
    texts = text if isinstance(text, tuple) else (text,)
    return sorted({p for t in texts for p in re.findall(r"\{(\w+)\}|%\((\w+)\)", t) for p in p if p})


def test_the_template_holds_every_marked_sentence_of_the_code(tmp_path):
    """``pybabel extract`` run now finds exactly the template's sentences: none added to the code and forgotten."""
    fresh = tmp_path / "fresh.pot"
    args = shlex.split(language.EXTRACT)[1:]  # the command as the translators run it, into a file of our own
    args[args.index("-o") + 1] = str(fresh)
    done = subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    new, old = ids(read(fresh)), ids(read(TEMPLATE))
    todo = f"run:\n{language.EXTRACT}\n{language.UPDATE}\nthen translate the new sentences, then:\n{language.COMPILE}"
    assert new - old == set(), f"marked in the code, missing from {TEMPLATE.name}; {todo}"
    assert old - new == set(), f"in {TEMPLATE.name}, no longer in the code; {todo}"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_sentence_of_the_template_is_translated(lang):
    catalog, template = read(po_file(lang)), read(TEMPLATE)
    assert ids(template), "the template is empty"
    missing = untranslated(catalog, template)
    assert missing == [], (f"{len(missing)} sentences untranslated in {po_file(lang)}: translate them, then run "
                           f"{language.COMPILE}\n" + "\n".join(missing))
    assert ids(catalog) - ids(template) == set(), f"sentences no longer in the code: run {language.UPDATE}"


def test_an_untranslated_sentence_is_caught():
    """The check itself: the catalog with one translation emptied, and one made fuzzy, fails it by name."""
    catalog, template = read(po_file("zh")), read(TEMPLATE)
    first, second = sorted(i for i in ids(template) if isinstance(i, str))[:2]  # (a plural's id is a tuple)
    catalog[first].string = ""
    catalog[second].flags.add("fuzzy")
    assert untranslated(catalog, template) == sorted([first, second], key=[m.id for m in template].index)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_each_translation_keeps_the_placeholders_of_its_sentence(lang):
    for m in read(po_file(lang)):
        if m.id:
            assert placeholders(m.string) == placeholders(m.id), f"{m.id!r} -> {m.string!r}"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_the_compiled_catalog_is_its_po_compiled(lang):
    """The ``.mo`` the page reads says what the ``.po`` says (else: pybabel compile)."""
    catalog = read(po_file(lang))
    wanted = {m.id: m.string for m in catalog if m.id and isinstance(m.id, str) and m.string and not m.fuzzy}
    # A plural sentence is compiled as one entry per form, keyed (singular, form).
    wanted.update({(m.id[0], k): form for m in catalog if m.id and not isinstance(m.id, str) and not m.fuzzy
                   for k, form in enumerate(m.string) if form})
    with open(mo_file(lang), "rb") as f:
        compiled = gettext.GNUTranslations(f)
    assert {k: v for k, v in compiled._catalog.items() if k} == wanted, f"the .mo is stale: run {language.COMPILE}"


def test_the_views_and_the_glossary_speak_chinese_in_chinese_and_english_otherwise():
    with using("zh"):
        assert views.label("walk") == "逐步讲解" and views.heading("walk", "RoIAlign") == "逐步讲解：RoIAlign"
        assert views.heading("compare", "RoIAlign") == "比较各方法"
        zh = dict(glossary.entries())
    assert views.label("walk") == "Walkthrough" and views.heading("walk", "RoIAlign") == "Walkthrough: RoIAlign"
    assert dict(glossary.entries()) == glossary.GLOSSARY
    assert len(zh) == len(glossary.GLOSSARY)
    for term, meaning in zh.items():  # every meaning in Chinese; the English term kept where papers use it
        assert HAN.search(meaning), (term, meaning)
    assert zh["感兴趣区域 (RoI)"].startswith("感兴趣区域")
    assert "特征图 (feature map)" in zh and "步幅 (stride)" in zh
    assert "pool5" in zh and "RoIAlign" in zh  # names are the same in every language
    for key in views.VIEWS:
        with using("zh"):
            assert HAN.search(views.label(key)) and HAN.search(views.heading(key, "RoI 池化")), key


def test_the_language_is_per_thread_and_per_block():
    """Two students at once: each thread speaks its own language; a block's language ends with the block."""
    seen = {}

    def student(lang):
        with using(lang):
            barrier.wait()  # both are inside their block at the same time
            seen[lang] = views.label("quiz")

    barrier = threading.Barrier(2)
    threads = [threading.Thread(target=student, args=(lang,)) for lang in ("zh", "en")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert seen == {"zh": "测验", "en": "Quiz"}
    with using("zh"):
        with using("en"):
            assert _("Quiz") == "Quiz"
        assert _("Quiz") == "测验"
    assert _("Quiz") == "Quiz"
    assert [language.ngettext("{n} cell", "{n} cells", n).format(n=n) for n in (1, 2)] == ["1 cell", "2 cells"]
    with pytest.raises(ValueError):
        with using("fr"):
            pass


def test_a_resolver_speaks_for_the_run_and_using_wins_over_it():
    before = language._resolver  # the page's, when a page test ran first in this process: put back after
    try:
        language.set_resolver(lambda: "zh")
        assert _("Quiz") == "测验"
        with using("en"):
            assert _("Quiz") == "Quiz"
        language.set_resolver(lambda: None)
        assert _("Quiz") == "Quiz"
    finally:
        language.set_resolver(before)


@pytest.mark.parametrize("locale, accept, expected", [
    ("zh-CN", None, "zh"), ("zh-TW", None, "zh"), ("zh", None, "zh"), ("en-GB", None, "en"),
    (None, "zh-CN,zh;q=0.9,en;q=0.8", "zh"), (None, "fr-FR,en;q=0.5,zh;q=0.9", "zh"),
    (None, "fr-FR,de;q=0.5", None), (None, "de;q=oops,en", "en"), (None, "", None), (None, None, None),
    ("fr-FR", "zh-CN", "zh"),  # navigator.language first, then the header's order
])
def test_the_browsers_language(locale, accept, expected):
    assert language.from_browser(locale, accept) == expected

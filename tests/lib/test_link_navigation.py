"""Navigation is declared once: each parameter of where the lesson is (``roi_viz.link.NAVIGATION``) makes the
link's field, its reading, its writing, the names the link knows, the docs' table and the session's Place.

The last tests add one throwaway declaration to a copy of ``roi_viz/link.py`` (one line, nothing else) and show
that the link then reads it, writes it, knows it, documents it, names a bad value of it, and that the
session's Place keeps it and the page's link carries it.
"""
from __future__ import annotations

import dataclasses
import importlib.util
import re
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlencode

import pytest

import roi_viz
from roi_viz import link

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "library.md"


def through_url(params: dict) -> dict:
    """What a browser hands back: the encoded query string, parsed again."""
    return parse_qs(urlencode(params, doseq=True), keep_blank_values=True)


def other_value(p: link.Param, settings) -> object:
    """A value of ``p`` that is not its default and that a link can carry."""
    if p.kind in ("choice", "cells"):
        return next(v for v in (p.parse(str(c), settings) for c in p.choices()) if v != p.default)
    if p.kind == "flag":
        return not p.default
    if p.kind == "bin":
        return (1, 1)
    high = p.high(settings) if callable(p.high) else p.high
    return high - p.counted_from  # the last the link allows, in the page's counting


def docs_section() -> str:
    text = DOCS.read_text(encoding="utf-8")
    m = re.search(r"<!-- navigation table[^\n]*-->\n(.*?)\n<!-- end of navigation table -->", text, re.S)
    assert m, "docs/library.md has no navigation table"
    return m.group(1)


def test_the_docs_table_is_the_one_the_declarations_make():
    """Regenerate with ``roi_viz.link.docs_table()`` when a declaration changes."""
    assert docs_section() == link.docs_table()


@pytest.mark.parametrize("p", link.NAVIGATION, ids=lambda p: p.link)
def test_each_declared_parameter_is_read_written_known_documented_and_kept(p):
    settings = link.DEFAULT.settings.with_(output_size=(3, 3))
    value = other_value(p, settings)
    fields = {p.field: link.options.field_values(link.NAVIGATION, {p.link: value})[p.field]}
    state = dataclasses.replace(link.DEFAULT, settings=settings, **fields)
    params = link.to_params(state)
    assert params == {p.link: p.to_text(value)}  # only this one differs from the defaults
    back, notices = link.from_params(through_url(params))
    assert notices == [] and back == state
    assert p.link in link.KNOWN
    assert f"| `{p.link}` | `{p.words()}` | {p.help} |" in docs_section()
    # A value the page cannot use is named in a sentence, and its default is kept.
    back, notices = link.from_params({p.link: "\u0661 nonsense"})
    assert back == link.DEFAULT
    assert len(notices) == 1 and notices[0].startswith(f"The link's {p.link}=") and "the default was used" in notices[0]
    # The session keeps it where its declaration says.
    from ui.session import Place, QuizState
    record = {"place": Place, "quiz": QuizState}[p.keep]()
    assert hasattr(record, p.attr)
    assert p.get(record) == p.default


def test_every_link_field_after_the_boxes_is_declared_and_none_twice():
    shown = [f.name for f in dataclasses.fields(link._Shown)]
    navigation = [f.name for f in dataclasses.fields(link.Link)][len(shown):]
    assert navigation == list(dict.fromkeys(p.field for p in link.NAVIGATION))
    names = [p.link for p in link.NAVIGATION]
    assert len(set(names)) == len(names)
    assert len(set(link.KNOWN)) == len(link.KNOWN)
    from ui.session import Place
    kept = list(dict.fromkeys(p.attr for p in link.NAVIGATION if p.keep == "place"))
    assert [f.name for f in dataclasses.fields(Place)][:len(kept)] == kept  # Place's own fields follow


# ------------------------------------------------------------------ one declaration is enough
THROWAWAY = ('    Param("zoom", "zoom", 1, "how close the photo is shown: 1 to 4", "whole", low=1, high=4, '
             'type=int),\n')


@pytest.fixture
def extended(monkeypatch):
    """``roi_viz.link`` with one more declaration in NAVIGATION, and nothing else changed, in place of the
    real module while the test runs."""
    source = (ROOT / "roi_viz" / "link.py").read_text(encoding="utf-8")
    start = source.index("NAVIGATION: tuple[Param, ...] = (\n")
    end = source.index("\n)\n", start)  # the table's closing bracket
    source = source[:end + 1] + THROWAWAY + source[end + 1:]
    spec = importlib.util.spec_from_loader("roi_viz.link", loader=None, origin=str(ROOT / "roi_viz" / "link.py"))
    module = importlib.util.module_from_spec(spec)
    module.__package__ = "roi_viz"
    exec(compile(source, spec.origin, "exec"), module.__dict__)
    monkeypatch.setitem(sys.modules, "roi_viz.link", module)
    monkeypatch.setattr(roi_viz, "link", module)
    return module


def test_one_declaration_makes_the_field_the_reading_the_writing_the_name_and_the_docs(extended):
    assert extended.NAVIGATION[-1].link == "zoom"
    assert extended.DEFAULT.zoom == 1 and "zoom" in extended.KNOWN and "zoom" not in link.KNOWN
    state = dataclasses.replace(extended.DEFAULT, zoom=3, view="compare")
    params = extended.to_params(state)
    assert params == {"view": "compare", "zoom": "3"}
    back, notices = extended.from_params(through_url(params))
    assert notices == [] and back == state
    assert extended.from_params({"zoom": "1"}) == (extended.DEFAULT, [])
    back, notices = extended.from_params({"zoom": "9"})
    assert back.zoom == 1 and notices == ["The link's zoom='9' is not between 1 and 4; the default was used."]
    # The real module does not know it: the same link is named as unknown there.
    assert link.from_params({"zoom": "3"})[1] == ["The link's parameter 'zoom' is not one this page knows; "
                                                   "it was ignored."]
    assert "| `zoom` | `1` | how close the photo is shown: 1 to 4 |" in extended.docs_table().splitlines()


def test_one_declaration_is_kept_by_the_session_and_carried_by_the_page_link(extended, monkeypatch):
    """The session's Place is made from the same table: load ui/session.py afresh over the extended link."""
    path = ROOT / "ui" / "session.py"
    spec = importlib.util.spec_from_file_location("ui_session_extended", path)
    session = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, session)  # its dataclasses look their module up while made
    spec.loader.exec_module(session)
    s = session.Session()
    assert s.place.zoom == 1
    s.place.zoom = 4
    s.place.view = "slide"
    shared = session.as_link(s)
    assert shared.zoom == 4 and shared.view == "slide"
    params = extended.to_params(shared)
    assert params["zoom"] == "4"
    back, notices = extended.from_params(through_url(params))
    assert notices == [] and back == shared

"""Every view has one shape, and the page routes over the list of them.

A view module (``ui/views/<view>.py``) has ``KEY`` (the link's ``view=``), ``LABEL`` and
``HEADING`` (taken by key from the library's one list, ``roi_viz.lesson.views.VIEWS``, which
the link reads too), ``PRESENTS_ALONE`` and ``render(context)``; ``ui.views.ALL`` lists them in
the page's order, and ``app.py`` has no branch for any one view. On the page (AppTest), a link
with ``view=KEY`` opens that view: its heading, its label picked in the view picker, and
presenter mode likewise.
"""
import ast
import inspect
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from helpers import page_state, page_text, widget
from roi_viz import link
from roi_viz.lesson.views import VIEWS
from roi_viz.methods import METHODS

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
NOT_VIEWS = {"__init__", "context", "glossary"}  # the list, the record views are drawn from, the glossary under them


def all_views():
    from ui import views

    return views.ALL


def test_every_view_module_has_the_one_shape():
    from ui.views.context import Context

    for view in all_views():
        name = view.__name__
        assert isinstance(view.KEY, str) and view.KEY, name
        assert (view.LABEL, view.HEADING) == VIEWS[view.KEY], f"{name}: its label and heading are the library's"
        assert isinstance(view.PRESENTS_ALONE, bool), name
        params = list(inspect.signature(view.render).parameters.values())
        assert [p.name for p in params] == ["context"], f"{name}.render takes {[p.name for p in params]}"
    fields = Context.__dataclass_fields__
    assert set(fields) == {"scene", "fm", "key", "inp", "present", "session"}
    assert Context.__dataclass_params__.frozen


def test_the_page_the_library_and_the_link_name_the_same_views_in_the_same_order():
    keys = tuple(v.KEY for v in all_views())
    assert keys == tuple(VIEWS) == link.VIEWS
    assert len(set(keys)) == len(keys)
    on_disk = {p.stem for p in (ROOT / "ui" / "views").glob("*.py")} - NOT_VIEWS
    assert on_disk == {v.__name__.rsplit(".", 1)[1] for v in all_views()}, "a view module is missing from the list"
    for key in keys:  # a link written with each view reads back to it, without a word
        back, notices = link.from_params(link.to_params(link.Link(view=key)))
        assert back.view == key and not notices


def test_app_has_no_branch_for_any_one_view():
    tree = ast.parse(Path(APP).read_text())
    named = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and n.value in VIEWS]
    assert named == [], f"app.py names views {named}: it should route over ui.views.ALL"
    rendered = {ast.unparse(n.func.value) for n in ast.walk(tree)
                if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "render"}
    assert rendered == {"view", "glossary"}, rendered


def opened(query: dict[str, str]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=300)
    for name, value in query.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, at.exception
    return at


def headings(at) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith("#")]


@pytest.mark.parametrize("key", list(VIEWS))
def test_a_link_opens_each_view_with_its_heading(key):
    from ui.views import BY_KEY

    view = BY_KEY[key]
    at = opened({"view": key})
    assert "#### " + view.HEADING.format(method=METHODS["pool"].name) in headings(at)
    picker = widget(at, "radio", "View")
    assert picker.value == key and picker.options == [v.LABEL for v in all_views()]
    assert page_state(at).place.view == key
    text = page_text(at)
    for other in all_views():  # no other view's heading on the page
        if other is not view:
            assert "#### " + other.HEADING.format(method=METHODS["pool"].name) not in headings(at), other.KEY
    assert "Something went wrong" not in text and "Traceback" not in text  # the view drew without a fault


@pytest.mark.parametrize("key", ["walk", "compare"])
def test_presenter_mode_opens_the_linked_view(key):
    from ui.views import BY_KEY

    view = BY_KEY[key]
    at = opened({"view": key, "present": "1"})
    heading = "#### " + view.HEADING.format(method=METHODS["pool"].name)
    if view.PRESENTS_ALONE:  # the slide is the view alone: its step, no picker or view heading above it
        assert heading not in headings(at)
        assert not [r for r in at.radio if r.label == "View"]
        assert any(h.startswith("### Step 1:") for h in headings(at))
    else:
        assert heading in headings(at)
        assert widget(at, "radio", "View").value == key
    assert "Something went wrong" not in page_text(at)


def test_the_view_picker_opens_each_view_by_its_label():
    at = opened({})
    for view in all_views():
        picker = widget(at, "radio", "View")
        picker.set_value(view.KEY).run()
        assert not at.exception, at.exception
        assert "#### " + view.HEADING.format(method=METHODS["pool"].name) in headings(at), view.KEY
        assert widget(at, "radio", "View").value == view.KEY and page_state(at).place.view == view.KEY
        assert "Something went wrong" not in page_text(at), view.KEY

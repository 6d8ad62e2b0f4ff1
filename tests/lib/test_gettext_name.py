"""A module that translates with ``_`` never uses ``_`` as a throwaway name.

``for _ in range(n)`` or ``a, _ = pair`` in a function that also calls ``_("…")`` rebinds the
name locally, and the sentence's lookup then fails with "'int' object is not callable" (or
worse, calls something else) only on the path that reaches it. Python's scoping makes this
silent until that path runs, so every module that imports ``_`` from ``roi_viz.language`` is
read here and any binding of ``_`` in it is named.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted([*ROOT.joinpath("roi_viz").rglob("*.py"), *ROOT.joinpath("ui").rglob("*.py"), ROOT / "app.py"])


def imports_gettext(tree: ast.Module) -> bool:
    return any(isinstance(node, ast.ImportFrom) and node.module and node.module.endswith("language")
               and any(alias.name == "_" and alias.asname in (None, "_") for alias in node.names)
               for node in ast.walk(tree))


def bindings_of_underscore(tree: ast.Module) -> list[int]:
    """Line numbers where ``_`` is bound other than by its import."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id == "_" and isinstance(node.ctx, (ast.Store, ast.Del)):
            lines.append(node.lineno)
        elif isinstance(node, ast.arg) and node.arg == "_":
            lines.append(node.lineno)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name == "_":
            lines.append(node.lineno)
        elif isinstance(node, ast.ExceptHandler) and node.name == "_":
            lines.append(node.lineno)
        elif isinstance(node, ast.alias) and node.asname == "_" and node.name != "_":
            lines.append(getattr(node, "lineno", 0))
    return sorted(lines)


def translating_modules() -> list[Path]:
    return [p for p in SOURCES if imports_gettext(ast.parse(p.read_text(encoding="utf-8")))]


def test_some_modules_translate():
    # the check below reads something: the page's words go through the catalog
    assert len(translating_modules()) >= 5


@pytest.mark.parametrize("path", translating_modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_that_translates_rebinds_the_underscore(path):
    lines = bindings_of_underscore(ast.parse(path.read_text(encoding="utf-8")))
    assert not lines, (f"{path.relative_to(ROOT)} binds `_` at line(s) {lines}, shadowing the catalog's _(): "
                       "name the throwaway something else (e.g. `_unused`, or iterate without it)")


def test_the_check_finds_a_loop_variable():
    tree = ast.parse("from roi_viz.language import _\n\ndef f():\n    for _ in range(3):\n        pass\n"
                     "    return _('x')\n")
    assert imports_gettext(tree) and bindings_of_underscore(tree) == [4]

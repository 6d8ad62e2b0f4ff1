"""The package's layers hold: no module imports one above it, and no two modules import each other round a loop.

The rule is the one ``roi_viz/__init__.py`` states, bottom to top:

0. ground: ``ops``, ``model``, ``picture``, ``language`` (and the package's front door, which re-exports the ops);
1. ``state``: what the page holds (settings, options, the scene, the boxes, uploads, sharing);
2. ``methods``: one record per method;
3. ``study``: what the methods are studied with (backward pass, receptive field, the head, proposals);
4. ``lesson``: the words;
5. ``figures``: the figures as descriptions;
6. ``walkthrough``: each method's steps;
7. ``quiz``, ``export``, ``link``, ``cli``;
8. the page: ``ui``, ``app.py`` and the server around it, ``serve.py``.

Every ``import`` statement is read from the source (those inside functions too: an import deferred to
call time is still a dependency, and hiding one there is how the old cycles survived), so a module
moved to the wrong place fails here before anything runs.
"""
from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Longest prefix wins; a module named by no prefix fails test_every_module_has_a_layer.
LAYERS: dict[str, int] = {
    "roi_viz": 0,  # the front door only re-exports the ops
    "roi_viz.ops": 0,
    "roi_viz.model": 0,
    "roi_viz.picture": 0,
    "roi_viz.language": 0,  # the words' catalogs: every layer that speaks looks its words up there
    "roi_viz.state": 1,
    "roi_viz.methods": 2,
    "roi_viz.study": 3,
    "roi_viz.lesson": 4,
    "roi_viz.figures": 5,
    "roi_viz.walkthrough": 6,
    "roi_viz.quiz": 7,
    "roi_viz.export": 7,
    "roi_viz.link": 7,
    "roi_viz.cli": 7,
    "roi_viz.__main__": 7,
    "ui": 8,
    "app": 8,
    "serve": 8,  # the server around app.py
}


def module_files() -> dict[str, Path]:
    """Every module of ``roi_viz`` and ``ui``, ``app`` and ``serve``, by dotted name (a package by its ``__init__``)."""
    found = {"app": ROOT / "app.py", "serve": ROOT / "serve.py"}
    for package in ("roi_viz", "ui"):
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


MODULES = module_files()


def layer_of(name: str) -> int | None:
    parts = name.split(".")
    for n in range(len(parts), 0, -1):
        prefix = ".".join(parts[:n])
        if prefix in LAYERS and (prefix != "roi_viz" or name == prefix):  # the front door's layer is its own
            return LAYERS[prefix]
    return None


def imports_of(name: str) -> set[str]:
    """The project's modules that ``name`` imports: ``from p import m`` names ``p.m`` when that is a module."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = importlib.util.resolve_name("." * node.level + base, package)
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {m for m in found if m in MODULES and m != name}


GRAPH = {name: imports_of(name) for name in MODULES}


def upward_imports() -> list[str]:
    """Every import of a module in a higher layer (a module with no layer counts as the top)."""
    def rank(m):
        return 99 if layer_of(m) is None else layer_of(m)
    return sorted(f"{a} (layer {layer_of(a)}) imports {b} (layer {layer_of(b)})"
                  for a, deps in GRAPH.items() for b in deps if rank(b) > rank(a))


def cycles() -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(GRAPH[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(GRAPH):
        if v not in index:
            visit(v)
    return found


def test_every_module_has_a_layer():
    assert [m for m in MODULES if layer_of(m) is None] == []


def test_no_module_imports_a_layer_above_its_own():
    found = upward_imports()
    assert found == [], f"{len(found)} upward imports:\n" + "\n".join(found)


def test_no_import_cycle():
    found = cycles()
    assert found == [], f"{len(found)} cycles:\n" + "\n".join(" <-> ".join(c) for c in found)


def test_the_checks_see_an_upward_import_and_a_cycle():
    """The checks themselves: a made-up graph with one upward import and one loop is caught by both."""
    saved = dict(GRAPH)
    try:
        GRAPH.clear()
        GRAPH.update({"roi_viz.ops.a": {"roi_viz.methods"}, "roi_viz.methods": {"roi_viz.ops.a"}})
        assert upward_imports() == ["roi_viz.ops.a (layer 0) imports roi_viz.methods (layer 2)"]
        assert cycles() == [["roi_viz.methods", "roi_viz.ops.a"]]
    finally:
        GRAPH.clear()
        GRAPH.update(saved)


def test_the_package_states_the_rule():
    """The package docstring names every layer, so a reader meets the rule before the code."""
    import roi_viz

    doc = roi_viz.__doc__
    for word in ("ops", "model", "picture", "state", "methods", "study", "lesson", "figures",
                 "walkthrough", "quiz", "export", "link", "cli", "ui"):
        assert f"``{word}``" in doc, word

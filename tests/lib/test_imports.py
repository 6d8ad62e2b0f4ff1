"""Every module imports, and every import written anywhere in a module names something that exists.

A module moved into a sub-package (``roi_viz/weights.py`` to ``roi_viz/model/weights.py``) broke
``python -m roi_viz download-weights`` silently: the import sat inside a function, so nothing
failed until a teacher ran the command. Importing every module catches the imports at the top;
reading every ``import`` statement, those inside functions too, catches the rest.
"""
from __future__ import annotations

import ast
import importlib
import importlib.util
import pkgutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("roi_viz", "ui")


def modules() -> list[str]:
    names = []
    for package in PACKAGES:
        pkg = importlib.import_module(package)
        names.append(package)
        names += [m.name for m in pkgutil.walk_packages(pkg.__path__, package + ".")]
    return names


def sources() -> list[Path]:
    return sorted(p for package in PACKAGES for p in (ROOT / package).rglob("*.py")) + [ROOT / "app.py", ROOT / "serve.py"]


@pytest.mark.parametrize("name", [n for n in modules() if not n.endswith("__main__")])
def test_every_module_imports(name):
    importlib.import_module(name)


def test_importing_the_main_module_runs_nothing():
    """``roi_viz.__main__`` runs the command only as ``python -m roi_viz``, so the walk above can list it."""
    importlib.import_module("roi_viz.__main__")


def imports_in(path: Path) -> list[tuple[int, str, list[str]]]:
    """``(line, module, names)`` for every import statement in ``path``, relative ones resolved."""
    rel = path.relative_to(ROOT).with_suffix("").parts
    package = ".".join(rel[:-1])  # the package a relative import starts from (for __init__ too)
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                module = importlib.util.resolve_name("." * node.level + module, package)
            found.append((node.lineno, module, [a.name for a in node.names]))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name, []) for a in node.names]
    return found


@pytest.mark.parametrize("path", sources(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_import_statement_names_what_exists(path):
    broken = []
    for line, module, names in imports_in(path):
        try:
            mod = importlib.import_module(module)
        except ImportError as exc:
            broken.append(f"line {line}: {module}: {exc}")
            continue
        for name in names:
            if name == "*" or hasattr(mod, name):
                continue
            try:  # `from package import submodule`
                importlib.import_module(f"{module}.{name}")
            except ImportError:
                broken.append(f"line {line}: {module} has no {name}")
    assert not broken, f"{path.relative_to(ROOT)}: " + "; ".join(broken)

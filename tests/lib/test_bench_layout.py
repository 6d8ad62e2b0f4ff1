"""The benches are one package: every script runs as a module from the repository root and says so.

``python -m bench.<script> --help`` is what a person types first: it must start without any path set up
beforehand (no PYTHONPATH, no ``sys.path`` edits in the benches) and print the usage line with that same
command. What the scripts share lives in ``bench.harness``, so that each script stays short enough to read.
"""
from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "bench"
SCRIPTS = sorted(p.stem for p in BENCH.glob("bench_*.py"))
MAX_SCRIPT_LINES = 300


def test_the_benches_are_all_there():
    assert {"bench_protocol", "bench_page", "bench_load", "bench_first_open", "bench_walkthrough"} <= set(SCRIPTS)
    assert (BENCH / "__init__.py").is_file() and (BENCH / "harness" / "__init__.py").is_file()


@pytest.mark.parametrize("name", SCRIPTS)
@pytest.mark.slow
def test_a_bench_runs_as_a_module_from_the_root_and_its_help_shows_that_command(name):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run([sys.executable, "-m", f"bench.{name}", "--help"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    assert done.stdout.startswith(f"usage: python -m bench.{name} ")  # the command to type, with its options
    assert f"bench/{name}.py" not in done.stdout  # the old way of running it is not offered any more


@pytest.mark.parametrize("name", SCRIPTS)
def test_a_bench_docstring_gives_the_module_command(name):
    doc = ast.get_docstring(ast.parse((BENCH / f"{name}.py").read_text()))
    assert f"python -m bench.{name}" in doc and f"python bench/{name}.py" not in doc


def test_no_bench_edits_the_import_path():
    editing = [str(p.relative_to(ROOT)) for p in BENCH.rglob("*.py") if "sys.path" in p.read_text()]
    assert editing == []


def test_every_bench_script_stays_short():
    long = {name: n for name in SCRIPTS if (n := len((BENCH / f"{name}.py").read_text().splitlines())) >= MAX_SCRIPT_LINES}
    assert long == {}


def test_the_docs_run_the_benches_as_modules():
    for doc in ("performance.md", "deploy.md"):
        text = (ROOT / "docs" / doc).read_text()
        assert "python bench/" not in text, doc
        assert "python -m bench.bench_" in text, doc

"""The Python in the docs is the API as it is: every import names a module that exists, and the engine example runs.

Docs drift when modules move (they did when simulator/ was split into rooms):
this reads every ```python block under docs/, imports what it imports, and
runs the first example of docs/engine.md from the checkout.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BLOCK = re.compile(r"```python\n(.*?)```", re.S)
IMPORT = re.compile(r"^from (simulator[\w.]*) import ([\w, ]+)$|^import (simulator[\w.]*)$", re.M)


def _imports():
    for doc in sorted((ROOT / "docs").glob("*.md")):
        for block in BLOCK.findall(doc.read_text(encoding="utf-8")):
            for m in IMPORT.finditer(block):
                module, names = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), "")
                yield pytest.param(module, [n.strip() for n in names.split(",") if n.strip()], id=f"{doc.name}:{module}")


@pytest.mark.parametrize("module,names", list(_imports()))
def test_every_import_in_the_docs_exists(module, names):
    mod = importlib.import_module(module)
    missing = [n for n in names if not hasattr(mod, n)]
    assert not missing, f"{module} has no {', '.join(missing)}"


def test_the_engine_api_example_runs(monkeypatch):
    text = (ROOT / "docs" / "engine.md").read_text(encoding="utf-8")
    example = BLOCK.findall(text[text.index("## The API"):])[0]
    monkeypatch.chdir(ROOT)
    scope: dict = {}
    exec(compile(example, "docs/engine.md", "exec"), scope)
    assert scope["ex"].ended and len(scope["ex"].journal) > 10

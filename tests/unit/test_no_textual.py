"""The engine is a pure library: nothing under simulator/ imports textual (DESIGN.md).

The only door to the UI is the CLI edge: a command under simulator/commands/
may import the ``tui`` package inside the function that runs it (``cyclesim
play``), never at module level, so importing any simulator module loads no
Textual. This module reads the sources; a fresh interpreter that imports them
all and checks ``sys.modules`` is in ``tests/e2e/test_smoke.py``.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "simulator"


def imported_modules(path: Path) -> list[tuple[int, str, bool]]:
    """(line, module, at module level) for every import, including import_module('x') and __import__('x')."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    deferred = {id(inner) for node in ast.walk(tree)  # inside a function: runs only when called
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
                for inner in ast.walk(node) if inner is not node}
    found = []
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) in (
                "import_module", "__import__") and node.args and isinstance(node.args[0], ast.Constant):
            names = [str(node.args[0].value)]
        found += [(node.lineno, name, id(node) not in deferred) for name in names]
    return sorted(found)


def offences(path: Path) -> list[str]:
    where = path.relative_to(PACKAGE.parent)
    out = []
    for line, name, top in imported_modules(path):
        root = name.split(".")[0]
        if root == "textual":
            out.append(f"{where}:{line}: imports {name}")
        elif root == "tui" and (top or path.parent.name != "commands"):
            out.append(f"{where}:{line}: imports {name} " + ("at module level" if top else "outside the CLI commands"))
    return out


def test_no_module_under_simulator_imports_textual():
    sources = sorted(PACKAGE.rglob("*.py"))
    assert len(sources) > 10
    assert [o for path in sources for o in offences(path)] == []


def test_the_scan_catches_every_import_form(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("import textual.app\nfrom textual import work\nimport importlib\n"
                      "importlib.import_module('textual.widgets')\n__import__('textual')\n"
                      "try:\n    import tui.app\nexcept ImportError:\n    pass\n"
                      "def run():\n    from tui.app import run_tui\n", encoding="utf-8")
    assert imported_modules(sample) == [
        (1, "textual.app", True), (2, "textual", True), (3, "importlib", True), (4, "textual.widgets", True),
        (5, "textual", True), (7, "tui.app", True), (11, "tui.app", False)]

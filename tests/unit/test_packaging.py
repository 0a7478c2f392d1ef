"""Every Python package of the source tree is listed in pyproject.toml, so the wheel ships it.

An editable install finds a package that is missing from the list; a wheel
does not (CI builds one, but only after the tests have been written against
the checkout): this test says which package the list forgot.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_package_is_in_the_wheel():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    listed = set(config["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts) for top in ("simulator", "tui")
             for p in (ROOT / top).rglob("__init__.py")}
    assert found - listed == set(), "add these to [tool.setuptools] packages in pyproject.toml"

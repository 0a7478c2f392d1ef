"""Fuzz tests of the whole scenario loader: bad input is reported, never crashes.

``simulator.scenario.loader.load`` runs on files written to a temporary folder: random
bytes, random text, and structured mutations of the tutorial (dropped,
duplicated or swapped lines, values changed to another type, random keys,
random times and references). Whatever the input, the loader either returns a
scenario or raises :class:`~simulator.errors.InputError` (``ScenarioError`` is
one) whose problems each carry a line and column inside the file. Any other
exception is a bug in the loader, the cross-reference checks or the models.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

if importlib.util.find_spec("simulator") is None:  # pytest run without the project installed
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.errors import InputError
from simulator.scenario.loader import load

ROOT = Path(__file__).resolve().parents[2]
TUTORIAL_LINES = (ROOT / "scenarios" / "tutorial.yaml").read_text(encoding="utf-8").splitlines()
FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
"""Examples per test come from the Hypothesis profile (tests/conftest.py): few by default,
many with ``--hypothesis-profile=thorough`` to hunt for bugs longer."""

_KEY_VALUE = re.compile(r"^(\s*(?:- )?)([A-Za-z_][A-Za-z0-9_]*):(\s.*)?$")
VALUES = [
    "1", "-3", "0.5", "1e3", "true", "false", "yes", "no", "~", "null", "[]", "{}", "[1, 2]", "{a: 1}",
    '""', "''", "T+00:00", '"T+99:00"', '"T+1d"', "1:30", "'1:30'", "2026-03-02", "TLP:RED", "TLP:WHITE",
    "everyone", "EXCON", "ie", "eu", "excon", "D04", "D07", "TUT-01", "TUT-04", "OBJ-1", "OBJ-9", "CSIRT-IE",
    "ransomware-detected", "media-report", "'eccs >= 4'", "'__import__(\"os\")'", "'taken(\"D99\")'",
    "!!str x", "!!int 017", "&anchor x", "*anchor", "|\n  text", ">", "'", '"', "{", "[", "a: b: c",
    "-1e309", ".nan", "0x1F", "017", "'../../'", "[../../]", "NO", "IE/health", "{IE/health: red}",
]
KEYS = [
    "id", "title", "from", "to", "at", "after", "when", "use", "with", "tlp", "channel", "body", "effects",
    "expects", "objectives", "held", "team", "within", "deadline", "default", "options", "plays",
    "facilitator", "libraries", "network", "remove", "base", "actors", "channels", "delay", "impact",
    "significant", "stances", "inject", "decision", "sevrity", "x", "<<", "1", "true",
]


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def check(folder: Path, data: bytes) -> None:
    """Load ``data`` as a scenario file: a scenario or a positioned InputError, nothing else."""
    path = folder / "scenario.yaml"
    path.write_bytes(data)
    try:
        loaded = load(path)
    except InputError as err:
        assert err.problems, f"InputError without problems: {err}"
        for p in err.problems:
            assert p.line >= 1 and p.col >= 1, p
            assert p.message, p
        return
    assert loaded.scenario.id


# ----------------------------------------------------------------- mutations

def _drop(lines: list[str], i: int, _j: int, _v: str) -> None:
    del lines[i]


def _duplicate(lines: list[str], i: int, _j: int, _v: str) -> None:
    lines.insert(i, lines[i])


def _swap_lines(lines: list[str], i: int, j: int, _v: str) -> None:
    lines[i], lines[j] = lines[j], lines[i]


def _swap_values(lines: list[str], i: int, j: int, _v: str) -> None:
    a, b = _KEY_VALUE.match(lines[i]), _KEY_VALUE.match(lines[j])
    if a and b and a.group(3) and b.group(3):
        lines[i] = f"{a.group(1)}{a.group(2)}:{b.group(3)}"
        lines[j] = f"{b.group(1)}{b.group(2)}:{a.group(3)}"


def _change_value(lines: list[str], i: int, _j: int, value: str) -> None:
    m = _KEY_VALUE.match(lines[i])
    if m:
        lines[i] = f"{m.group(1)}{m.group(2)}: {value}"
    else:  # a flow line or a list item: replace its text after the indentation
        indent = len(lines[i]) - len(lines[i].lstrip())
        lines[i] = lines[i][:indent] + value


def _add_key(lines: list[str], i: int, j: int, value: str) -> None:
    m = _KEY_VALUE.match(lines[i])
    indent = " " * (len(m.group(1)) if m else 0)
    lines.insert(i + 1, f"{indent}{KEYS[j % len(KEYS)]}: {value}")


def _rename_key(lines: list[str], i: int, j: int, _v: str) -> None:
    m = _KEY_VALUE.match(lines[i])
    if m:
        lines[i] = f"{m.group(1)}{KEYS[j % len(KEYS)]}:{m.group(3) or ''}"


def _truncate(lines: list[str], i: int, j: int, _v: str) -> None:
    lines[i] = lines[i][: j % (len(lines[i]) + 1)]


MUTATIONS = [_drop, _duplicate, _swap_lines, _swap_values, _change_value, _add_key, _rename_key, _truncate]

mutation = st.tuples(
    st.sampled_from(MUTATIONS),
    st.integers(0, 10_000),
    st.integers(0, 10_000),
    st.one_of(st.sampled_from(VALUES), st.text(max_size=12)),
)


def mutate(steps) -> str:
    lines = list(TUTORIAL_LINES)
    for op, i, j, value in steps:
        if not lines:
            break
        op(lines, i % len(lines), j % len(lines), value)
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------- tests

@FUZZ
@given(data=st.binary(max_size=2000))
def test_random_bytes_never_crash(folder, data):
    check(folder, data)


@FUZZ
@given(text=st.text(max_size=2000))
def test_random_text_never_crashes(folder, text):
    check(folder, text.encode("utf-8", "surrogatepass"))


@FUZZ
@given(steps=st.lists(mutation, min_size=1, max_size=4))
def test_mutated_tutorial_never_crashes(folder, steps):
    check(folder, mutate(steps).encode("utf-8", "surrogatepass"))


LIBRARY_LINES = """\
templates:
  - id: local-call
    title: A call from a library next to the scenario
    params:
      who: {description: "recipient actor id", default: CSIRT-IE}
      what: {description: "the subject"}
    inject:
      from: EXCON
      to: ["${who}"]
      tlp: TLP:GREEN
      title: "Call for ${who}: ${what}"
      effects: {public_trust: -0.05}
""".splitlines()
USING_LIBRARY = "\n".join(TUTORIAL_LINES).replace(
    "\ndecision_points:\n",
    '\n  - use: local-call\n    id: TUT-07\n    at: "T+11:00"\n    with: {what: status}\n\ndecision_points:\n',
) + "\n"


@FUZZ
@given(steps=st.lists(mutation, min_size=1, max_size=4))
def test_mutated_library_never_crashes(folder, steps):
    """The scenario is fine; the inject library next to it is broken."""
    folder = folder / "with-library"
    (folder / "injects").mkdir(parents=True, exist_ok=True)
    lines = list(LIBRARY_LINES)
    for op, i, j, value in steps:
        if not lines:
            break
        op(lines, i % len(lines), j % len(lines), value)
    (folder / "injects" / "local.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8", errors="surrogatepass")
    check(folder, USING_LIBRARY.encode("utf-8"))


def test_unmutated_library_loads(tmp_path):
    (tmp_path / "injects").mkdir()
    (tmp_path / "injects" / "local.yaml").write_text("\n".join(LIBRARY_LINES) + "\n", encoding="utf-8")
    (tmp_path / "scenario.yaml").write_text(USING_LIBRARY, encoding="utf-8")
    injects = load(tmp_path / "scenario.yaml").scenario.injects
    assert injects[-1].title == "Call for CSIRT-IE: status"


def test_unmutated_tutorial_loads(folder):
    """The mutation base itself is valid, so mutations start from a realistic file."""
    check(folder, mutate([]).encode("utf-8"))
    assert load(folder / "scenario.yaml").scenario.id == "tutorial"

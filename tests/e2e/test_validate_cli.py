"""``cyclesim validate`` end to end, in-process (``simulator.cli.main``), as an author runs it.

The corpus under ``tests/data/bad/`` is table-driven: the first line of each
file says what the validator must report, as ``# expect: LINE:COL TEXT``
(TEXT is matched as a substring of the message, LINE:COL exactly). A file
whose mistake rightly causes more than one problem lists the others on the
following lines as ``# also: LINE:COL TEXT``. Every file must give exit code
2, exactly the listed problems printed as ``path:line:col: message``, and no
traceback. The UTF-16 file carries its expectation in UTF-16, like the rest
of its text.
"""

from __future__ import annotations

import glob
import json
import re
from pathlib import Path

import pytest
from cli_support import Run, cyclesim

ROOT = Path(__file__).resolve().parents[2]
BAD = ROOT / "tests" / "data" / "bad"
CORPUS = sorted(p.name for p in BAD.glob("*.yaml"))
EXPECT = re.compile(r"^# expect: (\d+):(\d+) (.+)$")
ALSO = re.compile(r"^# also: (\d+):(\d+) (.+)$")
SUMMARY = re.compile(r"^\d+ problem\(s\) in \d+ file\(s\)$")


def validate(*args: str, cwd: Path = ROOT) -> Run:
    return cyclesim("validate", *args, cwd=cwd)


def expectations(path: Path) -> list[tuple[int, int, str]]:
    """The problems a corpus file must produce: its '# expect:' line, then any '# also:' lines."""
    raw = path.read_bytes()
    encoding = "utf-16" if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8"
    lines = raw.decode(encoding, errors="replace").splitlines()
    m = EXPECT.match(lines[0]) if lines else None
    assert m, f"{path.name}: first line must be '# expect: LINE:COL TEXT', not {lines[:1]!r}"
    found = [(int(m.group(1)), int(m.group(2)), m.group(3))]
    for line in lines[1:]:
        also = ALSO.match(line)
        if not also:
            break
        found.append((int(also.group(1)), int(also.group(2)), also.group(3)))
    return found


def problem_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if not SUMMARY.match(line)]


def test_corpus_is_large_enough():
    assert len(CORPUS) >= 25, CORPUS


@pytest.mark.parametrize("name", CORPUS)
def test_bad_scenario_is_reported_at_its_place(name):
    expected = expectations(BAD / name)
    run = validate(f"tests/data/bad/{name}")
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr
    assert run.stdout == ""
    problems = problem_lines(run.stderr)
    assert len(problems) == len(expected), run.stderr
    for (line, col, text), problem in zip(sorted(expected), problems):
        prefix = f"tests/data/bad/{name}:{line}:{col}: "
        assert problem.startswith(prefix), f"expected {prefix!r}, got {problem!r}"
        assert text in problem[len(prefix):], f"expected {text!r} in {problem!r}"
    assert run.stderr.rstrip().endswith(f"{len(expected)} problem(s) in 1 file(s)")


def test_bundled_scenarios_validate():
    files = sorted(glob.glob("scenarios/*.yaml", root_dir=ROOT))
    assert "scenarios/tutorial.yaml" in files
    run = validate(*files)
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""
    for name in files:
        assert f"{name}: ok (" in run.stdout


def test_json_output_is_machine_readable():
    run = validate("--json", "scenarios/tutorial.yaml", "tests/data/bad/unknown-team.yaml",
                   "tests/data/bad/time-after-end.yaml")
    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    out = json.loads(run.stdout)
    assert out["valid"] == [{"path": "scenarios/tutorial.yaml", "id": "tutorial", "injects": 6}]
    assert out["problems"] == [
        {"path": "tests/data/bad/time-after-end.yaml", "line": 120, "col": 9,
         "message": "T+40:00 is after the end of the scenario (T+30:00)"},
        {"path": "tests/data/bad/unknown-team.yaml", "line": 125, "col": 11,
         "message": "unknown team 'ire'; did you mean 'ie'?"},
    ]


def _tutorial_with(tmp_path: Path, *edits: tuple[str, str]) -> Path:
    text = (ROOT / "scenarios" / "tutorial.yaml").read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / "several.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _positions(stderr: str, path: Path) -> list[tuple[int, int, str]]:
    out = []
    for line in problem_lines(stderr):
        assert line.startswith(f"{path}:"), line
        ln, col, message = line[len(f"{path}:"):].split(":", 2)
        out.append((int(ln), int(col), message.strip()))
    return out


def test_every_reference_problem_of_a_file_in_one_run_sorted(tmp_path):
    """Four cross-reference problems, written bottom-up, come out top-down."""
    path = _tutorial_with(
        tmp_path,
        ("default: wait", "default: waiting"),                     # line 141
        ('at: "T+10:00"', 'at: "T+40:00"'),                          # line 120
        ("    from: CSIRTS-NET\n    to: [CSIRT-IE]", "    from: CSIRTS-NET\n    to: [GOV-IE]"),  # line 102
        ("plays: [CYCLONE, PRESIDENCY, HR-EEAS]", "plays: [CYCLONE, PRESIDENCY, HR-EAS]"),  # line 40
    )
    run = validate(str(path))
    assert run.returncode == 2 and "Traceback" not in run.stderr
    found = _positions(run.stderr, path)
    assert [(ln, col) for ln, col, _ in found] == [(40, 34), (102, 10), (120, 9), (141, 14)]
    assert "unknown actor 'HR-EAS'; did you mean 'HR-EEAS'?" in found[0][2]
    assert "has no channel to GOV-IE" in found[1][2]
    assert "after the end of the scenario" in found[2][2]
    assert "unknown option 'waiting'" in found[3][2]
    assert run.stderr.rstrip().endswith("4 problem(s) in 1 file(s)")


def test_every_shape_problem_of_a_file_in_one_run_sorted(tmp_path):
    """Shape problems (keys, types, labels) are also all reported at once."""
    path = _tutorial_with(
        tmp_path,
        ("    tlp: TLP:AMBER\n    body", "    tlp: TLP:PURPLE\n    body"),  # line 103
        ("facilitator: true", "facilitator: maybe"),                    # line 46
        ("    capability: Situational assessment", "    capabilty: Situational assessment"),  # line 26
    )
    run = validate(str(path))
    assert run.returncode == 2 and "Traceback" not in run.stderr
    found = _positions(run.stderr, path)
    assert [(ln, col) for ln, col, _ in found] == [(26, 5), (46, 18), (103, 10)]
    assert "did you mean 'capability'?" in found[0][2]
    assert "(got 'maybe')" in found[1][2]
    assert "'TLP:PURPLE' is not allowed here" in found[2][2]


def test_problems_of_several_files_are_sorted_by_file():
    run = validate("tests/data/bad/unknown-team.yaml", "tests/data/bad/bad-tlp.yaml")
    assert run.returncode == 2
    problems = problem_lines(run.stderr)
    assert [p.split(":")[0] for p in problems] == ["tests/data/bad/bad-tlp.yaml", "tests/data/bad/unknown-team.yaml"]
    assert run.stderr.rstrip().endswith("2 problem(s) in 2 file(s)")


def test_oversized_file_is_refused_before_parsing(tmp_path):
    """A 50 MB file is refused by its size alone (figures: bench/yaml_limits.py).

    The padding is a hole (a sparse file): the size is real, writing it costs
    nothing, and a validator that read the file instead of refusing it by its
    size would read 50 MB of NUL bytes and report something else."""
    path = tmp_path / "huge.yaml"
    with path.open("wb") as f:
        f.write(b"# a scenario padded to 50 MB\nformat: cyclesim/1\ndescription: |\n")
        f.truncate(50 * 1024 * 1024)
    run = validate(str(path))
    assert run.returncode == 2 and "Traceback" not in run.stderr
    size = path.stat().st_size
    assert problem_lines(run.stderr) == [f"{path}:1:1: file is {size} bytes; the limit is 2000000 bytes"]


def test_missing_file_is_bad_input():
    run = validate("tests/data/bad/no-such-file.yaml")
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert problem_lines(run.stderr)[0].startswith("tests/data/bad/no-such-file.yaml:1:1: no scenario file")


def test_usage_error_is_exit_2():
    run = validate()
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert "usage:" in run.stderr

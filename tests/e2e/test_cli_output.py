"""Plain-text CLI output: bounded error lists, escaped control characters."""

from pathlib import Path

from simulator.cli import main

ROOT = Path(__file__).resolve().parents[2]


def _many_errors(tmp_path: Path, n: int) -> Path:
    text = (ROOT / "scenarios" / "tutorial.yaml").read_text(encoding="utf-8")
    extra = "".join(f'  - {{id: X-{i}, title: "t", from: EXCON, to: [NOBODY-{i}]}}\n' for i in range(n))
    f = tmp_path / "many.yaml"
    f.write_text(text.replace("\ninjects:\n", "\ninjects:\n" + extra, 1), encoding="utf-8")
    return f


def test_validate_prints_fifty_problems_and_a_count(tmp_path, capsys):
    f = _many_errors(tmp_path, 300)
    assert main(["validate", str(f)]) == 2
    err = capsys.readouterr().err.splitlines()
    located = [line for line in err if line.startswith(str(f)) or line.startswith("many.yaml")]
    assert len(located) == 50
    assert any("more problem(s) (300 in all" in line for line in err)
    assert main(["validate", "--json", str(f)]) == 2
    assert capsys.readouterr().out.count('"message"') == 300  # the data keeps them all


def test_control_characters_in_messages_are_escaped(tmp_path, capsys):
    text = (ROOT / "scenarios" / "tutorial.yaml").read_text(encoding="utf-8")
    f = tmp_path / "ctl.yaml"
    f.write_text(text.replace("format: cyclesim/1", 'format: cyclesim/1\nx-note: !!bool "\\e[2J\\u202e"'), encoding="utf-8")
    assert main(["validate", str(f)]) == 2
    err = capsys.readouterr().err
    assert "\\x1b[2J\\u202e" in err
    assert "\x1b" not in err and "\u202e" not in err

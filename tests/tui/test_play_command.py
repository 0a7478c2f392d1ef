"""`cyclesim play` at the command line (in-process): help, bad input (exit 2, no traceback), no terminal.

That importing the CLI loads no Textual needs a fresh interpreter: tests/e2e/test_smoke.py.
"""

from __future__ import annotations

from cli_support import cyclesim
from rich.text import Text

from simulator.engine.exercise import Exercise
from tui.journal_view import JournalView
from tui.widgets.situation import SituationPanel


def _cli(*args):
    return cyclesim(*args)


def test_play_help_names_the_keys_and_the_session():
    out = _cli("play", "--help")
    assert out.returncode == 0
    assert "--session" in out.stdout and "--seed" in out.stdout and "space runs/pauses" in out.stdout


def test_play_unknown_scenario_is_bad_input():
    out = _cli("play", "no-such-scenario")
    assert out.returncode == 2
    assert "no-such-scenario" in out.stderr and "Traceback" not in out.stderr


def test_play_refuses_an_existing_session(tmp_path):
    folder = tmp_path / "s1"
    folder.mkdir()
    (folder / "something").write_text("x")
    out = _cli("play", "--session", str(folder))
    assert out.returncode == 2
    assert str(folder) in out.stderr and "Traceback" not in out.stderr


def test_play_without_a_terminal_is_bad_input_and_creates_no_session(tmp_path):
    folder = tmp_path / "s1"
    out = _cli("play", "--session", str(folder))  # stdin and stdout are not terminals here
    assert out.returncode == 2
    assert "needs an interactive terminal" in out.stderr and "cyclesim replay" in out.stderr
    assert not folder.exists()


def test_queues_of_overloaded_actors_show_on_the_facilitator_panel(tutorial):
    view = JournalView(tutorial)
    view.feed_records(Exercise(tutorial, seed=1).journal)
    panel = SituationPanel(view, None)
    text = panel.render_text(0, {"CSIRT-BE": 3, "ENISA": 1})
    assert isinstance(text, Text)
    assert "CSIRT-BE: 3 waiting" in text.plain and "ENISA: 1 waiting" in text.plain
    assert "no actor overloaded" in panel.render_text(0, {}).plain
    assert "Queues" not in SituationPanel(view, "ie").render_text(0, {"CSIRT-BE": 3}).plain

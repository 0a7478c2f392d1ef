"""How the decide pane words an unmet precondition: what the world shows, or what the team's picture lacks."""

from __future__ import annotations

from simulator.decisions.desk import Check
from tui.widgets.choices_pane import condition_lines


def _lines(check: Check) -> list[str]:
    return [line.plain for line in condition_lines(None, check)]  # type: ignore[arg-type]  # the choice is not read


def test_a_precondition_true_in_the_world_but_not_known_says_what_the_picture_lacks():
    check = Check(False, ("criminal_group is false not known to ie: nothing on criminal_group has reached it",),
                  conditions=(("criminal_group", False, "a ransom demand from a criminal group exists"),))
    lines = _lines(check)
    assert "          not known to ie: nothing on criminal_group has reached it" in lines, lines
    assert not any("now is false" in line for line in lines)
    assert not any(line.startswith("Also") for line in lines), "the reason was placed under its condition"


def test_a_precondition_false_in_the_world_shows_the_value_read():
    check = Check(False, ("ms_red >= 2 is false (ms_red = 0)",), conditions=(("ms_red >= 2", False, ""),))
    assert "          now ms_red = 0" in _lines(check)


def test_an_unmet_or_condition_shows_what_it_read_once_under_itself_not_again_under_also():
    because = "a shared picture is needed first"
    check = Check(False, ("team eu plays no actor that may take D14 (national)",
                          "taken('D08') is false; ipcr >= 'information_sharing' is false (ipcr = monitoring) — " + because),
                  conditions=(("taken('D08') or ipcr >= 'information_sharing'", False, because),))
    lines = _lines(check)
    assert sum(because in line for line in lines) == 1, lines
    assert "          now taken('D08') is false; ipcr >= 'information_sharing' is false (ipcr = monitoring)" in lines
    assert lines[-2:] == ["Also", "  ✗ team eu plays no actor that may take D14 (national)"]

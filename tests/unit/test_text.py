"""printable(): control and bidi characters never reach a terminal as they are."""

from simulator.errors import InputError, Problem, format_problems
from simulator.text import printable


def test_escapes_terminal_controls_and_bidi():
    shown = printable("ok\x1b[2J\x1b]0;pwned\x07\rback\bspace\u202eevil\x9b")
    assert "\x1b" not in shown and "\r" not in shown and "\b" not in shown and "\x07" not in shown
    assert "\u202e" not in shown and "\x9b" not in shown
    assert shown == "ok\\x1b[2J\\x1b]0;pwned\\x07\\x0dback\\x08space\\u202eevil\\x9b"


def test_keeps_plain_text_newlines_and_accents():
    assert printable("Hôpital Saint-Lambert — ECCS 4") == "Hôpital Saint-Lambert — ECCS 4"
    assert printable("a\nb\tc") == "a\nb\tc"
    assert printable("a\nb", one_line=True) == "a\\x0ab"


def test_problem_text_is_printable_and_one_line():
    p = Problem("f\x1b.yaml", 3, 4, "title 'x\x1b[31m\nred'")
    assert str(p) == "f\\x1b.yaml:3:4: title 'x\\x1b[31m\\x0ared'"


def test_problem_list_is_capped_with_a_count():
    problems = [Problem("big.yaml", i, 1, "bad") for i in range(1, 10_001)]
    text = format_problems(problems)
    lines = text.splitlines()
    assert len(lines) == 51
    assert lines[49] == "big.yaml:50:1: bad"
    assert "9950 more problem(s) (10000 in all" in lines[50]
    assert str(InputError("x", problems)) == text

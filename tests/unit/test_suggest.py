"""'Did you mean' hints: the known name a planner most likely meant."""

from __future__ import annotations

import pytest

from simulator.suggest import closest, did_you_mean

DECISIONS = ["D01", "D04", "D14", "D24", "D40"]


@pytest.mark.parametrize(("typed", "meant"), [
    ("D4", "D04"),            # difflib alone offers D24 or D40: one letter apart too
    ("d04", "D04"),
    ("D 14", "D14"),
    ("D014", "D14"),
    ("D41", "D40"),           # no number match: the most similar
])
def test_the_closest_decision_reads_numbers_as_numbers_and_ignores_case_and_separators(typed, meant):
    assert closest(typed, DECISIONS) == meant


def test_an_actor_in_another_case_or_with_other_separators_is_found():
    actors = ["CSIRT-IE", "CSIRT-IT", "GOV-IE"]
    assert closest("csirt_ie", actors) == "CSIRT-IE"
    assert closest("GOV IE", actors) == "GOV-IE"


def test_nothing_close_gives_no_hint():
    assert closest("zzz", ["abc", "def"]) is None
    assert did_you_mean("zzz", ["abc"]) == ""
    assert did_you_mean("tutorail", ["tutorial", "vital-signs"]) == "; did you mean 'tutorial'?"


def test_a_word_with_thousands_of_digits_or_of_great_length_gets_no_hint_and_no_error():
    assert closest("D" + "1" * 5000, DECISIONS) is None  # int() of it raised ValueError (over 4300 digits)
    assert closest("D" + "0" * 150 + "4", DECISIONS) == "D04", "numbers are read as numbers at any length"
    assert closest("x" * 500, ["x" * 500]) is None
    assert closest("D0004", DECISIONS) == "D04"

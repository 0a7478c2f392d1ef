"""What `cyclesim serve` says when it stops: where the session is and how to go on with it."""

from __future__ import annotations

from pathlib import Path

from simulator.commands.common import scenario_path
from simulator.commands.serve import stopped_line
from simulator.engine.exercise import Exercise
from simulator.scenario.loader import load
from simulator.scenario.plan import Plan


def test_a_host_stopped_partway_says_where_the_session_is_and_how_to_resume_it():
    ex = Exercise(Plan.of(load(scenario_path("tutorial")).scenario), seed=1)
    ex.run(until=90)
    line = stopped_line(ex, Path("/tmp/my sessions/day1"))
    assert line == ("cyclesim serve: stopped at T+01:30; session saved in '/tmp/my sessions/day1'; "
                    "go on with: cyclesim serve --resume '/tmp/my sessions/day1'")
    again = stopped_line(ex, Path("/tmp/day1"), ["--listen", "0.0.0.0:9000", "--tokens", "/etc/cs/tokens.json"])
    assert again.endswith("go on with: cyclesim serve --resume /tmp/day1 --listen 0.0.0.0:9000 "
                          "--tokens /etc/cs/tokens.json"), "the seats' address and tokens stay the same"
    ex.run()
    assert stopped_line(ex, Path("/tmp/day1")).endswith("the exercise ended; session in /tmp/day1; "
                                                        "report: cyclesim report /tmp/day1")

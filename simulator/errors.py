"""The one application error type, and the exit codes the CLI turns it into.

Every error a user can cause (a bad scenario, a bad decisions script, a session
that cannot be resumed) is a :class:`SimulatorError`. The CLI catches only this
type; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from simulator.text import printable

EXIT_OK = 0
"""Everything went as asked."""
EXIT_FAILURE = 1
"""The input was fine but the run failed (for example a replay diverged)."""
EXIT_BAD_INPUT = 2
"""Bad input or bad usage: a scenario, script or command line that is wrong."""
MAX_SHOWN = 50
"""Problems printed as text before the rest are only counted (a file with 10,000 errors)."""


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input file, at a precise place.

    Ordered by file, line, column so that a list of problems sorts the way an
    author reads the file.
    """

    path: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        return printable(f"{self.path}:{self.line}:{self.col}: {self.message}", one_line=True)

    def as_dict(self) -> dict:
        return {"path": self.path, "line": self.line, "col": self.col, "message": self.message}


class SimulatorError(Exception):
    """Base of every error the user can cause; carries its exit code."""

    exit_code: int = EXIT_FAILURE

    def __init__(self, message: str, *, exit_code: int | None = None):
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code


class InputError(SimulatorError):
    """Bad input: a file or argument that cannot be used as it is."""

    exit_code = EXIT_BAD_INPUT

    def __init__(self, message: str, problems: list[Problem] | None = None):
        super().__init__(message)
        self.problems: list[Problem] = sorted(problems or [])

    def __str__(self) -> str:
        if self.problems:
            return format_problems(self.problems)
        return super().__str__()


def format_problems(problems: list[Problem], limit: int = MAX_SHOWN) -> str:
    """The first ``limit`` problems, one a line, then how many more there are.

    Text is for people: past a few dozen lines nobody reads on, and a file with
    ten thousand errors must not flood a terminal or a CI log. The full list
    stays available as data (``InputError.problems``, ``validate --json``).
    """
    shown = [str(p) for p in problems[:limit]]
    if len(problems) > limit:
        shown.append(f"... and {len(problems) - limit} more problem(s) ({len(problems)} in all; "
                     "fix these first, or use --json where offered for the full list)")
    return "\n".join(shown)


class ScenarioError(InputError):
    """A scenario, inject library file or decisions script that does not validate."""


@dataclass
class ProblemSink:
    """Collects problems so that a whole file is reported in one run."""

    problems: list[Problem] = field(default_factory=list)

    def add(self, path: str, line: int, col: int, message: str) -> None:
        self.problems.append(Problem(str(path), line, col, message))

    def raise_if_any(self, what: str = "invalid input") -> None:
        if self.problems:
            raise ScenarioError(what, _dedupe(self.problems))


def _dedupe(problems: list[Problem]) -> list[Problem]:
    return sorted(set(problems))

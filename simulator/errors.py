"""The one application error type, and the exit codes the CLI turns it into.

Every error a user can cause (a bad scenario, a bad decisions script, a session
that cannot be resumed) is a :class:`SimulatorError`. The CLI catches only this
type; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

from dataclasses import dataclass, field

EXIT_OK = 0
"""Everything went as asked."""
EXIT_FAILURE = 1
"""The input was fine but the run failed (for example a replay diverged)."""
EXIT_BAD_INPUT = 2
"""Bad input or bad usage: a scenario, script or command line that is wrong."""


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
        return f"{self.path}:{self.line}:{self.col}: {self.message}"

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
            return "\n".join(str(p) for p in self.problems)
        return super().__str__()


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

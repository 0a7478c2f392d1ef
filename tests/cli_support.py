"""The ``cyclesim`` command line run in-process, as the tests call it.

``cyclesim(*args)`` calls :func:`simulator.cli.main` the way the console
script does, with the project root as the working folder, stdin empty (not a
terminal) and stdout/stderr captured, and returns what a finished process
would: the exit code and both outputs as text. ``SystemExit`` (argparse's
``--help``, ``--version`` and usage errors) becomes the exit code, as in a
process. Any other exception is *not* caught: where a process would print a
traceback, the calling test fails with that exception, which is a stricter
form of the old subprocess tests' "no 'Traceback' in stderr".

In-process runs cost milliseconds instead of an interpreter start each; the
few checks that need a real process (the console script, ``python -m``,
hash-seed independence, SIGKILL, no Textual on import, the terminal check)
live in ``tests/e2e/test_smoke.py`` and ``tests/e2e/test_sessions_kill.py``.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

from simulator.cli import main

ROOT = Path(__file__).resolve().parents[1]
"""The project root: relative paths in the tests (scenarios/..., tests/data/...) are from here."""


@dataclass(frozen=True)
class Run:
    """What one ``cyclesim`` invocation gave (the fields of subprocess.CompletedProcess the tests read)."""

    args: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str


def cyclesim(*args, cwd: Path = ROOT, env: dict[str, str] | None = None) -> Run:
    """Run ``cyclesim ARGS`` in this process from ``cwd`` with ``env`` added to the environment."""
    argv = tuple(str(a) for a in args)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.ExitStack() as stack:
        stack.enter_context(contextlib.chdir(cwd))
        stack.enter_context(mock.patch.dict(os.environ, env or {}))
        stack.enter_context(mock.patch.object(sys, "stdin", io.StringIO("")))
        stack.enter_context(contextlib.redirect_stdout(out))
        stack.enter_context(contextlib.redirect_stderr(err))
        try:
            code = main(list(argv))
        except SystemExit as e:  # what the interpreter does with it at exit
            if e.code is None:
                code = 0
            elif isinstance(e.code, int):
                code = e.code
            else:
                print(e.code, file=sys.stderr)
                code = 1
    return Run(argv, code, out.getvalue(), err.getvalue())

"""The ``cyclesim`` command line: one subcommand per module in ``commands/``.

This is the edge where :class:`SimulatorError` becomes an exit code: 0 ok,
1 runtime failure, 2 bad input or usage. Any other exception is a bug and
keeps its traceback.
"""

from __future__ import annotations

import argparse
import os
import sys

from simulator.commands import COMMANDS
from simulator.errors import EXIT_BAD_INPUT, EXIT_OK, SimulatorError
from simulator.text import printable


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version  # only for --version: 30 ms on every start otherwise

    try:
        return version("cyclesim")
    except PackageNotFoundError:  # running from a source tree
        return "0+unknown"


class _Version(argparse.Action):
    """``--version``, looking the version up only when asked."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help=None):
        super().__init__(option_strings=option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        print(f"cyclesim {_version()}")
        parser.exit()


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse's usage errors: exit 2, no traceback
        self.print_usage(sys.stderr)
        sys.stderr.write(f"{self.prog}: error: {message}\n")
        raise SystemExit(EXIT_BAD_INPUT)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="cyclesim",
        description="Tabletop cyber-crisis exercise simulator for EU response networks.",
        epilog="Run 'cyclesim COMMAND --help' for examples. Docs: docs/ in the project.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action=_Version, help="show the version and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for module in COMMANDS:
        p = sub.add_parser(module.NAME, help=module.HELP, description=module.HELP, epilog=module.EPILOG,
                           formatter_class=argparse.RawDescriptionHelpFormatter)
        module.add_arguments(p)
        p.set_defaults(run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return EXIT_BAD_INPUT
    try:
        code = args.run(args) or EXIT_OK
        sys.stdout.flush()  # a closed pipe shows here, inside the handlers, not at interpreter exit
        return code
    except BrokenPipeError:  # before OSError, its base: 'cyclesim ... | head' is not an error
        _silence_stdout()
        return EXIT_OK
    except SimulatorError as e:
        text = str(e) if getattr(e, "problems", None) else f"cyclesim: {printable(e)}"
        print(text, file=sys.stderr)
        return e.exit_code
    except OSError as e:  # a path the user gave that cannot be read or written
        where = f" {printable(e.filename, one_line=True)}" if e.filename else ""
        print(f"cyclesim: cannot use{where}: {e.strerror or e}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("cyclesim: interrupted", file=sys.stderr)
        return 130


def _silence_stdout() -> None:
    """Point stdout at /dev/null so that Python's final flush does not report the broken pipe again."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # captured in a test: nothing to redirect
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, fd)
    finally:
        os.close(devnull)

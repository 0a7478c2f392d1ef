"""The ``cyclesim`` command line: one subcommand per module in ``commands/``.

This is the edge where :class:`SimulatorError` becomes an exit code: 0 ok,
1 runtime failure, 2 bad input or usage. Any other exception is a bug and
keeps its traceback.
"""

from __future__ import annotations

import argparse
import sys

from simulator.commands import COMMANDS
from simulator.errors import EXIT_BAD_INPUT, EXIT_OK, SimulatorError


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
        return args.run(args) or EXIT_OK
    except SimulatorError as e:
        print(f"cyclesim: {e}" if not getattr(e, "problems", None) else str(e), file=sys.stderr)
        return e.exit_code
    except OSError as e:  # a path the user gave that cannot be read or written
        where = f" {e.filename}" if e.filename else ""
        print(f"cyclesim: cannot use{where}: {e.strerror or e}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("cyclesim: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK

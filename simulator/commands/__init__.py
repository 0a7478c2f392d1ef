"""Subcommands of ``cyclesim``; each module has NAME, HELP, EPILOG, add_arguments and run."""

from . import list_cmd, play, replay, schema, validate
from . import export, resume, sessions
from . import report

COMMANDS = [validate, schema, list_cmd, replay, play, resume, sessions, export, report]

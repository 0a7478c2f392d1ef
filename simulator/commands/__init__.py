"""Subcommands of ``cyclesim``; each module has NAME, HELP, EPILOG, add_arguments and run."""

from . import list_cmd, replay, schema, validate

COMMANDS = [validate, schema, list_cmd, replay]

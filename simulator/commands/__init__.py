"""Subcommands of ``cyclesim``; each module has NAME, HELP, EPILOG, add_arguments and run."""

from simulator.commands import (
    export,
    forecast,
    join,
    list_cmd,
    msel,
    picture,
    play,
    replay,
    report,
    resume,
    schema,
    serve,
    sessions,
    sweep,
    validate,
)

COMMANDS = [validate, schema, list_cmd, replay, play, resume, sessions, export, report, msel, sweep, forecast, serve, join, picture]

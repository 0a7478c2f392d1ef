"""cyclesim's engine as a library: scenario loading and validation, network,
state and severity, clocks, decisions, journal and the command line.

A regular package (not a namespace package) so that ``importlib.resources``
finds ``simulator/scenario/data`` under an editable install too.
"""

__all__: list[str] = []

"""Decision sources that play without people: policies and decisions scripts."""

POLICY_NAMES = ("doctrine", "passive")
"""The policies of :mod:`.policies`, by name, for command-line choices without importing the engine."""

"""Bundled injects: package data, found through importlib.resources (see simulator.bundled)."""

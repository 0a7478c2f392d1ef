"""Widgets of the TUI: panels that render parts of the journal-derived view."""

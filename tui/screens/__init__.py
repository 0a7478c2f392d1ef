"""Screens of the TUI: briefing, live play, and the modal forms and dialogs."""

"""The Textual terminal UI for facilitated sessions: a client of the engine only.

``tui.app.run_tui(exercise)`` opens the app on a built exercise; everything it
shows is computed from the exercise's journal, and every decision or
facilitator action goes through the engine's public API.
"""

"""The one-writer lock of a session folder: who may write it, and who does now.

One process at a time writes a session: each writer holds an exclusive,
non-blocking ``flock`` on the folder's ``lock`` file from opening until closing
(:mod:`simulator.journal.store` explains why a file of its own). The kernel
drops the lock when the process dies, so a crash never leaves a session locked;
the file names the holder (pid and host) for the message a second writer gets.
"""

from __future__ import annotations

import fcntl
import os
import socket
from pathlib import Path

from simulator.journal.store import SessionError

LOCK_NAME = "lock"


class SessionLock:
    """The one-writer lock of a session folder (exclusive, non-blocking flock)."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.path = self.folder / LOCK_NAME
        self._fd: int | None = None

    def acquire(self) -> SessionLock:
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as e:
            raise SessionError(f"{self.folder}: cannot open the session lock: {e.strerror}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_holder(fd)
            os.close(fd)
            raise SessionError(f"{self.folder} is in use by another running cyclesim ({holder}); "
                               "close it there first. Nothing was changed.") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()} on {socket.gethostname()}\n".encode(), 0)
        self._fd = fd
        return self

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing drops the flock; the file stays (deleting it would race)
            self._fd = None

    @property
    def held(self) -> bool:
        return self._fd is not None


def holder_of(folder: Path) -> str | None:
    """Who holds a session's lock right now, or None if nobody does (a shared probe, released at once)."""
    try:
        fd = os.open(Path(folder) / LOCK_NAME, os.O_RDONLY)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return _read_holder(fd)
    finally:
        os.close(fd)
    return None


def _read_holder(fd: int) -> str:
    try:
        text = os.pread(fd, 200, 0).decode("utf-8", "replace").strip()
    except OSError:
        text = ""
    return text or "unknown process"

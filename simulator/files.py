"""What kind of file a path is, and whether it stays inside a folder.

Inputs are read from folders the user controls but did not always fill
(a downloaded scenario pack, a shared template folder). A named pipe makes a
read block forever, a device file can be endless, and a symlink can lead the
reader anywhere on the disk. Readers use these helpers to read regular files
only, and to refuse links that leave the folder they were given.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def kind_of_mode(mode: int) -> str:
    """'a regular file', 'a named pipe (FIFO)', 'a folder', ... for an ``st_mode``."""
    if stat.S_ISREG(mode):
        return "a regular file"
    for test, name in _KINDS:
        if test(mode):
            return name
    return "not a regular file"


def not_regular(path: str | os.PathLike) -> str | None:
    """Why ``path`` cannot be read as a file ("is a named pipe (FIFO)", "does not exist"), or None if it can."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "does not exist" if not os.path.islink(path) else "is a symlink to nothing"
    except OSError as e:
        return f"cannot be read: {e.strerror or e}"
    return None if stat.S_ISREG(mode) else f"is {kind_of_mode(mode)}, not a regular file"


def open_regular(path: str | os.PathLike) -> int:
    """A read-only descriptor of ``path``, refusing anything but a regular file.

    The file is opened non-blocking (so a FIFO with no writer does not block),
    checked with ``fstat`` on the open descriptor (no race with a swap after a
    check), then switched back to blocking reads. Raises ``OSError``, or
    ``IsADirectoryError``/``OSError`` with a message naming what the path is.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise OSError(f"is {kind_of_mode(mode)}, not a regular file")
        os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


def escapes(path: Path, folder: Path) -> Path | None:
    """Where ``path`` really leads if that is outside ``folder`` (following symlinks), else None."""
    real = Path(os.path.realpath(path))
    base = Path(os.path.realpath(folder))
    return None if real == base or real.is_relative_to(base) else real

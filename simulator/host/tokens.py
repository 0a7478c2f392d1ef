"""Join tokens: one per team seat and one for each of the facilitator and evaluator roles.

Tokens are random (``secrets.token_urlsafe``), written once to a JSON file
(seat -> token) created with mode 0600, compared in constant time, and never
logged or sent back. A resumed host reads the same file, so seats rejoin with
the tokens they were given.
"""

from __future__ import annotations

import hmac
import json
import os
import secrets
from pathlib import Path

from simulator.errors import InputError

TOKEN_BYTES = 24


def new_tokens(seats: list[str]) -> dict[str, str]:
    """A fresh random token for each seat (never starting with '-', which a command line would take for an option)."""
    return {seat: _token() for seat in seats}


def _token() -> str:
    while True:
        token = secrets.token_urlsafe(TOKEN_BYTES)
        if not token.startswith("-"):
            return token


def write_tokens(path: Path, tokens: dict[str, str]) -> None:
    """Write the tokens file readable by its owner only (0600, also when it existed before)."""
    path = Path(path)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, (json.dumps(tokens, indent=2, sort_keys=True) + "\n").encode("utf-8"))
    finally:
        os.close(fd)


def read_tokens(path: Path, seats: list[str]) -> dict[str, str]:
    """The tokens a host wrote before; every seat must have one."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise InputError(f"cannot read the tokens file {path}: {e.strerror}") from None
    except ValueError as e:
        raise InputError(f"{path}: the tokens file is not JSON: {e}") from None
    if not isinstance(data, dict) or not all(isinstance(v, str) and len(v) >= 16 for v in data.values()):
        raise InputError(f"{path}: the tokens file must map each seat to a token of at least 16 characters")
    missing = [s for s in seats if s not in data]
    if missing:
        raise InputError(f"{path}: no token for seat(s) {', '.join(missing)}")
    return {s: data[s] for s in seats}


def load_or_create(path: Path, seats: list[str], *, reuse: bool) -> dict[str, str]:
    """Reuse the file's tokens (a resumed host) or write new ones (a new session)."""
    path = Path(path)
    if reuse and path.exists():
        return read_tokens(path, seats)
    tokens = new_tokens(seats)
    write_tokens(path, tokens)
    return tokens


def matches(given: str, expected: str) -> bool:
    """Constant-time comparison of a presented token with the seat's."""
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))

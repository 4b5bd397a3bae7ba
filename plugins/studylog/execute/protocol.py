"""Messages between processes: 4-byte big-endian length + UTF-8 JSON object.

Stdout and stderr belong to user code, so messages travel on dedicated pipes.
What this module needs (the serializer, ``os.write``, the header packer) is
bound here at import time, before any user code runs in the process: a session
that replaces ``json.dumps`` or ``os.write`` changes its own names, not these.
Whatever arrives is still checked: a frame that is too long or not a JSON object
raises :class:`Malformed`, which the reader turns into a result, never a crash.
"""

from __future__ import annotations

import json
import os
import struct
from typing import Any

HEADER = struct.Struct(">I")
MAX_MESSAGE = 256 << 20  # bytes; a figure-heavy session stays far below

# Private references, taken before user code can patch the modules they come from.
_dumps = json.JSONEncoder(ensure_ascii=False, allow_nan=True).encode
_loads = json.JSONDecoder().decode
_write = os.write
_read = os.read
_pack = HEADER.pack
_unpack_from = HEADER.unpack_from


class Closed(EOFError):
    """The other end closed its pipe (for the parent: the worker died)."""


class Malformed(ValueError):
    """Bytes on a message pipe that are not a message."""


def encode(message: dict[str, Any]) -> bytes:
    """One message as a frame: its length, then its JSON."""
    data = _dumps(message).encode("utf-8", "surrogatepass")
    return _pack(len(data)) + data


def send(fd: int, message: dict[str, Any]) -> None:
    """Write one message to ``fd``, all of it."""
    view = memoryview(encode(message))
    while view:
        written = _write(fd, view)
        view = view[written:]


def decode(data: bytes) -> dict[str, Any]:
    """The message in one frame's bytes; raises Malformed when it is not one."""
    try:
        message = _loads(data.decode("utf-8", "replace"))
    except ValueError as exc:
        raise Malformed(f"not JSON ({exc})") from None
    if not isinstance(message, dict) or not isinstance(message.get("op"), str):
        raise Malformed("not a message object")
    return message


def read_exact(fd: int, size: int) -> bytes:
    """Exactly ``size`` bytes from ``fd``; raises Closed at EOF."""
    chunks = []
    while size:
        chunk = _read(fd, min(size, 1 << 20))
        if not chunk:
            raise Closed
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def recv(fd: int) -> dict[str, Any]:
    """The next message on ``fd`` (blocking); raises Closed or Malformed."""
    (size,) = HEADER.unpack(read_exact(fd, HEADER.size))
    if size > MAX_MESSAGE:
        raise Malformed(f"a message of {size:,} bytes")
    return decode(read_exact(fd, size))


class Reader:
    """Incremental decoder for a reader that waits with deadlines (select + os.read)."""

    def __init__(self) -> None:
        self._buffer = bytearray()

    def feed(self, data: bytes) -> None:
        """Add bytes read from the pipe."""
        self._buffer += data

    def pop(self) -> dict[str, Any] | None:
        """The next complete message, or None until one has arrived whole."""
        if len(self._buffer) < HEADER.size:
            return None
        (size,) = _unpack_from(self._buffer)
        if size > MAX_MESSAGE:
            raise Malformed(f"a message of {size:,} bytes")
        end = HEADER.size + size
        if len(self._buffer) < end:
            return None
        data = bytes(self._buffer[HEADER.size : end])
        del self._buffer[:end]
        return decode(data)

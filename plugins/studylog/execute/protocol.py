"""Messages between the parent and a worker: 4-byte big-endian length + UTF-8 JSON.

The worker's stdout and stderr belong to user code, so messages travel on two
dedicated pipes whose file descriptors are handed to the worker at start.
"""

from __future__ import annotations

import json
import os
import struct
from typing import Any

HEADER = struct.Struct(">I")


class Closed(EOFError):
    """The other end closed its pipe (for the parent: the worker died)."""


def encode(message: dict[str, Any]) -> bytes:
    data = json.dumps(message, ensure_ascii=False).encode("utf-8", "surrogatepass")
    return HEADER.pack(len(data)) + data


def send(fd: int, message: dict[str, Any]) -> None:
    view = memoryview(encode(message))
    while view:
        written = os.write(fd, view)
        view = view[written:]


def read_exact(fd: int, size: int) -> bytes:
    chunks = []
    while size:
        chunk = os.read(fd, min(size, 1 << 20))
        if not chunk:
            raise Closed
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def recv(fd: int) -> dict[str, Any]:
    (size,) = HEADER.unpack(read_exact(fd, HEADER.size))
    message = json.loads(read_exact(fd, size).decode("utf-8", "replace"))
    if not isinstance(message, dict):
        raise ValueError("malformed message")
    return message


class Reader:
    """Incremental decoder for the parent, which reads with deadlines (select + os.read)."""

    def __init__(self) -> None:
        self._buffer = bytearray()

    def feed(self, data: bytes) -> None:
        self._buffer += data

    def pop(self) -> dict[str, Any] | None:
        if len(self._buffer) < HEADER.size:
            return None
        (size,) = HEADER.unpack_from(self._buffer)
        end = HEADER.size + size
        if len(self._buffer) < end:
            return None
        data = bytes(self._buffer[HEADER.size:end])
        del self._buffer[:end]
        message = json.loads(data.decode("utf-8", "replace"))
        if not isinstance(message, dict):
            raise ValueError("malformed message")
        return message

"""A session's stdout and stderr, read by the process that supervises it (worker side).

The session's fds 1 and 2 are pipes whose read ends stay with the supervisor, so
output written just before a crash, a kill or a timeout (by Python, a C
extension or a child process) is still there to show. The session writes a
marker into both pipes after each block; the supervisor cuts the stream there.
Only the first ``limit`` bytes of a block are kept; the rest is counted.
"""

from __future__ import annotations

import contextlib
import os
import re
import select
import time

ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")


def marker(token: str) -> bytes:
    """What a session writes to fds 1 and 2 when a block ends (``token`` is per session)."""
    return b"\x00studylog-block-end:" + token.encode("ascii") + b"\x00"


class Stream:
    """One output pipe of a session, cut into blocks at the markers."""

    def __init__(self, fd: int, limit: int, token: str) -> None:
        self.fd = fd
        self.limit = limit
        self.marker = marker(token)
        self._tail = b""  # the end of what was read, in case a marker was split
        self._kept = bytearray()
        self._total = 0
        self._done: list[tuple[bytes, int]] = []  # blocks whose marker arrived

    @property
    def open(self) -> bool:
        """Whether the pipe is still open (no EOF yet)."""
        return self.fd >= 0

    def read(self) -> None:
        """Read what the pipe holds (call when ``select`` says it is readable)."""
        try:
            data = os.read(self.fd, 1 << 16)
        except OSError:
            data = b""
        if not data:
            self.close()
        else:
            self._feed(data)

    def _feed(self, data: bytes) -> None:
        buffer = self._tail + data
        while (at := buffer.find(self.marker)) >= 0:
            self._add(buffer[:at])
            self._done.append((bytes(self._kept), self._total))
            self._kept, self._total = bytearray(), 0
            buffer = buffer[at + len(self.marker) :]
        keep = len(self.marker) - 1
        self._add(buffer[:-keep])
        self._tail = buffer[-keep:]

    def _add(self, chunk: bytes) -> None:
        self._total += len(chunk)
        room = self.limit - len(self._kept)
        if room > 0:
            self._kept += chunk[:room]

    def has_block(self) -> bool:
        """Whether a block's output is complete (its marker arrived)."""
        return bool(self._done)

    def take(self) -> str:
        """The output of the block that ended (or of the one running, when it never wrote
        its marker: it crashed, timed out, or closed or replaced its fd)."""
        if self._done:
            data, total = self._done.pop(0)
        else:
            self._add(self._tail)
            self._tail = b""
            data, total = bytes(self._kept), self._total
            self._kept, self._total = bytearray(), 0
        return clean(data, total)

    def take_rest(self) -> str:
        """Everything not taken yet, as one block's output: what the block that a fault
        stopped wrote, before and after its marker (no later block ran)."""
        self._add(self._tail)
        self._tail = b""
        data = b"".join([d for d, _ in self._done] + [bytes(self._kept)])
        total = sum(t for _, t in self._done) + self._total
        self._done, self._kept, self._total = [], bytearray(), 0
        return clean(data, total)

    def close(self) -> None:
        """Close the pipe's read end (idempotent)."""
        if self.fd >= 0:
            with contextlib.suppress(OSError):
                os.close(self.fd)
            self.fd = -1


def catch_up(streams: list[Stream], *, until_eof: bool, limit: float) -> None:
    """Read what the pipes hold now: until each has a finished block (the block's marker was
    written before its end was reported), or until EOF once the writers are dead."""
    deadline = time.monotonic() + limit
    while True:
        waiting = [s for s in streams if s.open and (until_eof or not s.has_block())]
        left = deadline - time.monotonic()
        if not waiting or left <= 0:
            return
        ready, _, _ = select.select(
            [s.fd for s in waiting], [], [], min(left, 0.05) if until_eof else 0
        )
        if not ready:
            if until_eof:
                continue
            return
        for stream in waiting:
            if stream.fd in ready:
                stream.read()


def clean(data: bytes, total: int) -> str:
    """Decode (bad UTF-8 replaced), strip ANSI codes, apply carriage returns, note truncation."""
    text = data.decode("utf-8", "replace")
    text = ANSI.sub("", text).replace("\r\n", "\n")
    if "\r" in text:
        # A progress bar redraws its line with \r: keep what the terminal would show.
        text = "\n".join(line.rstrip("\r").rsplit("\r", 1)[-1] for line in text.split("\n"))
    if total > len(data):
        if text and not text.endswith("\n"):
            text += "\n"
        text += f"[output truncated: {total - len(data):,} more bytes not shown]\n"
    return text

"""Capturing a block's stdout and stderr at the file-descriptor level (worker side).

Output written by C extensions and child processes goes to fds 1 and 2, not to
``sys.stdout``, so each block gets fresh pipes dup2'd onto those fds. A thread
per stream drains its pipe and keeps only the first ``limit`` bytes, so a flood
of output costs neither memory nor disk; the rest is counted and reported.
"""

from __future__ import annotations

import os
import re
import sys
import threading

ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")


class _Drain(threading.Thread):
    def __init__(self, fd: int, limit: int) -> None:
        super().__init__(daemon=True)
        self.fd = fd
        self.limit = limit
        self.kept = bytearray()
        self.total = 0

    def run(self) -> None:
        try:
            while chunk := os.read(self.fd, 1 << 16):
                self.total += len(chunk)
                room = self.limit - len(self.kept)
                if room > 0:
                    self.kept += chunk[:room]
        finally:
            os.close(self.fd)


class Capture:
    """Redirect fds 1 and 2 into bounded buffers between :meth:`start` and :meth:`stop`."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._drains: list[_Drain] = []

    def start(self) -> None:
        _flush()
        self._drains = []
        for fd in (1, 2):
            read_end, write_end = os.pipe()
            os.dup2(write_end, fd)
            os.close(write_end)
            drain = _Drain(read_end, self.limit)
            drain.start()
            self._drains.append(drain)

    def stop(self) -> tuple[str, str]:
        _flush()
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            for fd in (1, 2):
                os.dup2(devnull, fd)  # drops our write end: the drain sees EOF
        finally:
            os.close(devnull)
        texts = []
        for drain in self._drains:
            # A background child of the block may still hold the pipe open;
            # do not wait for it beyond a moment.
            drain.join(timeout=2.0)
            texts.append(clean(bytes(drain.kept), drain.total))
        return texts[0], texts[1]


def _flush() -> None:
    for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):
            pass  # a stream user code closed or replaced; nothing to flush


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

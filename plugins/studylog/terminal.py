"""Text from a log, made safe for a terminal or a CI log: control characters escaped.

A log's title, its file name, a session's name, a snippet's error message all
reach the builder's terminal (``studylog check``, ``mkdocs build``'s warnings,
pytest's report) and CI logs. Written raw, an escape sequence there rewrites the
terminal's title or clears the screen, and a line starting with ``::`` is a
GitHub Actions command (``::error file=...::`` makes an annotation,
``::add-mask::`` and ``::stop-commands::`` change the log). :func:`printable`
escapes every control character but newline and tab (as ``\\u001b``, which reads
the same in text and inside JSON strings), the Unicode controls that reorder
text, and a ``::`` that starts a line. Every front end prints through it: a
:class:`~studylog.model.Problem`, the CLI's standard output
(:class:`PrintableStream`), the MkDocs plugin's log lines (:class:`LogFilter`),
the pytest plugin's reports.
"""

from __future__ import annotations

import logging
import re
from typing import TextIO

# C0 but \t and \n, DEL, C1, and the bidirectional overrides and isolates.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_COMMAND = re.compile(r"^([ \t]*)::", re.MULTILINE)


def printable(text: str) -> str:
    """``text`` with its control characters escaped and no line starting with ``::``."""
    text = _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    return _COMMAND.sub(r"\1\\::", text)


class PrintableStream:
    """A text stream that writes what it is given through :func:`printable`."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        """Write ``text``, escaped; the length of what was given."""
        self.stream.write(printable(text))
        return len(text)

    def __getattr__(self, name: str) -> object:
        return getattr(self.stream, name)


class LogFilter(logging.Filter):
    """A logging filter that makes each record's message :func:`printable`."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Keep the record, its message escaped."""
        message = record.getMessage()
        escaped = printable(message)
        if escaped != message:
            record.msg, record.args = escaped, None
        return True

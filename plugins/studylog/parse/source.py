"""Turning a file's bytes into text the parser can trust.

Everything downstream sees ``\\n`` line endings and no byte order mark, so line
numbers match what an editor shows. A byte order mark and CRLF line endings are
normal and pass silently; each real oddity (UTF-16, binary data, bytes that are
not UTF-8) is one problem; nothing here raises.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from studylog.model import Problem

# A NUL byte never occurs in a UTF-8 text file; looking at the start is enough
# to tell images, archives and notebooks saved as binary from Markdown.
_SNIFF = 8192


@dataclass(frozen=True)
class Source:
    text: str
    problems: tuple[Problem, ...] = ()
    readable: bool = True  # False for binary data: there is no text to parse


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def decode(data: str | bytes, path: str) -> Source:
    problems: list[Problem] = []
    if isinstance(data, bytes):
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            text = data.decode("utf-16", errors="replace")
            problems.append(
                Problem(
                    path,
                    1,
                    "the file is saved as UTF-16",
                    "it was read anyway; save it as UTF-8 so other tools read it too",
                    "warning",
                )
            )
        elif b"\x00" in data[:_SNIFF]:
            return Source(
                "",
                (
                    Problem(
                        path,
                        1,
                        "not a text file (binary data)",
                        "logs are Markdown text; move this file out of the logs folder",
                        "error",
                    ),
                ),
                readable=False,
            )
        else:
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError as exc:
                text = data.decode("utf-8", errors="replace")
                problems.append(
                    Problem(
                        path,
                        _line_of(data, exc.start),
                        f"not valid UTF-8 (byte 0x{data[exc.start]:02x})",
                        "save the file as UTF-8; unreadable bytes are shown as \ufffd",
                        "error",
                    )
                )
    else:
        text = data
    # A UTF-8 byte order mark and CRLF (or CR) line endings are how some editors save
    # every file: normal files, read without a word (DESIGN.md, section 1).
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return Source(text, tuple(problems))

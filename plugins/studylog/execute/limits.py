"""How much of a session's outputs is kept: one set of limits, for fresh and cached results.

A fresh result is cut where it is made (the supervisor keeps ``OUTPUT_LIMIT``
bytes of each stream, the cell runner ``VALUE_LIMIT`` characters of a value);
a cached one is a file anyone may edit, so :func:`limited` applies the same
limits when it is read back, with the same notes.
"""

from __future__ import annotations

import dataclasses

from studylog.execute.capture import clean
from studylog.execute.results import BlockResult, SessionResult

OUTPUT_LIMIT = 64 * 1024  # bytes kept per stream (stdout, stderr, an error) per block
VALUE_LIMIT = 20_000  # characters of a last-expression repr or HTML kept


def cut_value(text: str) -> str:
    """A value's repr or HTML, cut after :data:`VALUE_LIMIT` characters with a note."""
    if len(text) <= VALUE_LIMIT:
        return text
    return text[:VALUE_LIMIT] + f"\n[truncated: {len(text) - VALUE_LIMIT:,} more characters]"


def cut_output(text: str, limit: int = OUTPUT_LIMIT) -> str:
    """Printed text cut after ``limit`` bytes, noted as the supervisor notes fresh output."""
    data = text.encode("utf-8", "replace")
    return text if len(data) <= limit else clean(data[:limit], len(data))


def _block(block: BlockResult, limit: int) -> BlockResult:
    return dataclasses.replace(
        block,
        stdout=cut_output(block.stdout, limit),
        stderr=cut_output(block.stderr, limit),
        error=None if block.error is None else cut_output(block.error, limit),
        value=None if block.value is None else cut_value(block.value),
        html=None if block.html is None else cut_value(block.html),
    )


def limited(result: SessionResult, limit: int = OUTPUT_LIMIT) -> SessionResult:
    """``result`` with every block's outputs within the limits a fresh result has."""
    return dataclasses.replace(result, blocks=tuple(_block(b, limit) for b in result.blocks))

"""Whether a session's fresh outputs drifted from the ones its cache entry stored.

``pytest --studylog-compare`` runs every session again and holds each block's outputs
against the stored entry of the same code (made, perhaps, with another torch: that is
the point, CI shows which result a library upgrade moved). Two outputs agree when:

* each block ended the same way (its status), with as many figures;
* its printed output, its value and its HTML read the same once every number in them is
  taken out -- white space aside, since a tensor's columns shift when a value's width
  changes;
* and each number agrees: integers exactly (shapes, counts, seeds); other numbers within
  ``rtol`` of the larger (default 1e-4, ``--studylog-compare-rtol``) plus one unit in
  the last decimal place printed, since a value that lands on a rounding boundary may
  print ``0.1235`` one day and ``0.1234`` the next.

Tracebacks and warnings (stderr) are not compared: they name files and versions.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from studylog.execute.results import BlockResult, SessionResult
from studylog.execute.status import block_place
from studylog.model import place

DEFAULT_RTOL = 1e-4
# A number standing on its own: not the digits inside a name ("conv2d", "cuda:0" is fine).
# A full stop after it ends a sentence ("loss 0.69."); a version ("2.1.0") is no number.
_NUMBER = re.compile(
    r"(?<![\w.])[-+]?(?:(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?|nan|inf)(?!\w)(?!\.\d)"
)
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Tolerance:
    """How far a number may move (see the module's docstring)."""

    rtol: float = DEFAULT_RTOL

    def agree(self, stored: str, fresh: str) -> bool:
        """Whether two numbers as printed agree."""
        if _is_integer(stored) and _is_integer(fresh):
            return int(stored) == int(fresh)
        a, b = float(stored), float(fresh)
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        if math.isinf(a) or math.isinf(b):
            return a == b
        slack = max(_last_unit(stored), _last_unit(fresh))
        return abs(a - b) <= self.rtol * max(abs(a), abs(b)) + slack


def _is_integer(text: str) -> bool:
    return text.lstrip("+-").isdigit()


def _last_unit(text: str) -> float:
    """One unit in the last decimal place of a number as printed (0 for an integer)."""
    mantissa, _, exponent = text.lower().partition("e")
    decimals = len(mantissa.partition(".")[2]) if "." in mantissa else 0
    power = -decimals + (int(exponent) if exponent else 0)
    return 10.0**power if decimals or exponent else 0.0


@dataclass(frozen=True)
class Drift:
    """One difference between a block's stored and fresh outputs."""

    line: int  # the block's fence line (a notebook's: its cell)
    what: str  # "status", "figures", "stdout", "value" or "html"
    stored: str
    fresh: str

    def describe(self) -> str:
        """``stdout: 0.6931 -> 0.7012`` and the like."""
        return f"{self.what}: {self.stored} -> {self.fresh}"


def _numbers(text: str) -> tuple[list[str], list[str]]:
    """The text between the numbers (white space folded) and the numbers."""
    parts = _NUMBER.split(text)
    return [_SPACE.sub(" ", p).strip() for p in parts], _NUMBER.findall(text)


def _line_of(text: str, needle: str) -> str:
    """The line of ``text`` holding ``needle``, as context for a message."""
    for line in text.splitlines():
        if needle in line:
            return line.strip()
    return needle


def text_drift(stored: str, fresh: str, tolerance: Tolerance) -> tuple[str, str] | None:
    """Where two outputs disagree (the stored and the fresh line or number); None when
    they agree."""
    words_a, numbers_a = _numbers(stored)
    words_b, numbers_b = _numbers(fresh)
    if words_a != words_b or len(numbers_a) != len(numbers_b):
        for line_a, line_b in zip(stored.splitlines(), fresh.splitlines(), strict=False):
            if _numbers(line_a)[0] != _numbers(line_b)[0]:
                return line_a.strip(), line_b.strip()
        return _tail(stored), _tail(fresh)
    for a, b in zip(numbers_a, numbers_b, strict=True):
        if not tolerance.agree(a, b):
            return f"{a} (in {_line_of(stored, a)!r})", f"{b} (in {_line_of(fresh, b)!r})"
    return None


def _tail(text: str) -> str:
    lines = text.strip().splitlines()
    return f"{len(lines)} lines ending {lines[-1].strip()!r}" if lines else "nothing"


def _block_drifts(stored: BlockResult, fresh: BlockResult, tolerance: Tolerance) -> Iterator[Drift]:
    line = stored.line
    if stored.status != fresh.status:
        yield Drift(line, "status", stored.status, fresh.status)
        return
    if len(stored.figures) != len(fresh.figures):
        yield Drift(line, "figures", str(len(stored.figures)), str(len(fresh.figures)))
    for what in ("stdout", "value", "html"):
        a, b = getattr(stored, what) or "", getattr(fresh, what) or ""
        found = text_drift(a, b, tolerance)
        if found is not None:
            yield Drift(line, what, *found)


def drifts(
    stored: SessionResult, fresh: SessionResult, tolerance: Tolerance | None = None
) -> list[Drift]:
    """Every way ``fresh`` disagrees with ``stored``, block by block (see the module)."""
    tolerance = tolerance or Tolerance()
    found: list[Drift] = []
    by_line = {block.line: block for block in fresh.blocks}
    for block in stored.blocks:
        other = by_line.get(block.line)
        if other is None:
            found.append(Drift(block.line, "status", block.status, "not run"))
            continue
        found.extend(_block_drifts(block, other, tolerance))
    return found


def report(log: str, found: Sequence[Drift], env: Mapping[str, Any], tolerance: Tolerance) -> str:
    """The drifts of one session, a ``path:line`` line per block, saying where the stored
    outputs were made and the tolerance."""
    made = ", ".join(f"{k} {v}" for k, v in sorted(env.items()) if v)
    lines = []
    for drift in found:
        cell, line = block_place(log, drift.line)
        lines.append(
            f"{place(log, line, cell)}: the output drifted from the stored one: {drift.describe()}"
        )
    lines.append(
        f"(stored with {made or 'an unknown environment'}; numbers agree within "
        f"rtol {tolerance.rtol:g} plus one unit in their last printed place; the guide's "
        '"Output drift" says how to take the new outputs as the reference)'
    )
    return "\n".join(lines)

"""How a render step asks for work that may have been kept from an earlier build.

The core never imports the build memo (:mod:`studylog.memo`, glue): a caller that
keeps results between builds hands the renderer a :class:`Keep` function, which
answers ``keep(kind, compute, *parts)`` with a kept value of type ``kind`` stored
under ``parts``, or with ``compute()``. Without one, everything is computed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar

T = TypeVar("T")


class Keep(Protocol):
    """``keep(kind, compute, *parts)``: the kept value of ``kind``, or ``compute()``."""

    def __call__(self, kind: type[T], compute: Callable[[], T], /, *parts: str | bytes) -> T: ...


def compute(kind: type[T], work: Callable[[], T], /, *parts: str | bytes) -> T:
    """The :class:`Keep` that keeps nothing."""
    return work()

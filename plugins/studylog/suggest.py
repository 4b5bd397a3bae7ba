"""“Did you mean …?” for a misspelled name (an option in mkdocs.yml, a fence option)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def close_to(name: str, known: Iterable[str]) -> str | None:
    """The known name ``name`` is most likely a misspelling of (``timout`` -> ``timeout``,
    ``course_star`` -> ``course_start``), or None when none is close."""
    names = list(known)
    found = difflib.get_close_matches(name, names, n=1, cutoff=0.75)
    if not found:  # a plural or singular slip reads far by ratio: keyword_alias(es)
        stem = name.rstrip("s")
        found = [k for k in names if k.rstrip("s") == stem or k.removesuffix("es") == stem]
    return found[0] if found else None


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """``did you mean 'timeout'?`` (empty when no known name is close)."""
    match = close_to(name, known)
    return f"did you mean {match!r}?" if match else ""

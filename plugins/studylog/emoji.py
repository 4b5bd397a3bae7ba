"""GitHub's emoji shortcodes (``:handshake:`` -> 🤝), from the index pymdownx ships.

The index is GitHub's own list (gemoji); shortcodes GitHub draws as images
(``:octocat:``) have no character and stay as written.
"""

from __future__ import annotations

import functools
import re

# Not inside a word (``a:b:c``).
SHORTCODE = re.compile(r"(?<![A-Za-z0-9]):([a-z0-9_+\-]+):(?![A-Za-z0-9])")


@functools.cache
def characters() -> dict[str, str]:
    """Every shortcode (aliases included) with its emoji character(s)."""
    from pymdownx.emoji import gemoji

    index = gemoji({}, None)
    out: dict[str, str] = {}
    for code, entry in index["emoji"].items():
        value = entry.get("unicode")
        if value:
            out[code] = "".join(chr(int(part, 16)) for part in value.split("-"))
    for alias, code in index["aliases"].items():
        if code in out:
            out[alias] = out[code]
    return out


def _replace(match: re.Match[str]) -> str:
    return characters().get(match.group(0), match.group(0))


def emojize(text: str) -> str:
    """``text`` with every known shortcode replaced by its emoji (plain text in, plain out)."""
    if ":" not in text:
        return text
    return SHORTCODE.sub(_replace, text)

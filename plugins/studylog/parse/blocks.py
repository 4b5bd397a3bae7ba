"""Fenced code blocks: info-string attributes and which blocks are executable.

The attribute syntax is markdown-exec's, so pages move between the two tools:
``python exec="on" session="mlp"``; values may also be single-quoted or bare,
a bare ``exec`` means ``exec="on"``, and the brace form ``{.python exec="on"}``
is understood too. Validating the options is the executor's job; here they are
kept as written.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from markdown_it.token import Token

from studylog.model import Problem, Snippet
from studylog.parse.outline import Fence

EXECUTABLE_LANGS = frozenset({"python", "py"})
EXEC_ON = frozenset({"on", "true", "yes", "1"})
EXEC_OFF = frozenset({"off", "false", "no", "0"})

_ATTR = re.compile(
    r"""\s*(?P<key>[A-Za-z_][\w.:-]*)"""
    r"""(?:\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"'{}]+)))?"""
)


@dataclass(frozen=True)
class Info:
    lang: str
    attrs: dict[str, str]
    unreadable: str = ""  # text of the info string that is not key="value"

    @property
    def exec_value(self) -> str | None:
        value = self.attrs.get("exec")
        return None if value is None else value.strip().lower()

    @property
    def executable(self) -> bool:
        return self.lang.lower() in EXECUTABLE_LANGS and self.exec_value in EXEC_ON


def parse_info(info: str) -> Info:
    text = info.strip()
    if text.startswith("{") and text.endswith("}"):
        # {.python .other exec="on"}: the first class is the language
        inner = text[1:-1].strip()
        classes = re.findall(r"(?:^|\s)\.([\w+-]+)", inner)
        lang = classes[0] if classes else ""
        rest = re.sub(r"(?:^|\s)\.[\w+-]+", " ", inner)
    else:
        lang, _, rest = text.partition(" ")
        lang = lang.split("{", 1)[0]
    attrs: dict[str, str] = {}
    leftover: list[str] = []
    pos = 0
    rest = rest.strip()
    while pos < len(rest):
        found = _ATTR.match(rest, pos)
        if not found or found.end() == pos:
            end = rest.find(" ", pos + 1)
            end = len(rest) if end < 0 else end
            leftover.append(rest[pos:end].strip())
            pos = end
            continue
        key = found.group("key")
        value = next((v for v in found.group("dq", "sq", "bare") if v is not None), None)
        if value is None:
            value = "on" if key == "exec" else ""
        attrs[key] = value
        pos = found.end()
    return Info(lang, attrs, " ".join(p for p in leftover if p))


def runs_to_end(token: Token, line_count: int) -> bool:
    """True when a fence was never closed and swallowed the rest of the file.

    markdown-it keeps no flag for it: a closed fence's content is two lines shorter
    than its ``map`` (the fences), an unclosed one only one line shorter.
    """
    if token.map is None:
        return False
    start, end = token.map
    return end >= line_count and token.content.count("\n") == end - start - 1


def snippets(fences: Iterable[Fence], path: str, day_starts: Sequence[int],
             problems: list[Problem]) -> list[Snippet]:
    """The executable blocks among ``fences``; ``day_starts`` are the day entries' first lines."""
    found: list[Snippet] = []
    for fence in fences:
        info = parse_info(fence.token.info)
        if info.lang.lower() not in EXECUTABLE_LANGS:
            continue
        if info.unreadable:
            problems.append(Problem(
                path, fence.line, f"code block attributes not understood: {info.unreadable}",
                'write attributes as key="value", e.g. exec="on" session="mlp"', "warning",
            ))
        value = info.exec_value
        if value is not None and value not in EXEC_ON | EXEC_OFF:
            problems.append(Problem(
                path, fence.line, f'exec="{info.attrs["exec"]}" is neither on nor off',
                'write exec="on" to run the block, or leave exec out', "warning",
            ))
        if not info.executable:
            continue
        index = bisect_right(day_starts, fence.line) - 1 if day_starts else -1
        found.append(Snippet(
            path=path, line=fence.line, lang=info.lang, info=fence.token.info,
            attrs=dict(info.attrs), code=fence.token.content, day=index if index >= 0 else None,
        ))
    return found

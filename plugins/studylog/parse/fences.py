"""Fenced code blocks: which ones run, in which language, with which options.

The one owner of every decision about a fence. The parser asks it which fences
become :class:`~studylog.model.Snippet`\\ s, the executor takes the validated
``options`` and ``session`` it gives them, the renderer asks ``executable``, and
``studylog check`` reports the same problems that ``studylog run``, ``pytest``
and ``mkdocs build`` report.

The attribute syntax is markdown-exec's, so pages move between the two tools:
``python exec="on" session="mlp"``; values may also be single-quoted or bare, a
bare ``exec`` means ``exec="on"``, and the brace form ``{.python exec="on"}``
is understood too.
"""

from __future__ import annotations

import posixpath
import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from studylog.model import DEFAULT_SESSION, BlockOptions, Problem, Snippet
from studylog.settings import seconds
from studylog.suggest import did_you_mean

if TYPE_CHECKING:
    from markdown_it.token import Token

PYTHON_LANGS = frozenset({"python", "py", "python3", "py3"})
EXEC_ON = frozenset({"on", "true", "yes", "1", ""})
EXEC_OFF = frozenset({"off", "false", "no", "0"})

_ATTR = re.compile(
    r"""\s*(?P<key>[A-Za-z_][\w.:-]*)"""
    r"""(?:\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"'{}]+)))?"""
)


@dataclass(frozen=True)
class Info:
    """A fence's info string: its language and its ``key="value"`` attributes."""

    lang: str
    attrs: dict[str, str]
    unreadable: str = ""  # text of the info string that is not key="value"

    @property
    def exec_value(self) -> str | None:
        value = self.attrs.get("exec")
        return None if value is None else value.strip().lower()

    @property
    def wants_exec(self) -> bool:
        """The fence asks to run (any ``exec`` that is not clearly off)."""
        return self.exec_value is not None and self.exec_value not in EXEC_OFF

    @property
    def is_python(self) -> bool:
        return self.lang.lower() in PYTHON_LANGS

    @property
    def executable(self) -> bool:
        return self.is_python and self.exec_value in EXEC_ON


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
        if "=" in lang:  # no language, only attributes: ```exec="on"
            lang, rest = "", text
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


# -- options ---------------------------------------------------------------------------------

Converter = Callable[[str], tuple[str, Any]]


class OptionError(ValueError):
    """A value a converter refuses with its own words (else: "bad value key=...")."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(hint)
        self.message = message


def _choice(field: str, allowed: Mapping[str, Any]) -> Converter:
    def convert(raw: str) -> tuple[str, Any]:
        key = raw.strip().lower()
        if key not in allowed:
            words = ", ".join(f'"{w}"' for w in allowed)
            raise ValueError(f"use one of {words}")
        return field, allowed[key]

    return convert


def _timeout(raw: str) -> tuple[str, Any]:
    return "timeout", seconds(raw.strip())


def _file(raw: str) -> tuple[str, Any]:
    rel = raw.strip()
    if not rel:
        raise ValueError('give a path relative to the project, e.g. file="snippets/mlp.py"')
    normal = posixpath.normpath(rel.replace("\\", "/"))
    if posixpath.isabs(normal) or re.match(r"^[A-Za-z]:", normal) or normal.split("/")[0] == "..":
        raise OptionError(
            f"file={raw!r} is outside the project",
            'include files from inside the project, e.g. file="snippets/mlp.py"',
        )
    return "file", normal


# attribute -> converter returning (BlockOptions field, value); one table, so the set of
# known options and their rules can be read in one place.
CONVERTERS: dict[str, Converter] = {
    "show": _choice("show", {"both": "both", "source": "source", "output": "output"}),
    "errors": _choice("errors_allowed", {"allow": True, "raise": False}),
    "timeout": _timeout,
    "device": _choice("device", {"auto": "auto", "cpu": "cpu", "cuda": "cuda"}),
    "requires": _choice("requires_cuda", {"cuda": True}),
    "cache": _choice("cache", {"on": True, "off": False}),
    "file": _file,
}
# Attributes read here rather than turned into a BlockOptions field.
STRUCTURAL = ("exec", "session")
KNOWN = (*STRUCTURAL, *CONVERTERS)


def read_options(
    attrs: Mapping[str, str], path: str, line: int
) -> tuple[BlockOptions, list[Problem]]:
    """Validated options of an executable block; each bad attribute is an error problem."""
    options = BlockOptions()
    problems: list[Problem] = []
    for key, raw in attrs.items():
        if key in STRUCTURAL:
            continue
        convert = CONVERTERS.get(key)
        if convert is None:
            problems.append(
                Problem(
                    path,
                    line,
                    f"unknown option {key}={raw!r} on an executable block; the session is not run",
                    hint=" ".join(
                        filter(
                            None, [did_you_mean(key, KNOWN), f"known options: {', '.join(KNOWN)}"]
                        )
                    ),
                )
            )
            continue
        try:
            field, value = convert(str(raw))
        except ValueError as exc:
            what = exc.message if isinstance(exc, OptionError) else f"bad value {key}={raw!r}"
            problems.append(Problem(path, line, f"{what}; the session is not run", hint=str(exc)))
            continue
        options = replace(options, **{field: value})
    return options, problems


def make_snippet(
    path: str,
    line: int,
    code: str,
    attrs: Mapping[str, str],
    *,
    lang: str = "python",
    info: str = "",
    day: int | None = None,
) -> Snippet:
    """The snippet of a fence that asks to run, with its options checked."""
    parsed = Info(lang, dict(attrs))
    problems: list[Problem] = []
    if not parsed.is_python and parsed.wants_exec:
        what = repr(lang) if lang else "a block without a language"
        problems.append(
            Problem(
                path,
                line,
                f"only Python blocks can be executed, not {what}",
                hint='write ```python exec="on", or drop exec to show the code as it is',
            )
        )
    elif parsed.exec_value not in EXEC_ON and parsed.wants_exec:
        problems.append(
            Problem(
                path,
                line,
                f"exec={attrs.get('exec')!r} is neither on nor off; the block is not run",
                hint='write exec="on" to run the block, or leave exec out',
            )
        )
    options, found = read_options(attrs, path, line) if parsed.executable else (BlockOptions(), [])
    problems += found
    session = str(attrs.get("session", "")).strip() or DEFAULT_SESSION
    return Snippet(
        path=path,
        line=line,
        lang=lang,
        info=info,
        attrs=dict(attrs),
        code=code,
        day=day,
        options=options,
        session=session,
        executable=parsed.executable,
        problems=tuple(problems),
    )


def snippets(
    fences: Iterable[tuple[int, Token]],
    path: str,
    day_starts: Sequence[int],
    problems: list[Problem],
) -> list[Snippet]:
    """The fences (line, token) that ask to run; ``day_starts`` are the day entries' first
    lines. Every problem found is also added to ``problems``."""
    found: list[Snippet] = []
    for line, token in fences:
        info = parse_info(token.info)
        if not info.wants_exec:
            continue
        if info.unreadable:
            problems.append(
                Problem(
                    path,
                    line,
                    f"code block attributes not understood: {info.unreadable}",
                    'write attributes as key="value", e.g. exec="on" session="mlp"',
                    "warning",
                )
            )
        index = bisect_right(day_starts, line) - 1 if day_starts else -1
        snippet = make_snippet(
            path,
            line,
            token.content,
            info.attrs,
            lang=info.lang,
            info=token.info,
            day=index if index >= 0 else None,
        )
        problems.extend(snippet.problems)
        found.append(snippet)
    return found


def runs_to_end(token: Token, line_count: int) -> bool:
    """True when a fence was never closed and swallowed the rest of the file.

    markdown-it keeps no flag for it: a closed fence's content is two lines shorter
    than its ``map`` (the fences), an unclosed one only one line shorter.
    """
    if token.map is None:
        return False
    start, end = token.map
    return end >= line_count and token.content.count("\n") == end - start - 1

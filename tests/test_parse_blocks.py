"""Fenced blocks: markdown-exec attribute syntax, which blocks run, and their lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from studylog.parse import parse_file, parse_text
from studylog.parse.blocks import parse_info

FIXTURES = Path(__file__).parent / "fixtures" / "parse"


@pytest.mark.parametrize(
    ("info", "lang", "attrs", "executable"),
    [
        ('python exec="on"', "python", {"exec": "on"}, True),
        ("py exec", "py", {"exec": "on"}, True),
        ("python exec='true' session=mlp", "python", {"exec": "true", "session": "mlp"}, True),
        ('python exec="yes" file="snippets/mlp.py" timeout="120"', "python",
         {"exec": "yes", "file": "snippets/mlp.py", "timeout": "120"}, True),
        ('python exec="1" show="output" errors="allow"', "python",
         {"exec": "1", "show": "output", "errors": "allow"}, True),
        ('Python exec="ON"', "Python", {"exec": "ON"}, True),
        ('{.python exec="on" session="a"}', "python", {"exec": "on", "session": "a"}, True),
        ('python exec="off"', "python", {"exec": "off"}, False),
        ("python", "python", {}, False),
        ('python title="x.py"', "python", {"title": "x.py"}, False),
        ('pycon exec="on"', "pycon", {"exec": "on"}, False),
        ('bash exec="on"', "bash", {"exec": "on"}, False),
        ("", "", {}, False),
    ],
)
def test_info_strings(info: str, lang: str, attrs: dict[str, str], executable: bool) -> None:
    parsed = parse_info(info)
    assert (parsed.lang, parsed.attrs, parsed.executable) == (lang, attrs, executable)
    assert parsed.unreadable == ""


def test_snippets_carry_file_lines_code_and_day() -> None:
    log = parse_file(FIXTURES / "snippets-in-days.md")
    assert log.problems == ()
    assert [d.line for d in log.days] == [12, 22]
    got = [(s.line, s.lang, s.code, s.day) for s in log.snippets]
    assert got == [
        (8, "python", "import math\n", None),  # before the first day
        (18, "python", "print(math.pi)\n", 0),  # the plain ```python block is not executable
        (26, "py", "x = 1\n", 1),  # inside a list item
        (30, "python", "", 1),  # ~~~ fence, file= block
    ]
    assert log.snippets[1].attrs == {"exec": "on", "session": "mha", "timeout": "60"}
    assert log.snippets[1].info == 'python exec="on" session="mha" timeout="60"'
    assert log.snippets[1].code_line == 19
    lines = (FIXTURES / "snippets-in-days.md").read_text(encoding="utf-8").splitlines()
    assert all(lines[s.line - 1].lstrip().startswith(("```", "~~~")) for s in log.snippets)


def test_single_day_log_snippets_have_no_day() -> None:
    log = parse_file(FIXTURES / "well-formed.md")
    (snippet,) = log.snippets
    assert (snippet.line, snippet.day, snippet.attrs) == (14, None, {"exec": "on",
                                                                     "session": "mha"})


@pytest.mark.parametrize(
    ("info", "fragment"),
    [
        ('python exec="on session=x', "not understood"),
        ('python exec="maybe"', "neither on nor off"),
    ],
)
def test_odd_attributes_are_warnings_on_the_fence_line(info: str, fragment: str) -> None:
    text = f"---\ndate: 2024-03-04\n---\ntext\n\n```{info}\nprint(1)\n```\n"
    log = parse_text(text, "logs/odd.md")
    (problem,) = log.problems
    assert (problem.line, problem.kind) == (6, "warning")
    assert fragment in problem.message

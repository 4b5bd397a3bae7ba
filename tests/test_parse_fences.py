"""Fenced blocks: markdown-exec attribute syntax, which blocks run, their options and lines.

``studylog.parse.fences`` owns every decision about a fence; these tests pin what it
decides, and that the parser (so ``studylog check``) reports what is wrong at the fence.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from studylog.model import BlockOptions
from studylog.parse import parse_file, parse_text
from studylog.parse.fences import make_snippet, parse_info

FIXTURES = Path(__file__).parent / "fixtures" / "parse"


@pytest.mark.parametrize(
    ("info", "lang", "attrs", "executable"),
    [
        ('python exec="on"', "python", {"exec": "on"}, True),
        ("py exec", "py", {"exec": "on"}, True),
        ("python exec='true' session=mlp", "python", {"exec": "true", "session": "mlp"}, True),
        (
            'python exec="yes" file="snippets/mlp.py" timeout="120"',
            "python",
            {"exec": "yes", "file": "snippets/mlp.py", "timeout": "120"},
            True,
        ),
        (
            'python exec="1" show="output" errors="allow"',
            "python",
            {"exec": "1", "show": "output", "errors": "allow"},
            True,
        ),
        ('Python exec="ON"', "Python", {"exec": "ON"}, True),
        ('{.python exec="on" session="a"}', "python", {"exec": "on", "session": "a"}, True),
        ('python exec="off"', "python", {"exec": "off"}, False),
        ("python", "python", {}, False),
        ('python title="x.py"', "python", {"title": "x.py"}, False),
        ('py3 exec="on"', "py3", {"exec": "on"}, True),
        ("python3 exec", "python3", {"exec": "on"}, True),
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
    assert (snippet.line, snippet.day, snippet.attrs) == (
        14,
        None,
        {"exec": "on", "session": "mha"},
    )


def test_unreadable_attributes_are_a_warning_on_the_fence_line() -> None:
    text = '---\ndate: 2024-03-04\n---\ntext\n\n```python exec="on session=x\nprint(1)\n```\n'
    log = parse_text(text, "logs/odd.md")
    (problem,) = log.problems
    assert (problem.line, problem.kind) == (6, "warning")
    assert "not understood" in problem.message


@pytest.mark.parametrize(
    ("info", "fragment"),
    [
        ('python exec="maybe"', "neither on nor off"),
        ('bash exec="on"', "only Python blocks can be executed, not 'bash'"),
        ('exec="on"', "only Python blocks can be executed, not a block without a language"),
        ('python exec="on" timeout="abc"', "bad value timeout='abc'"),
        ('python exec="on" timeout="0"', "bad value timeout='0'"),
        ('python exec="on" device="tpu"', "bad value device='tpu'"),
        ('python exec="on" sesion="x"', "unknown option sesion='x'"),
        (
            'python exec="on" file="../../etc/passwd"',
            "file='../../etc/passwd' is outside the project",
        ),
        ('python exec="on" file="/etc/passwd"', "file='/etc/passwd' is outside the project"),
    ],
)
def test_wrong_fences_are_errors_on_the_fence_line(info: str, fragment: str) -> None:
    text = f"---\ndate: 2024-03-04\n---\ntext\n\n```{info}\nprint(1)\n```\n"
    log = parse_text(text, "logs/odd.md")
    (problem,) = log.problems
    assert (problem.line, problem.kind) == (6, "error")
    assert fragment in problem.message
    (snippet,) = log.snippets
    assert snippet.problems == (problem,)


def test_a_block_in_another_language_is_not_executable() -> None:
    log = parse_text('```bash exec="on"\nls\n```\n', "logs/x.md")
    assert [s.executable for s in log.snippets] == [False]


@pytest.mark.parametrize(
    ("attrs", "options", "session"),
    [
        ({"exec": "on"}, BlockOptions(), "default"),
        ({"exec": "on", "session": " mlp "}, BlockOptions(), "mlp"),
        ({"exec": "on", "errors": "allow"}, BlockOptions(errors_allowed=True), "default"),
        ({"exec": "on", "timeout": "2.5"}, BlockOptions(timeout=2.5), "default"),
        ({"exec": "on", "device": "CPU"}, BlockOptions(device="cpu"), "default"),
        ({"exec": "on", "requires": "cuda"}, BlockOptions(requires_cuda=True), "default"),
        ({"exec": "on", "show": "output"}, BlockOptions(show="output"), "default"),
        ({"exec": "on", "cache": "off"}, BlockOptions(cache=False), "default"),
        (
            {"exec": "on", "file": "./snippets//mlp.py"},
            BlockOptions(file="snippets/mlp.py"),
            "default",
        ),
    ],
)
def test_options_and_session(attrs: dict[str, str], options: BlockOptions, session: str) -> None:
    snippet = make_snippet("logs/a.md", 3, "x = 1\n", attrs)
    assert (snippet.options, snippet.session, snippet.problems) == (options, session, ())

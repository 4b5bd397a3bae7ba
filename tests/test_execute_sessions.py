"""collect_sessions: grouping, option validation and file= resolution (no workers)."""

from __future__ import annotations

from pathlib import Path

import pytest

from studylog.execute import BlockOptions, collect_sessions
from studylog.model import Log, Snippet
from studylog.parse.fences import make_snippet


def snippet(
    line: int, code: str = "x = 1\n", *, path: str = "logs/a.md", lang: str = "python", **attrs: str
) -> Snippet:
    return make_snippet(path, line, code, {"exec": "on", **attrs}, lang=lang)


def log(*snippets: Snippet, path: str = "logs/a.md") -> Log:
    return Log(path=path, body="", body_line=1, snippets=snippets)


def test_blocks_group_by_session_in_order(tmp_path: Path) -> None:
    sessions, problems = collect_sessions(
        [log(snippet(3), snippet(8, session="mlp"), snippet(12), snippet(20, session="mlp"))],
        project_root=tmp_path,
    )
    assert problems == []
    assert [(s.name, [b.line for b in s.blocks]) for s in sessions] == [
        ("default", [3, 12]),
        ("mlp", [8, 20]),
    ]
    first = sessions[0].blocks[0]
    assert (first.filename, first.first_line, first.path) == ("logs/a.md", 4, "logs/a.md")


def test_separate_logs_never_share_a_session(tmp_path: Path) -> None:
    sessions, _ = collect_sessions(
        [log(snippet(3)), log(snippet(5, path="logs/b.md"), path="logs/b.md")],
        project_root=tmp_path,
    )
    assert [s.id for s in sessions] == ["logs/a.md::default", "logs/b.md::default"]


@pytest.mark.parametrize(
    ("attrs", "expected"),
    [
        ({"errors": "allow"}, BlockOptions(errors_allowed=True)),
        ({"timeout": "2.5"}, BlockOptions(timeout=2.5)),
        ({"device": "CPU"}, BlockOptions(device="cpu")),
        ({"requires": "cuda"}, BlockOptions(requires_cuda=True)),
        ({"show": "output"}, BlockOptions(show="output")),
        ({"cache": "off"}, BlockOptions(cache=False)),
    ],
)
def test_valid_options(tmp_path: Path, attrs: dict[str, str], expected: BlockOptions) -> None:
    sessions, problems = collect_sessions([log(snippet(3, **attrs))], project_root=tmp_path)
    assert problems == []
    assert sessions[0].blocks[0].options == expected


@pytest.mark.parametrize(
    ("attrs", "words"),
    [
        ({"timout": "5"}, "unknown option timout"),
        ({"timeout": "soon"}, "bad value timeout='soon'"),
        ({"timeout": "-1"}, "bad value timeout='-1'"),
        ({"device": "tpu"}, "bad value device='tpu'"),
        ({"errors": "ignore"}, "bad value errors='ignore'"),
        ({"show": "all"}, "bad value show='all'"),
        ({"requires": "gpu"}, "bad value requires='gpu'"),
    ],
)
def test_bad_options_refuse_the_session(tmp_path: Path, attrs: dict[str, str], words: str) -> None:
    bad = snippet(7, **attrs)
    (problem,) = bad.problems  # the log's problem, so `studylog check` reports it too
    assert str(problem).startswith("logs/a.md:7: ") and problem.kind == "error"
    assert words in problem.message and problem.hint
    sessions, problems = collect_sessions([log(snippet(3), bad)], project_root=tmp_path)
    assert problems == []
    assert sessions[0].refused.startswith(problem.message) and sessions[0].refused_line == 7


def test_exec_off_and_other_languages(tmp_path: Path) -> None:
    snippets = [snippet(3, exec="off"), snippet(6, exec="maybe"), snippet(9, lang="bash")]
    sessions, problems = collect_sessions([log(*snippets)], project_root=tmp_path)
    assert sessions == [] and problems == []
    assert [(p.line, p.kind) for s in snippets for p in s.problems] == [(6, "error"), (9, "error")]


def test_device_requests_shape_the_session(tmp_path: Path) -> None:
    sessions, problems = collect_sessions(
        [
            log(
                snippet(3, device="cuda"),
                snippet(9, device="cpu"),
                snippet(12, session="g", requires="cuda"),
            )
        ],
        project_root=tmp_path,
    )
    default, gpu = sessions
    assert (default.device, default.requires_cuda) == ("cuda", True)
    assert [p.line for p in problems] == [9]  # one DEVICE per session
    assert default.refused_line == 9 and "conflicts" in default.refused
    assert (gpu.device, gpu.requires_cuda, gpu.refused) == ("auto", True, "")


def test_file_inside_the_project_is_included(tmp_path: Path) -> None:
    (tmp_path / "snippets").mkdir()
    (tmp_path / "snippets" / "tiny.py").write_text("print('tiny')\n", encoding="utf-8")
    sessions, problems = collect_sessions(
        [log(snippet(3, "", file="snippets/../snippets/tiny.py"))], project_root=tmp_path
    )
    assert problems == []
    (block,) = sessions[0].blocks
    assert (block.code, block.filename, block.first_line) == (
        "print('tiny')\n",
        "snippets/tiny.py",
        1,
    )
    assert block.options.file == "snippets/tiny.py"
    assert sessions[0].includes == ("snippets/tiny.py",)


@pytest.mark.parametrize("target", ["../outside.py", "/etc/hostname", "snippets/missing.py"])
def test_file_outside_or_missing_refuses_the_session(tmp_path: Path, target: str) -> None:
    root = tmp_path / "project"
    root.mkdir()
    (tmp_path / "outside.py").write_text("print('no')\n", encoding="utf-8")
    include = snippet(5, "", file=target)
    sessions, problems = collect_sessions([log(snippet(3), include)], project_root=root)
    (session,) = sessions
    assert session.refused and session.refused_line == 5
    # Outside the project: seen in the fence itself; missing: only the project can tell.
    (problem,) = [*include.problems, *problems]
    assert str(problem).startswith("logs/a.md:5: ") and problem.kind == "error"
    assert "the session is not run" in problem.message


def test_symlink_out_of_the_project_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "project"
    (root / "snippets").mkdir(parents=True)
    (tmp_path / "secret.py").write_text("print('no')\n", encoding="utf-8")
    (root / "snippets" / "link.py").symlink_to(tmp_path / "secret.py")
    sessions, problems = collect_sessions(
        [log(snippet(3, "", file="snippets/link.py"))], project_root=root
    )
    assert sessions[0].refused and "outside the project" in problems[0].message

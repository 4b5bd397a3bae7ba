"""Bad input: one problem on the right line, never an exception, and the rest still read."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from studylog.model import Log
from studylog.parse import parse_file, parse_text

FIXTURES = Path(__file__).parent / "fixtures" / "parse"


def only_problem(log: Log):
    assert len(log.problems) == 1, [str(p) for p in log.problems]
    return log.problems[0]


@pytest.mark.parametrize(
    ("name", "line", "fragment", "kind"),
    [
        ("malformed-yaml.md", 4, "not valid yaml", "error"),
        ("unterminated-quote.md", 2, "not valid yaml", "error"),
        ("questions-not-a-number.md", 4, "`questions` must be a whole number", "error"),
        ("negative-count.md", 5, "`answers` can't be negative", "error"),
        ("impossible-date.md", 3, "impossible date 2022-02-30", "error"),
        ("unclosed-fence.md", 7, "never closed", "error"),
        ("empty.md", 1, "empty", "warning"),
        ("unclosed-front-matter.md", 1, "front matter is never closed", "error"),
    ],
)
def test_one_problem_on_the_right_line(name: str, line: int, fragment: str, kind: str) -> None:
    log = parse_file(FIXTURES / name)
    problem = only_problem(log)
    assert problem.line == line
    assert fragment in problem.message.lower()
    assert problem.kind == kind
    assert problem.hint
    assert str(problem).startswith(f"{FIXTURES / name}:{line}: ".replace("\\", "/"))


def test_malformed_yaml_keeps_the_keys_above_and_the_body() -> None:
    log = parse_file(FIXTURES / "malformed-yaml.md")
    assert (log.title, log.date.isoformat()) == ("Broken indentation", "2024-03-04")
    assert log.keywords == ("Optimizer", "Adam")
    assert (log.questions, log.answers) == (1, 1)
    assert log.body_line == 6 and log.body.startswith("Keywords: Optimizer")


def test_unterminated_quote_still_reads_the_body() -> None:
    log = parse_file(FIXTURES / "unterminated-quote.md")
    assert log.front_matter == {}
    assert log.keywords == ("Optimizer",)
    assert (log.questions, log.answers) == (1, 0)


def test_wrong_count_type_falls_back_to_counted_lines() -> None:
    log = parse_file(FIXTURES / "questions-not-a-number.md")
    assert log.questions == 2  # two "Q:" lines, since `questions: three` is unusable
    assert log.answers == 2  # front matter wins over the one "A:" line
    assert log.front_matter["questions"] == "three"  # kept as written
    assert log.keywords == ("SGD",)


def test_negative_count_is_no_record_and_the_rest_is_read() -> None:
    log = parse_file(FIXTURES / "negative-count.md")
    assert (log.questions, log.answers) == (1, None)
    assert (log.keywords, log.tasks_done) == (("CNN",), 1)


def test_impossible_date_reads_everything_else() -> None:
    log = parse_file(FIXTURES / "impossible-date.md")
    assert log.date is None
    assert log.title == "February has no 30th"
    assert (log.keywords, log.questions, log.answers) == (("RNN",), 2, 1)


def test_unclosed_fence_is_not_run_and_text_after_it_is_read() -> None:
    log = parse_file(FIXTURES / "unclosed-fence.md")
    assert log.snippets == ()
    assert log.keywords == ("RNN", "LSTM")
    assert (log.questions, log.answers) == (1, 1)
    assert "never closed" in log.body  # the body is kept as written


def test_unclosed_front_matter_still_reads_the_body() -> None:
    log = parse_file(FIXTURES / "unclosed-front-matter.md")
    assert (log.keywords, log.questions, log.answers) == (("GRU",), 1, 1)


def test_empty_file() -> None:
    log = parse_file(FIXTURES / "empty.md")
    assert (log.body, log.title, log.date, log.days) == ("", None, None, ())


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "image.md"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    problem = only_problem(parse_file(path))
    assert (problem.line, problem.kind) == (1, "error")
    assert "binary" in problem.message


def test_invalid_utf8_names_the_line_and_keeps_the_text() -> None:
    data = "---\ntitle: 한글\ndate: 2024-03-04\n---\nKeywords: MLP\n".encode() + b"caf\xe9\n"
    log = parse_text(data, "logs/latin1.md")
    problem = only_problem(log)
    assert (problem.line, problem.kind) == (6, "error")
    assert "utf-8" in problem.message.lower()
    assert (log.title, log.keywords) == ("한글", ("MLP",))


def test_utf8_bom_is_read_silently() -> None:
    plain = (FIXTURES / "well-formed.md").read_bytes()
    reference = parse_text(plain, "logs/well-formed.md")
    log = parse_text(b"\xef\xbb\xbf" + plain, "logs/well-formed.md")
    assert log.problems == reference.problems == ()  # a normal file: --strict passes
    assert log.front_matter == reference.front_matter
    assert (log.title, log.date, log.keywords) == (
        reference.title,
        reference.date,
        reference.keywords,
    )
    assert log.body == reference.body and not log.body.startswith("\ufeff")


def test_crlf_line_endings_are_read_silently() -> None:
    plain = (FIXTURES / "well-formed.md").read_bytes()
    assert b"\r" not in plain
    reference = parse_text(plain, "logs/well-formed.md")
    log = parse_text(plain.replace(b"\n", b"\r\n"), "logs/well-formed.md")
    assert log.problems == reference.problems == ()  # a normal file: --strict passes
    assert parse_text(plain.replace(b"\n", b"\r"), "logs/well-formed.md").problems == ()
    assert log.body == reference.body and "\r" not in log.body
    assert log.snippets == reference.snippets  # same lines, same code
    assert (log.keywords, log.questions, log.answers, log.tasks_done, log.tasks_open) == (
        reference.keywords,
        reference.questions,
        reference.answers,
        reference.tasks_done,
        reference.tasks_open,
    )


def _five_megabytes() -> tuple[bytes, int]:
    head = "---\ntitle: A very long log\ndate: 2024-03-04\nkeywords: [MLP]\n---\n"
    chunk = (
        "## 실습 노트\n\n"
        "오늘은 MLP를 만들고 optimizer를 바꿔 가며 수렴 속도를 비교했다. "
        "Adam converged faster than **SGD with momentum** on this toy problem.\n"
        "The `loss` kept going down.\n\n"
        "- [x] lecture\n- [ ] quiz\n\n"
        "> Q: why does Adam converge faster? A: per-parameter step sizes.\n\n"
        "```python\nx = torch.randn(3, 4)\n```\n\n"
    )
    repeats = 5_000_000 // len(chunk.encode()) + 1
    text = head + chunk * repeats + "Keywords: Attention\n"
    return text.encode(), repeats


@pytest.mark.slow  # 5 MB parsed: seconds of CPU
def test_five_megabyte_log_parses_in_seconds() -> None:
    data, repeats = _five_megabytes()
    assert len(data) >= 5_000_000
    # CPU time, not wall time: the suite shares a small machine with other jobs.
    started = time.process_time()
    log = parse_text(data, "logs/huge.md")
    elapsed = time.process_time() - started
    problem = only_problem(log)
    assert (problem.line, problem.kind) == (1, "warning")
    assert "very large" in problem.message
    assert log.keywords == ("MLP", "Attention")
    assert (log.questions, log.answers) == (repeats, repeats)
    assert (log.tasks_done, log.tasks_open) == (repeats, repeats)
    # About 5 s of CPU on a busy 2-core machine; markdown-it's block pass is most of it.
    assert elapsed < 15, f"parsing 5 MB took {elapsed:.1f} s of CPU"

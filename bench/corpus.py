"""A deterministic benchmark corpus: N study logs, each with K PyTorch snippets.

The corpus is data (frozen dataclasses) rendered three ways: a Markdown page
(shared, word for word, by studylog, markdown-exec and the plain variant; only
the fence's info string differs), a Jupyter notebook (shared by mkdocs-jupyter
and studylog's notebook variant), and the snippet list the one-process floor
script runs. Everything is derived from ``random.Random(seed)``,
so the same arguments always give byte-identical files.

``python -m bench.corpus --calibrate`` times every workload on one thread, which
is how the two snippet sizes were chosen.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time
from dataclasses import dataclass, replace

from bench.workloads import SIZES, WORKLOADS, Size, Workload

START = dt.date(2023, 3, 6)  # a Monday: day 1 of the synthetic course

# Short notes a learner might write around each kind of exercise (one is picked per snippet).
NOTES: dict[str, tuple[str, ...]] = {
    "mlp": (
        "미니배치마다 optimizer.zero_grad()를 먼저 호출해야 기울기가 누적되지 않는다.",
        "은닉층 하나짜리 MLP도 선형 분리 가능한 합성 데이터는 금방 맞춘다.",
        "Adam의 학습률을 1e-2로 두니 몇 epoch 만에 손실이 충분히 내려갔다.",
    ),
    "cnn": (
        "padding=1인 3x3 합성곱은 공간 크기를 유지하고, MaxPool2d(2)가 절반으로 줄인다.",
        "AdaptiveAvgPool2d(1) 덕분에 입력 크기와 상관없이 분류기 입력 차원이 고정된다.",
        "모멘텀 SGD 한 스텝이 어떻게 파라미터를 바꾸는지 손실 값으로 확인했다.",
    ),
    "lstm": (
        "batch_first=True를 주면 입력 모양이 (배치, 길이, 특징)이 된다.",
        "다음 값을 예측하는 사인파 문제로 LSTM이 순서를 기억하는지 보았다.",
        "은닉 상태 크기를 키우면 MSE가 더 빨리 줄지만 계산량도 늘어난다.",
    ),
    "mha": (
        "in_proj_weight를 세 덩어리로 나누면 Q, K, V 투영 가중치가 된다.",
        "헤드별로 나눈 뒤 sqrt(d_k)로 나누는 스케일링을 빠뜨리면 결과가 달라진다.",
        "직접 구현한 어텐션이 nn.MultiheadAttention과 같은 값을 내는지 allclose로 검증했다.",
    ),
}
INTROS = (
    "오늘은 강의에서 다룬 내용을 작은 합성 데이터로 직접 돌려 보았다.",
    "Today I reran the lecture examples on synthetic data to check my understanding.",
    "실습 코드를 조금씩 바꿔 가며 출력이 어떻게 달라지는지 기록한다.",
)
QUESTIONS = (
    ("학습률을 너무 크게 잡으면 어떻게 되나요?", "손실이 발산하거나 진동하니 작게 시작한다."),
    ("Why fix the random seed?", "So that every rerun prints the same numbers."),
    ("평가할 때 torch.no_grad()가 필요한가요?", "기울기를 저장하지 않아 메모리가 줄어든다."),
)


@dataclass(frozen=True)
class SnippetSpec:
    workload: str
    note: str
    code: str


@dataclass(frozen=True)
class LogSpec:
    index: int  # 0-based position in the corpus
    date: dt.date
    week: int
    day: int
    intro: str
    snippets: tuple[SnippetSpec, ...]
    qa: tuple[tuple[str, str], ...]

    @property
    def stem(self) -> str:
        return f"{self.date.isoformat()}-day{self.day:03d}"

    @property
    def session(self) -> str:
        # markdown-exec shares a named session across pages, so it must be unique per log.
        return f"log{self.index:03d}"

    @property
    def keywords(self) -> tuple[str, ...]:
        topics = {w.name: w.topic for w in WORKLOADS}
        return tuple(dict.fromkeys(topics[s.workload] for s in self.snippets))

    @property
    def title(self) -> str:
        return f"[Week {self.week:02d} / Day {self.day:03d}] {' · '.join(self.keywords)} 실습 기록"

    def edited(self, tag: str) -> LogSpec:
        """The same log with its first snippet changed (one extra printed line)."""
        first = self.snippets[0]
        code = first.code + f'print("edit {tag}")\n'
        return replace(self, snippets=(replace(first, code=code), *self.snippets[1:]))


@dataclass(frozen=True)
class Corpus:
    size: Size
    seed: int
    logs: tuple[LogSpec, ...]

    @property
    def k(self) -> int:
        return len(self.logs[0].snippets) if self.logs else 0

    def edit_target(self) -> int:
        """Index of the log the rebuild scenarios edit: the middle one."""
        return len(self.logs) // 2


def make_corpus(n: int, k: int, size: Size, seed: int = 2023) -> Corpus:
    if n < 1 or k < 1:
        raise ValueError("a corpus needs at least one log and one snippet per log")
    rng = random.Random(f"{seed}:{size}:{n}:{k}")
    by_name: dict[str, Workload] = {w.name: w for w in WORKLOADS}
    names = list(by_name)
    logs = []
    for i in range(n):
        snippets = []
        for j in range(k):
            # Cycle through the workloads so every size mixes all four evenly.
            name = names[(i * k + j) % len(names)]
            code = by_name[name].code(size, seed=rng.randrange(10_000))
            snippets.append(SnippetSpec(name, rng.choice(NOTES[name]), code))
        logs.append(
            LogSpec(
                index=i,
                date=START + dt.timedelta(days=i),
                week=i // 7 + 1,
                day=i + 1,
                intro=rng.choice(INTROS),
                snippets=tuple(snippets),
                qa=tuple(rng.sample(QUESTIONS, rng.randint(1, 2))),
            )
        )
    return Corpus(size=size, seed=seed, logs=tuple(logs))


def front_matter_lines(
    title: str, date: dt.date, week: int, day: int, keywords: tuple[str, ...], qa: int
) -> list[str]:
    """A daily log's front matter, as the generated corpora write it."""
    return [
        "---",
        f'title: "{title}"',
        f"date: {date.isoformat()}",
        "kind: daily",
        f"week: {week}",
        f"day: {day}",
        f"keywords: [{', '.join(keywords)}]",
        f"questions: {qa}",
        f"answers: {qa}",
        "---",
        "",
    ]


def render_markdown(log: LogSpec, info: str) -> str:
    """The log as a Markdown page; ``info`` is the fence info string after ``python``."""
    fm = front_matter_lines(log.title, log.date, log.week, log.day, log.keywords, len(log.qa))
    body = [f"# {log.title}", "", log.intro, ""]
    for n, snippet in enumerate(log.snippets, start=1):
        fence = f"```python {info}".rstrip()
        body += [f"## 실습 {n}: {snippet.workload.upper()}", "", snippet.note, "", fence]
        body += [snippet.code.rstrip("\n"), "```", ""]
    body += ["## 질문과 답변", ""]
    for q, a in log.qa:
        body += [f"Q: {q}", "", f"A: {a}", ""]
    return "\n".join(fm + body)


def exec_info(log: LogSpec) -> str:
    return f'exec="on" session="{log.session}"'


def front_matter(log: LogSpec) -> dict[str, object]:
    """The Markdown page's front matter, as a notebook's ``studylog`` metadata holds it."""
    return {
        "title": log.title,
        "date": log.date.isoformat(),
        "kind": "daily",
        "week": log.week,
        "day": log.day,
        "keywords": list(log.keywords),
        "questions": len(log.qa),
        "answers": len(log.qa),
    }


def render_notebook(log: LogSpec) -> str:
    """The log as an nbformat 4 notebook (no outputs: the build executes it), with the
    Markdown page's front matter in its metadata (studylog reads it; mkdocs-jupyter
    ignores it)."""

    def cell(kind: str, source: str, n: int) -> dict[str, object]:
        c: dict[str, object] = {
            "cell_type": kind,
            "id": f"c{n:02d}",
            "metadata": {},
            "source": source.splitlines(keepends=True),
        }
        if kind == "code":
            c.update(execution_count=None, outputs=[])
        return c

    cells = [cell("markdown", f"# {log.title}\n\n{log.intro}\n", 0)]
    for n, snippet in enumerate(log.snippets, start=1):
        title = f"## 실습 {n}: {snippet.workload.upper()}\n\n{snippet.note}\n"
        cells.append(cell("markdown", title, 2 * n - 1))
        cells.append(cell("code", snippet.code.rstrip("\n"), 2 * n))
    qa = "".join(f"Q: {q}\n\nA: {a}\n\n" for q, a in log.qa)
    cells.append(cell("markdown", "## 질문과 답변\n\n" + qa, 2 * len(log.snippets) + 1))
    notebook = {
        "cells": cells,
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "language_info": {"name": "python"},
            "studylog": front_matter(log),
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return json.dumps(notebook, ensure_ascii=False, indent=1) + "\n"


def calibrate(repeat: int = 3) -> dict[str, dict[str, list[float]]]:
    """Seconds per workload and size on one torch thread (first runs include warm-up)."""
    import torch  # only here: generating the corpus never needs torch

    torch.set_num_threads(1)
    times: dict[str, dict[str, list[float]]] = {}
    for size in SIZES:
        for workload in WORKLOADS:
            for seed in range(repeat):
                code = compile(workload.code(size, seed), f"<{workload.name}>", "exec")
                start = time.perf_counter()
                exec(code, {"__name__": "__bench__", "print": lambda *a, **k: None})
                times.setdefault(size, {}).setdefault(workload.name, []).append(
                    round(time.perf_counter() - start, 3)
                )
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.corpus", description=__doc__)
    parser.add_argument("--calibrate", action="store_true", help="time each workload")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    if args.calibrate:
        json.dump(calibrate(args.repeat), sys.stdout, indent=1)
        print()
        return 0
    parser.print_help()
    return 0


if __name__ == "__main__":
    sys.exit(main())

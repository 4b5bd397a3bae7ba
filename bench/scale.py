"""The ``scale`` corpus: N daily study logs kept over years, as a long TIL grows.

Each log is a Korean daily log with front matter (title, date, week, day, keywords,
question and answer counts), a few paragraphs, a table, a plain code block and Q/A
pairs; every ``snippet_every``-th log (0: none) also holds one tiny executable snippet.
Logs are written five a week (Monday to Friday) under ``logs/YEAR/weekNN/`` as
``studylog new`` files them; the plain MkDocs variant gets the very same Markdown under
``docs/logs/YEAR/weekNN/`` (its fence info strings without ``exec``). Both sites use the
demo's ``mkdocs.yml`` (Material, its features and Markdown extensions), the plain one
without the studylog plugin. Everything is derived from ``random.Random(seed)``: the same
arguments give byte-identical files.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from bench.corpus import front_matter_lines

START = dt.date(2019, 3, 4)  # a Monday
TOPICS = (
    ("MLP", "다층 퍼셉트론", "은닉층과 활성화 함수"),
    ("CNN", "합성곱 신경망", "커널과 패딩, 풀링"),
    ("RNN", "순환 신경망", "은닉 상태와 시간 축 펼치기"),
    ("LSTM", "장단기 메모리", "게이트와 셀 상태"),
    ("Attention", "어텐션", "쿼리와 키의 내적"),
    ("Transformer", "트랜스포머", "멀티 헤드와 위치 인코딩"),
    ("Optimizer", "최적화", "모멘텀과 학습률 스케줄"),
    ("Regularization", "규제", "드롭아웃과 가중치 감쇠"),
    ("Backpropagation", "역전파", "연쇄 법칙과 기울기 흐름"),
    ("Embedding", "임베딩", "단어 벡터와 유사도"),
    ("Normalization", "정규화", "배치 정규화와 레이어 정규화"),
    ("Loss", "손실 함수", "교차 엔트로피와 평균 제곱 오차"),
)
SENTENCES = (
    "오늘은 {ko}의 핵심인 {focus}를 다시 정리했다.",
    "강의 예제를 조금씩 바꿔 가며 {en}의 동작을 손으로 따라가 보았다.",
    "{focus}가 왜 필요한지 작은 예시로 확인하니 이해가 훨씬 쉬웠다.",
    "헷갈렸던 부분은 {ko}에서 텐서의 모양이 어떻게 바뀌는지였다.",
    "내일은 {en}을 실제 데이터에 적용해 보고 결과를 비교할 생각이다.",
    "스터디에서 {focus}에 대해 서로 설명해 보며 빈틈을 찾았다.",
)
QUESTIONS = (
    ("{en}에서 학습률을 크게 잡으면 어떻게 되나요?", "손실이 발산할 수 있어 작게 시작한다."),
    ("{focus}는 언제 쓰나요?", "모델이 깊어질수록 효과가 커진다."),
    ("{ko}의 출력 크기는 어떻게 계산하나요?", "입력 크기와 설정값으로 식을 세워 구한다."),
    ("Why does {en} need a fixed seed here?", "So that every rerun prints the same numbers."),
)
SNIPPET = "print(sum(range({n})))\n"


@dataclass(frozen=True)
class ScaleLog:
    index: int
    date: dt.date
    week: int
    day: int
    topics: tuple[tuple[str, str, str], ...]
    sentences: tuple[str, ...]
    qa: tuple[tuple[str, str], ...]
    rows: tuple[tuple[str, str, str], ...]
    snippet: bool

    @property
    def rel(self) -> str:
        """Where the log lives below ``logs/``."""
        return f"{self.date.year}/week{self.week:02d}/{self.date.isoformat()}-day{self.day:04d}.md"

    @property
    def keywords(self) -> tuple[str, ...]:
        return tuple(t[0] for t in self.topics)

    @property
    def title(self) -> str:
        return f"[Week {self.week:02d} / Day {self.day:04d}] {self.topics[0][1]} 학습 기록"


def make_logs(n: int, snippet_every: int = 0, seed: int = 2024) -> list[ScaleLog]:
    """``n`` logs, five a week from :data:`START`; every ``snippet_every``-th has a snippet."""
    rng = random.Random(f"scale:{seed}:{n}:{snippet_every}")
    logs = []
    for i in range(n):
        week, weekday = divmod(i, 5)
        date = START + dt.timedelta(days=7 * week + weekday)
        topics = tuple(rng.sample(TOPICS, rng.randint(1, 3)))
        en, ko, focus = topics[0]
        words = {"en": en, "ko": ko, "focus": focus}
        sentences = tuple(s.format(**words) for s in rng.sample(SENTENCES, 4))
        qa = tuple((q.format(**words), a) for q, a in rng.sample(QUESTIONS, rng.randint(1, 3)))
        rows = tuple((t[0], t[1], f"{rng.randint(1, 5)}/5") for t in topics)
        logs.append(
            ScaleLog(
                index=i,
                date=date,
                week=week + 1,
                day=i + 1,
                topics=topics,
                sentences=sentences,
                qa=qa,
                rows=rows,
                snippet=bool(snippet_every) and i % snippet_every == 0,
            )
        )
    return logs


def render(log: ScaleLog, executable: bool) -> str:
    """The log as Markdown; ``executable``: its snippet (if any) runs (studylog's fence)."""
    front = front_matter_lines(log.title, log.date, log.week, log.day, log.keywords, len(log.qa))
    body = [f"# {log.title}", "", "## 오늘 배운 것", "", " ".join(log.sentences[:2]), ""]
    body += [" ".join(log.sentences[2:]), ""]
    body += ["| 키워드 | 한국어 | 이해도 |", "| --- | --- | ---: |"]
    body += [f"| {a} | {b} | {c} |" for a, b, c in log.rows] + [""]
    body += ["```python", f"# {log.topics[0][0]} 메모 (실행하지 않는 코드)", "x = model(batch)"]
    body += ["loss = criterion(x, target)", "```", ""]
    if log.snippet:
        info = f'python exec="on" session="s{log.index}"' if executable else "python"
        body += [f"```{info}", SNIPPET.format(n=log.index % 97 + 3).rstrip("\n"), "```", ""]
    body += ["## 질문과 답변", ""]
    for q, a in log.qa:
        body += [f"Q: {q}", "", f"A: {a}", ""]
    return "\n".join(front + body)


def edited(text: str, tag: str) -> str:
    """``text`` with one line added to its first paragraph: what a serve edit types."""
    return text.replace("## 오늘 배운 것\n\n", f"## 오늘 배운 것\n\n편집 {tag} 줄을 더했다.\n\n", 1)


def demo_config(repo: Path, name: str, studylog: bool) -> str:
    """The demo's mkdocs.yml for a generated site: its theme, features and Markdown
    extensions; studylog's plugin options only where ``studylog`` (no course start: the
    logs say their weeks), and no external scripts."""
    text = (repo / "mkdocs.yml").read_text("utf-8")
    text = re.sub(r"^site_name:.*$", f"site_name: {name}", text, count=1, flags=re.M)
    text = text.split("\nextra_javascript:")[0] + "\n"
    options = re.search(r"\n  - studylog:\n(?:      .*\n)+", text)
    assert options is not None, "the demo's mkdocs.yml names the studylog plugin"
    plugin = "\n  - studylog:\n      logs_dir: logs\n      cache_dir: .studylog-cache\n"
    return text.replace(options.group(0), plugin if studylog else "\n")


def write_scale_site(root: Path, repo: Path, logs: list[ScaleLog], variant: str) -> list[Path]:
    """Write the ``studylog`` or ``plain`` site of ``logs`` into ``root``; the log files."""
    if root.exists():
        shutil.rmtree(root)
    (root / "docs").mkdir(parents=True)
    studylog = variant == "studylog"
    (root / "mkdocs.yml").write_text(
        demo_config(repo, f"scale {variant} ({len(logs)} logs)", studylog), "utf-8"
    )
    (root / "docs" / "index.md").write_text(f"# 학습 기록\n\n{len(logs)}개의 일일 기록.\n", "utf-8")
    folder = root / "logs" if studylog else root / "docs" / "logs"
    paths = []
    for log in logs:
        path = folder / log.rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render(log, executable=studylog), "utf-8")
        paths.append(path)
    return paths

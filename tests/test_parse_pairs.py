"""Questions kept as pairs: every question form with its answer, review cards, the seeds.

The counts stay what they were: a pair is what a counted question *is*, and a review card
(``Question::Answer``, a ``?`` line) is counted nowhere.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from studylog.parse import ParserConfig, log_to_dict, parse_file, parse_text
from studylog.parse.qa import card_split, source

FIXTURES = Path(__file__).parent / "fixtures"
PAIRS = FIXTURES / "parse" / "pairs"
FORMS = FIXTURES / "parse" / "forms"

# (line, form, day, question, answers) of tests/fixtures/parse/pairs/every-form.md
EVERY_FORM = [
    (
        10,
        "question",
        None,
        "Which optimizer did the course start with?",
        ["Plain SGD, then momentum."],
    ),
    (
        15,
        "question",
        0,
        "What does `x.view(-1)` give for a tensor of shape $2 \\times 3$?",
        ["A flat tensor of six values."],
    ),
    (
        17,
        "question",
        0,
        "Why shuffle the training set?",
        ["So one batch does not hold a single class."],
    ),
    (19, "question", 0, "What is an epoch?", ["One pass over every training example."]),
    (
        21,
        "question",
        0,
        "Is a bias needed after batch norm?",
        ["아니다. 배치 정규화의 이동 값이 그 역할을 한다."],
    ),
    (
        23,
        "question",
        0,
        "학습률 스케줄러는 언제 호출하나요?",
        ["에폭마다 optimizer.step() 다음에."],
    ),
    (25, "question", 0, "검증 손실이 오르면 무엇을 의심하나요?", ["과적합."]),
    (
        27,
        "question",
        0,
        "Does dropout slow down training?",
        ["A little: each step trains a thinner network."],
    ),
    (32, "question", 1, "Why does ReLU help deep networks?", []),
    (33, "question", 1, "Where does the vanishing gradient start?", []),
    (34, "question", 1, "가중치 초기화는 왜 중요한가?", []),
    (35, "question", 1, "Can attention look at future tokens?", ["Only when no mask hides them."]),
    (
        37,
        "question",
        1,
        "Is layer norm applied per token?",
        ["Yes, over the features of each token."],
    ),
    (
        39,
        "question",
        1,
        "What does `torch.no_grad()` switch off?",
        ["Building the graph for backward."],
    ),
    (41, "question", 1, "Is softmax shift invariant?", ["Yes, adding a constant changes nothing."]),
    (42, "question", 1, "Does Adam need a warm-up?", ["Often, with large batches."]),
    (43, "question", 1, "Is the loss convex?", ["Not for a network with hidden layers."]),
    (46, "card", 1, "Backprop", ["the chain rule applied from the loss back to each weight"]),
    (47, "card", 1, "Gradient clipping", ["caps the norm of the gradient before the step"]),
    (
        48,
        "card",
        1,
        "Cross-entropy for one-hot targets\nreduces to what?",
        ["The negative log of the probability\ngiven to the true class."],
    ),
]


def test_every_question_form_and_card_is_a_pair_with_its_answer_and_day() -> None:
    log = parse_file(PAIRS / "every-form.md", root=PAIRS, config=ParserConfig())
    got = [(p.line, p.form, p.day, p.question, list(p.answers)) for p in log.pairs]
    assert got == EVERY_FORM
    assert log.problems == ()
    # The counts are the questions and answers the log counts; its review cards are not.
    asked = [p for p in log.pairs if p.form == "question"]
    assert log.questions == len(asked) == 17
    assert log.answers == sum(len(p.answers) for p in asked) == 14
    assert [(d.questions, d.answers) for d in log.days] == [(7, 7), (9, 6)]
    assert log_to_dict(log)["pairs"][0] == {
        "line": 10,
        "form": "question",
        "day": None,
        "question": "Which optimizer did the course start with?",
        "answers": ["Plain SGD, then momentum."],
    }


@pytest.mark.parametrize(
    ("name", "pairs"),
    [
        (
            "qa-bold-markers.md",
            [
                (6, "What does a context switch save?", 1),
                (9, "Why are threads cheaper than processes?", 1),
            ],
        ),
        (
            "qa-paren-markers.md",
            [
                (6, "기울기 소실은 왜 긴 시퀀스에서 심해질까?", 1),
                (8, "LSTM의 셀 상태는 무엇을 바꿨나?", 1),
                (11, "GRU는 게이트가 몇 개인가?", 1),
                (14, "양방향 RNN은 언제 쓸 수 없나?", 1),
            ],
        ),
        (
            "ko-qa-nested-answer.md",
            [
                (5, "왜 ReLU가 sigmoid보다 학습이 빠를까?", 1),  # two bullets: one answer
                (8, "dropout은 추론 때도 켜 두나요?", 1),
                (10, "weight decay와 L2 정규화는 같은가?", 0),
            ],
        ),
        ("ko-qa-none.md", []),
        ("qa-choices-not-answers.md", []),
    ],
)
def test_the_question_form_fixtures_read_as_pairs(
    name: str, pairs: list[tuple[int, str, int]]
) -> None:
    log = parse_file(FORMS / name, root=FORMS, config=ParserConfig(default_year=2023))
    assert [(p.line, p.question, len(p.answers)) for p in log.pairs] == pairs
    if pairs:
        assert log.questions == len(pairs)


def test_bullets_under_a_question_are_one_answer_as_a_list() -> None:
    log = parse_text(
        "---\ndate: 2024-03-04\n---\n"
        "- Q: Why batch norm?\n"
        "  - It keeps each layer's inputs\n"
        "    on one scale,\n"
        "  - so a larger learning rate works.\n"
        "    - (and it regularises a little)\n"
        "- Q: next?\n",
        "logs/x.md",
    )
    assert [p.answers for p in log.pairs] == [
        (
            "- It keeps each layer's inputs\n  on one scale,\n"
            "- so a larger learning rate works.\n  - (and it regularises a little)",
        ),
        (),
    ]
    assert (log.questions, log.answers) == (2, 1)  # counted as before: one answer


@pytest.mark.parametrize(
    ("line", "card"),
    [
        ("Backprop::the chain rule", ("Backprop", "the chain rule")),
        (
            "What is **dropout**?::Zeroing units at random",
            ("What is **dropout**?", "Zeroing units at random"),
        ),
        ("Adam:::momentum plus RMSProp", ("Adam", "momentum plus RMSProp")),
        ("`x[::2]` takes every other item", None),  # "::" in code
        ("I use `std::vector` a lot", None),
        ("std::move(x) moves", None),  # a path, not a card
        ("great :+1::tada: day", None),  # emoji shortcodes side by side
        ("rating:: 5", None),  # a Dataview field
        ("a::b::c", None),
        ("::only an answer", None),
        ("only a question::", None),
    ],
)
def test_one_line_cards_and_what_is_not_one(line: str, card: tuple[str, str] | None) -> None:
    assert card_split(line) == card


@pytest.mark.parametrize(
    ("raw", "text", "written"),
    [
        (
            "**Q.** What does `x.view(-1)` do?",
            "What does x.view(-1) do?",
            "What does `x.view(-1)` do?",
        ),
        ("Q: is $x^2$ convex?", "is $x^2$ convex?", "is $x^2$ convex?"),
        ("**Q: why?**", "why?", "why?"),  # no end of the line reads so: the text, escaped
        ("Q: a*b?", "a*b?", "a*b?"),
    ],
)
def test_a_pair_keeps_the_markdown_it_was_written_in(raw: str, text: str, written: str) -> None:
    assert source(raw, text) == written


def test_a_notebooks_pairs_name_their_cell(tmp_path: Path) -> None:
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": ["# Notes\n", "\n", "intro"]},
        {
            "cell_type": "code",
            "metadata": {},
            "source": ["x = 1"],
            "outputs": [],
            "execution_count": None,
        },
        {"cell_type": "markdown", "metadata": {}, "source": ["Q: why one?\n", "A: because."]},
    ]
    notebook = {
        "cells": cells,
        "metadata": {"studylog": {"date": "2024-03-08"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    (tmp_path / "n.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    log = parse_file(tmp_path / "n.ipynb", root=tmp_path)
    assert [(p.cell, p.line, p.question, p.answers) for p in log.pairs] == [
        (3, 1, "why one?", ("because.",))
    ]
    assert log.questions == 1


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def test_the_seeds_pairs(seeds_dir: Path, seeds_expected: dict[str, dict]) -> None:
    wanted = json.loads((FIXTURES / "seeds_pairs.json").read_text(encoding="utf-8"))
    names = [name for name in wanted if not name.startswith("_")]
    assert sorted(names) == sorted(seeds_expected)
    for name in names:
        log = parse_file(seeds_dir / name, root=seeds_dir, config=ParserConfig(default_year=2023))
        got = [
            {
                "line": p.line,
                "day": p.day,
                "form": p.form,
                "question": _digest(p.question),
                "answers": [_digest(a) for a in p.answers],
                "answer_line": p.answer_line,
            }
            for p in log.pairs
        ]
        assert got == wanted[name], name
        # The counts stay those of expected.json: each counted question is one pair.
        expected = seeds_expected[name]
        if not any(d["questions"] is not None for d in expected["days"]):
            continue
        for index, day in enumerate(expected["days"]):
            asked = [p for p in log.pairs if p.day == index]
            if asked:
                assert day["questions"] == len(asked), (name, index)

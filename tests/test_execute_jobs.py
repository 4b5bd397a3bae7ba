"""The job a worker is sent is typed from the parent to the block, and checked on arrival."""

from __future__ import annotations

import json

import pytest

from studylog.execute.job import Job, JobBlock, job
from studylog.execute.results import Block, Session
from studylog.execute.schema import Invalid, job_data, job_from
from studylog.model import BlockOptions
from studylog.settings import DEFAULTS


def session() -> Session:
    blocks = (
        Block("logs/a.md", 5, "x = 1", "logs/a.md", 6),
        Block("logs/a.md", 9, "x", "logs/a.md", 10, BlockOptions(timeout=3.0, errors_allowed=True)),
    )
    return Session(log="logs/a.md", name="default", blocks=blocks)


def test_a_job_crosses_the_pipe_and_comes_back_the_same() -> None:
    task = job(session(), "cpu", memory_limit_mb=512, threads=2)
    assert task.timeouts == (DEFAULTS.timeout, 3.0)  # the session's, else the block's own
    assert task.blocks[1].errors_allowed and not task.blocks[0].errors_allowed
    wire = json.loads(json.dumps(job_data(task)))
    assert job_from(wire) == task


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda d: d.pop("device"), "job: 'device' is missing"),
        (lambda d: d.update(threads="2"), "job: 'threads' must be int"),
        (lambda d: d.update(blocks=[]), "'blocks' is empty"),
        (lambda d: d["blocks"][1].update(timeout=0), "job: block 2: 'timeout' must be a positive"),
        (lambda d: d["blocks"][0].update(extra=1), "job: block 1: unknown field 'extra'"),
    ],
)
def test_a_malformed_job_is_refused_naming_the_field(change: object, words: str) -> None:
    data = json.loads(json.dumps(job_data(job(session(), "cpu"))))
    change(data)  # type: ignore[operator]
    with pytest.raises(Invalid, match=words.replace("(", r"\(")):
        job_from(data)


def test_the_types_are_what_the_worker_reads() -> None:
    block = JobBlock("logs/a.md", 5, "x", "logs/a.md", 6, errors_allowed=False, timeout=1.0)
    assert Job("logs/a.md", "s", "cpu", (block,)).timeouts == (1.0,)

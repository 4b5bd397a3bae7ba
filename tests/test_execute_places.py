"""Where a fault happened is written the way every other message writes places."""

from __future__ import annotations

import pytest

from studylog.execute.isolate import fault
from studylog.execute.job import JobBlock


@pytest.mark.parametrize(
    ("path", "line", "place"),
    [
        ("logs/a.md", 12, "logs/a.md:12"),
        ("logs/a.ipynb", 3, "logs/a.ipynb, cell 3, line 1"),  # notebook blocks are filed by cell
    ],
)
@pytest.mark.parametrize("kind", ["timeout", "crashed", "memory"])
def test_a_fault_names_the_block_as_every_message_does(
    path: str, line: int, place: str, kind: str
) -> None:
    block = JobBlock(
        path=path,
        line=line,
        code="",
        filename=path,
        first_line=line,
        errors_allowed=False,
        timeout=2,
    )
    result = fault(block, kind, "what happened")
    assert result.error is not None and f"the block at {place}" in result.error

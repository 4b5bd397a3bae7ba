"""The cuda path, on a machine with a GPU (skipped cleanly elsewhere)."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from studylog.execute import Cache, LocalExecutor, collect_sessions, run
from studylog.execute import device as devices
from studylog.model import Log
from studylog.parse.fences import make_snippet

pytestmark = pytest.mark.skipif(devices.gpu_count() == 0, reason="no CUDA GPU on this machine")

TIMED = (
    "import time\nstart = time.time()\nx = torch.randn(2048, 2048, device=DEVICE)\n"
    "for _ in range(50):\n    x = (x @ x).tanh()\ntorch.cuda.synchronize()\n"
    "print(start, time.time(), x.device)\n"
)


def test_gpu_sessions_run_on_the_gpu_one_at_a_time(tmp_path: Path) -> None:
    log = Log(
        "logs/gpu.md",
        "",
        1,
        snippets=tuple(
            make_snippet(
                "logs/gpu.md", 3 + 10 * i, TIMED, {"exec": "on", "session": f"s{i}", **attrs}
            )
            for i, attrs in enumerate([{}, {"requires": "cuda"}, {"device": "cuda"}, {}])
        ),
    )
    sessions, problems = collect_sessions([log], project_root=tmp_path)
    assert problems == []
    cache = Cache(tmp_path / "c")
    with LocalExecutor(jobs=2) as executor:
        results = run(sessions, project_root=tmp_path, cache=cache, executor=executor)
    spans = []
    for result in results:
        assert result.status == "ok", result.blocks[0].error
        assert result.device.startswith("cuda:") and " " in result.device  # with its name
        assert not result.frozen
        start, end, where = result.blocks[0].stdout.split()
        assert where.startswith("cuda")
        spans.append((float(start), float(end)))
    if devices.gpu_count() == 1:
        spans.sort()
        assert all(a_end <= b_start for (_, a_end), (b_start, _) in itertools.pairwise(spans))
    assert {s["device"] for s in cache.info()["sessions"]} == {"cuda"}

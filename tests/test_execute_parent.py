"""The process that calls the executor stays light: no torch, small peak memory."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = r"""
import json, sys
from pathlib import Path
from studylog.execute import Cache, LocalExecutor, collect_sessions, run
from studylog.model import Log
from studylog.parse.fences import make_snippet

root = Path(sys.argv[1])
log = Log("logs/a.md", "", 1, snippets=(
    make_snippet("logs/a.md", 3,
                 "import matplotlib.pyplot as plt\nplt.plot(torch.randn(50).cumsum(0))\n"
                 "torch.nn.Linear(4, 2)(torch.ones(1, 4)).shape\n", {"exec": "on"}),))
sessions, _ = collect_sessions([log], project_root=root)
cache = Cache(root / ".studylog-cache")
with LocalExecutor(jobs=1) as executor:
    (cold,) = run(sessions, project_root=root, cache=cache, executor=executor)
warm_executor = LocalExecutor(jobs=1)
(warm,) = run(sessions, project_root=root, cache=cache, executor=warm_executor)
print(json.dumps({
    "cold": [cold.status, cold.blocks[0].value, len(cold.blocks[0].figures)],
    "warm_cached": warm.cached, "warm_workers": warm_executor.workers_started,
    "heavy": [m for m in ("torch", "matplotlib", "numpy", "pandas", "mkdocs", "pytest")
              if m in sys.modules],
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over exec from the forking
    # parent (pytest itself), which would measure the test runner, not us.
    "peak_mib": int(next(line for line in open("/proc/self/status")
                         if line.startswith("VmHWM")).split()[1]) / 1024,
}))
"""


def test_caller_never_imports_torch_and_stays_small(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["cold"] == ["ok", "torch.Size([1, 2])", 1]
    assert report["warm_cached"] is True and report["warm_workers"] == 0
    assert report["heavy"] == []
    assert report["peak_mib"] < 120

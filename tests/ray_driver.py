"""Run sessions through the Ray executor and write what happened as JSON (a test helper).

    python tests/ray_driver.py SPEC.json OUT.json

It runs as a separate process because a driver must sit where the test cluster is
reachable (its network namespace, see ``bench/ray_cluster.py``). SPEC holds the
executor's options (``address``, ``jobs``, ``backstop``, ``sandbox``) and the sessions, each
``{"name": ..., "blocks": [[line, code, {attrs}], ...]}`` of one log. OUT gets
every result, the node each session's actor ran on, the cluster's nodes and how
many actors were started.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from studylog.execute import collect_sessions, run
from studylog.execute.ray_executor import RayExecutor
from studylog.model import Log
from studylog.parse.fences import make_snippet
from studylog.settings import SandboxSettings

LOG = "logs/ray.md"


def main(spec_file: str, out_file: str) -> int:
    spec = json.loads(Path(spec_file).read_text(encoding="utf-8"))
    snippets = [
        make_snippet(LOG, line, code, {"exec": "on", "session": one["name"], **attrs})
        for one in spec["sessions"]
        for line, code, attrs in one["blocks"]
    ]
    root = Path(spec.get("root", "."))
    sessions, problems = collect_sessions(
        [Log(LOG, "", 1, snippets=tuple(snippets))], project_root=root
    )
    assert not problems, problems
    executor = RayExecutor(
        spec.get("address"),
        jobs=spec.get("jobs"),
        backstop=float(spec.get("backstop", 65.0)),
        sandbox=SandboxSettings(mode=spec.get("sandbox", "on")),
    )
    started = time.monotonic()
    spans: dict[str, list[float]] = {}
    run_one = executor.run

    def timed(session: Any, kind: Any, stop: Any) -> Any:
        begin = time.monotonic() - started
        try:
            return run_one(session, kind, stop)
        finally:
            spans[session.name] = [round(begin, 2), round(time.monotonic() - started, 2)]

    executor.run = timed  # type: ignore[method-assign]
    try:
        results = run(sessions, project_root=root, executor=executor)
        import ray

        nodes = [
            {"id": n["NodeID"], "resources": n["Resources"]} for n in ray.nodes() if n.get("Alive")
        ]
    finally:
        executor.close()
    out: dict[str, Any] = {
        "seconds": time.monotonic() - started,
        "actors_started": executor.workers_started,
        "placements": executor.placements,
        "spans": spans,
        "nodes": nodes,
        "results": {
            r.session: {
                "status": r.status,
                "device": r.device,
                "message": r.message,
                "blocks": [
                    {"line": b.line, "status": b.status, "stdout": b.stdout, "error": b.error}
                    for b in r.blocks
                ],
            }
            for r in results
        },
    }
    Path(out_file).write_text(json.dumps(out, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))

"""The GPU check: the demo logs and the course corpus on ``cuda`` and on ``cpu``.

    python bench/gpu_check.py                 # on a machine with an NVIDIA GPU
    python bench/gpu_check.py --n 20 --k 2    # the course corpus's size (default)

On a machine without a CUDA GPU (or with a CPU-only torch) it says so and exits 0:
there is nothing to check. With one, for each project (a copy of the demo site with
one more log whose session has ``requires="cuda"``, and the bench's course corpus)
and each device it runs ``studylog run --json --no-cache`` (every session runs):

* ``cuda``: the GPU visible; sessions on ``device="auto"`` (all of the demo's) must
  report a ``cuda`` device, and the ``requires="cuda"`` session must run and pass;
* ``cpu``: ``CUDA_VISIBLE_DEVICES=""``; every session must report ``cpu``, and the
  ``requires="cuda"`` session must be ``unavailable`` (never run on the CPU).

Then it builds the demo site with the GPU visible (``mkdocs build``) and checks that
every snippet footer on its pages names the cuda device its session ran on. It
prints a timing table (Markdown, for bench/README.md) and exits 1 if a check failed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make ``bench`` importable
    sys.path[0] = str(Path(__file__).resolve().parent.parent)

from bench.corpus import make_corpus
from bench.sites import BY_NAME, write_site

ROOT = Path(__file__).resolve().parent.parent
DEVICES = ("cuda", "cpu")
GPU_LOG = """---
title: GPU check
date: 2024-03-31
---
# GPU check

```python exec="on" session="gpu" requires="cuda"
import torch
x = torch.randn(1024, 1024, device="cuda")
print(torch.cuda.get_device_name(), float((x @ x).abs().mean()) > 0)
```
"""
GPU_SESSION = ("logs/gpu-check.md", "gpu")
FOOTER = re.compile(r'<div class="studylog-footer">[^<]*? · ([^<·]+?) · ')


@dataclass(frozen=True)
class Run:
    project: str
    device: str
    wall: float
    sessions: list[dict[str, object]]

    @property
    def compute(self) -> float:
        return sum(float(str(s["duration"])) for s in self.sessions)


def cuda_available() -> str | None:
    """The GPU's name, or None when torch cannot use CUDA here."""
    name = "torch.cuda.get_device_name() if torch.cuda.is_available() else ''"
    probe = subprocess.run(
        [sys.executable, "-c", f"import torch; print({name})"],
        capture_output=True,
        text=True,
        check=False,
    )
    return probe.stdout.strip() or None


def demo_project(root: Path) -> Path:
    for part in ("docs", "logs", "snippets"):
        shutil.copytree(ROOT / part, root / part, ignore=shutil.ignore_patterns(".studylog*"))
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    (root / "logs" / "gpu-check.md").write_text(GPU_LOG, encoding="utf-8")
    return root


def run(project: Path, name: str, device: str) -> Run:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if device == "cpu":
        env["CUDA_VISIBLE_DEVICES"] = ""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "studylog", "run", "--json", "--no-cache"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - start
    try:
        sessions = json.loads(done.stdout)
    except json.JSONDecodeError:
        raise SystemExit(
            f"studylog run in {project} printed no JSON:\n{done.stderr[-3000:]}"
        ) from None
    return Run(name, device, wall, sessions)


def check(result: Run) -> list[str]:
    """What is wrong with one run (empty: nothing)."""
    problems = []
    for s in result.sessions:
        where = f"{result.project} on {result.device}: {s['log']}::{s['session']}"
        needs_gpu = (s["log"], s["session"]) == GPU_SESSION
        if needs_gpu and result.device == "cpu":
            if s["status"] != "unavailable":
                problems.append(f"{where}: expected unavailable, got {s['status']}")
            continue
        if s["status"] not in ("ok", "error-allowed"):
            problems.append(f"{where}: {s['status']} {s.get('message', '')}")
        elif not str(s["device"]).startswith(result.device):
            problems.append(f"{where}: ran on {s['device']!r}, not {result.device}")
    if result.project == "demo" and result.device == "cuda":
        ran = [s for s in result.sessions if tuple((s["log"], s["session"])) == GPU_SESSION]
        if not ran or ran[0]["status"] != "ok":
            problems.append('the requires="cuda" session did not run on the GPU')
    return problems


def check_pages(project: Path) -> tuple[int, list[str]]:
    """Build the site with the GPU visible; every snippet footer must name cuda."""
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    if built.returncode != 0:
        return 0, [f"mkdocs build of the demo failed:\n{built.stderr[-3000:]}"]
    seen, problems = 0, []
    for page in sorted((project / "site").rglob("index.html")):
        for device in FOOTER.findall(page.read_text(encoding="utf-8")):
            seen += 1
            if not device.startswith("cuda"):
                problems.append(f"{page.relative_to(project)}: a footer names {device!r}")
    if not seen:
        problems.append("no snippet footer found on the demo's pages")
    return seen, problems


def table(runs: list[Run], gpu: str) -> str:
    lines = [
        f"GPU: {gpu}. `studylog run --no-cache`, every session run; wall time of the whole "
        "command (workers started, torch imported) and the sum of the sessions' durations.",
        "",
        "| project | device | sessions | wall (s) | sessions' compute (s) | cpu ÷ cuda (compute) |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    by = {(r.project, r.device): r for r in runs}
    for r in runs:
        cuda = by.get((r.project, "cuda"))
        ratio = (
            f"{r.compute / cuda.compute:.2f}×"
            if r.device == "cpu" and cuda and cuda.compute
            else ""
        )
        lines.append(
            f"| {r.project} | {r.device} | {len(r.sessions)} | {r.wall:.2f} | "
            f"{r.compute:.2f} | {ratio} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python bench/gpu_check.py",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--n", type=int, default=20, help="logs in the course corpus")
    parser.add_argument("--k", type=int, default=2, help="snippets per log")
    parser.add_argument("--out", type=Path, help="also write the table to this file")
    args = parser.parse_args(argv)

    gpu = cuda_available()
    if gpu is None:
        print(
            "gpu_check: no CUDA GPU here (or a CPU-only torch): nothing to check. "
            "Run it on a machine with an NVIDIA GPU and a CUDA build of torch."
        )
        return 0
    runs: list[Run] = []
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="gpu-check-") as tmp:
        demo = demo_project(Path(tmp) / "demo")
        course = write_site(
            make_corpus(args.n, args.k, "course", 2023), BY_NAME["studylog"], Path(tmp) / "course"
        )
        for name, project in (("demo", demo), (f"course {args.n}×{args.k}", course)):
            for device in DEVICES:
                result = run(project, name, device)
                runs.append(result)
                problems += check(result)
                print(
                    f"{name} on {device}: {len(result.sessions)} sessions, {result.wall:.2f} s",
                    file=sys.stderr,
                )
        footers, page_problems = check_pages(demo)
        problems += page_problems
    runs.sort(key=lambda r: (r.project != "demo", DEVICES.index(r.device)))
    text = table(runs, gpu) + (
        f"\nDemo site built with the GPU visible: {footers} snippet "
        "footers, each naming its cuda device.\n"
    )
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    for problem in problems:
        print(f"FAILED: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
